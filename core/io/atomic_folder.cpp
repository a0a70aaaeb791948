#include "core/io/atomic_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <system_error>

namespace gan {
namespace {

void sync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw FileError("cannot open " + path.string() + ": " + system_reason());
  const int synced = ::fsync(fd);
  const std::string why = synced != 0 ? system_reason() : "";
  ::close(fd);
  if (synced != 0) throw FileError("cannot write " + path.string() + " to disk: " + why);
}

// A new folder `base` + six random letters. Not mkdtemp: its 0700 would stay the export's mode,
// where mkdir's 0777 takes the user's umask as any folder they make does.
std::filesystem::path make_unique_folder(const std::string& base) {
  std::random_device seed;
  std::mt19937 random(seed());
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string path = base;
    for (int i = 0; i < 6; ++i) path += "abcdefghijklmnopqrstuvwxyz"[random() % 26];
    if (::mkdir(path.c_str(), 0777) == 0) return path;
    if (errno != EEXIST) break;
  }
  return {};
}

}  // namespace

AtomicFolder::AtomicFolder(std::filesystem::path target, Replace replace)
    : target_(std::move(target)), replace_(replace) {
  if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" names "out"
  std::error_code error;
  const auto status = std::filesystem::symlink_status(target_, error);
  if (std::filesystem::exists(status)) {
    if (!std::filesystem::is_directory(status)) {
      throw FileError(target_.string() + " exists and is not a folder; nothing was written (name a new folder)");
    }
    if (replace_ == Replace::kRefused) {
      throw FileError(target_.string() + " already exists; nothing was written (name a new folder, or allow replacing it)");
    }
  }
  std::filesystem::path parent = target_.parent_path();
  if (parent.empty()) parent = ".";
  if (!std::filesystem::is_directory(parent, error)) {
    throw FileError(parent.string() + ": no such folder (the export's folder is made inside an existing one)");
  }
  temporary_ = make_unique_folder((parent / ("." + target_.filename().string() + ".partial-")).string());
  if (temporary_.empty()) throw FileError("cannot make a folder in " + parent.string() + ": " + system_reason());
}

AtomicFolder::~AtomicFolder() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove_all(temporary_, ignored);
}

void AtomicFolder::write(const std::string& name, const void* data, std::size_t size) {
  const std::filesystem::path path = temporary_ / name;
  std::FILE* file = std::fopen(path.c_str(), "wbx");
  if (file == nullptr) throw FileError("cannot write " + (target_ / name).string() + ": " + system_reason());
  const bool written = std::fwrite(data, 1, size, file) == size && std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const std::string why = written ? "" : system_reason();
  if (std::fclose(file) != 0 || !written) {
    throw FileError("cannot write " + (target_ / name).string() + ": " + (why.empty() ? system_reason() : why));
  }
}

void AtomicFolder::copy(const std::string& name, const std::filesystem::path& source) {
  std::error_code error;
  std::filesystem::copy_file(source, temporary_ / name, error);
  if (error) throw FileError("cannot copy " + source.string() + " into " + target_.string() + ": " + error.message());
  sync_path(temporary_ / name, O_RDONLY);
}

void AtomicFolder::commit() {
  sync_path(temporary_, O_RDONLY | O_DIRECTORY);
  // No-replace first: a folder that appeared since the constructor looked is never taken over
  // unasked (a plain rename would replace an empty one silently).
  if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) == 0) {
    committed_ = true;
  } else if (errno != EEXIST) {
    throw FileError("cannot make " + target_.string() + ": " + system_reason());
  } else if (replace_ == Replace::kRefused) {
    throw FileError(target_.string() + " appeared while the export was written; nothing was replaced");
  } else if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
    // Swapped in one step: the old folder now sits at the temporary name.
    committed_ = true;
    std::error_code ignored;
    std::filesystem::remove_all(temporary_, ignored);
  } else {
    // A file system without the exchange: the old folder steps aside, the new one takes its name.
    std::string aside = (target_.parent_path() / ("." + target_.filename().string() + ".replaced-XXXXXX")).string();
    if (::mkdtemp(aside.data()) == nullptr || ::rename(target_.c_str(), aside.c_str()) != 0) {
      throw FileError("cannot replace " + target_.string() + ": " + system_reason());
    }
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
      const std::string why = system_reason();
      ::rename(aside.c_str(), target_.c_str());
      throw FileError("cannot replace " + target_.string() + ": " + why);
    }
    committed_ = true;
    std::error_code ignored;
    std::filesystem::remove_all(aside, ignored);
  }
  std::filesystem::path parent = target_.parent_path();
  sync_path(parent.empty() ? "." : parent, O_RDONLY | O_DIRECTORY);
}

}  // namespace gan
