// Atomic file writes: data goes to a temporary file beside the target, is flushed to disk, and only
// then renamed over the target, so a crash or a full disk never leaves a half-written file behind
// and never damages the previous version.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace gan {

/// A file could not be written; the message names the path and the system's reason.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The system's reason for the call that just failed (strerror(errno)), for a FileError's message.
std::string system_reason();

enum class Replace { kRefused, kAllowed };

/// A temporary file that becomes `target` on commit(). Destroying it uncommitted removes the
/// temporary and leaves `target` untouched.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target, Replace replace = Replace::kRefused);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Stream to write into (binary mode).
  std::FILE* stream() { return stream_; }
  const std::filesystem::path& target() const { return target_; }
  /// Path of the temporary file, for writers that insist on opening a path themselves.
  /// Close stream() first with close_stream() when using it.
  const std::filesystem::path& temporary_path() const { return temporary_; }
  void close_stream();

  /// Flushes, syncs and renames the temporary onto the target. Throws FileError on failure
  /// (the target is then unchanged).
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::FILE* stream_ = nullptr;
  Replace replace_;
  bool committed_ = false;
};

/// Writes `contents` to `path` atomically.
void write_file_atomically(const std::filesystem::path& path, const std::string& contents,
                           Replace replace = Replace::kRefused);

}  // namespace gan
