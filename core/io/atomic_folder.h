// Atomic folder writes: the files go into a hidden temporary folder beside the target, are synced,
// and only then does the folder take the target's name, in one rename. A failed or interrupted
// export leaves no half-written folder, and a folder it replaces stays whole until the new one is.
#pragma once

#include <filesystem>
#include <string>

#include "core/io/atomic_file.h"

namespace gan {

/// A temporary folder that becomes `target` on commit(). Destroying it uncommitted removes it and
/// leaves `target` untouched.
class AtomicFolder {
 public:
  /// Throws FileError when `target` exists and `replace` is kRefused, when it is not a folder, or
  /// when its parent folder does not exist or cannot be written; nothing is made then.
  explicit AtomicFolder(std::filesystem::path target, Replace replace = Replace::kRefused);
  ~AtomicFolder();
  AtomicFolder(const AtomicFolder&) = delete;
  AtomicFolder& operator=(const AtomicFolder&) = delete;

  /// Writes `contents` as the file `name` (a plain name, no folders) in the temporary folder.
  void write(const std::string& name, const void* data, std::size_t size);
  void write(const std::string& name, const std::string& contents) { write(name, contents.data(), contents.size()); }
  /// Copies the file at `source` in as `name`.
  void copy(const std::string& name, const std::filesystem::path& source);
  const std::filesystem::path& target() const { return target_; }

  /// Syncs, then gives the folder its name (a replaced folder is swapped out whole, then removed).
  /// Throws FileError, leaving the target as it was, when it cannot; also when the target appeared
  /// meanwhile and replacing was refused.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  Replace replace_;
  bool committed_ = false;
};

}  // namespace gan
