// Questions asked of the model by hand (the studio's Ask D panel, gan-eval): what D and the judge
// say of an image. Torch-free, for the UI; Gan::ask_discriminator (probe.cpp) and
// Trainer::request_judge_view answer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/io/image.h"

namespace gan {

/// D's verdict on one image, by the model of step `step`.
struct Verdict {
  std::int64_t step = 0;
  /// D's outputs are probabilities (bce: "real" is 1) rather than raw scores (the other losses).
  bool probabilities = true;
  /// One output for an unconditional D; for a conditional one, D's output with each label in turn
  /// (label i at index i): how far D takes the image for a real example of that digit.
  std::vector<double> outputs;
  /// Why D gave no verdict (the task that asks it failed); empty otherwise.
  std::string error;
};

/// The judge's reading of one image.
struct JudgeView {
  /// Its class probabilities (class i at index i); empty when it has none to give.
  std::vector<double> probabilities;
  /// The judge is being opened (trained on first use: a minute or two): ask again later.
  bool opening = false;
};

/// A point of the latent space, as the studio's latent explorer walks it (Gan::grid_latent,
/// Gan::draw_latent).
struct LatentPoint {
  std::vector<float> z;          ///< latent_dim numbers
  std::int64_t label = -1;       ///< a conditional model's digit; -1 for an unconditional one
  std::int64_t morph_to = -1;    ///< a conditional model: a second digit whose embedding is mixed in; -1: none
  double morph = 0;              ///< 0: `label`'s embedding .. 1: `morph_to`'s
  /// The sample-grid cell the point was picked from: drawn in the grid's own batch, so that the
  /// unmoved point gives back the cell's digit to the last bit. -1: drawn alone.
  std::int64_t grid_index = -1;
};

/// How the explorer's sliders point (Gan::latent_directions).
enum class LatentDirections {
  kSensitive,  ///< the directions the digit changes most along at this z: G's Jacobian's top singular vectors
  kRandom,     ///< random orthonormal ones (fixed by a seed)
};

/// One slider's direction: a unit vector in the latent space, and how much the picture moves per
/// unit along it at the point it was found for (|J d|, pixels in [-1, 1]).
struct LatentDirection {
  std::vector<float> vector;
  double sensitivity = 0;
};

/// A digit picked for the explorer: its point, the sliders' directions there, and the digit itself.
struct LatentPick {
  LatentPoint point;
  std::vector<LatentDirection> directions;
  Image digit;
  std::int64_t classes = 0;  ///< a conditional model's digits (labels 0 .. classes-1); 0: unconditional
};

/// `point` moved by `steps[i]` along `directions[i]` and the result scaled by `truncation`:
/// truncation * (z + sum steps[i] * directions[i]); the label and morph as `point`'s. With every
/// step 0 and truncation 1, z is the point's own, bit for bit.
LatentPoint move_latent(const LatentPoint& point, const std::vector<LatentDirection>& directions,
                        const std::vector<double>& steps, double truncation);

/// Where nearness to the training images is measured (core/judge/neighbours.h).
enum class NeighbourSpace {
  kFeatures,  ///< the judge's penultimate features: "the same digit, drawn alike"
  kPixels,    ///< raw pixels in [-1, 1]: "the same picture"
};
const char* to_string(NeighbourSpace space);

/// The training images nearest one image (neighbours.h), nearest first.
struct NeighbourView {
  std::vector<Image> images;
  std::vector<std::int64_t> indices;  ///< in the training set
  std::vector<double> distances;      ///< Euclidean, in the space asked for
  /// The judge (whose features and table these are) is being opened: ask again later.
  bool opening = false;
};

}  // namespace gan
