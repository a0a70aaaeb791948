// Sample-quality measures computed from a classifier's outputs (the groundwork of issue 6: the
// MNIST judge will supply the class probabilities and penultimate features).
//   Inception Score  exp(E_x KL(p(y|x) || p(y)))      1 (one class, or no confidence) .. C classes
//   Fréchet distance |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^1/2) between Gaussian fits of features
#pragma once

#include <torch/types.h>

#include <vector>

namespace gan {

/// Inception Score of N x C class probabilities (rows sum to 1).
double inception_score(const torch::Tensor& probabilities);

/// Share of samples whose most likely class is c, for each of the C classes.
std::vector<double> class_histogram(const torch::Tensor& probabilities);

/// Share of samples whose most likely class is the one in `asked` (N class indices).
double conditional_accuracy(const torch::Tensor& probabilities, const torch::Tensor& asked);

/// For each of the C classes, the mean probability of that class over the samples that asked for
/// it (0 for a class no sample asked for).
std::vector<double> class_confidence(const torch::Tensor& probabilities, const torch::Tensor& asked);

/// Mean of each sample's highest class probability.
double mean_confidence(const torch::Tensor& probabilities);

/// Mean and covariance of N x D features (float64, for a stable Fréchet distance).
struct FeatureStatistics {
  torch::Tensor mean;        ///< D
  torch::Tensor covariance;  ///< D x D
};
FeatureStatistics feature_statistics(const torch::Tensor& features);

/// Fréchet distance between two Gaussians. The matrix square root comes from symmetric
/// eigendecompositions: Tr((S1 S2)^1/2) = sum of sqrt(eig(S1^1/2 S2 S1^1/2)). Throws
/// std::domain_error when the statistics are not finite.
double frechet_distance(const FeatureStatistics& a, const FeatureStatistics& b);

/// True when one class takes more than `high` of the samples or any class less than `low`.
bool looks_collapsed(const std::vector<double>& histogram, double high = 0.30, double low = 0.02);

}  // namespace gan
