// 8-bit grayscale images: sample grids laid out as torchvision's save_image(..., nrow, normalize=True)
// does, single digits, and PNG files (libpng).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/io/atomic_file.h"

namespace gan {

struct GrayImage {
  int width = 0;
  int height = 0;
  /// Row-major, width * height bytes, 0 = black.
  std::vector<std::uint8_t> pixels;

  std::uint8_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

/// `images` (equal heights) side by side, left to right, `gap` black pixels between them, as they
/// are (no rescaling): a strip of a digit and its nearest training images.
GrayImage image_row(const std::vector<GrayImage>& images, int gap = 2);

/// Lays out `count` images of height x width floats (contiguous, image after image) in a grid of
/// `columns` per row with `padding` black pixels around and between them, as torchvision's make_grid.
/// Values are min-max normalised over the whole batch (normalize=True), then mapped to 0..255 with
/// rounding as save_image does.
GrayImage make_grid(const float* images, std::int64_t count, std::int64_t height, std::int64_t width,
                    std::int64_t columns, int padding = 2);

/// One image of height x width floats in [-1, 1] (the generator's Tanh range) mapped to 0..255.
GrayImage image_from_tanh(const float* image, std::int64_t height, std::int64_t width);

/// Writes an 8-bit grayscale PNG atomically; throws FileError (naming the path) on failure.
void write_png(const GrayImage& image, const std::filesystem::path& path, Replace replace = Replace::kRefused);

/// Reads an 8-bit grayscale PNG (other PNG types are converted to 8-bit gray); throws FileError.
GrayImage read_png(const std::filesystem::path& path);

}  // namespace gan
