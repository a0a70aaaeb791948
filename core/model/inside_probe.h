// The inside view's figures (observer.h InsideRecord), gathered while the steps run: histograms of
// D's verdicts on the real and the fake batches, and for every parameter tensor of G and D its
// gradient's L2 norm (mean and largest over the window), its weight norm and the relative size of
// one update.
//
// What a step adds is tensor arithmetic into fixed buffers on the device, with no host sync, so a
// step captured as a CUDA graph replays it with the rest of the step. Closing a window packs its
// figures into one tensor and begins the next, on the device too; the trainer reads closed windows
// back with the losses, in the same transfer's wake. The bins of raw scores (every loss but bce)
// follow the scores: each window's bins span what the one before it saw, padded by a twentieth on
// each side, so that the histogram uses its bins rather than two of them; probabilities keep 0..1.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/run/observer.h"

namespace gan {

class InsideProbe {
 public:
  static constexpr std::int64_t kBins = 32;
  /// The bins of raw scores before any were seen.
  static constexpr double kFirstLow = -1.0;
  static constexpr double kFirstHigh = 1.0;

  /// `probabilities`: D's outputs lie in 0..1 (bce); else they are raw scores. The modules'
  /// parameters are taken by name, and the sums kept on `device`, where they live.
  InsideProbe(torch::nn::Module& generator, torch::nn::Module& discriminator, bool probabilities,
              const torch::Device& device);

  // Inside a step (capturable):
  /// D's outputs on a real and a fake batch (any shape; one value per image).
  void add_verdicts(const torch::Tensor& on_real, const torch::Tensor& on_fake);
  /// After G's backward pass, before its optimizer steps: adds its gradients' norms.
  void add_generator_gradients();
  /// After each of D's backward passes, before its optimizer steps.
  void add_discriminator_gradients();

  // Around a step, outside what a graph captures:
  /// Whether the next step is its window's first: the one whose update is measured.
  bool wants_update() const { return wants_update_; }
  /// Keeps a copy of every parameter, so that after_update can measure the step's change.
  void before_update();
  /// Each parameter's |w - copy| over the larger of |w| and |copy|, kept for the window; drops the copies.
  void after_update();

  /// The window so far packed into one tensor on the device, and a new window begun (counts zeroed,
  /// raw scores' bins spanning what this one saw): no host sync. Every window packs to the same size.
  torch::Tensor close_window();
  /// A closed window's figures (the tensor close_window gave, on the host) as the window of `steps`
  /// steps ending at `step`.
  InsideRecord unpack(const torch::Tensor& packed, std::int64_t step, std::int64_t steps) const;
  /// close_window and unpack in one, with a transfer to the host of its own.
  InsideRecord read(std::int64_t step, std::int64_t steps);

  /// The buffers a step changes: what must be put back, with the models, to undo steps.
  std::vector<torch::Tensor> state() const;

 private:
  struct Network {
    std::string label;  // "G", "D"
    std::vector<std::string> names;
    std::vector<torch::Tensor> parameters;
    torch::Tensor gradient_sum;  // per parameter, over the window's updates
    torch::Tensor gradient_max;
    torch::Tensor updates;       // 0-dim: backward passes added
    torch::Tensor update_ratio;  // per parameter, of the window's first step
    std::vector<torch::Tensor> before;  // copies between before_update and after_update
  };
  static Network network(const std::string& label, torch::nn::Module& module, const torch::Device& device);
  static void add_gradients(Network& network);
  void add_histogram(torch::Tensor& counts, torch::Tensor& extremes, const torch::Tensor& values);
  /// Zeroes the window's sums; the bins' range stays as it is set.
  void begin_window();

  bool probabilities_;
  Network generator_;
  Network discriminator_;
  torch::Tensor range_;          // [low, high] of the bins, on the device
  torch::Tensor real_counts_;    // kBins
  torch::Tensor fake_counts_;
  torch::Tensor real_extremes_;  // [min, max]
  torch::Tensor fake_extremes_;
  bool wants_update_ = true;
};

}  // namespace gan
