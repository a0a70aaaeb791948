#include "core/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gan {

std::string system_reason() { return std::strerror(errno); }

AtomicFile::AtomicFile(std::filesystem::path target, Replace replace)
    : target_(std::move(target)), replace_(replace) {
  if (replace_ == Replace::kRefused && std::filesystem::exists(target_)) {
    throw FileError(target_.string() + ": already exists; refusing to overwrite it");
  }
  std::string pattern = target_.string() + ".tmp-XXXXXX";
  const int descriptor = ::mkstemp(pattern.data());
  if (descriptor < 0) throw FileError(target_.string() + ": cannot create a temporary file beside it: " + system_reason());
  temporary_ = pattern;
  ::fchmod(descriptor, 0644);
  stream_ = ::fdopen(descriptor, "wb");
  if (stream_ == nullptr) {
    const std::string why = system_reason();
    ::close(descriptor);
    std::filesystem::remove(temporary_);
    throw FileError(target_.string() + ": cannot open a temporary file: " + why);
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  if (stream_ != nullptr) std::fclose(stream_);
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::close_stream() {
  if (stream_ == nullptr) return;
  const bool failed = std::fflush(stream_) != 0 || ::fsync(::fileno(stream_)) != 0;
  const std::string why = failed ? system_reason() : std::string();
  std::fclose(stream_);
  stream_ = nullptr;
  if (failed) throw FileError(target_.string() + ": write failed: " + why);
}

void AtomicFile::commit() {
  if (stream_ != nullptr) {
    if (std::ferror(stream_)) throw FileError(target_.string() + ": write failed");
    close_stream();
  } else {
    // Written through temporary_path() by another writer: make sure it reached the disk.
    const int descriptor = ::open(temporary_.c_str(), O_RDONLY);
    if (descriptor < 0 || ::fsync(descriptor) != 0) {
      const std::string why = system_reason();
      if (descriptor >= 0) ::close(descriptor);
      throw FileError(target_.string() + ": cannot sync the written file: " + why);
    }
    ::close(descriptor);
  }
  if (replace_ == Replace::kRefused) {
    // link() fails if the target appeared meanwhile, so even a race cannot overwrite it.
    int linked = ::link(temporary_.c_str(), target_.c_str());
    if (linked != 0 && (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS)) {
      // File systems without hard links: the check and the rename are then two steps.
      if (std::filesystem::exists(target_)) errno = EEXIST;
      else linked = ::rename(temporary_.c_str(), target_.c_str());
    }
    if (linked != 0) {
      throw FileError(target_.string() + (errno == EEXIST ? ": already exists; refusing to overwrite it"
                                                          : ": cannot create it: " + system_reason()));
    }
    ::unlink(temporary_.c_str());
  } else if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    throw FileError(target_.string() + ": cannot replace it: " + system_reason());
  }
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& contents, Replace replace) {
  AtomicFile file(path, replace);
  if (std::fwrite(contents.data(), 1, contents.size(), file.stream()) != contents.size()) {
    throw FileError(path.string() + ": write failed: " + system_reason());
  }
  file.commit();
}

}  // namespace gan
