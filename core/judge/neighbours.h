// The training set as a lookup table: the training images nearest to any image, in the judge's
// feature space or in pixel space, and the memorisation figure built on them ("did G copy its
// training digits?", after StudioGAN's nearest-neighbour analysis). The 60,000 training features
// and pixels stay on the run's device; a query is one matrix product, |a|^2 + |b|^2 - 2ab.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "core/model/probe.h"

namespace gan {

struct Neighbour {
  std::int64_t index = 0;  ///< in the training set, as the dataset's file orders it
  double distance = 0;     ///< Euclidean, in the space asked for
};

/// The memorisation figure's yardstick: how near real digits the generator never saw come to the
/// training set. The threshold is the median distance (judge features) from a test digit at an even
/// place to its nearest training image; the real figure is the share of the test digits at odd
/// places nearer than that, about one half by construction, the dashed line a generator that
/// draws new digits from the data's own distribution sits on. A generator that copies comes near 1.
struct MemorisationReference {
  double threshold = 0;
  double real_share = 0;
};

class TrainingNeighbours {
 public:
  /// `features` (N x D) and `images` (N x pixels, in [-1, 1]) of the same N training images, on the
  /// device the queries will run on.
  TrainingNeighbours(torch::Tensor features, torch::Tensor images);

  /// The `k` nearest training images of each query row (M x D features or M x pixels, any device),
  /// nearest first. Distances are exact: the expanded product picks the candidates, and their
  /// distances are computed again directly, so a training image finds itself at distance 0.
  std::vector<std::vector<Neighbour>> nearest(const torch::Tensor& queries, NeighbourSpace space, std::int64_t k) const;
  /// The distance of each query row to its nearest training image (M, float64, on the CPU), from
  /// the expansion alone: within about 1e-3 of the exact one (a training image's own is below 0.02).
  torch::Tensor nearest_distance(const torch::Tensor& queries, NeighbourSpace space) const;

  /// Training image `index` (pixels, in [-1, 1], on the CPU).
  torch::Tensor image(std::int64_t index) const;
  std::int64_t size() const { return features_.size(0); }
  const torch::Tensor& features() const { return features_; }

 private:
  const torch::Tensor& table(NeighbourSpace space) const;
  const torch::Tensor& norms(NeighbourSpace space) const;
  /// `queries` as float rows on the table's device; throws std::invalid_argument naming both
  /// widths when they are not the table's.
  torch::Tensor query_rows(const torch::Tensor& queries, NeighbourSpace space) const;
  /// Squared distances of each row of `chunk` to every training row (chunk x N), by the expansion.
  torch::Tensor squared_distances(const torch::Tensor& chunk, NeighbourSpace space) const;

  torch::Tensor features_, feature_norms_;  // N x D, N (squared norms)
  torch::Tensor images_, image_norms_;
};

/// Share of `distances` (nearest-training-image distances of generated digits) below `threshold`.
double memorised_share(const torch::Tensor& distances, double threshold);

/// The yardstick from the judge's features of the test set (its even and odd places).
MemorisationReference memorisation_reference(const TrainingNeighbours& neighbours, const torch::Tensor& test_features);

}  // namespace gan
