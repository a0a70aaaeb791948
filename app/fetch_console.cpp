#include "fetch_console.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/data/dataset_fetch.h"
#include "core/data/image_folder.h"

namespace {

// How far a long first-run job has come, on stderr: a redrawn line on a terminal (at most every
// 100 ms, and at the end); in a log (a cluster job's), a line every 10%. `text` says "done / total"
// in the job's own unit; the fraction is done / total.
class ProgressLine {
 public:
  void show(double done, double total, const char* text) {
    const double fraction = total <= 0 ? 1.0 : std::min(1.0, done / total);
    const auto now = std::chrono::steady_clock::now();
    if (terminal_ && (now - last_draw_ > std::chrono::milliseconds(100) || done >= total)) {
      last_draw_ = now;
      std::fprintf(stderr, "\r  %s  %3.0f%%", text, 100 * fraction);
    } else if (!terminal_ && static_cast<int>(fraction * 10) > last_tenth_) {
      last_tenth_ = static_cast<int>(fraction * 10);
      std::fprintf(stderr, "  %s\n", text);
    }
  }
  ~ProgressLine() {
    if (terminal_) std::fprintf(stderr, "\n");
  }

 private:
  bool terminal_ = isatty(fileno(stderr)) != 0;
  int last_tenth_ = -1;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace

void fetch_mnist_if_needed(const gan::DataConfig& data) {
  if (gan::mnist_needs_fetch(data)) {
    const std::filesystem::path folder = gan::resolve_data_folder(data);
    const std::string url = gan::mnist_source_url();
    std::fprintf(stderr, "MNIST is not in %s yet: fetching it from %s (%.1f MB, checked against its SHA-256 sums)\n",
                 folder.c_str(), url.c_str(), static_cast<double>(gan::kMnistDownloadBytes) / 1e6);
    {
      ProgressLine line;
      gan::fetch_mnist(folder, [&](const gan::FetchProgress& p) {
        const std::uint64_t total = p.total != 0 ? p.total : gan::kMnistDownloadBytes;
        char text[64];
        std::snprintf(text, sizeof text, "%5.1f / %.1f MB", static_cast<double>(p.received) / 1e6,
                      static_cast<double>(total) / 1e6);
        line.show(static_cast<double>(p.received), static_cast<double>(total), text);
        return true;
      });
    }
    std::fprintf(stderr, "MNIST is ready in %s\n", folder.c_str());
  }
}

namespace {

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
  const auto started = std::chrono::steady_clock::now();
  gan::FolderImages read;
  {
    ProgressLine line;
    read = gan::read_image_folder(options, [&](const gan::FolderProgress& p) {
      if (p.total == 0) return true;  // listing the folder or reading its cache: nothing to count yet
      char text[64];
      std::snprintf(text, sizeof text, "%lld / %lld pictures", static_cast<long long>(p.done), static_cast<long long>(p.total));
      line.show(static_cast<double>(p.done), static_cast<double>(p.total), text);
      return true;
    });
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const gan::ImageSet& set = read.images;
  std::fprintf(stderr, "%lld pictures, %zu classes, %lld x %lld %s, in %.1f s%s%s\n", static_cast<long long>(set.count),
               set.class_names.size(), static_cast<long long>(set.cols), static_cast<long long>(set.rows),
               set.channels == 3 ? "RGB" : "gray", seconds, read.not_cached.empty() ? "" : "; not cached: ",
               read.not_cached.c_str());
  if (!read.skipped.empty()) std::fprintf(stderr, "%s\n", gan::skipped_summary(read.skipped, 5).c_str());
}

}  // namespace

gan::ImageSet load_dataset_fetching(const gan::DataConfig& data) {
  fetch_mnist_if_needed(data);
  if (data.dataset == "folder") read_image_folder_once(data);
  return gan::load_dataset(data);
}
