#include "fetch_console.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/data/dataset_fetch.h"
#include "core/data/image_folder.h"

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

// A picture folder's first read decodes every picture (seconds to minutes): say so, show how far it
// is, and list what was skipped. Later reads come from the cache and say nothing.
void read_image_folder_once(const gan::DataConfig& data) {
  gan::FolderOptions options;
  options.folder = data.path;
  options.size = static_cast<int>(data.size);
  options.channels = static_cast<int>(data.channels);
  if (gan::image_folder_cached(options)) return;
  std::fprintf(stderr, "Reading the pictures of %s (decoded once, then cached in %s)\n", data.path.c_str(),
               gan::folder_cache_folder().c_str());
  const bool terminal = isatty(fileno(stderr)) != 0;
  int last_tenth = -1;
  auto last_draw = std::chrono::steady_clock::time_point{};
  const auto started = std::chrono::steady_clock::now();
  const gan::FolderImages read = gan::read_image_folder(options, [&](const gan::FolderProgress& p) {
    const double fraction = p.total == 0 ? 1.0 : static_cast<double>(p.done) / static_cast<double>(p.total);
    const auto now = std::chrono::steady_clock::now();
    if (terminal && (now - last_draw > std::chrono::milliseconds(100) || p.done == p.total)) {
      last_draw = now;
      std::fprintf(stderr, "\r  %lld / %lld pictures  %3.0f%%", static_cast<long long>(p.done), static_cast<long long>(p.total),
                   100 * fraction);
    } else if (!terminal && static_cast<int>(fraction * 10) > last_tenth) {
      last_tenth = static_cast<int>(fraction * 10);
      std::fprintf(stderr, "  %lld / %lld pictures\n", static_cast<long long>(p.done), static_cast<long long>(p.total));
    }
    return true;
  });
  if (terminal) std::fprintf(stderr, "\n");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const gan::ImageSet& set = read.images;
  std::fprintf(stderr, "%lld pictures, %zu classes, %lld x %lld %s, in %.1f s%s%s\n", static_cast<long long>(set.count),
               set.class_names.size(), static_cast<long long>(set.cols), static_cast<long long>(set.rows),
               set.channels == 3 ? "RGB" : "gray", seconds, read.not_cached.empty() ? "" : "; not cached: ",
               read.not_cached.c_str());
  if (!read.skipped.empty()) std::fprintf(stderr, "%s\n", gan::skipped_summary(read.skipped, 5).c_str());
}

gan::ImageSet load_dataset_fetching(const gan::DataConfig& data) {
  fetch_mnist_if_needed(data);
  if (data.dataset == "folder") read_image_folder_once(data);
  return gan::load_dataset(data);
}
