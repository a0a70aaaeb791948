#include "core/adam.h"

#include <torch/torch.h>

#include <cmath>

namespace gan {
namespace {

// One pass: moments and parameter updated together while they are in cache. Same operation order
// as LibTorch's Adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
// p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps).
void update_cpu(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v,
                std::int64_t n, float beta1, float beta2, float step_size, float sqrt_bc2, float eps) {
  const float one_minus_beta1 = 1.0f - beta1;
  const float one_minus_beta2 = 1.0f - beta2;
  for (std::int64_t i = 0; i < n; ++i) {
    const float grad = g[i];
    const float m_new = m[i] * beta1 + one_minus_beta1 * grad;
    const float v_new = v[i] * beta2 + one_minus_beta2 * grad * grad;
    m[i] = m_new;
    v[i] = v_new;
    p[i] -= step_size * (m_new / (std::sqrt(v_new) / sqrt_bc2 + eps));
  }
}

}  // namespace

Adam::Adam(std::vector<torch::Tensor> parameters, const AdamConfig& config)
    : parameters_(std::move(parameters)), config_(config) {
  for (const auto& p : parameters_) {
    first_moments_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
    second_moments_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
  }
}

void Adam::restore(std::int64_t steps, const std::vector<torch::Tensor>& first, const std::vector<torch::Tensor>& second) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < first_moments_.size(); ++i) {
    first_moments_[i].copy_(first[i]);
    second_moments_[i].copy_(second[i]);
  }
  steps_ = steps;
}

void Adam::zero_grad() {
  for (auto& p : parameters_) p.mutable_grad().reset();
}

void Adam::step() {
  torch::NoGradGuard no_grad;
  ++steps_;
  const double bias_correction1 = 1.0 - std::pow(config_.beta1, static_cast<double>(steps_));
  const double bias_correction2 = 1.0 - std::pow(config_.beta2, static_cast<double>(steps_));
  const double step_size = config_.lr / bias_correction1;
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    torch::Tensor& p = parameters_[i];
    const torch::Tensor& grad = p.grad();
    if (!grad.defined()) continue;
    torch::Tensor& m = first_moments_[i];
    torch::Tensor& v = second_moments_[i];
    if (p.is_cpu() && p.scalar_type() == torch::kFloat32 && p.is_contiguous() && grad.is_contiguous()) {
      update_cpu(p.data_ptr<float>(), grad.data_ptr<float>(), m.data_ptr<float>(), v.data_ptr<float>(), p.numel(),
                 static_cast<float>(config_.beta1), static_cast<float>(config_.beta2), static_cast<float>(step_size),
                 static_cast<float>(std::sqrt(bias_correction2)), static_cast<float>(kEps));
    } else {
      m.mul_(config_.beta1).add_(grad, 1.0 - config_.beta1);
      v.mul_(config_.beta2).addcmul_(grad, grad, 1.0 - config_.beta2);
      const torch::Tensor denominator = (v.sqrt() / std::sqrt(bias_correction2)).add_(kEps);
      p.addcdiv_(m, denominator, -step_size);
    }
  }
}

}  // namespace gan
