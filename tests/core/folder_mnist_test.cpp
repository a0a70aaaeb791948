// Real datasets as picture folders, made here (nothing can be downloaded): MNIST written as PNGs by
// class reads back pixel for pixel; Fashion-MNIST written as colourised JPEGs by class (Debian's
// dataset-fashion-mnist) trains a judge of its own, on the folder's classes, that reads its test
// pictures and scores what a colour conditional DCGAN draws.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/data/dataset.h"
#include "core/data/image_folder.h"
#include "core/io/image.h"
#include "core/judge/judge.h"
#include "core/model/gan.h"
#include "picture_files.h"
#include "test_support.h"

namespace gan {
namespace {

// `set`'s images in `order` (indices), planes as they are.
std::vector<std::uint8_t> pixels_in_order(const ImageSet& set, const std::vector<std::int64_t>& order) {
  std::vector<std::uint8_t> pixels;
  const auto size = static_cast<std::size_t>(set.image_size());
  for (const std::int64_t i : order) {
    pixels.insert(pixels.end(), set.pixels.begin() + static_cast<std::ptrdiff_t>(size * i),
                  set.pixels.begin() + static_cast<std::ptrdiff_t>(size * (i + 1)));
  }
  return pixels;
}

// The indices of `set` grouped by label, in order within each: how a folder by class lists them.
std::vector<std::int64_t> class_order(const ImageSet& set) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(set.count));
  for (std::int64_t i = 0; i < set.count; ++i) order[static_cast<std::size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
    return set.labels[static_cast<std::size_t>(a)] < set.labels[static_cast<std::size_t>(b)];
  });
  return order;
}

std::string file_name(std::int64_t index, const char* extension) {
  char name[32];
  std::snprintf(name, sizeof name, "%05lld.%s", static_cast<long long>(index), extension);
  return name;
}

TEST(MnistAsAFolder, PngsByClassReadBackPixelForPixel) {
  const ImageSet test = load_dataset(DataConfig{}, Split::kTest);
  test::TempFolder folder;
  for (std::int64_t i = 0; i < test.count; ++i) {
    Image image;
    image.width = image.height = 28;
    image.pixels.assign(test.pixels.begin() + i * 784, test.pixels.begin() + (i + 1) * 784);
    const auto label = std::to_string(test.labels[static_cast<std::size_t>(i)]);
    std::filesystem::create_directories(folder / label);
    write_png(image, folder.path() / label / file_name(i, "png"));
  }
  FolderOptions options;
  options.folder = folder.path();
  const FolderImages read = read_image_folder(options);
  EXPECT_TRUE(read.skipped.empty());
  EXPECT_EQ(read.images.count, 10000);
  EXPECT_EQ(read.images.channels, 1);
  EXPECT_EQ(read.images.class_names, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  const std::vector<std::int64_t> order = class_order(test);
  EXPECT_TRUE(read.images.pixels == pixels_in_order(test, order));
  std::vector<std::uint8_t> labels;
  for (const std::int64_t i : order) labels.push_back(test.labels[static_cast<std::size_t>(i)]);
  EXPECT_TRUE(read.images.labels == labels);
  EXPECT_TRUE(read_image_folder(options).from_cache);
}

TEST(FashionAsAColourFolder, TrainsItsOwnJudgeWhichScoresAColourConditionalModel) {
  DataConfig fashion;
  fashion.dataset = "fashion-mnist";
  const ImageSet test = load_dataset(fashion, Split::kTest);
  const std::vector<std::string> names{"t-shirt", "trouser", "pullover", "dress", "coat",
                                       "sandal",  "shirt",   "sneaker",  "bag",   "ankle-boot"};
  test::TempFolder folder;
  // Tinted by the picture's place, not its class: colour must not give the class away.
  const int tints[3][3] = {{100, 60, 30}, {40, 100, 80}, {90, 90, 100}};
  for (std::int64_t i = 0; i < test.count; ++i) {
    test::Picture picture(28, 28, 3);
    const int* tint = tints[i % 3];
    for (int p = 0; p < 784; ++p) {
      const int value = test.pixels[static_cast<std::size_t>(i * 784 + p)];
      for (int c = 0; c < 3; ++c) picture.pixels[static_cast<std::size_t>(p * 3 + c)] = static_cast<std::uint8_t>(value * tint[c] / 100);
    }
    const std::string& name = names[test.labels[static_cast<std::size_t>(i)]];
    std::filesystem::create_directories(folder / name);
    test::write_bytes(folder.path() / name / file_name(i, "jpg"), test::jpeg_bytes(picture, 92));
  }
  DataConfig data;
  data.dataset = "folder";
  data.path = folder.path().string();
  const ImageSet train = load_dataset(data, Split::kTrain);
  ASSERT_EQ(train.channels, 3);
  EXPECT_EQ(train.count, 10000 - 1429);  // every seventh (the 4th, 11th, ... 9998th) held out for the judge's test
  EXPECT_EQ(train.class_names.front(), "ankle-boot");  // classes by folder name

  const std::unique_ptr<Judge> judge = Judge::open(data, 500);
  EXPECT_EQ(judge->channels(), 3);
  EXPECT_EQ(judge->reference().classes, 10);
  // LeNet on 8,571 pictures: well above chance (10 %); on the full 60,000 gray ones it reaches ~90 %.
  EXPECT_GT(judge->reference().test_accuracy, 0.75) << judge->reference().test_accuracy;

  Config config = test::preset("cdcgan");
  config.data = data;
  config.train.device = DeviceChoice::kCpu;
  Gan gan(config, train);
  for (int i = 0; i < 20; ++i) gan.train_step();
  std::vector<std::int64_t> asked;
  const std::vector<Image> drawn = gan.generate(100, std::nullopt, &asked);
  ASSERT_EQ(drawn.front().channels, 3);
  const QualityRecord record = judge->score(tanh_images(drawn), torch::tensor(asked));
  EXPECT_EQ(record.class_histogram.size(), 10u);
  ASSERT_TRUE(record.conditional_accuracy.has_value());
  EXPECT_EQ(record.class_confidence.size(), 10u);
  EXPECT_TRUE(std::isfinite(record.fid) && record.fid > 0);
}

}  // namespace
}  // namespace gan
