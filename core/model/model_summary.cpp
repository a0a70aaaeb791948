#include "core/model/model_summary.h"

#include <torch/nn/modules/container/any.h>
#include <torch/torch.h>

#include <algorithm>

#include "core/model/gan.h"

namespace gan {

std::string BlockSummary::type() const {
  std::string text;
  for (const std::string& module : modules) text += (text.empty() ? "" : " → ") + module;
  return text;
}

std::string BlockSummary::shape_text() const {
  std::string text;
  for (const std::int64_t side : output_shape) text += (text.empty() ? "" : "×") + std::to_string(side);
  return text;
}

namespace {

// "torch::nn::BatchNorm1dImpl" -> "BatchNorm1d".
std::string module_type(const torch::nn::Module& module) {
  std::string name = module.name();
  if (const auto colon = name.rfind("::"); colon != std::string::npos) name = name.substr(colon + 2);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, "Impl") == 0) name.resize(name.size() - 4);
  return name;
}

bool normalises(const std::string& type) { return type.rfind("BatchNorm", 0) == 0; }
bool rectifies(const std::string& type) { return type == "ReLU" || type == "LeakyReLU"; }

bool wanted(const SummaryScope& scope, const BlockSummary& block) {
  return scope.every_histogram || (scope.network == block.network && scope.block == block.name);
}

// What a block's output did on the batch, and (when `weight` is given) its weights' spread.
void measure(BlockSummary& block, const torch::Tensor& output, const torch::Tensor& weight) {
  const torch::Tensor values = output.detach().to(torch::kFloat64);
  block.activation_mean = values.mean().item<double>();
  block.activation_std = values.numel() > 1 ? values.std().item<double>() : 0.0;
  if (std::any_of(block.modules.begin(), block.modules.end(), rectifies)) {
    // A unit is dead when no image of the batch makes it positive.
    const torch::Tensor alive = values.reshape({values.size(0), -1}).gt(0).any(/*dim=*/0);
    block.dead_share = 1.0 - alive.to(torch::kFloat64).mean().item<double>();
  }
  if (weight.defined()) {
    // A diverged run's NaN or infinite weights are counted apart: histc refuses a range that is not
    // finite, and they have no place on the axis anyway.
    const torch::Tensor all = weight.detach().flatten().to(torch::kFloat32);
    const torch::Tensor w = all.masked_select(all.isfinite());
    block.weight_not_finite = all.numel() - w.numel();
    if (w.numel() == 0) return;
    double low = w.min().item<double>();
    double high = w.max().item<double>();
    if (!(high > low)) {  // all one value (a fresh batch norm's weights): a bin around it
      low -= 0.5;
      high += 0.5;
    }
    const torch::Tensor counts = torch::histc(w, kWeightBins, low, high).to(torch::kFloat64).contiguous();
    block.weight_counts.assign(counts.data_ptr<double>(), counts.data_ptr<double>() + counts.numel());
    block.weight_low = low;
    block.weight_high = high;
  }
}

// Runs `x` through `layers` module by module, one BlockSummary per layer with weights (and what
// follows it up to the next), appended to `blocks`. Returns the chain's output.
torch::Tensor summarize_chain(const std::string& network, torch::nn::Sequential layers, torch::Tensor x,
                              const SummaryScope& scope, std::vector<BlockSummary>& blocks) {
  BlockSummary block;
  torch::Tensor weight;
  bool weighted = false;  // `block` has its layer with weights already
  std::vector<std::int64_t> shape;
  auto finish = [&] {
    if (block.modules.empty()) return;
    block.output_shape = shape;
    measure(block, x, wanted(scope, block) ? weight : torch::Tensor());
    blocks.push_back(std::move(block));
    block = BlockSummary();
    weight = torch::Tensor();
    weighted = false;
  };
  std::size_t index = 0;
  for (auto& layer : *layers) {
    const std::shared_ptr<torch::nn::Module> module = layer.ptr();
    const std::string type = module_type(*module);
    const auto parameters = module->named_parameters();
    const bool has_weights = parameters.size() > 0 && !normalises(type);
    if (has_weights && weighted) finish();
    const std::string name = "layers." + std::to_string(index++);
    if (block.modules.empty()) {
      block.network = network;
      block.name = name;
    }
    block.modules.push_back(type);
    for (const auto& parameter : parameters) {
      block.parameters.push_back(name + "." + parameter.key());
      block.parameter_count += parameter.value().numel();
    }
    if (has_weights) {
      weighted = true;
      weight = parameters["weight"];
      block.weight = name + ".weight";
    }
    x = layer.forward(x);
    // A trailing Flatten only hands the images on flat: the shape shown is the one before it.
    if (type != "Flatten") shape.assign(x.sizes().begin() + 1, x.sizes().end());
  }
  finish();
  return x;
}

BlockSummary embedding_block(const std::string& network, torch::nn::Embedding embedding,
                             const torch::Tensor& labels, const SummaryScope& scope) {
  BlockSummary block;
  block.network = network;
  block.name = "label_embedding";
  block.modules = {"Embedding"};
  block.parameters = {"label_embedding.weight"};
  block.weight = "label_embedding.weight";
  block.parameter_count = embedding->weight.numel();
  const torch::Tensor output = embedding->forward(labels);
  block.output_shape.assign(output.sizes().begin() + 1, output.sizes().end());
  measure(block, output, wanted(scope, block) ? embedding->weight : torch::Tensor());
  return block;
}

}  // namespace

ModelSummary Gan::summarize(const SummaryScope& scope) {
  torch::NoGradGuard no_grad;
  // Eval mode, as the sample grid is drawn: batch norm on its running statistics, no dropout (so
  // no random draws), nothing a training step depends on changed.
  generator_->eval();
  discriminator_->eval();
  struct Train {
    ~Train() {
      gan.generator_->train();
      gan.discriminator_->train();
    }
    Gan& gan;
  } train{*this};

  ModelSummary summary;
  summary.step = step_;
  summary.latent_dim = config_.model.latent_dim;
  summary.classes = conditional() ? shape_.classes : 0;
  summary.batch = fixed_noise_.size(0);
  if (conditional()) {
    summary.generator.push_back(embedding_block("G", generator_->label_embedding(), fixed_labels_, scope));
  }
  const torch::Tensor fake = summarize_chain("G", generator_->layers(), generator_->input(fixed_noise_, fixed_labels_),
                                             scope, summary.generator);
  if (conditional()) {
    summary.discriminator.push_back(embedding_block("D", discriminator_->label_embedding(), fixed_labels_, scope));
  }
  summarize_chain("D", discriminator_->layers(), discriminator_->input(fake, fixed_labels_), scope,
                  summary.discriminator);
  return summary;
}

}  // namespace gan
