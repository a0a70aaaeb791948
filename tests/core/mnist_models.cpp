#include "mnist_models.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <stdexcept>

#include "core/data/dataset.h"
#include "core/io/image.h"
#include "core/model/gan.h"

namespace gan::test {
namespace {

const std::filesystem::path kModels = GAN_MNIST_MODELS_DIR;

// MNIST digits in colour, a colour per digit, as a folder of class folders of PNGs: the RGB model's data.
std::filesystem::path colour_digits() {
  const std::filesystem::path folder = kModels / "colour-digits";
  if (std::filesystem::exists(folder / "done")) return folder;
  const ImageSet mnist = load_dataset(DataConfig{});
  const std::uint8_t palette[10][3] = {{255, 80, 80}, {80, 255, 80}, {80, 80, 255}, {255, 255, 80}, {255, 80, 255},
                                       {80, 255, 255}, {255, 160, 40}, {160, 40, 255}, {40, 160, 255}, {200, 200, 200}};
  for (std::int64_t i = 0; i < 2000; ++i) {
    const int label = mnist.labels[static_cast<std::size_t>(i)];
    Image image{28, 28, 3, std::vector<std::uint8_t>(28 * 28 * 3)};
    for (int p = 0; p < 28 * 28; ++p) {
      const int value = mnist.pixels[static_cast<std::size_t>(i * 784 + p)];
      for (int c = 0; c < 3; ++c) image.pixels[static_cast<std::size_t>(p * 3 + c)] = static_cast<std::uint8_t>(value * palette[label][c] / 255);
    }
    const std::filesystem::path file = folder / std::to_string(label) / (std::to_string(i) + ".png");
    std::filesystem::create_directories(file.parent_path());
    if (!std::filesystem::exists(file)) write_png(image, file);
  }
  std::ofstream(folder / "done") << "ok\n";
  return folder;
}

}  // namespace

void PrintTo(const MnistModel& model, std::ostream* out) { *out << model.name; }

const std::vector<MnistModel>& mnist_models() {
  // Each family and loss as its preset trains it. The steps are the larger of what the two users
  // asked for before they shared: the round trips' judge must read the digits, and VariantsOnMnist's
  // FID must fall by a quarter.
  static const std::vector<MnistModel> all{
      {"mlp", "laptop", {}, 2000},
      {"mlp_conditional", "cgan", {}, 3000},
      {"dcgan", "dcgan", {}, 800},
      {"dcgan_conditional", "cdcgan", {}, 1500},
      {"dcgan_rgb_conditional", "dcgan-32-rgb", {"model.conditional=true"}, 200, /*colour=*/true},
      {"lsgan", "lsgan", {}, 600},
      {"hinge", "hinge", {}, 800},
      {"wgan_gp", "wgan-gp", {}, 400},
  };
  return all;
}

const MnistModel& mnist_model(const std::string& name) {
  for (const MnistModel& model : mnist_models()) {
    if (name == model.name) return model;
  }
  throw std::out_of_range("no shared MNIST model is named " + name + " (tests/core/mnist_models.cpp)");
}

std::filesystem::path checkpoint_of(const MnistModel& model) { return kModels / (std::string(model.name) + ".pt"); }

Config config_of(const MnistModel& model) {
  std::vector<std::string> overrides = model.overrides;
  if (model.colour) overrides.push_back("data.path=" + colour_digits().string());
  Config config = load_config(std::filesystem::path(GAN_PRESETS_DIR_FOR_TESTS) / (std::string(model.preset) + ".yaml"),
                              overrides);
  config.train.device = DeviceChoice::kCpu;
  config.quality.interval = 0;
  return config;
}

void train_missing_mnist_models() {
  std::filesystem::create_directories(kModels);
  for (const MnistModel& model : mnist_models()) {
    if (std::filesystem::exists(checkpoint_of(model))) continue;
    const Config config = config_of(model);
    Gan gan(config, load_dataset(config.data));
    for (int i = 0; i < model.steps; ++i) gan.train_step();
    gan.save_checkpoint(checkpoint_of(model));  // atomic: a fixture stopped halfway trains it again
    std::printf("%s: %d steps of %s\n", model.name, model.steps, model.preset);
  }
}

}  // namespace gan::test
