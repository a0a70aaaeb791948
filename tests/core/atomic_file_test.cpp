#include "core/io/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/io/atomic_folder.h"

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


TEST(AtomicFolder, AppearsWholeOnCommitAndNeverBefore) {
  test::TempFolder folder;
  {
    AtomicFolder out(folder / "export");
    out.write("a.txt", "one");
    EXPECT_FALSE(std::filesystem::exists(folder / "export"));
    out.commit();
  }
  EXPECT_EQ(test::read_text(folder / "export" / "a.txt"), "one");
  EXPECT_EQ(files_in(folder.path()), 1u);
  // A folder the user makes: mkdir's mode under their umask, not a temporary folder's 0700.
  struct stat status {};
  ASSERT_EQ(::stat((folder / "export").c_str(), &status), 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(status.st_mode & 0777, 0777 & ~mask);
}

TEST(AtomicFolder, RefusesAnExistingFolderUnlessAskedAndReplacesItWhole) {
  test::TempFolder folder;
  std::filesystem::create_directory(folder / "export");
  write_file_atomically(folder / "export" / "mine.txt", "a user's file");
  try {
    AtomicFolder refused(folder / "export");
    FAIL() << "an existing folder was taken";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
  }
  {
    AtomicFolder out(folder / "export", Replace::kAllowed);
    out.write("a.txt", "new");
    EXPECT_TRUE(std::filesystem::exists(folder / "export" / "mine.txt"));  // until the commit
    out.commit();
  }
  EXPECT_FALSE(std::filesystem::exists(folder / "export" / "mine.txt"));
  EXPECT_EQ(test::read_text(folder / "export" / "a.txt"), "new");
  EXPECT_EQ(files_in(folder.path()), 1u);
}

TEST(AtomicFolder, LeavesNothingWhenNotCommittedOrWhenTheTargetAppearsMeanwhile) {
  test::TempFolder folder;
  {
    AtomicFolder out(folder / "export");
    out.write("a.txt", "one");
  }
  EXPECT_EQ(files_in(folder.path()), 0u);
  {
    AtomicFolder out(folder / "export");
    out.write("a.txt", "one");
    std::filesystem::create_directory(folder / "export");  // someone else's, made meanwhile
    EXPECT_THROW(out.commit(), FileError);
  }
  EXPECT_TRUE(std::filesystem::is_empty(folder / "export"));
  EXPECT_EQ(files_in(folder.path()), 1u);
  write_file_atomically(folder / "file", "x");
  EXPECT_THROW(AtomicFolder(folder / "file", Replace::kAllowed), FileError);  // not a folder
  EXPECT_THROW(AtomicFolder(folder / "missing" / "export"), FileError);      // no parent
}

}  // namespace
}  // namespace gan
