#include "core/model/models.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

namespace gan {
namespace {

void add_activation(torch::nn::Sequential& layers, Activation activation, double slope) {
  if (activation == Activation::kRelu) {
    layers->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
  } else {
    layers->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(slope).inplace(true)));
  }
}

}  // namespace

GeneratorImpl::GeneratorImpl(const ModelConfig& config, std::int64_t image_size) {
  const GeneratorConfig& g = config.generator;
  std::int64_t in = config.latent_dim;
  for (std::size_t i = 0; i < g.hidden.size(); ++i) {
    layers_->push_back(torch::nn::Linear(in, g.hidden[i]));
    // gan.py: block(latent_dim, 128, normalize=False), then normalised blocks.
    if (g.batch_norm && i > 0) {
      layers_->push_back(torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(g.hidden[i]).eps(g.batch_norm_eps)));
    }
    add_activation(layers_, g.activation, g.slope);
    in = g.hidden[i];
  }
  layers_->push_back(torch::nn::Linear(in, image_size));
  layers_->push_back(torch::nn::Tanh());
  register_module("layers", layers_);
}

torch::Tensor GeneratorImpl::forward(const torch::Tensor& z) { return layers_->forward(z); }

DiscriminatorImpl::DiscriminatorImpl(const ModelConfig& config, std::int64_t image_size) {
  const DiscriminatorConfig& d = config.discriminator;
  std::int64_t in = image_size;
  for (const auto width : d.hidden) {
    layers_->push_back(torch::nn::Linear(in, width));
    add_activation(layers_, d.activation, d.slope);
    if (d.dropout > 0.0) layers_->push_back(torch::nn::Dropout(torch::nn::DropoutOptions(d.dropout)));
    in = width;
  }
  layers_->push_back(torch::nn::Linear(in, 1));
  layers_->push_back(torch::nn::Sigmoid());
  register_module("layers", layers_);
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor& images) { return layers_->forward(images); }

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

}  // namespace gan
