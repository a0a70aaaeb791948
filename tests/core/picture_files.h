// Pictures made by the tests: PNG and JPEG bytes of small synthetic images, and a very large PNG
// written a row at a time (nothing can be downloaded, so the picture-folder tests make their own).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace gan::test {

/// width x height pixels of `channels` interleaved bytes (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA).
struct Picture {
  Picture(int w, int h, int c, std::uint8_t value = 0)
      : width(w), height(h), channels(c), pixels(static_cast<std::size_t>(w) * h * c, value) {}
  int width;
  int height;
  int channels;
  std::vector<std::uint8_t> pixels;
};

std::vector<std::uint8_t> png_bytes(const Picture& picture);
/// Gray (1 channel) or RGB (3) only: JPEG has no alpha.
std::vector<std::uint8_t> jpeg_bytes(const Picture& picture, int quality);
/// A gray PNG of width x height, value(x, y) per pixel, written row by row (best compression of
/// flat areas, so 20000 x 20000 stays small on disk).
void write_large_png(const std::filesystem::path& path, int width, int height, const std::function<std::uint8_t(int, int)>& value);

}  // namespace gan::test
