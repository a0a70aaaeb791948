// Datasets of 8-bit grayscale images (MNIST, Fashion-MNIST, any folder of IDX files): where they
// live, how they are verified, and how they are loaded. Torch-free: the trainer turns the bytes
// into a tensor on its device.
#pragma once

#include <cstdint>
#include <filesystem>
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
  /// count x rows x cols bytes, row-major, 0 = black.
  std::vector<std::uint8_t> pixels;
  std::vector<std::uint8_t> labels;
  /// Human-readable origin, e.g. "MNIST train (60000 images) from /home/me/.local/share/gan-studio/mnist".
  std::string description;

  std::int64_t image_size() const { return rows * cols; }
};

/// The folder a dataset is read from: `data.path` when set; for MNIST otherwise $GAN_DATA_DIR, then
/// the per-user data folder ($XDG_DATA_HOME or ~/.local/share)/gan-studio/mnist; for Fashion-MNIST
/// Debian's /usr/share/datasets/fashion-mnist.
std::filesystem::path resolve_data_folder(const DataConfig& data);

/// `folder`/`stem`, or else `folder`/`stem`.gz, if either exists.
std::optional<std::filesystem::path> existing_idx_file(const std::filesystem::path& folder, const std::string& stem);

/// Finds `stem` or `stem.gz` in `folder`; throws DataError naming both when neither exists.
std::filesystem::path find_idx_file(const std::filesystem::path& folder, const std::string& stem);

/// Loads one split of the dataset named by `data`. For MNIST and Fashion-MNIST the decompressed
/// contents are checked against the SHA-256 sums of the published files, so a damaged or altered
/// file is refused with its name rather than trained on.
ImageSet load_dataset(const DataConfig& data, Split split = Split::kTrain);

/// SHA-256 of the concatenated `parts` as 64 lowercase hex digits.
std::string sha256_hex(std::initializer_list<const std::vector<std::uint8_t>*> parts);

/// The SHA-256 of the decompressed file `stem` of `dataset`, or "" when none is known.
std::string known_sha256(const std::string& dataset, const std::string& stem);

}  // namespace gan
