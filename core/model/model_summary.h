// The two networks as the inside view's model diagram draws them: each a chain of blocks (a layer
// with weights and what follows it up to the next one: batch norm, activation, dropout, reshapes),
// with their output shapes and parameter counts, and what each block does to the fixed noise
// batch (activations, dead units) and its weights' spread. Torch-free, for the UI; Gan::summarize
// (model_summary.cpp) measures it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gan {

struct BlockSummary {
  std::string network;  ///< "G" or "D", as ParameterFigures names them
  /// The block's first module as the network names it ("layers.3", "label_embedding"): its
  /// parameters are named `name` + ".weight" and so on.
  std::string name;
  std::vector<std::string> modules;    ///< module types in order: "Linear", "BatchNorm1d", "LeakyReLU"
  std::vector<std::string> parameters; ///< its parameters' full names ("layers.3.weight", "layers.4.bias")
  std::string weight;                  ///< the parameter its colour and histogram follow ("layers.3.weight")
  std::vector<std::int64_t> output_shape;  ///< one image's output: {256}, {64, 7, 7}
  std::int64_t parameter_count = 0;
  /// The block's output on the fixed noise batch (G: the sample grid's noise; D: G's images of
  /// it), in eval mode as the grid is drawn: mean and standard deviation over all values.
  double activation_mean = 0;
  double activation_std = 0;
  /// Share of the block's output units (features, or channel x pixel) that are not positive for
  /// any image of the batch: dead for a ReLU. -1 when the block has no ReLU-family activation.
  double dead_share = -1;
  /// `weight`'s finite values in equal bins from `weight_low` to `weight_high` (empty without
  /// weights, or when none is finite).
  std::vector<double> weight_counts;
  double weight_low = 0;
  double weight_high = 0;
  /// How many of `weight`'s values are NaN or infinite (a diverged run's): left out of the bins.
  std::int64_t weight_not_finite = 0;

  std::string type() const;         ///< the modules joined by " → "
  std::string shape_text() const;   ///< "64×7×7"
};

struct ModelSummary {
  std::int64_t step = 0;
  std::int64_t latent_dim = 0;
  std::int64_t classes = 0;  ///< the labels a conditional model takes; 0 for an unconditional one
  std::int64_t batch = 0;    ///< images in the batch the activations were measured on
  std::vector<BlockSummary> generator;
  std::vector<BlockSummary> discriminator;
  /// Why there is no summary (the task that measures it failed); empty when there is one.
  std::string error;
};

/// Bins of a block's weight histogram.
inline constexpr int kWeightBins = 40;

/// Which blocks' weight histograms Gan::summarize counts. Counting every weight costs about as
/// much as a training step on the course-report model (histc over its 29 million weights: 180 ms
/// on the 2-core CPU), so the studio asks only for the block a person looks at.
struct SummaryScope {
  bool every_histogram = true;  ///< all blocks' histograms; else only `network`'s `block`'s
  std::string network;          ///< "G" or "D"
  std::string block;            ///< BlockSummary::name; empty: no histogram at all
};

}  // namespace gan
