// Picture folders: decoding PNG and JPEG to training images (area averaging, centre crop, colour,
// transparency, damaged files, a 20000 x 20000 picture), folders as datasets (classes, skipped
// files, links, the cache and its invalidation, cancelling) and their train/test split.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "core/config/config.h"
#include "core/data/image_decode.h"
#include "core/data/image_folder.h"
#include "tests/core/picture_files.h"
#include "tests/core/test_support.h"

namespace gan {
namespace {

using test::Picture;

Picture gray(int width, int height, std::uint8_t value) { return Picture(width, height, 1, value); }

TEST(ImageDecode, ShrinksByAreaAveraging) {
  Picture picture(4, 4, 1);
  // Four 2x2 blocks: 0/40, 100/120, 200/200, 10/30 -> means 20, 110, 200, 20.
  const std::uint8_t values[16] = {0, 40, 100, 120, 40, 0, 120, 100, 200, 200, 10, 30, 200, 200, 30, 10};
  std::copy(values, values + 16, picture.pixels.begin());
  const std::vector<std::uint8_t> png = test::png_bytes(picture);
  const DecodedImage image = decode_image(png.data(), png.size(), 2, 1);
  EXPECT_EQ(image.source_width, 4u);
  EXPECT_FALSE(image.colour);
  EXPECT_EQ(image.pixels, (std::vector<std::uint8_t>{20, 110, 200, 20}));
}

TEST(ImageDecode, CropsTheLongerSideAboutItsCentre) {
  Picture picture(6, 2, 1);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 6; ++x) picture.pixels[static_cast<std::size_t>(y * 6 + x)] = static_cast<std::uint8_t>(x * 10);
  }
  const std::vector<std::uint8_t> png = test::png_bytes(picture);
  // The shorter side (2) becomes the size; columns 2 and 3 remain.
  EXPECT_EQ(decode_image(png.data(), png.size(), 2, 1).pixels, (std::vector<std::uint8_t>{20, 30, 20, 30}));
}

TEST(ImageDecode, EnlargesASmallPictureBlockwise) {
  Picture picture(2, 2, 1);
  picture.pixels = {0, 100, 200, 50};
  const std::vector<std::uint8_t> png = test::png_bytes(picture);
  const DecodedImage image = decode_image(png.data(), png.size(), 4, 1);
  EXPECT_EQ(image.pixels, (std::vector<std::uint8_t>{0, 0, 100, 100, 0, 0, 100, 100, 200, 200, 50, 50, 200, 200, 50, 50}));
}

TEST(ImageDecode, ColourIsPlanarAndBecomesGrayByLuma) {
  Picture red(3, 3, 3);
  for (std::size_t p = 0; p < 9; ++p) red.pixels[p * 3] = 255;
  const std::vector<std::uint8_t> png = test::png_bytes(red);
  const DecodedImage colour = decode_image(png.data(), png.size(), 3, 3);
  EXPECT_TRUE(colour.colour);
  ASSERT_EQ(colour.pixels.size(), 27u);
  EXPECT_EQ(colour.pixels[0], 255);   // R plane
  EXPECT_EQ(colour.pixels[9], 0);     // G plane
  EXPECT_EQ(colour.pixels[18], 0);    // B plane
  EXPECT_EQ(decode_image(png.data(), png.size(), 3, 1).pixels[4], 76);  // 0.299 x 255
  const std::vector<std::uint8_t> gray_png = test::png_bytes(gray(3, 3, 90));
  const DecodedImage spread = decode_image(gray_png.data(), gray_png.size(), 3, 3);
  EXPECT_FALSE(spread.colour);
  EXPECT_EQ(spread.pixels, std::vector<std::uint8_t>(27, 90));
}

TEST(ImageDecode, TransparencyFallsOnBlack) {
  Picture picture(2, 2, 4);
  picture.pixels = {255, 255, 255, 0, 200, 100, 50, 255, 255, 255, 255, 0, 200, 100, 50, 255};
  const std::vector<std::uint8_t> png = test::png_bytes(picture);
  EXPECT_EQ(decode_image(png.data(), png.size(), 1, 3).pixels, (std::vector<std::uint8_t>{100, 50, 25}));
}

TEST(ImageDecode, ReadsJpegsInGrayAndColour) {
  Picture picture(64, 48, 3);
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) {
      std::uint8_t* pixel = &picture.pixels[static_cast<std::size_t>((y * 64 + x) * 3)];
      pixel[0] = static_cast<std::uint8_t>(x * 4);
      pixel[1] = 128;
      pixel[2] = static_cast<std::uint8_t>(255 - y * 5);
    }
  }
  const std::vector<std::uint8_t> jpeg = test::jpeg_bytes(picture, 95);
  const DecodedImage image = decode_image(jpeg.data(), jpeg.size(), 8, 3);
  EXPECT_TRUE(image.colour);
  EXPECT_EQ(image.source_width, 64u);
  EXPECT_EQ(image.source_height, 48u);
  // The crop keeps columns 8..55; the target's first column averages x = 8..13 (R about 42).
  EXPECT_NEAR(image.pixels[0], 42, 4);
  EXPECT_NEAR(image.pixels[64], 128, 4);
  const std::vector<std::uint8_t> gray_jpeg = test::jpeg_bytes(gray(16, 16, 170), 95);
  const DecodedImage plain = decode_image(gray_jpeg.data(), gray_jpeg.size(), 4, 1);
  EXPECT_FALSE(plain.colour);
  for (const std::uint8_t value : plain.pixels) EXPECT_NEAR(value, 170, 2);
}

TEST(ImageDecode, RefusesDamagedAndForeignFilesSayingWhy) {
  const std::vector<std::uint8_t> png = test::png_bytes(gray(32, 32, 7));
  const std::vector<std::uint8_t> cut(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(png.size() / 2));
  try {
    decode_image(cut.data(), cut.size(), 8, 1);
    FAIL() << "a truncated PNG decoded";
  } catch (const DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged PNG"), std::string::npos) << e.what();
  }
  Picture noisy(64, 64, 3);
  for (std::size_t i = 0; i < noisy.pixels.size(); ++i) noisy.pixels[i] = static_cast<std::uint8_t>(i * 7919 % 251);
  const std::vector<std::uint8_t> jpeg = test::jpeg_bytes(noisy, 90);
  const std::vector<std::uint8_t> cut_jpeg(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() / 2));
  try {
    decode_image(cut_jpeg.data(), cut_jpeg.size(), 8, 3);
    FAIL() << "a truncated JPEG decoded";
  } catch (const DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged JPEG"), std::string::npos) << e.what();
  }
  const std::string text = "label,file\n";
  EXPECT_THROW(decode_image(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), 8, 1), DecodeError);
  EXPECT_THROW(decode_image(nullptr, 0, 8, 1), DecodeError);
}

TEST(ImageDecode, BringsA20000PixelSquareDownRowByRow) {
  test::TempFolder folder;
  const auto path = folder / "huge.png";
  // 400 megapixels: a left half at 0 and a right half at 200, written a row at a time.
  test::write_large_png(path, 20000, 20000, [](int x, int) { return x < 10000 ? 0 : 200; });
  const DecodedImage image = decode_image_file(path, 4, 1);
  EXPECT_EQ(image.source_width, 20000u);
  EXPECT_EQ(image.pixels, (std::vector<std::uint8_t>{0, 0, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200}));
}

// ---- Folders ----

void write(const std::filesystem::path& path, const Picture& picture) {
  std::filesystem::create_directories(path.parent_path());
  test::write_bytes(path, path.extension() == ".jpg" ? test::jpeg_bytes(picture, 95) : test::png_bytes(picture));
}

TEST(ImageFolder, SubfoldersAreClassesAndStrayFilesAreListed) {
  test::TempFolder folder;
  write(folder / "cats/a.png", gray(10, 10, 10));
  write(folder / "cats/deeper/b.jpg", gray(12, 8, 20));
  write(folder / "dogs/c.png", gray(5, 5, 30));
  write(folder / "stray.png", gray(5, 5, 40));
  test::write_bytes(folder / "dogs/notes.txt", {'h', 'i'});
  test::write_bytes(folder / "dogs/cut.png", {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
  test::write_bytes(folder / "dogs/.hidden.png", {});
  std::filesystem::create_directories(folder / "empty-class");
  std::filesystem::create_directory_symlink(folder.path(), folder / "cats/loop");
  std::filesystem::create_symlink(folder / "nowhere.png", folder / "dogs/broken.png");
  ASSERT_EQ(::mkfifo((folder / "dogs/pipe").c_str(), 0600), 0);

  FolderOptions options;
  options.folder = folder.path();
  options.size = 4;
  const FolderImages read = read_image_folder(options);
  const ImageSet& set = read.images;
  EXPECT_EQ(set.count, 3);
  EXPECT_EQ(set.channels, 1);  // no picture in colour
  EXPECT_EQ(set.class_names, (std::vector<std::string>{"cats", "dogs"}));  // the empty class is dropped
  EXPECT_EQ(set.labels, (std::vector<std::uint8_t>{0, 0, 1}));
  EXPECT_EQ(set.pixels[0], 10);
  EXPECT_NEAR(set.pixels[16], 20, 2);
  EXPECT_EQ(set.pixels[32], 30);
  std::map<std::string, std::string> skipped;
  for (const SkippedFile& file : read.skipped) skipped[file.path] = file.reason;
  EXPECT_EQ(skipped.size(), 6u) << skipped_summary(read.skipped, 10);
  EXPECT_NE(skipped["stray.png"].find("outside the class folders"), std::string::npos);
  EXPECT_NE(skipped["dogs/notes.txt"].find("not a PNG or JPEG"), std::string::npos);
  EXPECT_NE(skipped["dogs/cut.png"].find("damaged PNG"), std::string::npos);
  EXPECT_NE(skipped["cats/loop"].find("not followed"), std::string::npos);
  EXPECT_NE(skipped["dogs/broken.png"].find("broken link"), std::string::npos);
  EXPECT_NE(skipped["dogs/pipe"].find("not a regular file"), std::string::npos);
  EXPECT_NE(skipped_summary(read.skipped).find("6 files skipped: "), std::string::npos);
}

TEST(ImageFolder, ColourWhenAnyPictureIsInColourUnlessToldOtherwise) {
  test::TempFolder folder;
  write(folder / "a.png", gray(8, 8, 50));
  Picture blue(8, 8, 3);
  for (std::size_t p = 0; p < 64; ++p) blue.pixels[p * 3 + 2] = 200;
  write(folder / "b.png", blue);
  FolderOptions options;
  options.folder = folder.path();
  options.size = 8;
  const ImageSet colour = read_image_folder(options).images;
  EXPECT_EQ(colour.channels, 3);
  EXPECT_TRUE(colour.labels.empty());
  EXPECT_EQ(colour.pixels[0], 50);              // gray picture, R plane
  EXPECT_EQ(colour.pixels[128], 50);            // ... B plane
  EXPECT_EQ(colour.pixels[192 + 128], 200);     // blue picture, B plane
  options.channels = 1;
  const ImageSet gray_set = read_image_folder(options).images;
  EXPECT_EQ(gray_set.channels, 1);
  EXPECT_EQ(gray_set.pixels[64], 23);  // 0.114 x 200
}

TEST(ImageFolder, ASecondReadComesFromTheCacheUntilAFileChanges) {
  test::TempFolder folder;
  for (int i = 0; i < 5; ++i) write(folder / ("p" + std::to_string(i) + ".png"), gray(6, 6, static_cast<std::uint8_t>(i * 20)));
  FolderOptions options;
  options.folder = folder.path();
  options.size = 6;
  const FolderImages first = read_image_folder(options);
  EXPECT_FALSE(first.from_cache);
  EXPECT_EQ(first.not_cached, "");
  const FolderImages second = read_image_folder(options);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.images.pixels, first.images.pixels);
  EXPECT_EQ(second.images.count, 5);

  // Another size is another cache entry; writing it deletes entries unused for over 30 days.
  const auto stale = folder_cache_folder() / "stale.images";
  const auto recent = folder_cache_folder() / "recent.images";
  test::write_bytes(stale, {1});
  test::write_bytes(recent, {2});
  std::filesystem::last_write_time(stale, std::filesystem::file_time_type::clock::now() - std::chrono::hours(24 * 40));
  options.size = 3;
  EXPECT_FALSE(read_image_folder(options).from_cache);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(recent));
  std::filesystem::remove(recent);
  // A changed file makes the folder new.
  options.size = 6;
  write(folder / "p2.png", gray(6, 6, 255));
  std::filesystem::last_write_time(folder / "p2.png", std::filesystem::last_write_time(folder / "p2.png") + std::chrono::seconds(5));
  const FolderImages changed = read_image_folder(options);
  EXPECT_FALSE(changed.from_cache);
  EXPECT_EQ(changed.images.pixels[2 * 36], 255);

  // A damaged cache file is made again, not trusted.
  for (const auto& entry : std::filesystem::directory_iterator(folder_cache_folder())) {
    std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x55');
  }
  const FolderImages remade = read_image_folder(options);
  EXPECT_FALSE(remade.from_cache);
  EXPECT_EQ(remade.images.pixels, changed.images.pixels);
}

TEST(ImageFolder, CancellingLeavesNoCache) {
  test::TempFolder folder;
  for (int i = 0; i < 40; ++i) write(folder / ("p" + std::to_string(i) + ".png"), gray(30, 30, 9));
  FolderOptions options;
  options.folder = folder.path();
  options.size = 5;
  options.channels = 1;
  EXPECT_THROW(read_image_folder(options, [](const FolderProgress&) { return false; }), FolderCancelled);
  std::int64_t last_done = -1, total = 0;
  const FolderImages read = read_image_folder(options, [&](const FolderProgress& progress) {
    last_done = progress.done;
    total = progress.total;
    return true;
  });
  EXPECT_FALSE(read.from_cache);  // the cancelled read wrote nothing
  EXPECT_EQ(last_done, 40);
  EXPECT_EQ(total, 40);
}

// Cancel is heard while a folder is listed, not only while it is decoded: a folder of many
// thousand pictures takes seconds to list on a cold disk, with the folder dialog's Cancel pressed.
TEST(ImageFolder, ACancelIsHeardWhileTheFolderIsListed) {
  test::TempFolder folder;
  for (int i = 0; i < 600; ++i) write(folder / ("p" + std::to_string(i) + ".png"), gray(2, 2, 9));
  FolderOptions options;
  options.folder = folder.path();
  options.size = 2;
  std::vector<FolderProgress> asked;
  const auto cancel = [&](const FolderProgress& progress) {
    asked.push_back(progress);
    return false;
  };
  EXPECT_THROW(read_image_folder(options, cancel), FolderCancelled);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked.front().total, 0);  // before the pictures were counted: while listing
  asked.clear();
  EXPECT_THROW(image_folder_cached(options, cancel), FolderCancelled);
  EXPECT_EQ(asked.size(), 1u);
  EXPECT_FALSE(image_folder_cached(options));  // nothing was cached meanwhile
}

TEST(ImageFolder, RefusesWhatHoldsNoPictureNamingTheFolder) {
  test::TempFolder folder;
  FolderOptions options;
  options.folder = folder.path();
  try {
    read_image_folder(options);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("(the folder is empty)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(folder.path().string()), std::string::npos);
  }
  test::write_bytes(folder / "readme.txt", {'x'});
  try {
    read_image_folder(options);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("readme.txt (not a PNG or JPEG file)"), std::string::npos) << e.what();
  }
  options.folder = folder / "absent";
  EXPECT_THROW(read_image_folder(options), DataError);
  options.folder = folder / "readme.txt";
  EXPECT_THROW(read_image_folder(options), DataError);
}

TEST(ImageFolder, AFolderThatChangesWhileReadIsUsedButNotCached) {
  test::TempFolder folder;
  for (int i = 0; i < 6; ++i) write(folder / ("p" + std::to_string(i) + ".png"), gray(6, 6, 40));
  FolderOptions options;
  options.folder = folder.path();
  options.size = 6;
  bool added = false;
  const FolderImages read = read_image_folder(options, [&](const FolderProgress&) {
    if (!added) write(folder / "late.png", gray(6, 6, 80));  // another program adds a picture meanwhile
    added = true;
    return true;
  });
  EXPECT_EQ(read.images.count, 6);
  EXPECT_EQ(read.not_cached, "the folder changed while it was read");
  const FolderImages again = read_image_folder(options);
  EXPECT_FALSE(again.from_cache);
  EXPECT_EQ(again.images.count, 7);
}

TEST(ImageFolder, UnreadableFilesAndFoldersAreSkippedSayingSo) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads whatever its permissions say (run as a user to check this)";
  test::TempFolder folder;
  write(folder / "a/ok.png", gray(6, 6, 40));
  write(folder / "a/locked.png", gray(6, 6, 40));
  write(folder / "b/inside.png", gray(6, 6, 40));
  std::filesystem::permissions(folder / "a/locked.png", std::filesystem::perms::none);
  std::filesystem::permissions(folder / "b", std::filesystem::perms::none);
  FolderOptions options;
  options.folder = folder.path();
  options.size = 6;
  const FolderImages read = read_image_folder(options);
  std::filesystem::permissions(folder / "b", std::filesystem::perms::owner_all);
  EXPECT_EQ(read.images.count, 1);
  std::map<std::string, std::string> skipped;
  for (const SkippedFile& file : read.skipped) skipped[file.path] = file.reason;
  EXPECT_NE(skipped["a/locked.png"].find("cannot be opened"), std::string::npos) << skipped_summary(read.skipped, 5);
  EXPECT_NE(skipped["b"].find("cannot be read"), std::string::npos) << skipped_summary(read.skipped, 5);
}

TEST(ImageFolder, ASinglePictureLeavesNoTestSplitAndSaysSo) {
  test::TempFolder folder;
  write(folder / "only.jpg", gray(40, 30, 90));
  DataConfig data;
  data.dataset = "folder";
  data.path = folder.path().string();
  data.size = 8;
  EXPECT_EQ(load_dataset(data, Split::kTrain).count, 1);
  try {
    load_dataset(data, Split::kTest);
    FAIL() << "a test split from one picture";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("1 picture leaves none for the test split"), std::string::npos) << e.what();
  }
}

TEST(ImageFolder, EverySeventhPictureIsTheTestSplit) {
  test::TempFolder folder;
  for (int i = 0; i < 15; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%02d.png", i);
    write(folder / name, gray(4, 4, static_cast<std::uint8_t>(i)));
  }
  DataConfig data;
  data.dataset = "folder";
  data.path = folder.path().string();
  data.size = 4;
  const ImageSet train = load_dataset(data, Split::kTrain);
  const ImageSet test = load_dataset(data, Split::kTest);
  EXPECT_EQ(train.count, 13);
  ASSERT_EQ(test.count, 2);
  EXPECT_EQ(test.pixels[0], 3);
  EXPECT_EQ(test.pixels[16], 10);
  EXPECT_NE(train.description.find("13 pictures"), std::string::npos) << train.description;
  EXPECT_NE(train.description.find("4 x 4 gray"), std::string::npos) << train.description;
}

TEST(ImageFolder, ConfigNamesTheFolderAndChannels) {
  // A folder preset names no folder: the config is fine, loading says what is missing.
  const Config unnamed = parse_config("data: {dataset: folder}\n", {}, "x.yaml");
  try {
    load_dataset(unnamed.data);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("data.path"), std::string::npos) << e.what();
  }
  try {
    parse_config("data: {dataset: folder, path: /tmp, channels: 2}\n", {}, "x.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("data.channels"), std::string::npos) << e.what();
  }
  const Config config = parse_config("data: {dataset: folder, path: /pictures, size: 64, channels: 3}\n", {}, "x.yaml");
  EXPECT_EQ(config.data.size, 64);
  EXPECT_EQ(config.data.channels, 3);
}

}  // namespace
}  // namespace gan
