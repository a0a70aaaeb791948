#include "core/io/file_tail.h"

#include <fstream>
#include <system_error>

namespace gan {

FileTail::Lines FileTail::read() {
  Lines lines;
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path_, error);
  if (error) return lines;
  if (size < offset_) {
    lines.reset = true;
    offset_ = 0;
  }
  if (size == offset_) return lines;
  std::ifstream file(path_, std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset_));
  std::string chunk(static_cast<std::size_t>(size - offset_), '\0');
  file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<std::size_t>(file.gcount()));
  const auto last_newline = chunk.rfind('\n');
  if (last_newline == std::string::npos) return lines;  // a line still being written: next time
  chunk.resize(last_newline + 1);
  offset_ += chunk.size();
  lines.text = std::move(chunk);
  return lines;
}

}  // namespace gan
