#include "core/io/image.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gan {
namespace {

TEST(Image, GridLayoutMatchesTorchvision) {
  // 25 images of 28x28 in rows of 5 with padding 2: 5 * 30 + 2 = 152 pixels square.
  std::vector<float> images(25 * 28 * 28, 0.0f);
  const Image grid = make_grid(images.data(), 25, 28, 28, 5);
  EXPECT_EQ(grid.width, 152);
  EXPECT_EQ(grid.height, 152);
  // Seven images in rows of 5: two rows, the second half empty.
  const Image partial = make_grid(images.data(), 7, 28, 28, 5);
  EXPECT_EQ(partial.width, 152);
  EXPECT_EQ(partial.height, 62);
  // Fewer images than a row: the row shrinks.
  EXPECT_EQ(make_grid(images.data(), 3, 28, 28, 5).width, 92);
}

TEST(Image, GridNormalisesOverTheBatchAndPadsBlack) {
  // Two 1x2 images: values -1, 0 | 0.5, 1 -> min-max over both -> 0, 127.5, 191.25, 255.
  const std::vector<float> images{-1.0f, 0.0f, 0.5f, 1.0f};
  const Image grid = make_grid(images.data(), 2, 1, 2, 2, 1);
  ASSERT_EQ(grid.width, 7);
  ASSERT_EQ(grid.height, 3);
  EXPECT_EQ(grid.at(0, 0), 0);  // padding
  EXPECT_EQ(grid.at(1, 1), 0);
  EXPECT_EQ(grid.at(2, 1), 128);  // 0.5 * 255 + 0.5 = 128.0
  EXPECT_EQ(grid.at(3, 1), 0);    // padding between images
  EXPECT_EQ(grid.at(4, 1), 191);
  EXPECT_EQ(grid.at(5, 1), 255);
}

TEST(Image, TanhRangeMapsToBytes) {
  const std::vector<float> image{-1.0f, 0.0f, 1.0f, 2.0f};
  const Image digit = image_from_tanh(image.data(), 2, 2);
  EXPECT_EQ(digit.pixels, (std::vector<std::uint8_t>{0, 128, 255, 255}));
}

TEST(Image, PngRoundTripIsGrayscaleAndExact) {
  test::TempFolder folder;
  Image image;
  image.width = 5;
  image.height = 3;
  for (int i = 0; i < 15; ++i) image.pixels.push_back(static_cast<std::uint8_t>(i * 17));
  write_png(image, folder / "x.png");
  const std::string bytes = test::read_text(folder / "x.png");
  ASSERT_GT(bytes.size(), 26u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_EQ(static_cast<int>(bytes[24]), 8);  // bit depth
  EXPECT_EQ(static_cast<int>(bytes[25]), 0);  // colour type: grayscale
  const Image back = read_png(folder / "x.png");
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.pixels, image.pixels);
  EXPECT_THROW(write_png(image, folder / "x.png"), FileError);
}

TEST(Image, ColourGridsAndImagesInterleaveThePlanes) {
  // One 1x2 RGB image, planar: R = (-1, 1), G = (1, -1), B = (0, 0) -> normalised over all planes.
  const std::vector<float> planes{-1.0f, 1.0f, 1.0f, -1.0f, 0.0f, 0.0f};
  const Image grid = make_grid(planes.data(), 1, 1, 2, 1, /*padding=*/1, /*channels=*/3);
  ASSERT_EQ(grid.channels, 3);
  ASSERT_EQ(grid.width, 4);
  ASSERT_EQ(grid.pixels.size(), 4u * 3 * 3);
  const std::size_t first = (1 * 4 + 1) * 3;  // pixel (1, 1)
  EXPECT_EQ(grid.pixels[first], 0);
  EXPECT_EQ(grid.pixels[first + 1], 255);
  EXPECT_EQ(grid.pixels[first + 2], 128);
  EXPECT_EQ(grid.pixels[first + 3], 255);
  EXPECT_EQ(grid.pixels[first + 4], 0);
  const Image single = image_from_tanh(planes.data(), 1, 2, 3);
  EXPECT_EQ(single.pixels, (std::vector<std::uint8_t>{0, 255, 128, 255, 0, 128}));
  EXPECT_EQ(planar_pixels(single), (std::vector<std::uint8_t>{0, 255, 255, 0, 128, 128}));

  test::TempFolder folder;
  write_png(single, folder / "rgb.png");
  const Image back = read_png(folder / "rgb.png");
  EXPECT_EQ(back.channels, 3);
  EXPECT_EQ(back.pixels, single.pixels);
  EXPECT_EQ(image_row({single, single}, 1).width, 5);
}

TEST(Image, ReadingGarbageIsAnError) {
  test::TempFolder folder;
  test::write_bytes(folder / "bad.png", {1, 2, 3});
  EXPECT_THROW(read_png(folder / "bad.png"), FileError);
}

}  // namespace
}  // namespace gan
