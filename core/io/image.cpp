#include "core/io/image.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

namespace gan {
namespace {

std::uint8_t to_byte(float unit) {
  // save_image: mul(255).add_(0.5).clamp_(0, 255) then truncation to uint8.
  const float scaled = unit * 255.0f + 0.5f;
  return static_cast<std::uint8_t>(std::clamp(scaled, 0.0f, 255.0f));
}

}  // namespace

GrayImage make_grid(const float* images, std::int64_t count, std::int64_t height, std::int64_t width,
                    std::int64_t columns, int padding) {
  GrayImage grid;
  if (count <= 0) return grid;
  const std::int64_t per_row = std::min(columns, count);
  const std::int64_t rows = (count + per_row - 1) / per_row;
  grid.width = static_cast<int>(per_row * (width + padding) + padding);
  grid.height = static_cast<int>(rows * (height + padding) + padding);
  grid.pixels.assign(static_cast<std::size_t>(grid.width) * grid.height, 0);

  const std::int64_t total = count * height * width;
  const auto [low, high] = std::minmax_element(images, images + total);
  // torchvision divides by max(high - low, 1e-5).
  const float scale = 1.0f / std::max(*high - *low, 1e-5f);
  for (std::int64_t n = 0; n < count; ++n) {
    const std::int64_t top = (n / per_row) * (height + padding) + padding;
    const std::int64_t left = (n % per_row) * (width + padding) + padding;
    const float* image = images + n * height * width;
    for (std::int64_t y = 0; y < height; ++y) {
      for (std::int64_t x = 0; x < width; ++x) {
        grid.pixels[static_cast<std::size_t>((top + y) * grid.width + left + x)] =
            to_byte((image[y * width + x] - *low) * scale);
      }
    }
  }
  return grid;
}

GrayImage image_row(const std::vector<GrayImage>& images, int gap) {
  GrayImage row;
  if (images.empty()) return row;
  row.height = images.front().height;
  for (const GrayImage& image : images) {
    if (image.height != row.height) throw std::invalid_argument("a row of images needs equal heights");
    row.width += image.width;
  }
  row.width += gap * static_cast<int>(images.size() - 1);
  row.pixels.assign(static_cast<std::size_t>(row.width) * row.height, 0);
  int left = 0;
  for (const GrayImage& image : images) {
    for (int y = 0; y < image.height; ++y) {
      std::copy_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width, image.width,
                  row.pixels.begin() + static_cast<std::ptrdiff_t>(y) * row.width + left);
    }
    left += image.width + gap;
  }
  return row;
}

GrayImage image_from_tanh(const float* image, std::int64_t height, std::int64_t width) {
  GrayImage result;
  result.width = static_cast<int>(width);
  result.height = static_cast<int>(height);
  result.pixels.resize(static_cast<std::size_t>(width * height));
  for (std::int64_t i = 0; i < width * height; ++i) result.pixels[i] = to_byte((image[i] + 1.0f) * 0.5f);
  return result;
}

void write_png(const GrayImage& image, const std::filesystem::path& path, Replace replace) {
  if (image.width <= 0 || image.height <= 0) throw FileError(path.string() + ": cannot write an empty image");
  AtomicFile file(path, replace);
  // libpng's simplified API, as read_png uses: no setjmp, errors come back as a message.
  png_image writer{};
  writer.version = PNG_IMAGE_VERSION;
  writer.width = static_cast<png_uint_32>(image.width);
  writer.height = static_cast<png_uint_32>(image.height);
  writer.format = PNG_FORMAT_GRAY;
  if (!png_image_write_to_stdio(&writer, file.stream(), /*convert_to_8bit=*/0, image.pixels.data(),
                                /*row_stride=*/image.width, /*colormap=*/nullptr)) {
    throw FileError(path.string() + ": PNG encoding failed: " + writer.message);
  }
  file.commit();
}

GrayImage read_png(const std::filesystem::path& path) {
  png_image reader{};
  reader.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&reader, path.c_str())) {
    throw FileError(path.string() + ": cannot read PNG: " + reader.message);
  }
  reader.format = PNG_FORMAT_GRAY;
  GrayImage image;
  image.width = static_cast<int>(reader.width);
  image.height = static_cast<int>(reader.height);
  image.pixels.resize(PNG_IMAGE_SIZE(reader));
  if (!png_image_finish_read(&reader, nullptr, image.pixels.data(), 0, nullptr)) {
    const std::string message = reader.message;
    png_image_free(&reader);
    throw FileError(path.string() + ": cannot decode PNG: " + message);
  }
  return image;
}

}  // namespace gan
