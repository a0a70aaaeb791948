#include "core/model/adam.h"

#include <torch/torch.h>
#include <torch/version.h>

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

Adam::Adam(std::vector<torch::Tensor> parameters, const AdamConfig& config, State state)
    : parameters_(std::move(parameters)), config_(config), state_(state) {
  for (const auto& p : parameters_) {
    first_moments_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
    second_moments_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
  }
  if (state_ == State::kDevice && !parameters_.empty()) {
    const auto scalar = torch::TensorOptions().dtype(torch::kFloat32).device(parameters_.front().device());
    for (auto& p : parameters_) {
      p.mutable_grad() = torch::zeros_like(p, torch::MemoryFormat::Contiguous);
      gradients_.push_back(p.grad());
      device_steps_.push_back(torch::zeros({}, scalar));
    }
    lr_ = torch::full({}, config_.lr, scalar);
  }
}

void Adam::set_config(const AdamConfig& config) {
  config_ = config;
  if (lr_.defined()) lr_.fill_(config_.lr);
}

std::int64_t Adam::steps() const {
  if (state_ == State::kHost || device_steps_.empty()) return steps_;
  return static_cast<std::int64_t>(device_steps_.front().item<float>());
}

void Adam::restore(std::int64_t steps, const std::vector<torch::Tensor>& first, const std::vector<torch::Tensor>& second) {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < first_moments_.size(); ++i) {
    first_moments_[i].copy_(first[i]);
    second_moments_[i].copy_(second[i]);
  }
  steps_ = steps;
  // float32 counts steps exactly up to 2^24 (16.7 million: 17,900 MNIST epochs at batch 64).
  for (auto& count : device_steps_) count.fill_(static_cast<double>(steps));
}

std::vector<torch::Tensor> Adam::state_tensors() const {
  std::vector<torch::Tensor> tensors = first_moments_;
  tensors.insert(tensors.end(), second_moments_.begin(), second_moments_.end());
  tensors.insert(tensors.end(), device_steps_.begin(), device_steps_.end());
  return tensors;
}

void Adam::zero_grad() {
  if (state_ == State::kDevice) {
#if TORCH_VERSION_MAJOR >= 2
    at::_foreach_zero_(gradients_);
#else
    for (auto& g : gradients_) g.zero_();
#endif
    return;
  }
  for (auto& p : parameters_) p.mutable_grad().reset();
}

void Adam::step() {
  torch::NoGradGuard no_grad;
  if (state_ == State::kDevice) {
    step_on_device();
    return;
  }
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

void Adam::step_on_device() {
  if (parameters_.empty()) return;
#if TORCH_VERSION_MAJOR >= 2
  // The fused kernel reads the counts but does not advance them.
  at::_foreach_add_(device_steps_, 1);
  // PyTorch's fused Adam: bias corrections from each step count and the lr tensor, on the device.
  at::_fused_adam_(parameters_, gradients_, first_moments_, second_moments_, /*max_exp_avg_sqs=*/{}, device_steps_,
                   lr_, config_.beta1, config_.beta2, /*weight_decay=*/0.0, kEps, /*amsgrad=*/false,
                   /*maximize=*/false, /*grad_scale=*/std::nullopt, /*found_inf=*/std::nullopt);
#else
  for (auto& count : device_steps_) count.add_(1);
  // The same formula with the step count and lr read on the device. The bias corrections in
  // double, as the host computes them: 1 - 0.999^t in float32 is off by up to 1e-4 of itself.
  const torch::Tensor count = device_steps_.front().to(torch::kFloat64);
  const torch::Tensor step_size = (lr_.to(torch::kFloat64) / (1 - torch::pow(config_.beta1, count))).to(torch::kFloat32);
  const torch::Tensor sqrt_bias_correction2 = torch::sqrt(1 - torch::pow(config_.beta2, count)).to(torch::kFloat32);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    torch::Tensor& m = first_moments_[i];
    torch::Tensor& v = second_moments_[i];
    m.mul_(config_.beta1).add_(gradients_[i], 1.0 - config_.beta1);
    v.mul_(config_.beta2).addcmul_(gradients_[i], gradients_[i], 1.0 - config_.beta2);
    const torch::Tensor denominator = (v.sqrt() / sqrt_bias_correction2).add_(kEps);
    parameters_[i].sub_(step_size * m / denominator);
  }
#endif
}

}  // namespace gan
