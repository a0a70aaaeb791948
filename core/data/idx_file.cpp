#include "core/data/idx_file.h"

#include <zlib.h>

#include <array>
#include <memory>

namespace gan {
namespace {

constexpr std::uint8_t kUnsignedByteType = 0x08;
// Larger than any real IDX file we expect (MNIST train images are 47 MB); guards against headers
// that would make us allocate terabytes.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 32;

struct GzCloser {
  void operator()(gzFile file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

std::uint32_t big_endian(const std::array<std::uint8_t, 4>& b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

}  // namespace

IdxArray read_idx(const std::filesystem::path& path, int expected_rank) {
  const std::string name = path.string();
  if (!std::filesystem::is_regular_file(path)) throw DataError(name + ": file not found");
  // gzopen reads gzip data and passes plain files through unchanged.
  GzFile file(gzopen(name.c_str(), "rb"));
  if (!file) throw DataError(name + ": cannot open file");

  // `before`: bytes of `what` read by earlier calls, so a truncation names the whole count.
  auto read_exactly = [&](void* buffer, std::size_t size, const std::string& what, std::size_t before = 0,
                          std::size_t total = 0) {
    std::size_t done = 0;
    while (done < size) {
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
      const int got = gzread(file.get(), static_cast<char*>(buffer) + done, chunk);
      if (got < 0) {
        int code = 0;
        throw DataError(name + ": cannot read " + what + ": " + gzerror(file.get(), &code));
      }
      if (got == 0) {
        throw DataError(name + ": file is truncated: expected " + std::to_string(total > 0 ? total : size) +
                        " bytes of " + what + ", found " + std::to_string(before + done));
      }
      done += static_cast<std::size_t>(got);
    }
  };

  std::array<std::uint8_t, 4> word{};
  read_exactly(word.data(), word.size(), "header");
  const std::uint32_t expected_magic = (std::uint32_t{kUnsignedByteType} << 8) | static_cast<std::uint32_t>(expected_rank);
  const std::uint32_t magic = big_endian(word);
  if (magic != expected_magic) {
    throw DataError(name + ": not an IDX file of rank " + std::to_string(expected_rank) + ": expected magic number " +
                    std::to_string(expected_magic) + " but found " + std::to_string(magic));
  }

  IdxArray array;
  std::int64_t elements = 1;
  for (int i = 0; i < expected_rank; ++i) {
    read_exactly(word.data(), word.size(), "header");
    const std::int64_t dim = big_endian(word);
    if (dim == 0) throw DataError(name + ": dimension " + std::to_string(i) + " is zero");
    // Checked before multiplying: two 2^32 - 1 dimensions would overflow (found by fuzz_idx).
    if (dim > kMaxElements / elements) throw DataError(name + ": header describes an implausibly large array");
    elements *= dim;
    array.dims.push_back(dim);
  }

  // Grown as the data arrives, so a header that promises gigabytes over a short file costs a
  // truncation error, not a gigabyte allocation (found by fuzz_idx).
  constexpr std::int64_t kChunk = std::int64_t{16} << 20;
  for (std::int64_t done = 0; done < elements;) {
    const std::int64_t chunk = std::min(kChunk, elements - done);
    array.data.resize(static_cast<std::size_t>(done + chunk));
    read_exactly(array.data.data() + done, static_cast<std::size_t>(chunk), "data", static_cast<std::size_t>(done),
                 static_cast<std::size_t>(elements));
    done += chunk;
  }
  char extra = 0;
  if (gzread(file.get(), &extra, 1) > 0) {
    throw DataError(name + ": file is longer than its header says (" + std::to_string(elements) + " bytes of data)");
  }
  return array;
}

}  // namespace gan
