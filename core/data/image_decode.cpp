#include "core/data/image_decode.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>

// jpeglib.h wants FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

namespace gan {
namespace {

// Interlaced PNGs and progressive JPEGs arrive in passes over the whole picture, so they cannot be
// folded in row by row; up to this many source pixels they are decoded whole, beyond it refused.
constexpr std::uint64_t kMaxWholePixels = 16'000'000;

std::string dimensions(std::uint64_t width, std::uint64_t height) {
  return std::to_string(width) + " x " + std::to_string(height);
}

// Why an image of this size is refused: empty, or over kMaxSourcePixels.
std::string area_refusal(std::uint64_t width, std::uint64_t height) {
  if (width == 0 || height == 0) return "the image is empty (" + dimensions(width, height) + ")";
  return "the image is " + dimensions(width, height) + " pixels, over the " +
         std::to_string(kMaxSourcePixels / 1'000'000) + "-megapixel limit";
}

// One source row's share of a target pixel along one axis.
struct Tap {
  int target;
  float weight;
};

// The taps of one axis, as a compressed table: source index i gives taps [first[i], first[i+1]).
// The axis of length `length` is cropped to `side` about its centre and `side` maps onto `size`
// target pixels; each weight is the overlap divided by the target pixel's extent, so the weights
// into every target pixel sum to one.
struct AxisTaps {
  std::vector<std::uint32_t> first;
  std::vector<Tap> taps;

  AxisTaps(std::uint32_t length, std::uint32_t side, int size) {
    const std::uint32_t offset = (length - side) / 2;
    const double extent = static_cast<double>(side) / size;  // source pixels per target pixel
    first.assign(static_cast<std::size_t>(length) + 1, 0);
    for (std::uint32_t i = 0; i < length; ++i) {
      first[i] = static_cast<std::uint32_t>(taps.size());
      if (i < offset || i >= offset + side) continue;
      const double low = i - offset, high = low + 1.0;
      const int t0 = static_cast<int>(low / extent);
      for (int t = t0; t < size; ++t) {
        const double overlap = std::min(high, (t + 1) * extent) - std::max(low, t * extent);
        if (overlap <= 0.0) break;
        taps.push_back({t, static_cast<float>(overlap / extent)});
      }
    }
    first[length] = static_cast<std::uint32_t>(taps.size());
  }
};

// Folds rows of 1 to 4 interleaved 8-bit channels (gray, gray+alpha, RGB, RGBA) into size x size
// accumulators of premultiplied colour.
class AreaAccumulator {
 public:
  AreaAccumulator(std::uint32_t width, std::uint32_t height, int size, int source_channels)
      : width_(width),
        size_(size),
        source_channels_(source_channels),
        colours_(source_channels >= 3 ? 3 : 1),
        columns_(width, std::min(width, height), size),
        rows_(height, std::min(width, height), size),
        row_sums_(static_cast<std::size_t>(size) * colours_),
        sums_(static_cast<std::size_t>(size) * size * colours_) {}

  void add_row(std::uint32_t y, const std::uint8_t* row) {
    const std::uint32_t row_begin = rows_.first[y], row_end = rows_.first[y + 1];
    if (row_begin == row_end) return;  // cropped away
    std::fill(row_sums_.begin(), row_sums_.end(), 0.0f);
    const bool alpha = source_channels_ == 2 || source_channels_ == 4;
    for (std::uint32_t x = 0; x < width_; ++x) {
      const std::uint32_t begin = columns_.first[x], end = columns_.first[x + 1];
      if (begin == end) continue;
      const std::uint8_t* pixel = row + static_cast<std::size_t>(x) * source_channels_;
      const float opacity = alpha ? pixel[source_channels_ - 1] / 255.0f : 1.0f;
      for (std::uint32_t k = begin; k < end; ++k) {
        const Tap tap = columns_.taps[k];
        for (int c = 0; c < colours_; ++c) row_sums_[static_cast<std::size_t>(tap.target) * colours_ + c] += tap.weight * opacity * pixel[c];
      }
    }
    for (std::uint32_t k = row_begin; k < row_end; ++k) {
      const Tap tap = rows_.taps[k];
      float* target = sums_.data() + static_cast<std::size_t>(tap.target) * size_ * colours_;
      for (std::size_t i = 0; i < row_sums_.size(); ++i) target[i] += tap.weight * row_sums_[i];
    }
  }

  // The planar result with `channels` channels.
  std::vector<std::uint8_t> finish(int channels) const {
    const std::size_t plane = static_cast<std::size_t>(size_) * size_;
    std::vector<std::uint8_t> out(plane * channels);
    auto byte = [](float value) { return static_cast<std::uint8_t>(std::clamp(std::lround(value), 0L, 255L)); };
    for (std::size_t p = 0; p < plane; ++p) {
      const float* sum = sums_.data() + p * colours_;
      if (channels == 1) {
        out[p] = byte(colours_ == 1 ? sum[0] : 0.299f * sum[0] + 0.587f * sum[1] + 0.114f * sum[2]);
      } else {
        for (int c = 0; c < 3; ++c) out[c * plane + p] = byte(sum[colours_ == 1 ? 0 : c]);
      }
    }
    return out;
  }

 private:
  std::uint32_t width_;
  int size_;
  int source_channels_;
  int colours_;
  AxisTaps columns_;
  AxisTaps rows_;
  std::vector<float> row_sums_;
  std::vector<float> sums_;
};

// Where the encoded bytes come from: a file read as the decoder asks, or memory.
struct ByteSource {
  std::FILE* file = nullptr;
  const std::uint8_t* data = nullptr;
  std::size_t length = 0;
  std::size_t at = 0;
};

// ---- PNG (libpng; errors longjmp back into run_libpng) ----

struct PngFailure {
  char message[256] = "damaged PNG (libpng could not start)";
};

void png_failed(png_structp png, png_const_charp message) {
  auto* failure = static_cast<PngFailure*>(png_get_error_ptr(png));
  std::snprintf(failure->message, sizeof failure->message, "damaged PNG (%s)", message);
  png_longjmp(png, 1);
}

void png_warned(png_structp, png_const_charp) {}  // libpng's warnings are about ancillary chunks

void png_read_bytes(png_structp png, png_bytep out, png_size_t count) {
  auto* source = static_cast<ByteSource*>(png_get_io_ptr(png));
  if (source->file != nullptr) {
    if (std::fread(out, 1, count, source->file) != count) png_error(png, "the file ends early");
  } else {
    if (source->length - source->at < count) png_error(png, "the file ends early");
    std::memcpy(out, source->data + source->at, count);
    source->at += count;
  }
}

// What must outlive a longjmp: built by the caller, before setjmp.
struct PngJob {
  std::unique_ptr<AreaAccumulator> accumulator;
  std::vector<std::uint8_t> row;
  std::vector<std::uint8_t> whole;
  std::vector<png_bytep> row_pointers;
  DecodedImage image;
  std::string refusal;
};

// Returns false with job.refusal set for what is refused: no C++ exception may leave a frame that
// libpng's longjmp could also leave. Not inlined: its strings must stay out of run_libpng's frame,
// which setjmp returns into.
[[gnu::noinline]] bool decode_png_rows(png_structp png, png_infop info, PngJob& job, int size) {
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info);
  const png_uint_32 height = png_get_image_height(png, info);
  const std::uint64_t area = std::uint64_t{width} * height;
  if (area == 0 || area > kMaxSourcePixels) {
    job.refusal = area_refusal(width, height);
    return false;
  }
  if (png_get_interlace_type(png, info) != PNG_INTERLACE_NONE && area > kMaxWholePixels) {
    job.refusal = "an interlaced PNG of " + dimensions(width, height) +
                  " pixels cannot be read row by row (save it without interlacing)";
    return false;
  }
  const int colour_type = png_get_color_type(png, info);
  job.image.source_width = width;
  job.image.source_height = height;
  job.image.colour = (colour_type & PNG_COLOR_MASK_COLOR) != 0;
  png_set_expand(png);  // palette -> RGB, 1/2/4-bit gray -> 8 bits, tRNS -> alpha
  png_set_strip_16(png);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  const std::size_t row_bytes = png_get_rowbytes(png, info);
  job.accumulator = std::make_unique<AreaAccumulator>(width, height, size, channels);
  if (passes == 1) {
    job.row.resize(row_bytes);
    for (png_uint_32 y = 0; y < height; ++y) {
      png_read_row(png, job.row.data(), nullptr);
      job.accumulator->add_row(y, job.row.data());
    }
  } else {
    job.whole.resize(row_bytes * height);
    job.row_pointers.resize(height);
    for (png_uint_32 y = 0; y < height; ++y) job.row_pointers[y] = job.whole.data() + row_bytes * y;
    png_read_image(png, job.row_pointers.data());
    for (png_uint_32 y = 0; y < height; ++y) job.accumulator->add_row(y, job.row_pointers[y]);
  }
  png_read_end(png, nullptr);
  return true;
}

// libpng's calls under setjmp, in a frame that holds no C++ object (a longjmp skips destructors):
// false when libpng failed (`failure` says why) or the picture is refused (`job.refusal`).
bool run_libpng(ByteSource& source, PngFailure& failure, PngJob& job, int size) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &failure, png_failed, png_warned);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, &source, png_read_bytes);
  // Sides up to 2^20 (libpng's default is a million); kMaxSourcePixels bounds the area.
  png_set_user_limits(png, 1u << 20, 1u << 20);
  png_set_chunk_malloc_max(png, 64u << 20);  // a text or ICC chunk, not pixels
  const bool decoded = decode_png_rows(png, info, job, size);
  png_destroy_read_struct(&png, &info, nullptr);
  return decoded;
}

DecodedImage decode_png(ByteSource& source, int size, int channels) {
  PngFailure failure;
  PngJob job;
  if (!run_libpng(source, failure, job, size)) throw DecodeError(job.refusal.empty() ? failure.message : job.refusal);
  job.image.pixels = job.accumulator->finish(channels);
  return std::move(job.image);
}

// ---- JPEG (libjpeg-turbo; errors longjmp back into run_libjpeg) ----

struct JpegFailure {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 32];
};

[[noreturn]] void jpeg_failed(j_common_ptr info) {
  auto* failure = reinterpret_cast<JpegFailure*>(info->err);
  char text[JMSG_LENGTH_MAX];
  (*info->err->format_message)(info, text);
  std::snprintf(failure->message, sizeof failure->message, "damaged JPEG (%s)", text);
  std::longjmp(failure->jump, 1);
}

// libjpeg only warns about a file that ends early or damaged data (and fills the rest with gray);
// those are damaged files here. Stray bytes between markers are common and harmless.
void jpeg_warned(j_common_ptr info, int level) {
  if (level == -1 && info->err->msg_code != JWRN_EXTRANEOUS_DATA) jpeg_failed(info);
}

struct JpegJob {
  std::unique_ptr<AreaAccumulator> accumulator;
  std::vector<std::uint8_t> row;
  DecodedImage image;
  std::string refusal;
};

// The smallest DCT scaling, in eighths, that keeps the shorter side at or above `size`.
unsigned dct_eighths(std::uint64_t shorter, int size) {
  for (unsigned eighths = 1; eighths < 8; ++eighths) {
    if ((shorter * eighths + 7) / 8 >= static_cast<std::uint64_t>(size)) return eighths;
  }
  return 8;
}

// Returns false with job.refusal set for what is refused (no throw between setjmp and longjmp).
// Not inlined, as decode_png_rows.
[[gnu::noinline]] bool decode_jpeg_rows(jpeg_decompress_struct& jpeg, JpegJob& job, int size) {
  jpeg_read_header(&jpeg, TRUE);
  const std::uint64_t width = jpeg.image_width, height = jpeg.image_height;
  if (width == 0 || height == 0 || width * height > kMaxSourcePixels) {
    job.refusal = area_refusal(width, height);
    return false;
  }
  if (jpeg.progressive_mode && width * height > kMaxWholePixels) {
    job.refusal = "a progressive JPEG of " + dimensions(width, height) +
                  " pixels would be held whole to decode (save it as baseline JPEG)";
    return false;
  }
  if (jpeg.jpeg_color_space == JCS_CMYK || jpeg.jpeg_color_space == JCS_YCCK) {
    job.refusal = "CMYK JPEGs are not supported (save it as RGB)";
    return false;
  }
  job.image.source_width = jpeg.image_width;
  job.image.source_height = jpeg.image_height;
  job.image.colour = jpeg.num_components >= 3;
  jpeg.out_color_space = job.image.colour ? JCS_RGB : JCS_GRAYSCALE;
  jpeg.scale_num = dct_eighths(std::min(width, height), size);
  jpeg.scale_denom = 8;
  jpeg_start_decompress(&jpeg);
  const int channels = jpeg.output_components;
  job.accumulator = std::make_unique<AreaAccumulator>(jpeg.output_width, jpeg.output_height, size, channels);
  job.row.resize(static_cast<std::size_t>(jpeg.output_width) * channels);
  while (jpeg.output_scanline < jpeg.output_height) {
    const std::uint32_t y = jpeg.output_scanline;
    JSAMPROW row = job.row.data();
    if (jpeg_read_scanlines(&jpeg, &row, 1) != 1) break;
    job.accumulator->add_row(y, job.row.data());
  }
  jpeg_finish_decompress(&jpeg);
  return true;
}

// libjpeg's calls under setjmp, in a frame that holds no C++ object: false when libjpeg failed
// (`failure` says why) or the picture is refused (`job.refusal`).
bool run_libjpeg(ByteSource& source, JpegFailure& failure, JpegJob& job, int size) {
  jpeg_decompress_struct jpeg{};
  jpeg.err = jpeg_std_error(&failure.manager);
  failure.manager.error_exit = jpeg_failed;
  failure.manager.emit_message = jpeg_warned;
  if (setjmp(failure.jump)) {
    jpeg_destroy_decompress(&jpeg);
    return false;
  }
  jpeg_create_decompress(&jpeg);
  if (source.file != nullptr) {
    jpeg_stdio_src(&jpeg, source.file);
  } else {
    jpeg_mem_src(&jpeg, source.data, static_cast<unsigned long>(source.length));
  }
  const bool decoded = decode_jpeg_rows(jpeg, job, size);
  jpeg_destroy_decompress(&jpeg);
  return decoded;
}

DecodedImage decode_jpeg(ByteSource& source, int size, int channels) {
  JpegFailure failure{};
  JpegJob job;
  if (!run_libjpeg(source, failure, job, size)) throw DecodeError(job.refusal.empty() ? failure.message : job.refusal);
  job.image.pixels = job.accumulator->finish(channels);
  return std::move(job.image);
}

DecodedImage decode(ByteSource& source, ImageFormat format, int size, int channels) {
  if (size < 1 || size > 4096) throw std::invalid_argument("decode_image: size " + std::to_string(size));
  if (channels != 1 && channels != 3) throw std::invalid_argument("decode_image: channels " + std::to_string(channels));
  DecodedImage image;
  switch (format) {
    case ImageFormat::kPng: image = decode_png(source, size, channels); break;
    case ImageFormat::kJpeg: image = decode_jpeg(source, size, channels); break;
    case ImageFormat::kUnknown: throw DecodeError("not a PNG or JPEG file");
  }
  image.size = size;
  image.channels = channels;
  return image;
}

}  // namespace

ImageFormat sniff_image_format(const std::uint8_t* head, std::size_t length) {
  static constexpr std::uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (length >= 8 && std::memcmp(head, kPngSignature, 8) == 0) return ImageFormat::kPng;
  if (length >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff) return ImageFormat::kJpeg;
  return ImageFormat::kUnknown;
}

DecodedImage decode_image(const std::uint8_t* bytes, std::size_t length, int size, int channels) {
  ByteSource source;
  source.data = bytes;
  source.length = length;
  return decode(source, sniff_image_format(bytes, length), size, channels);
}

DecodedImage decode_image_file(const std::filesystem::path& path, int size, int channels) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) throw DecodeError(std::string("cannot be opened (") + std::strerror(errno) + ")");
  std::uint8_t head[8] = {};
  const std::size_t got = std::fread(head, 1, sizeof head, file.get());
  std::rewind(file.get());
  ByteSource source;
  source.file = file.get();
  return decode(source, sniff_image_format(head, got), size, channels);
}

}  // namespace gan
