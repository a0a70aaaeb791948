// The lines another process appends to a file (a run's CSV files while gan-train writes them),
// read a batch at a time: from where the last read ended, whole lines only (the writer may be in
// the middle of one). A file rewritten shorter (a run resumed from an earlier checkpoint) is read
// again from its start, and the read says so.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace gan {

class FileTail {
 public:
  explicit FileTail(std::filesystem::path path) : path_(std::move(path)) {}

  struct Lines {
    bool reset = false;  ///< the file shrank: `text` starts from its beginning again
    std::string text;    ///< the whole lines appended since the last read, newlines included
  };
  /// What was appended since the last read; nothing while the file is missing.
  Lines read();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::uintmax_t offset_ = 0;
};

}  // namespace gan
