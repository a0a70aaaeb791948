// Datasets of 8-bit images (MNIST, Fashion-MNIST, any folder of IDX files, a folder of PNG and
// JPEG pictures, image_folder.h): where they live, how they are verified, and how they are loaded. Torch-free: the trainer turns the bytes
// into a tensor on its device.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/data/idx_file.h"

namespace gan {

enum class Split { kTrain, kTest };

struct ImageSet {
  std::int64_t count = 0;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  /// 1 (gray) or 3 (RGB).
  std::int64_t channels = 1;
  /// count x channels x rows x cols bytes (planes of row-major pixels, as a tensor's NCHW), 0 = black.
  std::vector<std::uint8_t> pixels;
  std::vector<std::uint8_t> labels;
  /// The classes' names by label, where the data names them (a folder's subfolders); else empty.
  std::vector<std::string> class_names;
  /// Human-readable origin, e.g. "MNIST train (60000 images) from /home/me/.local/share/gan-studio/mnist".
  std::string description;

  /// Bytes per image: channels x rows x cols.
  std::int64_t image_size() const { return channels * rows * cols; }
};

/// The folder a dataset is read from: `data.path` when set; for MNIST otherwise $GAN_DATA_DIR, then
/// the per-user data folder ($XDG_DATA_HOME or ~/.local/share)/gan-studio/mnist; for Fashion-MNIST
/// Debian's /usr/share/datasets/fashion-mnist.
std::filesystem::path resolve_data_folder(const DataConfig& data);

/// `folder`/`stem`, or else `folder`/`stem`.gz, if either exists.
std::optional<std::filesystem::path> existing_idx_file(const std::filesystem::path& folder, const std::string& stem);

/// Finds `stem` or `stem.gz` in `folder`; throws DataError naming both when neither exists.
std::filesystem::path find_idx_file(const std::filesystem::path& folder, const std::string& stem);

/// Reports how far the first read of a picture folder has come (done, total); false cancels it.
using LoadProgress = std::function<bool(std::int64_t done, std::int64_t total)>;

/// Loads one split of the dataset named by `data`. For MNIST and Fashion-MNIST the decompressed
/// contents are checked against the SHA-256 sums of the published files, so a damaged or altered
/// file is refused with its name rather than trained on. A picture folder's split is every
/// seventh picture for the test (in_folder_test_split), the rest for training; `progress` hears of
/// its first read (later reads come from the cache).
ImageSet load_dataset(const DataConfig& data, Split split = Split::kTrain, const LoadProgress& progress = {});

/// SHA-256 of the concatenated `parts` as 64 lowercase hex digits.
std::string sha256_hex(std::initializer_list<const std::vector<std::uint8_t>*> parts);

/// The SHA-256 of the decompressed file `stem` of `dataset`, or "" when none is known.
std::string known_sha256(const std::string& dataset, const std::string& stem);

}  // namespace gan
