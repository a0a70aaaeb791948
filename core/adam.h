// Adam, computed exactly as torch::optim::Adam does (no weight decay, no AMSGrad), but in one pass
// over each parameter's memory on the CPU. LibTorch 1.13's Adam makes about seven passes and two
// temporaries per parameter; for the course-report model that was 40% of a training step on a
// 2-core CPU. On other devices it falls back to the same formula in tensor operations.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "core/config.h"

namespace gan {

class Adam {
 public:
  /// eps is PyTorch's default, 1e-8.
  Adam(std::vector<torch::Tensor> parameters, const AdamConfig& config);

  /// New lr and betas from the next step on (the moments are kept).
  void set_config(const AdamConfig& config) { config_ = config; }
  const AdamConfig& config() const { return config_; }

  /// Drops the gradients (the next backward pass writes fresh ones without zero-filling first).
  void zero_grad();
  void step();

  std::int64_t steps() const { return steps_; }
  /// Continues from saved moments (tensors matching the parameters' shapes; copied to their device).
  void restore(std::int64_t steps, const std::vector<torch::Tensor>& first, const std::vector<torch::Tensor>& second);
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }
  /// First and second moments, one per parameter (for checkpoints and tests).
  const std::vector<torch::Tensor>& first_moments() const { return first_moments_; }
  const std::vector<torch::Tensor>& second_moments() const { return second_moments_; }

  static constexpr double kEps = 1e-8;

 private:
  std::vector<torch::Tensor> parameters_;
  std::vector<torch::Tensor> first_moments_;
  std::vector<torch::Tensor> second_moments_;
  AdamConfig config_;
  std::int64_t steps_ = 0;
};

}  // namespace gan
