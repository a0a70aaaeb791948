#include "core/io/atomic_file.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gan {
namespace {

std::size_t files_in(const std::filesystem::path& folder) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(folder), {}));
}

TEST(AtomicFile, WritesAndRefusesToOverwrite) {
  test::TempFolder folder;
  write_file_atomically(folder / "a.txt", "one");
  EXPECT_EQ(test::read_text(folder / "a.txt"), "one");
  try {
    write_file_atomically(folder / "a.txt", "two");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos);
  }
  EXPECT_EQ(test::read_text(folder / "a.txt"), "one");
  write_file_atomically(folder / "a.txt", "three", Replace::kAllowed);
  EXPECT_EQ(test::read_text(folder / "a.txt"), "three");
  EXPECT_EQ(files_in(folder.path()), 1u);
}

TEST(AtomicFile, FailureBeforeCommitLeavesTargetUntouched) {
  test::TempFolder folder;
  write_file_atomically(folder / "model.pt", "good", Replace::kAllowed);
  {
    AtomicFile file(folder / "model.pt", Replace::kAllowed);
    std::fputs("half-writ", file.stream());
    // No commit: as if the process failed between write and rename.
  }
  EXPECT_EQ(test::read_text(folder / "model.pt"), "good");
  EXPECT_EQ(files_in(folder.path()), 1u) << "temporary file left behind";
}

TEST(AtomicFile, MissingFolderIsNamed) {
  test::TempFolder folder;
  try {
    write_file_atomically(folder / "no" / "such" / "x.txt", "data");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("x.txt"), std::string::npos);
  }
}

}  // namespace
}  // namespace gan
