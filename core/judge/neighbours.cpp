#include "core/judge/neighbours.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace gan {
namespace {

// Queries per matrix product: 128 x 60,000 distances (30 MB of floats) at a time, under glibc's
// largest mmap threshold, so that the chunks reuse one allocation rather than each faulting in new pages.
constexpr std::int64_t kQueryChunk = 128;
// Candidates re-measured exactly per query: enough that the expansion's rounding (|a|^2 and |b|^2
// of hundreds, their difference near 0) cannot push the true nearest out of them.
constexpr std::int64_t kSpareCandidates = 8;

}  // namespace

TrainingNeighbours::TrainingNeighbours(torch::Tensor features, torch::Tensor images)
    : features_(features.to(torch::kFloat32).contiguous()),
      images_(images.to(torch::kFloat32).reshape({images.size(0), -1}).contiguous()) {
  if (features_.size(0) != images_.size(0) || features_.size(0) == 0) {
    throw std::invalid_argument("training neighbours need as many features as images (" +
                                std::to_string(features_.size(0)) + " and " + std::to_string(images_.size(0)) + ")");
  }
  torch::NoGradGuard no_grad;
  feature_norms_ = features_.square().sum(/*dim=*/1);
  image_norms_ = images_.square().sum(/*dim=*/1);
}

const torch::Tensor& TrainingNeighbours::table(NeighbourSpace space) const {
  return space == NeighbourSpace::kFeatures ? features_ : images_;
}

const torch::Tensor& TrainingNeighbours::norms(NeighbourSpace space) const {
  return space == NeighbourSpace::kFeatures ? feature_norms_ : image_norms_;
}

torch::Tensor TrainingNeighbours::query_rows(const torch::Tensor& queries, NeighbourSpace space) const {
  const torch::Tensor& rows = table(space);
  const torch::Tensor q = queries.to(rows.device(), torch::kFloat32).reshape({queries.size(0), -1});
  if (q.size(1) != rows.size(1)) {
    throw std::invalid_argument(std::string("a query in ") + to_string(space) + " space has " + std::to_string(q.size(1)) +
                                " values; the training set's have " + std::to_string(rows.size(1)));
  }
  return q;
}

torch::Tensor TrainingNeighbours::squared_distances(const torch::Tensor& chunk, NeighbourSpace space) const {
  // |a - b|^2 = |a|^2 + |b|^2 - 2ab for every pair: one matrix product.
  return norms(space).unsqueeze(0) - 2 * torch::matmul(chunk, table(space).t()) +
         chunk.square().sum(/*dim=*/1, /*keepdim=*/true);
}

std::vector<std::vector<Neighbour>> TrainingNeighbours::nearest(const torch::Tensor& queries, NeighbourSpace space,
                                                                std::int64_t k) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor& rows = table(space);
  const torch::Tensor q = query_rows(queries, space);
  k = std::clamp<std::int64_t>(k, 1, rows.size(0));
  const std::int64_t candidates = std::min(rows.size(0), k + kSpareCandidates);
  std::vector<std::vector<Neighbour>> result;
  result.reserve(static_cast<std::size_t>(q.size(0)));
  for (std::int64_t start = 0; start < q.size(0); start += kQueryChunk) {
    const torch::Tensor chunk = q.slice(0, start, std::min(start + kQueryChunk, q.size(0)));
    const torch::Tensor squared = squared_distances(chunk, space);
    const torch::Tensor picked = std::get<1>(squared.topk(candidates, /*dim=*/1, /*largest=*/false));
    // The candidates measured again directly: (chunk x candidates x D) differences.
    const torch::Tensor exact = (rows.index_select(0, picked.flatten()).view({chunk.size(0), candidates, -1}) -
                                 chunk.unsqueeze(1))
                                    .to(torch::kFloat64)
                                    .square()
                                    .sum(/*dim=*/2)
                                    .sqrt();
    const auto order = exact.sort(/*dim=*/1, /*descending=*/false);
    const torch::Tensor distance = std::get<0>(order).slice(1, 0, k).to(torch::kCPU).contiguous();
    const torch::Tensor index = picked.gather(1, std::get<1>(order).slice(1, 0, k)).to(torch::kCPU).contiguous();
    const auto d = distance.accessor<double, 2>();
    const auto n = index.accessor<std::int64_t, 2>();
    for (std::int64_t i = 0; i < chunk.size(0); ++i) {
      std::vector<Neighbour> row(static_cast<std::size_t>(k));
      for (std::int64_t j = 0; j < k; ++j) row[static_cast<std::size_t>(j)] = {n[i][j], d[i][j]};
      result.push_back(std::move(row));
    }
  }
  return result;
}

torch::Tensor TrainingNeighbours::nearest_distance(const torch::Tensor& queries, NeighbourSpace space) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor q = query_rows(queries, space);
  // The minimum of the expansion alone, without nearest()'s exact re-measure (it took two thirds of
  // the time at 2,000 samples): its rounding is about 1e-4 of a squared distance that is tens,
  // nothing next to a threshold near 7.
  std::vector<torch::Tensor> nearest;
  for (std::int64_t start = 0; start < q.size(0); start += kQueryChunk) {
    const torch::Tensor chunk = q.slice(0, start, std::min(start + kQueryChunk, q.size(0)));
    nearest.push_back(std::get<0>(squared_distances(chunk, space).min(/*dim=*/1)));
  }
  return torch::cat(nearest).clamp_min(0).sqrt().to(torch::kCPU, torch::kFloat64);
}

torch::Tensor TrainingNeighbours::image(std::int64_t index) const {
  if (index < 0 || index >= images_.size(0)) {
    throw std::out_of_range("training image " + std::to_string(index) + " does not exist: there are " +
                            std::to_string(images_.size(0)));
  }
  return images_[index].to(torch::kCPU).contiguous();
}

double memorised_share(const torch::Tensor& distances, double threshold) {
  if (distances.numel() == 0) return 0;
  return distances.lt(threshold).to(torch::kFloat64).mean().item<double>();
}

MemorisationReference memorisation_reference(const TrainingNeighbours& neighbours, const torch::Tensor& test_features) {
  if (test_features.size(0) < 2) throw std::invalid_argument("the memorisation yardstick needs at least two test images");
  // Even and odd places rather than the first and second half: MNIST's test set is two sources one
  // after the other (its second half sits nearer the training set: 0.595 of it under the first
  // half's median), and the two halves must be alike.
  const torch::Tensor even = test_features.slice(0, 0, test_features.size(0), 2);
  const torch::Tensor odd = test_features.slice(0, 1, test_features.size(0), 2);
  MemorisationReference reference;
  const torch::Tensor first = neighbours.nearest_distance(even, NeighbourSpace::kFeatures);
  // The lower median: an actual distance, so the figure of these digits themselves is just under 1/2.
  reference.threshold = std::get<0>(first.sort()).index({(first.size(0) - 1) / 2}).item<double>();
  reference.real_share = memorised_share(neighbours.nearest_distance(odd, NeighbourSpace::kFeatures), reference.threshold);
  return reference;
}

}  // namespace gan
