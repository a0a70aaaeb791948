#include "core/model/models.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "core/model/cpu_allocations.h"

namespace gan {
namespace {

void add_activation(torch::nn::Sequential& layers, Activation activation, double slope) {
  if (activation == Activation::kRelu) {
    layers->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
  } else {
    layers->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(slope).inplace(true)));
  }
}

// The DCGAN's 4x4, stride-2, padding-1 (transposed) convolutions halve (double) a side exactly.
constexpr std::int64_t kKernel = 4;
constexpr std::int64_t kStride = 2;
constexpr std::int64_t kPadding = 1;

std::int64_t halvings(const std::vector<std::int64_t>& channels) { return static_cast<std::int64_t>(channels.size()); }

}  // namespace

std::string architecture_refusal(const ModelConfig& model, const DataShape& shape) {
  if (model.architecture != Architecture::kDcgan) return {};
  const std::int64_t scale = std::int64_t{1} << halvings(model.generator.channels);
  if (shape.rows % scale != 0 || shape.cols % scale != 0) {
    return "model.generator.channels: " + std::to_string(model.generator.channels.size()) +
           " transposed convolutions double the side " + std::to_string(model.generator.channels.size()) +
           " times, so the images' sides must divide by " + std::to_string(scale) + "; these are " +
           std::to_string(shape.rows) + " x " + std::to_string(shape.cols) + " (use fewer widths)";
  }
  const std::int64_t reduce = std::int64_t{1} << halvings(model.discriminator.channels);
  if (shape.rows < reduce || shape.cols < reduce) {
    return "model.discriminator.channels: " + std::to_string(model.discriminator.channels.size()) +
           " strided convolutions halve " + std::to_string(shape.rows) + " x " + std::to_string(shape.cols) +
           " images to nothing (use fewer widths)";
  }
  return {};
}

GeneratorImpl::GeneratorImpl(const ModelConfig& config, const DataShape& shape) {
  zero_fill_cpu_allocations();
  const GeneratorConfig& g = config.generator;
  std::int64_t in = config.latent_dim;
  if (config.conditional) {
    label_embedding_ = register_module("label_embedding", torch::nn::Embedding(shape.classes, shape.classes));
    in += shape.classes;
  }
  if (config.architecture == Architecture::kDcgan) {
    const auto& channels = g.channels;
    const std::int64_t scale = std::int64_t{1} << halvings(channels);
    const std::int64_t rows = shape.rows / scale;
    const std::int64_t cols = shape.cols / scale;
    layers_->push_back(torch::nn::Linear(in, channels[0] * rows * cols));
    layers_->push_back(torch::nn::Unflatten(torch::nn::UnflattenOptions(1, {channels[0], rows, cols})));
    auto normalise_and_activate = [&](std::int64_t width) {
      if (g.batch_norm) {
        layers_->push_back(torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(width).eps(g.batch_norm_eps)));
      }
      add_activation(layers_, g.activation, g.slope);
    };
    normalise_and_activate(channels[0]);
    for (std::size_t i = 0; i < channels.size(); ++i) {
      const std::int64_t out = i + 1 < channels.size() ? channels[i + 1] : shape.channels;
      layers_->push_back(torch::nn::ConvTranspose2d(
          torch::nn::ConvTranspose2dOptions(channels[i], out, kKernel).stride(kStride).padding(kPadding)));
      if (i + 1 < channels.size()) normalise_and_activate(out);
    }
    layers_->push_back(torch::nn::Tanh());
    layers_->push_back(torch::nn::Flatten());
  } else {
    for (std::size_t i = 0; i < g.hidden.size(); ++i) {
      layers_->push_back(torch::nn::Linear(in, g.hidden[i]));
      // gan.py: block(latent_dim, 128, normalize=False), then normalised blocks.
      if (g.batch_norm && i > 0) {
        layers_->push_back(torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(g.hidden[i]).eps(g.batch_norm_eps)));
      }
      add_activation(layers_, g.activation, g.slope);
      in = g.hidden[i];
    }
    layers_->push_back(torch::nn::Linear(in, shape.image_size()));
    layers_->push_back(torch::nn::Tanh());
  }
  register_module("layers", layers_);
}

torch::Tensor GeneratorImpl::input(const torch::Tensor& z, const torch::Tensor& labels) {
  if (!label_embedding_) return z;
  return torch::cat({label_embedding_->forward(labels), z}, /*dim=*/1);
}

torch::Tensor GeneratorImpl::forward(const torch::Tensor& z, const torch::Tensor& labels) {
  return layers_->forward(input(z, labels));
}

DiscriminatorImpl::DiscriminatorImpl(const ModelConfig& config, const DataShape& shape) {
  zero_fill_cpu_allocations();
  const DiscriminatorConfig& d = config.discriminator;
  const bool convolutional = config.architecture == Architecture::kDcgan;
  std::int64_t in = shape.image_size();
  if (config.conditional) {
    // cgan.py joins a classes-wide embedding to the flat image; a convolutional D gets a whole
    // plane, so that the label is seen beside every pixel.
    const std::int64_t width = convolutional ? shape.plane_size() : shape.classes;
    label_embedding_ = register_module("label_embedding", torch::nn::Embedding(shape.classes, width));
    in += width;
  }
  auto add_dropout = [&] {
    if (d.dropout > 0.0) layers_->push_back(torch::nn::Dropout(torch::nn::DropoutOptions(d.dropout)));
  };
  if (convolutional) {
    std::int64_t planes = shape.channels + (config.conditional ? 1 : 0);
    std::int64_t rows = shape.rows;
    std::int64_t cols = shape.cols;
    layers_->push_back(torch::nn::Unflatten(torch::nn::UnflattenOptions(1, {planes, rows, cols})));
    for (std::size_t i = 0; i < d.channels.size(); ++i) {
      layers_->push_back(torch::nn::Conv2d(
          torch::nn::Conv2dOptions(planes, d.channels[i], kKernel).stride(kStride).padding(kPadding)));
      if (d.batch_norm && i > 0) layers_->push_back(torch::nn::BatchNorm2d(d.channels[i]));
      add_activation(layers_, d.activation, d.slope);
      add_dropout();
      planes = d.channels[i];
      rows = (rows + 2 * kPadding - kKernel) / kStride + 1;
      cols = (cols + 2 * kPadding - kKernel) / kStride + 1;
    }
    layers_->push_back(torch::nn::Flatten());
    in = planes * rows * cols;
  } else {
    for (const auto width : d.hidden) {
      layers_->push_back(torch::nn::Linear(in, width));
      add_activation(layers_, d.activation, d.slope);
      add_dropout();
      in = width;
    }
  }
  layers_->push_back(torch::nn::Linear(in, 1));
  if (config.loss == Loss::kBce) layers_->push_back(torch::nn::Sigmoid());
  register_module("layers", layers_);
}

torch::Tensor DiscriminatorImpl::input(const torch::Tensor& images, const torch::Tensor& labels) {
  if (!label_embedding_) return images;
  return torch::cat({images, label_embedding_->forward(labels)}, /*dim=*/1);
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor& images, const torch::Tensor& labels) {
  return layers_->forward(input(images, labels));
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

}  // namespace gan
