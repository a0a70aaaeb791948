// A full disk (and a folder that cannot be written) while saving: the save fails with a message
// naming the file, and what was there before — a checkpoint, an export — is untouched. The full
// disk is a file-size limit (RLIMIT_FSIZE) in a child process: writes past it fail with EFBIG,
// as they would with ENOSPC, without needing a small file system.
#include <gtest/gtest.h>

#include "core/io/atomic_file.h"
#include "core/io/image.h"
#include "core/model/checkpoint.h"
#include "core/model/gan.h"
#include "test_support.h"
#include "tests/support/file_size_limit.h"

namespace gan {
namespace {

using test::with_file_size_limit;

std::size_t files_in(const std::filesystem::path& folder) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

TEST(DiskFull, ACheckpointThatCannotBeWrittenLeavesTheOldOneIntact) {
  test::TempFolder folder;
  Config config = test::tiny_config();
  config.model.generator.hidden = {256, 256};  // a checkpoint of about 2 MB
  Gan gan(config, test::tiny_images());
  gan.train_step();
  const auto path = checkpoint_path(folder.path(), 1);
  std::filesystem::create_directories(path.parent_path());
  gan.save_checkpoint(path);
  const std::string before = test::read_text(path);
  ASSERT_GT(before.size(), 1000000u);

  gan.train_step();
  const int code = with_file_size_limit(64 * 1024, [&] {
    try {
      gan.save_checkpoint(path);  // over the old one, which a failed save must not touch
      return 1;
    } catch (const FileError& e) {
      return std::string(e.what()).find(path.string()) != std::string::npos ? 0 : 2;
    }
  });
  EXPECT_EQ(code, 0);
  EXPECT_EQ(test::read_text(path), before);
  EXPECT_EQ(files_in(path.parent_path()), 1u) << "a temporary file was left behind";
  EXPECT_EQ(read_checkpoint_info(path).step, 1);
}

TEST(DiskFull, AnExportThatCannotBeWrittenLeavesTheOldFileIntact) {
  test::TempFolder folder;
  Image small{4, 4, 1, std::vector<std::uint8_t>(16, 7)};
  write_png(small, folder / "grid.png");
  const std::string before = test::read_text(folder / "grid.png");
  Image big{2000, 2000, 1, std::vector<std::uint8_t>(4000000)};
  for (std::size_t i = 0; i < big.pixels.size(); ++i) big.pixels[i] = static_cast<std::uint8_t>(i * 2654435761u >> 24);
  const int code = with_file_size_limit(16 * 1024, [&] {
    try {
      write_png(big, folder / "grid.png", Replace::kAllowed);
      return 1;
    } catch (const FileError&) {
      return 0;
    }
  });
  EXPECT_EQ(code, 0);
  EXPECT_EQ(test::read_text(folder / "grid.png"), before);
  EXPECT_EQ(files_in(folder.path()), 1u);
}

TEST(DiskFull, AFolderThatCannotBeWrittenIsNamed) {
  // /proc refuses new files even to root, unlike a folder without write permission.
  try {
    write_file_atomically("/proc/gan-studio-test/config.yaml", "x");
    FAIL() << "expected a FileError";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/gan-studio-test/config.yaml"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gan
