// Helpers shared by the core tests: temporary folders, IDX fixtures, small synthetic datasets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/data/dataset.h"

namespace gan::test {

/// A fresh empty folder under the system's temp folder, removed when the object goes.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// The bytes of an unsigned-byte IDX file with the given dimensions and data.
std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data);
void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);
void write_gzip(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);
std::string read_text(const std::filesystem::path& path);

/// A tiny IDX dataset (64 images of 4x4) in `folder`/data and `folder`/tiny.yaml, a config that
/// trains on it in milliseconds (2 epochs of 4 steps, a sample grid every 3): for the programs'
/// tests, which need no MNIST. Returns the config's path.
std::filesystem::path write_tiny_idx_config(const std::filesystem::path& folder);

/// A program's exit code and its stdout and stderr together.
struct ProgramResult {
  int exit_code = -1;
  std::string output;
};
/// Runs `program arguments` through the shell, with `environment` ("NAME=value ...") before it.
ProgramResult run_program(const std::string& program, const std::string& arguments, const std::string& environment = "");

/// `count` random 8x8 images (fixed seed): enough to train a tiny GAN in milliseconds.
ImageSet tiny_images(std::int64_t count = 256);

/// A config for tiny_images(): small layers, CPU, batch 16, no sample-quality evaluations.
Config tiny_config();

/// A preset from resources/presets.
Config preset(const std::string& name);

}  // namespace gan::test
