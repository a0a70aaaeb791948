#include "test_support.h"

#include <sys/wait.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace gan::test {

TempFolder::TempFolder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "gan-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ignored);
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> bytes = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (auto dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(dim >> shift));
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

std::filesystem::path write_tiny_idx_config(const std::filesystem::path& folder) {
  std::vector<std::uint8_t> pixels(64 * 4 * 4);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 7);
  std::filesystem::create_directories(folder / "data");
  write_bytes(folder / "data" / "train-images-idx3-ubyte", idx_bytes({64, 4, 4}, pixels));
  write_bytes(folder / "data" / "train-labels-idx1-ubyte", idx_bytes({64}, std::vector<std::uint8_t>(64)));
  const auto config = folder / "tiny.yaml";
  std::ofstream(config) << "data: {dataset: idx, path: \"" << (folder / "data").string() << "\"}\n"
                        << "model:\n  latent_dim: 4\n  generator: {hidden: [8]}\n  discriminator: {hidden: [8]}\n"
                        << "train: {epochs: 2, batch_size: 16, device: cpu}\n"
                        << "sampling: {interval: 3, grid: 2}\n";
  return config;
}

ProgramResult run_program(const std::string& program, const std::string& arguments, const std::string& environment) {
  const std::string command = environment + " '" + program + "' " + arguments + " 2>&1";
  ProgramResult result;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

ImageSet tiny_images(std::int64_t count) {
  ImageSet set;
  set.count = count;
  set.rows = 8;
  set.cols = 8;
  std::mt19937 random(42);
  std::uniform_int_distribution<int> byte(0, 255);
  set.pixels.resize(static_cast<std::size_t>(count * 64));
  for (auto& p : set.pixels) p = static_cast<std::uint8_t>(byte(random));
  set.labels.assign(static_cast<std::size_t>(count), 0);
  set.description = "tiny test images";
  return set;
}

Config tiny_config() {
  Config config;
  config.model.latent_dim = 8;
  config.model.generator.hidden = {16, 32};
  config.model.discriminator.hidden = {32, 16};
  config.train.batch_size = 16;
  config.train.epochs = 1000;
  config.train.device = DeviceChoice::kCpu;
  config.sampling.interval = 10;
  config.sampling.grid = 2;
  config.quality.interval = 0;  // the judge has tests of its own (judge_test.cpp)
  return config;
}

Config preset(const std::string& name) {
  return load_config(std::filesystem::path(GAN_PRESETS_DIR_FOR_TESTS) / (name + ".yaml"));
}

}  // namespace gan::test
