#include "core/data/idx_file.h"

#include <gtest/gtest.h>

#include "core/data/dataset.h"
#include "test_support.h"

namespace gan {
namespace {

std::string error_of(const std::filesystem::path& path, int rank) {
  try {
    read_idx(path, rank);
  } catch (const DataError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no DataError for " << path;
  return {};
}

class IdxFileTest : public ::testing::Test {
 protected:
  // Two 2x3 images with bytes 0..11.
  std::vector<std::uint8_t> data_{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  std::vector<std::uint8_t> good_ = test::idx_bytes({2, 2, 3}, data_);
  test::TempFolder folder_;
};

TEST_F(IdxFileTest, ReadsRawFile) {
  test::write_bytes(folder_ / "images", good_);
  const IdxArray array = read_idx(folder_ / "images", 3);
  EXPECT_EQ(array.dims, (std::vector<std::int64_t>{2, 2, 3}));
  EXPECT_EQ(array.data, data_);
}

TEST_F(IdxFileTest, ReadsGzipFile) {
  test::write_gzip(folder_ / "images.gz", good_);
  const IdxArray array = read_idx(folder_ / "images.gz", 3);
  EXPECT_EQ(array.dims, (std::vector<std::int64_t>{2, 2, 3}));
  EXPECT_EQ(array.data, data_);
}

TEST_F(IdxFileTest, RejectsTruncatedFileWithCounts) {
  auto truncated = good_;
  truncated.resize(truncated.size() - 5);
  test::write_bytes(folder_ / "images", truncated);
  const std::string message = error_of(folder_ / "images", 3);
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find("expected 12 bytes"), std::string::npos) << message;
  EXPECT_NE(message.find((folder_ / "images").string()), std::string::npos) << message;
}

TEST_F(IdxFileTest, RejectsTruncatedGzip) {
  test::write_gzip(folder_ / "images.gz", good_);
  auto bytes = test::read_text(folder_ / "images.gz");
  bytes.resize(bytes.size() / 2);
  test::write_bytes(folder_ / "images.gz", std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
  EXPECT_NE(error_of(folder_ / "images.gz", 3).find("images.gz"), std::string::npos);
}

TEST_F(IdxFileTest, RejectsWrongMagic) {
  auto labels = test::idx_bytes({12}, data_);
  test::write_bytes(folder_ / "labels", labels);
  const std::string message = error_of(folder_ / "labels", 3);
  EXPECT_NE(message.find("expected magic number 2051 but found 2049"), std::string::npos) << message;
  auto wrong_type = good_;
  wrong_type[2] = 0x0D;  // float elements
  test::write_bytes(folder_ / "floats", wrong_type);
  EXPECT_NE(error_of(folder_ / "floats", 3).find("magic number"), std::string::npos);
}

TEST_F(IdxFileTest, RejectsExtraBytesAndZeroOrHugeDimensions) {
  auto longer = good_;
  longer.push_back(99);
  test::write_bytes(folder_ / "long", longer);
  EXPECT_NE(error_of(folder_ / "long", 3).find("longer than its header says"), std::string::npos);
  test::write_bytes(folder_ / "zero", test::idx_bytes({0, 2, 3}, {}));
  EXPECT_NE(error_of(folder_ / "zero", 3).find("is zero"), std::string::npos);
  test::write_bytes(folder_ / "huge", test::idx_bytes({0xFFFFFFFF, 0xFFFF, 0xFFFF}, {}));
  EXPECT_NE(error_of(folder_ / "huge", 3).find("implausibly large"), std::string::npos);
  // fuzz_idx's first find: two maximal dimensions overflowed the element count before the check.
  test::write_bytes(folder_ / "overflow", {0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  EXPECT_NE(error_of(folder_ / "overflow", 3).find("implausibly large"), std::string::npos);
  // And its second: a header promising 2 GB over an 8-byte body is a truncation, found before
  // anything near 2 GB is allocated (the fuzzer runs with a 2 GB memory limit).
  test::write_bytes(folder_ / "promise", {0, 0, 8, 1, 0x81, 0x08, 0x01, 0x03, 1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_NE(error_of(folder_ / "promise", 1).find("truncated: expected 2164785411 bytes of data, found 8"),
            std::string::npos)
      << error_of(folder_ / "promise", 1);
}

TEST_F(IdxFileTest, MissingFileIsNamed) {
  EXPECT_NE(error_of(folder_ / "absent", 3).find("absent: file not found"), std::string::npos);
}

TEST_F(IdxFileTest, DatasetFindsRawOrGzipAndChecksLabels) {
  test::write_gzip(folder_ / "train-images-idx3-ubyte.gz", good_);
  test::write_bytes(folder_ / "train-labels-idx1-ubyte", test::idx_bytes({2}, {3, 7}));
  DataConfig data;
  data.dataset = "idx";
  data.path = folder_.path();
  const ImageSet set = load_dataset(data);
  EXPECT_EQ(set.count, 2);
  EXPECT_EQ(set.rows, 2);
  EXPECT_EQ(set.cols, 3);
  EXPECT_EQ(set.labels, (std::vector<std::uint8_t>{3, 7}));

  test::write_bytes(folder_ / "train-labels-idx1-ubyte", test::idx_bytes({3}, {1, 2, 3}));
  try {
    load_dataset(data);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("2 images but 3 labels"), std::string::npos) << e.what();
  }
}

TEST_F(IdxFileTest, AlteredMnistFileFailsItsChecksum) {
  // A well-formed file under MNIST's name whose bytes are not the published ones.
  test::write_bytes(folder_ / "train-images-idx3-ubyte", good_);
  test::write_bytes(folder_ / "train-labels-idx1-ubyte", test::idx_bytes({2}, {3, 7}));
  DataConfig data;
  data.path = folder_.path();
  try {
    load_dataset(data);
    FAIL();
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("train-images-idx3-ubyte: contents do not match the published MNIST file"), std::string::npos)
        << message;
    EXPECT_NE(message.find(known_sha256("mnist", "train-images-idx3-ubyte")), std::string::npos);
  }
}

TEST_F(IdxFileTest, MissingDataFolderSaysHowToFix) {
  DataConfig data;
  data.path = (folder_ / "nowhere").string();
  try {
    load_dataset(data);
    FAIL();
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("nowhere: data folder not found"), std::string::npos) << message;
    EXPECT_NE(message.find("GAN_DATA_DIR"), std::string::npos) << message;
  }
}

TEST(Sha256, KnownVector) {
  const std::vector<std::uint8_t> abc{'a', 'b', 'c'};
  EXPECT_EQ(sha256_hex({&abc}), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace gan
