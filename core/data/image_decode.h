// Decoding one PNG or JPEG file straight to a training image: size x size pixels, 1 or 3 channels.
//
// The full-size pixels are never held. libpng hands over one row at a time and libjpeg one
// scanline, already shrunk by its DCT scaling (1/2, 1/4, 1/8) when the picture is far larger than
// the target; each row is folded into the target's few pixels as it comes (area averaging), so a
// 20000 x 20000 photo costs one row of memory, not 1.2 GB.
//
// Geometry, as torchvision's Resize(size) + CenterCrop(size): the shorter side is brought to `size`,
// the longer one cropped about its centre. Every output pixel is the mean of the source area it
// covers (an image smaller than `size` is enlarged by the same rule: blocky, nothing invented).
// Transparency is composited onto black (the datasets' background); colour becomes gray by
// ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B), as PIL's "L" mode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace gan {

/// A file that is not a PNG or JPEG we can decode; the message says why (no path: the caller adds it).
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Images larger than this many source pixels are refused rather than decoded (a 20000 x 20000
/// image, 400 megapixels, is decoded; a 2-gigapixel one would take minutes).
inline constexpr std::uint64_t kMaxSourcePixels = 1'000'000'000;

struct DecodedImage {
  int size = 0;
  /// 1 (gray) or 3 (RGB), as asked.
  int channels = 0;
  /// Whether the file stores colour (PNG colour or palette types, a three-component JPEG).
  bool colour = false;
  /// The file's own size in pixels.
  std::uint32_t source_width = 0;
  std::uint32_t source_height = 0;
  /// channels x size x size bytes, planar (all of R, then G, then B), as a tensor wants them.
  std::vector<std::uint8_t> pixels;
};

enum class ImageFormat { kUnknown, kPng, kJpeg };

/// The format by the file's first bytes (not its name): PNG's signature or JPEG's SOI marker.
ImageFormat sniff_image_format(const std::uint8_t* head, std::size_t length);

/// Decodes `bytes` (a PNG or JPEG file's contents) to `size` x `size` with `channels` (1 or 3).
/// Throws DecodeError for anything else, truncated or damaged data, or an image over kMaxSourcePixels.
DecodedImage decode_image(const std::uint8_t* bytes, std::size_t length, int size, int channels);

/// The same, reading the file as it decodes (a large file is never read into memory whole).
/// Throws DecodeError, naming no path: the folder reader lists the file with the reason.
DecodedImage decode_image_file(const std::filesystem::path& path, int size, int channels);

}  // namespace gan
