// 8-bit gray or RGB images: sample grids laid out as torchvision's save_image(..., nrow, normalize=True)
// does, single images, and PNG files (libpng).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/io/atomic_file.h"

namespace gan {

struct Image {
  int width = 0;
  int height = 0;
  /// 1 (gray) or 3 (RGB).
  int channels = 1;
  /// Row-major, width * height * channels bytes, a pixel's channels side by side (as PNG and
  /// QImage keep them), 0 = black.
  std::vector<std::uint8_t> pixels;

  /// The first channel of pixel (x, y): the gray value, or red.
  std::uint8_t at(int x, int y) const { return pixels[(static_cast<std::size_t>(y) * width + x) * channels]; }
};

/// `images` (equal heights) side by side, left to right, `gap` black pixels between them, as they
/// are (no rescaling): a strip of a digit and its nearest training images.
Image image_row(const std::vector<Image>& images, int gap = 2);

/// Lays out `count` images of channels x height x width floats (planar, contiguous, image after
/// image) in a grid of `columns` per row with `padding` black pixels around and between them, as
/// torchvision's make_grid. Values are min-max normalised over the whole batch (normalize=True),
/// then mapped to 0..255 with rounding as save_image does.
Image make_grid(const float* images, std::int64_t count, std::int64_t height, std::int64_t width,
                std::int64_t columns, int padding = 2, int channels = 1);

/// One image of channels x height x width floats (planar) in [-1, 1] (the generator's Tanh range)
/// mapped to 0..255.
Image image_from_tanh(const float* image, std::int64_t height, std::int64_t width, int channels = 1);

/// The image's pixels as planes (all of one channel, then the next), as a tensor takes them.
std::vector<std::uint8_t> planar_pixels(const Image& image);

/// Writes an 8-bit gray or RGB PNG atomically; throws FileError (naming the path) on failure.
void write_png(const Image& image, const std::filesystem::path& path, Replace replace = Replace::kRefused);

/// Reads a PNG as 8-bit gray (gray types) or RGB (colour and palette types), transparency
/// composited onto black; throws FileError.
Image read_png(const std::filesystem::path& path);

}  // namespace gan
