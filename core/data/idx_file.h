// Reader for IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed.
//
// LibTorch's torch::data::datasets::MNIST reads only uncompressed files under fixed names and
// does not check lengths, so the project reads IDX itself: zlib reads both raw and gzip files
// through one interface, and every header field is checked against the data that follows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace gan {

/// A data file is missing, damaged or not what was expected; the message names the file.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An IDX array of unsigned bytes (type code 0x08), the only element type MNIST uses.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;
};

/// Reads an unsigned-byte IDX file with `expected_rank` dimensions (3 for images, 1 for labels).
/// Throws DataError when the file is missing, the magic number or rank is wrong, a dimension is
/// zero or absurd, or the data is shorter or longer than the header says.
IdxArray read_idx(const std::filesystem::path& path, int expected_rank);

}  // namespace gan
