#include "core/export/generator_graph.h"

#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/batchnorm.h>
#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/linear.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

namespace gan {
namespace {

torch::Tensor cpu_copy(const torch::Tensor& tensor) { return tensor.detach().to(torch::kCPU).contiguous().clone(); }

// A convolution's padding: LibTorch 1.13 keeps it in a c10::variant, 2.x in a std::variant; the
// using-declaration lets argument-dependent lookup pick the variant's own get.
template <typename Options>
torch::ExpandingArray<2> padding_of(const Options& options) {
  using std::get;
  return get<torch::ExpandingArray<2>>(options.padding());
}

template <typename Options>
void check_square(const Options& options, const std::string& name) {
  const auto& kernel = *options.kernel_size();
  const auto& stride = *options.stride();
  const auto padding = padding_of(options);
  if (kernel[0] != kernel[1] || stride[0] != stride[1] || (*padding)[0] != (*padding)[1]) {
    throw ExportError(name + " is a transposed convolution with different settings across and down; the exporters "
                             "write square ones only");
  }
}

constexpr const char* kNoStatistics =
    "has no affine weights or running statistics; the exporters write BatchNorm in eval mode with both";

// BatchNorm1d and BatchNorm2d hold the same tensors and options. False when they lack what eval
// mode needs.
template <typename Norm>
bool read_batch_norm(const Norm& norm, GraphLayer& layer, GeneratorGraph& graph) {
  if (!norm.options.affine() || !norm.options.track_running_stats()) return false;
  layer.eps = norm.options.eps();
  layer.weight = cpu_copy(norm.weight);
  layer.bias = cpu_copy(norm.bias);
  layer.running_mean = cpu_copy(norm.running_mean);
  layer.running_var = cpu_copy(norm.running_var);
  graph.other_buffers.emplace_back(layer.name + ".num_batches_tracked", cpu_copy(norm.num_batches_tracked));
  return true;
}

}  // namespace

GeneratorGraph describe_generator(Generator& generator, std::int64_t latent_dim, const DataShape& shape) {
  GeneratorGraph graph;
  graph.latent_dim = latent_dim;
  graph.channels = shape.channels;
  graph.rows = shape.rows;
  graph.cols = shape.cols;
  if (generator->label_embedding()) {
    graph.label_embedding = cpu_copy(generator->label_embedding()->weight);
    graph.classes = graph.label_embedding.size(0);
  }
  const auto& layers = generator->layers();
  for (std::size_t i = 0; i < layers->size(); ++i) {
    const std::shared_ptr<torch::nn::Module> module = layers->ptr(i);
    GraphLayer layer;
    layer.name = "layers." + std::to_string(i);
    auto refuse = [&](const std::string& why) {
      std::string type = module->name();  // "torch::nn::SoftplusImpl": the module a user wrote is "Softplus"
      if (type.size() > 4 && type.compare(type.size() - 4, 4, "Impl") == 0) type.resize(type.size() - 4);
      throw ExportError(layer.name + " (" + type + ") " + why);
    };
    if (auto* linear = module->as<torch::nn::Linear>()) {
      layer.kind = GraphLayer::Kind::kLinear;
      if (!linear->bias.defined()) refuse("has no bias; the exporters write Linear layers with one");
      layer.weight = cpu_copy(linear->weight);
      layer.bias = cpu_copy(linear->bias);
    } else if (auto* norm1 = module->as<torch::nn::BatchNorm1d>()) {
      layer.kind = GraphLayer::Kind::kBatchNorm1d;
      if (!read_batch_norm(*norm1, layer, graph)) refuse(kNoStatistics);
    } else if (auto* norm2 = module->as<torch::nn::BatchNorm2d>()) {
      layer.kind = GraphLayer::Kind::kBatchNorm2d;
      if (!read_batch_norm(*norm2, layer, graph)) refuse(kNoStatistics);
    } else if (module->as<torch::nn::ReLU>() != nullptr) {
      layer.kind = GraphLayer::Kind::kRelu;
    } else if (auto* leaky = module->as<torch::nn::LeakyReLU>()) {
      layer.kind = GraphLayer::Kind::kLeakyRelu;
      layer.slope = leaky->options.negative_slope();
    } else if (module->as<torch::nn::Tanh>() != nullptr) {
      layer.kind = GraphLayer::Kind::kTanh;
    } else if (auto* unflatten = module->as<torch::nn::Unflatten>()) {
      layer.kind = GraphLayer::Kind::kUnflatten;
      if (unflatten->options.dim() != 1) refuse("unflattens a dimension other than 1");
      layer.unflatten = unflatten->options.sizes();
    } else if (auto* flatten = module->as<torch::nn::Flatten>()) {
      layer.kind = GraphLayer::Kind::kFlatten;
      if (flatten->options.start_dim() != 1 || flatten->options.end_dim() != -1) refuse("flattens other dimensions than 1..");
    } else if (auto* transposed = module->as<torch::nn::ConvTranspose2d>()) {
      layer.kind = GraphLayer::Kind::kConvTranspose2d;
      const auto& options = transposed->options;
      check_square(options, layer.name);
      if ((*options.output_padding())[0] != 0 || (*options.output_padding())[1] != 0) refuse("has an output padding");
      if ((*options.dilation())[0] != 1 || (*options.dilation())[1] != 1) refuse("is dilated");
      if (options.groups() != 1) refuse("has groups");
      if (!transposed->bias.defined()) refuse("has no bias");
      layer.kernel = (*options.kernel_size())[0];
      layer.stride = (*options.stride())[0];
      layer.padding = (*padding_of(options))[0];
      layer.weight = cpu_copy(transposed->weight);
      layer.bias = cpu_copy(transposed->bias);
    } else {
      refuse("is a layer the exporters cannot write (they know Linear, BatchNorm1d/2d, ReLU, LeakyReLU, Tanh, "
             "Unflatten, ConvTranspose2d and Flatten)");
    }
    graph.layers.push_back(std::move(layer));
  }
  return graph;
}

torch::Tensor run_graph(const GeneratorGraph& graph, const torch::Tensor& z, const torch::Tensor& labels) {
  namespace F = torch::nn::functional;
  torch::NoGradGuard no_grad;
  torch::Tensor x = z.to(torch::kCPU, torch::kFloat32);
  if (graph.conditional()) x = torch::cat({graph.label_embedding.index_select(0, labels.to(torch::kCPU)), x}, /*dim=*/1);
  for (const GraphLayer& layer : graph.layers) {
    switch (layer.kind) {
      case GraphLayer::Kind::kLinear: x = F::linear(x, layer.weight, layer.bias); break;
      case GraphLayer::Kind::kBatchNorm1d:
      case GraphLayer::Kind::kBatchNorm2d:
        x = F::batch_norm(x, layer.running_mean, layer.running_var,
                          F::BatchNormFuncOptions().weight(layer.weight).bias(layer.bias).eps(layer.eps).training(false));
        break;
      case GraphLayer::Kind::kRelu: x = torch::relu(x); break;
      case GraphLayer::Kind::kLeakyRelu: x = torch::leaky_relu(x, layer.slope); break;
      case GraphLayer::Kind::kTanh: x = torch::tanh(x); break;
      case GraphLayer::Kind::kUnflatten: {
        std::vector<std::int64_t> sizes{x.size(0)};
        sizes.insert(sizes.end(), layer.unflatten.begin(), layer.unflatten.end());
        x = x.reshape(sizes);
        break;
      }
      case GraphLayer::Kind::kConvTranspose2d:
        x = F::conv_transpose2d(x, layer.weight,
                                F::ConvTranspose2dFuncOptions().bias(layer.bias).stride(layer.stride).padding(layer.padding));
        break;
      case GraphLayer::Kind::kFlatten: x = x.flatten(1); break;
    }
  }
  return x.reshape({x.size(0), graph.channels, graph.rows, graph.cols});
}

}  // namespace gan
