// A trained generator as a plain list of the layers the exporters know, with their weights on the
// CPU: what the PyTorch, ONNX and web exports are written from. Walking the LibTorch module once,
// here, means each exporter handles exactly these layer kinds and nothing slips through: a layer the
// exporters cannot express is refused by name before anything is written.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/export/export_error.h"
#include "core/model/models.h"

namespace gan {

/// One layer of G's Sequential, as the exporters write it.
struct GraphLayer {
  enum class Kind { kLinear, kBatchNorm1d, kBatchNorm2d, kRelu, kLeakyRelu, kTanh, kUnflatten, kConvTranspose2d, kFlatten };
  Kind kind = Kind::kLinear;
  /// Its name in G's state dict, "layers.3": the PyTorch export's keys and the ONNX export's node
  /// and initializer names.
  std::string name;
  /// kLinear: weight (out x in), bias. kBatchNorm*: weight, bias, running_mean, running_var.
  /// kConvTranspose2d: weight (in x out x k x k), bias. CPU, float32, contiguous.
  torch::Tensor weight, bias, running_mean, running_var;
  double eps = 0.0;    ///< kBatchNorm*
  double slope = 0.0;  ///< kLeakyRelu: the negative slope
  std::int64_t kernel = 0, stride = 0, padding = 0;  ///< kConvTranspose2d (square, the same on both sides)
  std::vector<std::int64_t> unflatten;                ///< kUnflatten: the sizes dimension 1 becomes
};

struct GeneratorGraph {
  std::int64_t latent_dim = 0;
  /// A conditional G's label embedding (classes x width), joined in front of z; undefined otherwise.
  torch::Tensor label_embedding;
  std::int64_t classes = 0;  ///< 0 for an unconditional G
  std::int64_t channels = 1, rows = 28, cols = 28;
  std::vector<GraphLayer> layers;
  /// The state dict's other buffers, by name (BatchNorm's num_batches_tracked), so that Python's
  /// load_state_dict finds every key LibTorch's module has.
  std::vector<std::pair<std::string, torch::Tensor>> other_buffers;

  bool conditional() const { return classes > 0; }
};

/// `generator`'s layers as the exporters write them (copies of its weights, on the CPU). Throws
/// ExportError naming the first layer it cannot express ("layers.4 is a torch::nn::Softplus…") or a
/// setting of a known layer it does not carry (a transposed convolution's output padding).
GeneratorGraph describe_generator(Generator& generator, std::int64_t latent_dim, const DataShape& shape);

/// G's images for `z` (batch x latent_dim) and, when conditional, `labels` (batch longs), computed
/// from the graph alone, eval mode, CPU: batch x channels x rows x cols in [-1, 1]. What every
/// export must reproduce; the tests check describe_generator against the module with it.
torch::Tensor run_graph(const GeneratorGraph& graph, const torch::Tensor& z, const torch::Tensor& labels = {});

}  // namespace gan
