#include "fetch_console.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/data/dataset_fetch.h"

void fetch_mnist_if_needed(const gan::DataConfig& data) {
  if (gan::mnist_needs_fetch(data)) {
    const std::filesystem::path folder = gan::resolve_data_folder(data);
    const std::string url = gan::mnist_source_url();
    std::fprintf(stderr, "MNIST is not in %s yet: fetching it from %s (%.1f MB, checked against its SHA-256 sums)\n",
                 folder.c_str(), url.c_str(), static_cast<double>(gan::kMnistDownloadBytes) / 1e6);
    // A redrawn line on a terminal; in a log (a cluster job's), a line every 10%.
    const bool terminal = isatty(fileno(stderr)) != 0;
    int last_tenth = -1;
    auto last_draw = std::chrono::steady_clock::time_point{};
    gan::fetch_mnist(folder, [&](const gan::FetchProgress& p) {
      const std::uint64_t total = p.total != 0 ? p.total : gan::kMnistDownloadBytes;
      const double fraction = std::min(1.0, static_cast<double>(p.received) / static_cast<double>(total));
      const auto now = std::chrono::steady_clock::now();
      if (terminal && (now - last_draw > std::chrono::milliseconds(100) || p.received == total)) {
        last_draw = now;
        std::fprintf(stderr, "\r  %5.1f / %.1f MB  %3.0f%%", static_cast<double>(p.received) / 1e6,
                     static_cast<double>(total) / 1e6, 100 * fraction);
      } else if (!terminal && static_cast<int>(fraction * 10) > last_tenth) {
        last_tenth = static_cast<int>(fraction * 10);
        std::fprintf(stderr, "  %.1f / %.1f MB\n", static_cast<double>(p.received) / 1e6, static_cast<double>(total) / 1e6);
      }
      return true;
    });
    if (terminal) std::fprintf(stderr, "\n");
    std::fprintf(stderr, "MNIST is ready in %s\n", folder.c_str());
  }
}

gan::ImageSet load_dataset_fetching(const gan::DataConfig& data) {
  fetch_mnist_if_needed(data);
  return gan::load_dataset(data);
}
