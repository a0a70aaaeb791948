#include "core/config/training_memory.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace gan {
namespace {

constexpr double kFloat = 4;  // bytes

// Weights and biases of a stack of Linear layers (plus BatchNorm's four vectors where used).
double mlp_parameters(std::int64_t in, const std::vector<std::int64_t>& hidden, std::int64_t out, bool batch_norm) {
  double count = 0;
  double width = static_cast<double>(in);
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    const double next = static_cast<double>(hidden[i]);
    count += width * next + next;
    if (batch_norm && i > 0) count += 4 * next;
    width = next;
  }
  return count + width * static_cast<double>(out) + static_cast<double>(out);
}

double sum(const std::vector<std::int64_t>& widths) {
  double total = 0;
  for (const auto w : widths) total += static_cast<double>(w);
  return total;
}

constexpr double kClasses = 10;  // a conditional model's label embeddings are sized by the classes

// The figures of one network: parameters, and units (values per sample kept for the backward pass).
struct Size {
  double parameters = 0;
  double units = 0;
};

// dcgan (models.h): a square image is assumed (the side from image_size); 4x4 kernels.
Size dcgan_generator(const ModelConfig& m, double in, double image_size) {
  const auto& c = m.generator.channels;
  const double side = std::sqrt(image_size) / std::pow(2.0, static_cast<double>(c.size()));
  Size size;
  double maps = static_cast<double>(c[0]) * side * side;
  size.parameters = in * maps + maps + 4 * static_cast<double>(c[0]);
  size.units = in + maps;
  double area = side * side;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double out = i + 1 < c.size() ? static_cast<double>(c[i + 1]) : 1;
    area *= 4;
    size.parameters += static_cast<double>(c[i]) * out * 16 + out + 4 * out;
    size.units += out * area;
  }
  return size;
}

Size dcgan_discriminator(const ModelConfig& m, double image_size) {
  const auto& c = m.discriminator.channels;
  double planes = m.conditional ? 2 : 1;
  double area = image_size;
  Size size;
  size.units = planes * area;
  for (const auto width : c) {
    area /= 4;
    size.parameters += planes * static_cast<double>(width) * 16 + 5 * static_cast<double>(width);
    size.units += static_cast<double>(width) * area;
    planes = static_cast<double>(width);
  }
  size.parameters += planes * area + 1 + (m.conditional ? kClasses * image_size : 0);
  return size;
}

}  // namespace

MemoryEstimate estimate_training_memory(const Config& config, std::int64_t image_size, std::int64_t images) {
  const ModelConfig& m = config.model;
  const double pixels = static_cast<double>(image_size);
  const double label = m.conditional ? kClasses : 0;  // cgan.py's embedding joined to z (and to an MLP D's input)
  Size g, d;
  if (m.architecture == Architecture::kDcgan) {
    g = dcgan_generator(m, static_cast<double>(m.latent_dim) + label, pixels);
    d = dcgan_discriminator(m, pixels);
  } else {
    g.parameters = mlp_parameters(m.latent_dim + static_cast<std::int64_t>(label), m.generator.hidden, image_size,
                                  m.generator.batch_norm);
    g.units = sum(m.generator.hidden) + pixels + static_cast<double>(m.latent_dim) + label;
    d.parameters = mlp_parameters(image_size + static_cast<std::int64_t>(label), m.discriminator.hidden, 1, false);
    d.units = sum(m.discriminator.hidden) + pixels + label + 1;
  }
  g.parameters += label * label;
  d.parameters += m.architecture == Architecture::kMlp ? label * label : 0;
  MemoryEstimate estimate;
  estimate.parameters = (g.parameters + d.parameters) * kFloat * 4;  // weight, gradient, Adam's first and second moments
  // Each layer keeps its output, its activation (and normalised values) for the backward pass, and
  // as many gradients again: about 6 floats per unit and sample; D sees real and fake at once
  // (WGAN-GP: and the points between them, through a second-order backward pass).
  const double batch = static_cast<double>(config.train.batch_size);
  const double d_passes = m.loss == Loss::kWganGp ? 4 : 2;
  estimate.activations = 6 * kFloat * (batch * g.units + d_passes * batch * d.units);
  estimate.data = static_cast<double>(images) * pixels * kFloat;
  return estimate;
}

double available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) == 0) {
      std::istringstream fields(line.substr(13));
      double kib = -1;
      fields >> kib;
      return kib >= 0 ? kib * 1024 : -1;
    }
  }
  return -1;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 6) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return text;
}

void check_training_memory(const Config& config, std::int64_t image_size, std::int64_t images, double available) {
  const MemoryEstimate e = estimate_training_memory(config, image_size, images);
  if (available < 0 || e.total() <= available) return;
  throw ConfigError("model", "training this config needs about " + format_bytes(e.total()) + " of memory (weights, gradients and Adam state " +
                                 format_bytes(e.parameters) + ", activations " + format_bytes(e.activations) +
                                 ", images " + format_bytes(e.data) + "), but only " + format_bytes(available) +
                                 " are available; narrow the layers or lower train.batch_size");
}

}  // namespace gan
