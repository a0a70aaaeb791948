// The generator and discriminator, built from ModelConfig: PyTorch-GAN's gan.py MLPs or DCGAN-style
// convolutional networks (dcgan.py, pytorch/examples' C++ dcgan), either of them conditional on the
// digit as cgan.py. Both speak flat images (batch x channels*rows*cols) so that everything around them —
// batches, grids, the judge — is the same for every family.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

#include "core/config/config.h"

namespace gan {

/// What the networks are built for: the images' size and, for a conditional model, how many
/// classes its labels take (labels are 0 .. classes-1).
struct DataShape {
  std::int64_t rows = 28;
  std::int64_t cols = 28;
  std::int64_t classes = 10;
  /// 1 (gray) or 3 (RGB).
  std::int64_t channels = 1;

  /// Values per flat image: channels x rows x cols, planes one after the other.
  std::int64_t image_size() const { return channels * rows * cols; }
  std::int64_t plane_size() const { return rows * cols; }
};

/// Why `model` cannot be built for `shape` (a DCGAN's strides must divide the image's sides), or
/// "" when it can. Gan refuses such a config with this message before building anything.
std::string architecture_refusal(const ModelConfig& model, const DataShape& shape);

/// z (batch x latent_dim) [and labels, batch longs] -> images (batch x channels*rows*cols) in [-1, 1].
///   mlp:   Linear, [BatchNorm1d from the second block on], activation per hidden width; Linear, Tanh.
///   dcgan: Linear to channels[0] maps of side / 2^n, [BatchNorm2d], activation; per further width a
///          4x4 stride-2 transposed convolution, [BatchNorm2d], activation; a last one to the image's
///          channels, Tanh.
/// A conditional G joins an embedding of the label (classes wide, as cgan.py) to z.
class GeneratorImpl : public torch::nn::Module {
 public:
  GeneratorImpl(const ModelConfig& config, const DataShape& shape);
  torch::Tensor forward(const torch::Tensor& z, const torch::Tensor& labels = {});
  /// What the layers take: z, with the label's embedding joined in front for a conditional G.
  torch::Tensor input(const torch::Tensor& z, const torch::Tensor& labels = {});
  /// The layers in order (forward is layers()->forward(input(z, labels))): what the model diagram walks.
  const torch::nn::Sequential& layers() const { return layers_; }
  /// The label's embedding of a conditional G; empty (nullptr) for an unconditional one.
  const torch::nn::Embedding& label_embedding() const { return label_embedding_; }

 private:
  torch::nn::Embedding label_embedding_{nullptr};
  torch::nn::Sequential layers_;
};
TORCH_MODULE(Generator);

/// images (batch x channels*rows*cols) [and labels] -> one output per image (batch x 1): a probability
/// (Sigmoid) for the bce loss, a raw score for the others (losses.h).
///   mlp:   Linear, activation, [Dropout] per hidden width; Linear.
///   dcgan: per channel width a 4x4 stride-2 convolution, [BatchNorm2d from the second on],
///          activation, [Dropout]; Linear.
/// A conditional D joins an embedding of the label: classes wide for mlp (cgan.py), one more image
/// plane for dcgan.
class DiscriminatorImpl : public torch::nn::Module {
 public:
  DiscriminatorImpl(const ModelConfig& config, const DataShape& shape);
  torch::Tensor forward(const torch::Tensor& images, const torch::Tensor& labels = {});
  /// What the layers take: the images, with the label's embedding joined behind for a conditional D.
  torch::Tensor input(const torch::Tensor& images, const torch::Tensor& labels = {});
  const torch::nn::Sequential& layers() const { return layers_; }
  const torch::nn::Embedding& label_embedding() const { return label_embedding_; }

 private:
  torch::nn::Embedding label_embedding_{nullptr};
  torch::nn::Sequential layers_;
};
TORCH_MODULE(Discriminator);

/// Number of trainable parameters of a module.
std::int64_t parameter_count(const torch::nn::Module& module);

}  // namespace gan
