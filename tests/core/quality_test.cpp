#include "core/judge/quality.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>
#include <torch/torch.h>

namespace gan {
namespace {

TEST(Quality, InceptionScoreSpansOneToTheClassCount) {
  // Confident and evenly spread over 10 classes: IS = 10.
  const torch::Tensor spread = torch::eye(10).repeat({20, 1});
  EXPECT_NEAR(inception_score(spread), 10.0, 1e-6);
  // Confident but all one class (collapse): IS = 1.
  torch::Tensor one_class = torch::zeros({200, 10});
  one_class.select(1, 3).fill_(1);
  EXPECT_NEAR(inception_score(one_class), 1.0, 1e-6);
  // No confidence at all (uniform noise for a classifier): IS = 1.
  EXPECT_NEAR(inception_score(torch::full({200, 10}, 0.1)), 1.0, 1e-6);
  // Half the classes, confidently: IS = 5.
  EXPECT_NEAR(inception_score(torch::eye(10).slice(0, 0, 5).repeat({10, 1})), 5.0, 1e-6);
}

TEST(Quality, HistogramConfidenceAndCollapse) {
  torch::Tensor p = torch::full({10, 10}, 0.0);
  for (int i = 0; i < 10; ++i) p[i][i % 2] = 0.8, p[i][9] = 0.2;  // classes 0 and 1 only
  const auto histogram = class_histogram(p);
  EXPECT_DOUBLE_EQ(histogram[0], 0.5);
  EXPECT_DOUBLE_EQ(histogram[1], 0.5);
  EXPECT_DOUBLE_EQ(histogram[5], 0.0);
  EXPECT_NEAR(mean_confidence(p), 0.8, 1e-6);
  EXPECT_TRUE(looks_collapsed(histogram));
  EXPECT_FALSE(looks_collapsed(std::vector<double>(10, 0.1)));
  EXPECT_TRUE(looks_collapsed({0.31, 0.69}));
}

TEST(Quality, ConditionalAccuracyAndEachClasssConfidence) {
  // Four samples asked for classes 0, 1, 1, 2 of three.
  const torch::Tensor p = torch::tensor({{0.9, 0.05, 0.05}, {0.2, 0.7, 0.1}, {0.6, 0.3, 0.1}, {0.1, 0.1, 0.8}},
                                        torch::kFloat64);
  const torch::Tensor asked = torch::tensor({0, 1, 1, 2}, torch::kLong);
  EXPECT_DOUBLE_EQ(conditional_accuracy(p, asked), 0.75);
  const auto confidence = class_confidence(p, asked);
  ASSERT_EQ(confidence.size(), 3u);
  EXPECT_NEAR(confidence[0], 0.9, 1e-12);
  EXPECT_NEAR(confidence[1], 0.5, 1e-12);  // (0.7 + 0.3) / 2
  EXPECT_NEAR(confidence[2], 0.8, 1e-12);
}

TEST(Quality, FrechetDistanceOfKnownGaussians) {
  torch::manual_seed(1);
  const torch::Tensor a = torch::randn({20000, 4}, torch::kFloat64);
  const torch::Tensor b = torch::randn({20000, 4}, torch::kFloat64);
  // Same distribution: near 0.
  EXPECT_NEAR(frechet_distance(feature_statistics(a), feature_statistics(b)), 0.0, 0.01);
  // Shifted by 3 in every one of 4 dimensions: |mu1 - mu2|^2 = 36.
  EXPECT_NEAR(frechet_distance(feature_statistics(a), feature_statistics(b + 3)), 36.0, 0.2);
  // Scaled by 2: Tr(S1 + S2 - 2 (S1 S2)^1/2) = 4 * (1 + 4 - 2 * 2) = 4.
  EXPECT_NEAR(frechet_distance(feature_statistics(a), feature_statistics(b * 2)), 4.0, 0.15);
  // Exactly zero against itself, and symmetric.
  const auto stats = feature_statistics(a);
  EXPECT_NEAR(frechet_distance(stats, stats), 0.0, 1e-6);
  EXPECT_NEAR(frechet_distance(feature_statistics(a), feature_statistics(b * 2)),
              frechet_distance(feature_statistics(b * 2), feature_statistics(a)), 1e-6);
}

TEST(Quality, AFrechetDistanceOfNonFiniteFeaturesIsAnErrorNotANan) {
  // std::max(NaN, 0.0) is NaN: this once let a NaN through as a distance.
  torch::manual_seed(2);
  const torch::Tensor a = torch::randn({100, 3}, torch::kFloat64);
  torch::Tensor b = torch::randn({100, 3}, torch::kFloat64);
  b[5][1] = std::numeric_limits<double>::quiet_NaN();
  try {
    frechet_distance(feature_statistics(a), feature_statistics(b));
    FAIL() << "expected std::domain_error";
  } catch (const std::domain_error& e) {
    EXPECT_NE(std::string(e.what()).find("not finite"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gan
