// The generator and discriminator MLPs, built from ModelConfig in PyTorch-GAN's gan.py layout.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include "core/config/config.h"

namespace gan {

/// z (batch x latent_dim) -> images (batch x image_size) in [-1, 1].
/// Blocks: Linear, [BatchNorm1d from the second block on], activation; then Linear and Tanh.
class GeneratorImpl : public torch::nn::Module {
 public:
  GeneratorImpl(const ModelConfig& config, std::int64_t image_size);
  torch::Tensor forward(const torch::Tensor& z);

 private:
  torch::nn::Sequential layers_;
};
TORCH_MODULE(Generator);

/// images (batch x image_size) -> probability of "real" (batch x 1).
/// Blocks: Linear, activation, [Dropout]; then Linear and Sigmoid.
class DiscriminatorImpl : public torch::nn::Module {
 public:
  DiscriminatorImpl(const ModelConfig& config, std::int64_t image_size);
  torch::Tensor forward(const torch::Tensor& images);

 private:
  torch::nn::Sequential layers_;
};
TORCH_MODULE(Discriminator);

/// Number of trainable parameters of a module.
std::int64_t parameter_count(const torch::nn::Module& module);

}  // namespace gan
