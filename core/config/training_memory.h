// How much memory a config needs to train, estimated from its shapes before anything is
// allocated, so that an absurd size (a layer a million wide) is refused with a figure instead of
// the machine grinding into swap or LibTorch failing half-way through building the models.
#pragma once

#include <cstdint>
#include <string>

#include "core/config/config.h"

namespace gan {

struct MemoryEstimate {
  double parameters = 0;   ///< bytes: weights, gradients and Adam's two moments of G and D
  double activations = 0;  ///< bytes: one step's forward values and their gradients (G on a batch, D on two)
  double data = 0;         ///< bytes: the training images as floats on the device
  double total() const { return parameters + activations + data; }
};

/// The estimate for `config` on `images` images of `image_size` pixels.
MemoryEstimate estimate_training_memory(const Config& config, std::int64_t image_size, std::int64_t images);

/// Memory the system can give a new allocation now (MemAvailable), in bytes; -1 when unknown.
double available_memory_bytes();

/// "1.5 GiB", "16.4 TiB".
std::string format_bytes(double bytes);

/// Throws ConfigError (key "model") when the estimate exceeds `available` bytes, naming both.
void check_training_memory(const Config& config, std::int64_t image_size, std::int64_t images, double available);

}  // namespace gan
