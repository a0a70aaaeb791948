#include "core/zip_check.h"

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <vector>

namespace gan {
namespace {

std::uint32_t u16(const std::vector<unsigned char>& b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8;
}
std::uint32_t u32(const std::vector<unsigned char>& b, std::size_t at) { return u16(b, at) | u16(b, at + 2) << 16; }

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;

}  // namespace

std::string zip_damage(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot be read";
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t size = bytes.size();
  if (size < 22) return "too short to be an archive";

  // The end-of-directory record: the last 22 bytes, or earlier when a comment follows it.
  std::size_t end = std::string::npos;
  for (std::size_t at = size - 22 + 1; at-- > 0 && size - at <= 22 + 65535;) {
    if (u32(bytes, at) == kEndOfDirectory) {
      end = at;
      break;
    }
  }
  if (end == std::string::npos) return "no zip directory at its end (truncated?)";
  const std::uint32_t entries = u16(bytes, end + 10);
  const std::uint32_t directory_size = u32(bytes, end + 12);
  const std::uint32_t directory = u32(bytes, end + 16);
  if (entries == 0xFFFF || directory == 0xFFFFFFFF) return {};  // zip64: beyond this check
  if (static_cast<std::uint64_t>(directory) + directory_size > end) return "its zip directory lies outside the file";

  std::size_t at = directory;
  for (std::uint32_t i = 0; i < entries; ++i) {
    if (at + 46 > end || u32(bytes, at) != kDirectoryEntry) return "its zip directory is damaged";
    const std::uint32_t method = u16(bytes, at + 10);
    const std::uint32_t crc = u32(bytes, at + 16);
    const std::uint32_t stored = u32(bytes, at + 20);
    const std::uint32_t name_length = u16(bytes, at + 28);
    const std::uint32_t extra_length = u16(bytes, at + 30);
    const std::uint32_t comment_length = u16(bytes, at + 32);
    const std::uint32_t local = u32(bytes, at + 42);
    if (at + 46 + name_length > end) return "its zip directory is damaged";
    const std::string name(bytes.begin() + static_cast<std::ptrdiff_t>(at + 46),
                           bytes.begin() + static_cast<std::ptrdiff_t>(at + 46 + name_length));
    if (stored == 0xFFFFFFFF || local == 0xFFFFFFFF) return {};  // zip64 sizes
    if (static_cast<std::uint64_t>(local) + 30 > size || u32(bytes, local) != kLocalHeader) {
      return "entry '" + name + "' points outside the file";
    }
    const std::uint64_t data = static_cast<std::uint64_t>(local) + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (data + stored > size) return "entry '" + name + "' runs past the end of the file";
    if (method == 0) {
      const uLong actual = crc32(crc32(0L, Z_NULL, 0), bytes.data() + data, static_cast<uInt>(stored));
      if (actual != crc) return "entry '" + name + "' fails its CRC-32";
    }
    at += 46 + name_length + extra_length + comment_length;
  }
  return {};
}

}  // namespace gan
