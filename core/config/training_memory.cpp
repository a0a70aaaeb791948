#include "core/config/training_memory.h"

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

}  // namespace

MemoryEstimate estimate_training_memory(const Config& config, std::int64_t image_size, std::int64_t images) {
  const ModelConfig& m = config.model;
  MemoryEstimate estimate;
  const double parameters = mlp_parameters(m.latent_dim, m.generator.hidden, image_size, m.generator.batch_norm) +
                            mlp_parameters(image_size, m.discriminator.hidden, 1, false);
  estimate.parameters = parameters * kFloat * 4;  // weight, gradient, Adam's first and second moments
  // Each layer keeps its output, its activation (and normalised values) for the backward pass, and
  // as many gradients again: about 6 floats per unit and sample; D sees real and fake at once.
  const double batch = static_cast<double>(config.train.batch_size);
  const double g_units = sum(m.generator.hidden) + static_cast<double>(image_size) + static_cast<double>(m.latent_dim);
  const double d_units = sum(m.discriminator.hidden) + static_cast<double>(image_size) + 1;
  estimate.activations = 6 * kFloat * (batch * g_units + 2 * batch * d_units);
  estimate.data = static_cast<double>(images) * static_cast<double>(image_size) * kFloat;
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
