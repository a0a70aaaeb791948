#include "core/judge/quality.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gan {

double inception_score(const torch::Tensor& probabilities) {
  const torch::Tensor p = probabilities.to(torch::kFloat64).clamp_min(1e-12);
  const torch::Tensor marginal = p.mean(/*dim=*/0, /*keepdim=*/true);
  const torch::Tensor kl = (p * (p.log() - marginal.log())).sum(/*dim=*/1);
  return std::exp(kl.mean().item<double>());
}

std::vector<double> class_histogram(const torch::Tensor& probabilities) {
  const auto classes = probabilities.size(1);
  const torch::Tensor counts = torch::bincount(probabilities.argmax(/*dim=*/1), /*weights=*/{}, classes);
  std::vector<double> shares(static_cast<std::size_t>(classes));
  for (std::int64_t c = 0; c < classes; ++c) {
    shares[static_cast<std::size_t>(c)] = counts[c].item<double>() / static_cast<double>(probabilities.size(0));
  }
  return shares;
}

double mean_confidence(const torch::Tensor& probabilities) {
  return std::get<0>(probabilities.max(/*dim=*/1)).to(torch::kFloat64).mean().item<double>();
}

double conditional_accuracy(const torch::Tensor& probabilities, const torch::Tensor& asked) {
  return probabilities.argmax(/*dim=*/1).eq(asked).to(torch::kFloat64).mean().item<double>();
}

std::vector<double> class_confidence(const torch::Tensor& probabilities, const torch::Tensor& asked) {
  // The probability each sample gives its own asked-for class, averaged per class.
  const std::int64_t classes = probabilities.size(1);
  const torch::Tensor own = probabilities.gather(/*dim=*/1, asked.unsqueeze(1)).squeeze(1).to(torch::kFloat64);
  const torch::Tensor sums = torch::zeros({classes}, torch::kFloat64).index_add_(0, asked, own);
  const torch::Tensor counts =
      torch::zeros({classes}, torch::kFloat64).index_add_(0, asked, torch::ones_like(own)).clamp_min(1);
  const torch::Tensor means = sums / counts;
  return {means.data_ptr<double>(), means.data_ptr<double>() + classes};
}

FeatureStatistics feature_statistics(const torch::Tensor& features) {
  const torch::Tensor x = features.to(torch::kFloat64);
  const torch::Tensor mean = x.mean(/*dim=*/0);
  const torch::Tensor centred = x - mean;
  return {mean, centred.t().mm(centred) / static_cast<double>(x.size(0) - 1)};
}

namespace {

// Square root of a symmetric positive semi-definite matrix (negative round-off clamped to 0).
torch::Tensor symmetric_sqrt(const torch::Tensor& matrix) {
  const auto [values, vectors] = at::linalg_eigh(matrix, "L");
  return vectors.mm(torch::diag(values.clamp_min(0).sqrt())).mm(vectors.t());
}

}  // namespace

double frechet_distance(const FeatureStatistics& a, const FeatureStatistics& b) {
  for (const torch::Tensor& t : {a.mean, a.covariance, b.mean, b.covariance}) {
    if (!torch::isfinite(t).all().item<bool>()) {
      throw std::domain_error("the Fréchet distance is not finite: the feature statistics hold NaN or infinity");
    }
  }
  const torch::Tensor root_a = symmetric_sqrt(a.covariance);
  torch::Tensor middle = root_a.mm(b.covariance).mm(root_a);
  middle = (middle + middle.t()) / 2;  // symmetric up to round-off
  const double trace_root = at::linalg_eigvalsh(middle, "L").clamp_min(0).sqrt().sum().item<double>();
  const double mean_term = (a.mean - b.mean).pow(2).sum().item<double>();
  const double value = mean_term + a.covariance.trace().item<double>() + b.covariance.trace().item<double>() - 2 * trace_root;
  // std::max(NaN, 0.0) is NaN: check first, so a NaN never passes for a distance.
  if (!std::isfinite(value)) {
    throw std::domain_error("the Fréchet distance is not finite: the feature statistics hold NaN or infinity");
  }
  return std::max(value, 0.0);
}

bool looks_collapsed(const std::vector<double>& histogram, double high, double low) {
  return std::any_of(histogram.begin(), histogram.end(), [&](double share) { return share > high || share < low; });
}

}  // namespace gan
