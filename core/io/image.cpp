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

Image make_grid(const float* images, std::int64_t count, std::int64_t height, std::int64_t width,
                std::int64_t columns, int padding, int channels) {
  Image grid;
  grid.channels = channels;
  if (count <= 0) return grid;
  const std::int64_t per_row = std::min(columns, count);
  const std::int64_t rows = (count + per_row - 1) / per_row;
  grid.width = static_cast<int>(per_row * (width + padding) + padding);
  grid.height = static_cast<int>(rows * (height + padding) + padding);
  grid.pixels.assign(static_cast<std::size_t>(grid.width) * grid.height * channels, 0);

  const std::int64_t plane = height * width;
  const std::int64_t total = count * channels * plane;
  const auto [low, high] = std::minmax_element(images, images + total);
  // torchvision divides by max(high - low, 1e-5), over every channel at once.
  const float scale = 1.0f / std::max(*high - *low, 1e-5f);
  for (std::int64_t n = 0; n < count; ++n) {
    const std::int64_t top = (n / per_row) * (height + padding) + padding;
    const std::int64_t left = (n % per_row) * (width + padding) + padding;
    const float* image = images + n * channels * plane;
    for (int c = 0; c < channels; ++c) {
      for (std::int64_t y = 0; y < height; ++y) {
        for (std::int64_t x = 0; x < width; ++x) {
          grid.pixels[static_cast<std::size_t>(((top + y) * grid.width + left + x) * channels + c)] =
              to_byte((image[c * plane + y * width + x] - *low) * scale);
        }
      }
    }
  }
  return grid;
}

Image image_row(const std::vector<Image>& images, int gap) {
  Image row;
  if (images.empty()) return row;
  row.height = images.front().height;
  row.channels = images.front().channels;
  for (const Image& image : images) {
    if (image.height != row.height || image.channels != row.channels) {
      throw std::invalid_argument("a row of images needs equal heights and channels");
    }
    row.width += image.width;
  }
  row.width += gap * static_cast<int>(images.size() - 1);
  const int c = row.channels;
  row.pixels.assign(static_cast<std::size_t>(row.width) * row.height * c, 0);
  int left = 0;
  for (const Image& image : images) {
    for (int y = 0; y < image.height; ++y) {
      std::copy_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width * c, image.width * c,
                  row.pixels.begin() + (static_cast<std::ptrdiff_t>(y) * row.width + left) * c);
    }
    left += image.width + gap;
  }
  return row;
}

Image image_from_tanh(const float* image, std::int64_t height, std::int64_t width, int channels) {
  Image result;
  result.width = static_cast<int>(width);
  result.height = static_cast<int>(height);
  result.channels = channels;
  const std::int64_t plane = width * height;
  result.pixels.resize(static_cast<std::size_t>(plane * channels));
  for (int c = 0; c < channels; ++c) {
    for (std::int64_t i = 0; i < plane; ++i) {
      result.pixels[static_cast<std::size_t>(i * channels + c)] = to_byte((image[c * plane + i] + 1.0f) * 0.5f);
    }
  }
  return result;
}

std::vector<std::uint8_t> planar_pixels(const Image& image) {
  const std::size_t plane = static_cast<std::size_t>(image.width) * image.height;
  std::vector<std::uint8_t> planes(plane * image.channels);
  for (int c = 0; c < image.channels; ++c) {
    for (std::size_t i = 0; i < plane; ++i) planes[c * plane + i] = image.pixels[i * image.channels + c];
  }
  return planes;
}

void write_png(const Image& image, const std::filesystem::path& path, Replace replace) {
  if (image.width <= 0 || image.height <= 0) throw FileError(path.string() + ": cannot write an empty image");
  AtomicFile file(path, replace);
  // libpng's simplified API, as read_png uses: no setjmp, errors come back as a message.
  png_image writer{};
  writer.version = PNG_IMAGE_VERSION;
  writer.width = static_cast<png_uint_32>(image.width);
  writer.height = static_cast<png_uint_32>(image.height);
  writer.format = image.channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  if (!png_image_write_to_stdio(&writer, file.stream(), /*convert_to_8bit=*/0, image.pixels.data(),
                                /*row_stride=*/image.width * image.channels, /*colormap=*/nullptr)) {
    throw FileError(path.string() + ": PNG encoding failed: " + writer.message);
  }
  file.commit();
}

Image read_png(const std::filesystem::path& path) {
  png_image reader{};
  reader.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&reader, path.c_str())) {
    throw FileError(path.string() + ": cannot read PNG: " + reader.message);
  }
  // As stored: gray stays gray, colour (and palette) comes as RGB; alpha is composited onto black.
  const bool colour = (reader.format & PNG_FORMAT_FLAG_COLOR) != 0;
  reader.format = colour ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  Image image;
  image.width = static_cast<int>(reader.width);
  image.height = static_cast<int>(reader.height);
  image.channels = colour ? 3 : 1;
  image.pixels.resize(PNG_IMAGE_SIZE(reader));
  const png_color black{0, 0, 0};
  if (!png_image_finish_read(&reader, &black, image.pixels.data(), 0, nullptr)) {
    const std::string message = reader.message;
    png_image_free(&reader);
    throw FileError(path.string() + ": cannot decode PNG: " + message);
  }
  return image;
}

}  // namespace gan
