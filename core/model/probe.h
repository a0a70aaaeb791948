// Questions asked of the model by hand (the studio's Ask D panel, gan-eval): what D and the judge
// say of an image. Torch-free, for the UI; Gan::ask_discriminator (probe.cpp) and
// Trainer::request_judge_view answer.
#pragma once

#include <cstdint>
#include <vector>

namespace gan {

/// D's verdict on one image, by the model of step `step`.
struct Verdict {
  std::int64_t step = 0;
  /// D's outputs are probabilities (bce: "real" is 1) rather than raw scores (the other losses).
  bool probabilities = true;
  /// One output for an unconditional D; for a conditional one, D's output with each label in turn
  /// (label i at index i): how far D takes the image for a real example of that digit.
  std::vector<double> outputs;
};

/// The judge's reading of one image.
struct JudgeView {
  /// Its class probabilities (class i at index i); empty when it has none to give.
  std::vector<double> probabilities;
  /// The judge is being opened (trained on first use: a minute or two): ask again later.
  bool opening = false;
};

}  // namespace gan
