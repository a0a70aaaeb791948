// Adam, computed exactly as torch::optim::Adam does (no weight decay, no AMSGrad), in one of two
// ways:
// - kHost (eager steps): the step count lives on the host and each step's bias corrections are
//   host numbers. On the CPU one pass over each parameter's memory: LibTorch 1.13's Adam makes
//   about seven passes and two temporaries per parameter, for the course-report model 40% of a
//   training step on a 2-core CPU. On other devices the same formula in tensor operations.
// - kDevice (a step captured as a CUDA graph, gan.h): the step counts and the learning rate are
//   float32 tensors on the parameters' device and the bias corrections are computed there, so a
//   replayed step counts on and a new learning rate (set_config, between replays) takes effect
//   without capturing again. The gradients stay allocated and are zeroed in place, as capture
//   needs. With LibTorch >= 2 the update is PyTorch's fused Adam kernel (one launch for all
//   parameters; it has a CPU kernel too); the betas are that kernel's arguments, so a change of
//   betas needs a new capture (Gan sees to it). LibTorch 1.13 has no such kernel: the same
//   formula in per-tensor operations.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "core/config/config.h"

namespace gan {

class Adam {
 public:
  enum class State { kHost, kDevice };

  /// eps is PyTorch's default, 1e-8.
  Adam(std::vector<torch::Tensor> parameters, const AdamConfig& config, State state = State::kHost);

  /// New lr and betas from the next step on (the moments are kept). With kDevice state the new lr
  /// is written into its device tensor (a kernel on the current stream, so call it between steps).
  void set_config(const AdamConfig& config);
  const AdamConfig& config() const { return config_; }
  State state() const { return state_; }

  /// kHost: drops the gradients (the next backward pass writes fresh ones without zero-filling
  /// first). kDevice: zeroes them in place (the tensors a captured graph reads stay the same).
  void zero_grad();
  void step();

  /// Steps taken (with kDevice state this reads the device: not inside a captured step).
  std::int64_t steps() const;
  /// Continues from saved moments (tensors matching the parameters' shapes; copied to their device).
  void restore(std::int64_t steps, const std::vector<torch::Tensor>& first, const std::vector<torch::Tensor>& second);
  const std::vector<torch::Tensor>& parameters() const { return parameters_; }
  /// First and second moments, one per parameter (for checkpoints and tests).
  const std::vector<torch::Tensor>& first_moments() const { return first_moments_; }
  const std::vector<torch::Tensor>& second_moments() const { return second_moments_; }
  /// Every tensor step() changes besides the parameters (moments, and the step counts with kDevice
  /// state): what must be put back to undo steps, as capturing a step's warm-up needs.
  std::vector<torch::Tensor> state_tensors() const;

  static constexpr double kEps = 1e-8;

 private:
  void step_on_device();

  std::vector<torch::Tensor> parameters_;
  std::vector<torch::Tensor> first_moments_;
  std::vector<torch::Tensor> second_moments_;
  AdamConfig config_;
  State state_;
  std::int64_t steps_ = 0;  // kHost
  // kDevice: the gradients, one step count per parameter (float32, 0-dim, as the fused kernel
  // reads them) and the learning rate, all on the parameters' device.
  std::vector<torch::Tensor> gradients_;
  std::vector<torch::Tensor> device_steps_;
  torch::Tensor lr_;
};

}  // namespace gan
