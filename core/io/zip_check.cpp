#include "core/io/zip_check.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <vector>

namespace gan {
namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint16_t kZip64Extra = 0x0001;
constexpr std::uint32_t kMarker32 = 0xFFFFFFFF;  // "the real value is in the zip64 record"
constexpr std::size_t kChunk = 1 << 20;

// Little-endian fields of a byte block; `has` guards every read.
struct Block {
  std::vector<unsigned char> bytes;
  bool has(std::uint64_t at, std::uint64_t n) const { return at <= bytes.size() && n <= bytes.size() - at; }
  std::uint64_t le(std::uint64_t at, int n) const {
    std::uint64_t value = 0;
    for (int i = n; i-- > 0;) value = value << 8 | bytes[at + static_cast<std::uint64_t>(i)];
    return value;
  }
};

// The file is read piece by piece: checkpoints of the large models are hundreds of megabytes.
class File {
 public:
  explicit File(const std::filesystem::path& path) : in_(path, std::ios::binary) {
    std::error_code error;
    size_ = std::filesystem::file_size(path, error);
    if (error) in_.setstate(std::ios::failbit);
  }
  bool good() const { return static_cast<bool>(in_); }
  std::uint64_t size() const { return size_; }
  bool has(std::uint64_t at, std::uint64_t n) const { return at <= size_ && n <= size_ - at; }
  // The `n` bytes at `at`; the caller checks has(at, n) first.
  Block read(std::uint64_t at, std::uint64_t n) {
    Block block{std::vector<unsigned char>(n)};
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(at));
    in_.read(reinterpret_cast<char*>(block.bytes.data()), static_cast<std::streamsize>(n));
    if (static_cast<std::uint64_t>(in_.gcount()) != n) block.bytes.clear();
    return block;
  }

 private:
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

struct Entry {
  std::string name;
  std::uint32_t method = 0;
  std::uint32_t crc = 0;
  std::uint64_t packed = 0;
  std::uint64_t unpacked = 0;
  std::uint64_t local = 0;
};

// What an entry unpacks to: its length and CRC-32.
struct Unpacked {
  std::uint64_t length = 0;
  std::uint32_t crc = 0;
};

// Unpacks the entry's data chunk by chunk, never holding more than a chunk, and stops as soon as
// it would unpack past its declared size (a zip bomb or a damaged size field).
std::optional<Unpacked> unpack(File& file, std::uint64_t data, const Entry& entry) {
  Unpacked out;
  out.crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  z_stream stream{};
  if (entry.method == 8 && inflateInit2(&stream, -MAX_WBITS) != Z_OK) return std::nullopt;
  std::vector<unsigned char> unpacked(entry.method == 8 ? kChunk : 0);
  bool ended = entry.method != 8;
  bool ok = true;
  for (std::uint64_t done = 0; ok && done < entry.packed;) {
    const std::uint64_t n = std::min<std::uint64_t>(kChunk, entry.packed - done);
    Block block = file.read(data + done, n);
    if (block.bytes.size() != n) {
      ok = false;
      break;
    }
    done += n;
    if (entry.method == 0) {
      out.crc = static_cast<std::uint32_t>(crc32(out.crc, block.bytes.data(), static_cast<uInt>(n)));
      out.length += n;
      continue;
    }
    stream.next_in = block.bytes.data();
    stream.avail_in = static_cast<uInt>(n);
    while (ok && stream.avail_in > 0 && !ended) {
      stream.next_out = unpacked.data();
      stream.avail_out = static_cast<uInt>(unpacked.size());
      const int result = inflate(&stream, Z_NO_FLUSH);
      const std::size_t produced = unpacked.size() - stream.avail_out;
      out.crc = static_cast<std::uint32_t>(crc32(out.crc, unpacked.data(), static_cast<uInt>(produced)));
      out.length += produced;
      if (result == Z_STREAM_END) ended = true;
      else if (result != Z_OK && result != Z_BUF_ERROR) ok = false;
      if (out.length > entry.unpacked) ok = false;
      if (result == Z_BUF_ERROR && produced == 0) break;  // needs the next block of input
    }
  }
  if (entry.method == 8) inflateEnd(&stream);
  if (!ok || !ended) return std::nullopt;
  return out;
}

// Replaces the 32-bit fields marked 0xFFFFFFFF with their values from the zip64 extra field.
bool apply_zip64(const Block& extra, Entry& entry, bool packed_marked, bool unpacked_marked, bool local_marked) {
  for (std::uint64_t at = 0; extra.has(at, 4);) {
    const std::uint64_t id = extra.le(at, 2), length = extra.le(at + 2, 2);
    if (!extra.has(at + 4, length)) return false;
    if (id == kZip64Extra) {
      std::uint64_t field = at + 4;
      const auto take = [&](bool marked, std::uint64_t& value) {
        if (!marked) return true;
        if (field + 8 > at + 4 + length) return false;
        value = extra.le(field, 8);
        field += 8;
        return true;
      };
      // The order is fixed by the zip specification: unpacked, packed, local header offset.
      return take(unpacked_marked, entry.unpacked) && take(packed_marked, entry.packed) && take(local_marked, entry.local);
    }
    at += 4 + length;
  }
  return !packed_marked && !unpacked_marked && !local_marked;
}

}  // namespace

std::string zip_damage(const std::filesystem::path& path) {
  File file(path);
  if (!file.good()) return "cannot be read";
  if (file.size() < 22) return "too short to be an archive";

  // The end-of-directory record: the last 22 bytes, or earlier when a comment follows it.
  const std::uint64_t tail_start = file.size() - std::min<std::uint64_t>(file.size(), 22 + 65535);
  const Block tail = file.read(tail_start, file.size() - tail_start);
  if (tail.bytes.empty()) return "cannot be read";
  std::optional<std::uint64_t> end;
  for (std::uint64_t at = tail.bytes.size() - 22 + 1; at-- > 0;) {
    if (tail.le(at, 4) == kEndOfDirectory) {
      end = at;
      break;
    }
  }
  if (!end) return "no zip directory at its end (truncated?)";
  std::uint64_t entries = tail.le(*end + 10, 2);
  std::uint64_t directory_size = tail.le(*end + 12, 4);
  std::uint64_t directory = tail.le(*end + 16, 4);
  const std::uint64_t end_at = tail_start + *end;
  if (entries == 0xFFFF || directory_size == kMarker32 || directory == kMarker32) {
    // Zip64: a locator just before the record points at the 64-bit end-of-directory record.
    if (end_at < 20) return "its zip64 directory is damaged";
    const Block locator = file.read(end_at - 20, 20);
    if (locator.bytes.empty() || locator.le(0, 4) != kZip64Locator) return "its zip64 directory is damaged";
    const std::uint64_t record_at = locator.le(8, 8);
    if (!file.has(record_at, 56)) return "its zip64 directory lies outside the file";
    const Block record = file.read(record_at, 56);
    if (record.bytes.empty() || record.le(0, 4) != kZip64EndOfDirectory) return "its zip64 directory is damaged";
    entries = record.le(32, 8);
    directory_size = record.le(40, 8);
    directory = record.le(48, 8);
  }
  if (!file.has(directory, directory_size) || directory + directory_size > end_at) {
    return "its zip directory lies outside the file";
  }
  if (entries > directory_size / 46) return "its zip directory is damaged";
  const Block listing = file.read(directory, directory_size);
  if (listing.bytes.size() != directory_size) return "cannot be read";

  std::uint64_t at = 0;
  for (std::uint64_t i = 0; i < entries; ++i) {
    if (!listing.has(at, 46) || listing.le(at, 4) != kDirectoryEntry) return "its zip directory is damaged";
    Entry entry;
    entry.method = static_cast<std::uint32_t>(listing.le(at + 10, 2));
    entry.crc = static_cast<std::uint32_t>(listing.le(at + 16, 4));
    entry.packed = listing.le(at + 20, 4);
    entry.unpacked = listing.le(at + 24, 4);
    const std::uint64_t name_length = listing.le(at + 28, 2);
    const std::uint64_t extra_length = listing.le(at + 30, 2);
    const std::uint64_t comment_length = listing.le(at + 32, 2);
    entry.local = listing.le(at + 42, 4);
    if (!listing.has(at + 46, name_length + extra_length + comment_length)) return "its zip directory is damaged";
    entry.name.assign(listing.bytes.begin() + static_cast<std::ptrdiff_t>(at + 46),
                      listing.bytes.begin() + static_cast<std::ptrdiff_t>(at + 46 + name_length));
    const std::string named = "entry '" + entry.name + "'";
    Block extra{std::vector<unsigned char>(listing.bytes.begin() + static_cast<std::ptrdiff_t>(at + 46 + name_length),
                                           listing.bytes.begin() + static_cast<std::ptrdiff_t>(at + 46 + name_length + extra_length))};
    if (!apply_zip64(extra, entry, entry.packed == kMarker32, entry.unpacked == kMarker32, entry.local == kMarker32)) {
      return named + " has a damaged zip64 record";
    }
    if (entry.method != 0 && entry.method != 8) return named + " uses zip method " + std::to_string(entry.method) + ", not one LibTorch writes";
    if (entry.method == 0 && entry.packed != entry.unpacked) return named + " declares two different sizes";

    if (!file.has(entry.local, 30)) return named + " points outside the file";
    const Block local = file.read(entry.local, 30);
    if (local.bytes.empty() || local.le(0, 4) != kLocalHeader) return named + " points outside the file";
    const std::uint64_t data = entry.local + 30 + local.le(26, 2) + local.le(28, 2);
    if (!file.has(data, entry.packed)) return named + " runs past the end of the file";
    const std::optional<Unpacked> unpacked = unpack(file, data, entry);
    if (!unpacked || unpacked->length != entry.unpacked) return named + " does not unpack to its declared size";
    if (unpacked->crc != entry.crc) return named + " fails its CRC-32";
    at += 46 + name_length + extra_length + comment_length;
  }
  return {};
}

}  // namespace gan
