#include "core/model/losses.h"

#include <torch/autograd.h>

namespace gan {
namespace {

// BCELoss against all-ones or all-zeros targets, with PyTorch's formula (logs clamped at -100).
// Written out rather than calling binary_cross_entropy because that one rejects NaN inputs with an
// exception on CPU and a device-side assert on CUDA, which would kill the CUDA context; here a
// diverged D simply yields a NaN loss that the trainer reports.
torch::Tensor bce_with_ones(const torch::Tensor& probability) {
  return -torch::clamp_min(torch::log(probability), -100).mean();
}
torch::Tensor bce_with_zeros(const torch::Tensor& probability) {
  return -torch::clamp_min(torch::log(1 - probability), -100).mean();
}

}  // namespace

torch::Tensor discriminator_loss(Loss loss, const torch::Tensor& on_real, const torch::Tensor& on_fake) {
  switch (loss) {
    case Loss::kLsgan: return ((on_real - 1).square().mean() + on_fake.square().mean()) / 2;
    case Loss::kHinge: return torch::relu(1 - on_real).mean() + torch::relu(1 + on_fake).mean();
    case Loss::kWganGp: return on_fake.mean() - on_real.mean();
    case Loss::kBce: break;
  }
  return (bce_with_ones(on_real) + bce_with_zeros(on_fake)) / 2;
}

torch::Tensor generator_loss(Loss loss, const torch::Tensor& on_fake) {
  switch (loss) {
    case Loss::kLsgan: return (on_fake - 1).square().mean();
    case Loss::kHinge:
    case Loss::kWganGp: return -on_fake.mean();
    case Loss::kBce: break;
  }
  return bce_with_ones(on_fake);
}

torch::Tensor gradient_penalty(const std::function<torch::Tensor(const torch::Tensor&)>& critic,
                               const torch::Tensor& real, const torch::Tensor& fake, const torch::Tensor& mix,
                               double weight) {
  const torch::Tensor between = (mix * real + (1 - mix) * fake.detach()).requires_grad_(true);
  const torch::Tensor scores = critic(between);
  const torch::Tensor gradient = torch::autograd::grad({scores}, {between}, {torch::ones_like(scores)},
                                                       /*retain_graph=*/true, /*create_graph=*/true)[0];
  return weight * (gradient.norm(2, /*dim=*/1) - 1).square().mean();
}

}  // namespace gan
