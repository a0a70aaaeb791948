// The model diagram's figures (Gan::summarize, model_summary.h): blocks as the networks are built,
// activations and dead units with known answers, weight histograms, and nothing changed by asking.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/model/gan.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

std::vector<std::string> types(const std::vector<BlockSummary>& blocks) {
  std::vector<std::string> all;
  for (const auto& block : blocks) all.push_back(block.type());
  return all;
}

std::int64_t total_parameters(const std::vector<BlockSummary>& blocks) {
  std::int64_t total = 0;
  for (const auto& block : blocks) total += block.parameter_count;
  return total;
}

TEST(ModelSummary, TheClassicMlpIsOneBlockPerLinearLayerWithItsShapeAndParameters) {
  Gan gan(test::tiny_config(), test::tiny_images());
  const ModelSummary summary = gan.summarize();
  EXPECT_EQ(summary.latent_dim, 8);
  EXPECT_EQ(summary.classes, 0);
  EXPECT_EQ(summary.batch, 4);  // the 2x2 sample grid's noise
  EXPECT_EQ(types(summary.generator), (std::vector<std::string>{"Linear → LeakyReLU", "Linear → BatchNorm1d → LeakyReLU",
                                                                 "Linear → Tanh"}));
  EXPECT_EQ(types(summary.discriminator),
            (std::vector<std::string>{"Linear → LeakyReLU", "Linear → LeakyReLU", "Linear → Sigmoid"}));
  ASSERT_EQ(summary.generator.size(), 3u);
  EXPECT_EQ(summary.generator[0].name, "layers.0");
  EXPECT_EQ(summary.generator[1].name, "layers.2");
  EXPECT_EQ(summary.generator[1].parameters,
            (std::vector<std::string>{"layers.2.weight", "layers.2.bias", "layers.3.weight", "layers.3.bias"}));
  EXPECT_EQ(summary.generator[1].weight, "layers.2.weight");
  EXPECT_EQ(summary.generator[1].output_shape, (std::vector<std::int64_t>{32}));
  EXPECT_EQ(summary.generator[2].output_shape, (std::vector<std::int64_t>{64}));
  EXPECT_EQ(summary.discriminator.back().output_shape, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(summary.generator[1].parameter_count, 16 * 32 + 32 + 32 + 32);
  EXPECT_EQ(total_parameters(summary.generator), parameter_count(*gan.generator()));
  EXPECT_EQ(total_parameters(summary.discriminator), parameter_count(*gan.discriminator()));
  // Only blocks with a ReLU-family activation have dead units to count.
  EXPECT_GE(summary.generator[0].dead_share, 0.0);
  EXPECT_EQ(summary.generator[2].dead_share, -1.0);
  // Every weight in a bin.
  for (const auto& block : summary.generator) {
    ASSERT_EQ(block.weight_counts.size(), static_cast<std::size_t>(kWeightBins)) << block.name;
    const double counted = std::accumulate(block.weight_counts.begin(), block.weight_counts.end(), 0.0);
    EXPECT_EQ(counted, static_cast<double>(gan.generator()->named_parameters()[block.weight].numel())) << block.name;
  }
}

TEST(ModelSummary, ActivationsAndDeadUnitsHaveKnownAnswers) {
  Gan gan(test::tiny_config(), test::tiny_images());
  auto parameters = gan.generator()->named_parameters();
  {
    torch::NoGradGuard no_grad;
    parameters["layers.0.weight"].zero_();
    parameters["layers.0.bias"].fill_(0.5);  // every unit 0.5 for every z, and LeakyReLU keeps it
  }
  BlockSummary block = gan.summarize().generator[0];
  EXPECT_NEAR(block.activation_mean, 0.5, 1e-7);
  EXPECT_NEAR(block.activation_std, 0.0, 1e-7);
  EXPECT_EQ(block.dead_share, 0.0);
  // A weight histogram of zeros: one bin around 0 holds them all.
  EXPECT_LT(block.weight_low, 0.0);
  EXPECT_GT(block.weight_high, 0.0);
  EXPECT_EQ(*std::max_element(block.weight_counts.begin(), block.weight_counts.end()), 8.0 * 16.0);
  {
    torch::NoGradGuard no_grad;
    parameters["layers.0.bias"].fill_(-1.0);  // every unit negative: dead; LeakyReLU 0.2 gives -0.2
    parameters["layers.0.bias"][3].fill_(2.0);  // but one
  }
  block = gan.summarize().generator[0];
  EXPECT_NEAR(block.dead_share, 15.0 / 16.0, 1e-12);
  EXPECT_NEAR(block.activation_mean, (15 * -0.2 + 2.0) / 16.0, 1e-6);
}

TEST(ModelSummary, AConditionalDcganShowsItsEmbeddingsAndImageShapes) {
  Config config = test::tiny_config();
  config.model.architecture = Architecture::kDcgan;
  config.model.conditional = true;
  config.model.generator.channels = {8, 4};
  config.model.discriminator.channels = {4, 8};
  ImageSet images = test::tiny_images();
  for (std::size_t i = 0; i < images.labels.size(); ++i) images.labels[i] = static_cast<std::uint8_t>(i % 3);
  Gan gan(config, images);
  const ModelSummary summary = gan.summarize();
  EXPECT_EQ(summary.classes, 3);
  EXPECT_EQ(summary.batch, 3 * 2);  // one row per class of the grid's 2 columns
  ASSERT_EQ(summary.generator.size(), 4u);
  EXPECT_EQ(summary.generator[0].name, "label_embedding");
  EXPECT_EQ(summary.generator[0].output_shape, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(summary.generator[1].type(), "Linear → Unflatten → BatchNorm2d → LeakyReLU");
  EXPECT_EQ(summary.generator[1].output_shape, (std::vector<std::int64_t>{8, 2, 2}));
  EXPECT_EQ(summary.generator[1].shape_text(), "8×2×2");
  EXPECT_EQ(summary.generator[3].type(), "ConvTranspose2d → Tanh → Flatten");
  EXPECT_EQ(summary.generator[3].output_shape, (std::vector<std::int64_t>{1, 8, 8}));  // before the Flatten
  ASSERT_EQ(summary.discriminator.size(), 4u);
  EXPECT_EQ(summary.discriminator[0].name, "label_embedding");
  EXPECT_EQ(summary.discriminator[1].type(), "Unflatten → Conv2d → LeakyReLU");
  EXPECT_EQ(summary.discriminator[1].output_shape, (std::vector<std::int64_t>{4, 4, 4}));
  EXPECT_EQ(summary.discriminator[2].type(), "Conv2d → BatchNorm2d → LeakyReLU → Flatten");
  EXPECT_EQ(summary.discriminator[2].output_shape, (std::vector<std::int64_t>{8, 2, 2}));
  EXPECT_EQ(summary.discriminator.back().output_shape, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(total_parameters(summary.generator), parameter_count(*gan.generator()));
  EXPECT_EQ(total_parameters(summary.discriminator), parameter_count(*gan.discriminator()));
}

TEST(ModelSummary, OnlyTheHistogramsAskedForAreCounted) {
  Gan gan(test::tiny_config(), test::tiny_images());
  SummaryScope one;
  one.every_histogram = false;
  one.network = "D";
  one.block = "layers.2";
  const ModelSummary summary = gan.summarize(one);
  for (const auto* blocks : {&summary.generator, &summary.discriminator}) {
    for (const auto& block : *blocks) {
      const bool asked = block.network == "D" && block.name == "layers.2";
      EXPECT_EQ(block.weight_counts.size(), asked ? static_cast<std::size_t>(kWeightBins) : 0u) << block.network << block.name;
      EXPECT_NE(block.activation_std, 0.0) << block.network << block.name;  // activations are measured for all
    }
  }
  SummaryScope none = one;
  none.block.clear();
  for (const auto& block : gan.summarize(none).generator) EXPECT_TRUE(block.weight_counts.empty());
}

// A diverged run's weights: the summary is still measured (histc refuses a NaN range, and that
// exception once reached the studio's event loop), the values that are not finite counted apart.
TEST(ModelSummary, AModelWithNonFiniteWeightsIsSummarisedWithThemCounted) {
  Gan gan(test::tiny_config(), test::tiny_images());
  {
    torch::NoGradGuard no_grad;
    torch::Tensor weight = gan.generator()->named_parameters()["layers.0.weight"];
    weight.index_put_({0, 0}, std::numeric_limits<float>::quiet_NaN());
    weight.index_put_({0, 1}, std::numeric_limits<float>::infinity());
  }
  SummaryScope scope;
  scope.every_histogram = false;
  scope.network = "G";
  scope.block = "layers.0";
  const ModelSummary summary = gan.summarize(scope);
  EXPECT_TRUE(summary.error.empty());
  ASSERT_FALSE(summary.generator.empty());
  const BlockSummary& block = summary.generator.front();
  EXPECT_EQ(block.weight_not_finite, 2);
  ASSERT_EQ(block.weight_counts.size(), static_cast<std::size_t>(kWeightBins));
  const std::int64_t weights = gan.generator()->named_parameters()["layers.0.weight"].numel();
  EXPECT_EQ(std::accumulate(block.weight_counts.begin(), block.weight_counts.end(), 0.0), static_cast<double>(weights - 2));
  EXPECT_TRUE(std::isfinite(block.weight_low) && std::isfinite(block.weight_high));

  {
    torch::NoGradGuard no_grad;
    gan.generator()->named_parameters()["layers.0.weight"].fill_(std::numeric_limits<float>::quiet_NaN());
  }
  const BlockSummary all_nan = gan.summarize(scope).generator.front();
  EXPECT_EQ(all_nan.weight_not_finite, weights);
  EXPECT_TRUE(all_nan.weight_counts.empty());
}

TEST(ModelSummary, AskingChangesNothingTrainingDependsOn) {
  Config config = test::tiny_config();
  config.model.discriminator.dropout = 0.3;  // dropout would draw from the RNG in training mode
  // Each Gan seeds the training RNG when built: one after the other, the two runs start alike.
  std::vector<float> plain;
  {
    Gan gan(config, test::tiny_images());
    plain = test::losses_of(gan, 6);
  }
  Gan asked(config, test::tiny_images());
  std::vector<float> values = test::losses_of(asked, 3);
  asked.summarize();
  const std::vector<float> after = test::losses_of(asked, 3);
  values.insert(values.end(), after.begin(), after.end());
  EXPECT_EQ(values, plain);
  EXPECT_TRUE(asked.generator()->is_training());
  EXPECT_TRUE(asked.discriminator()->is_training());
}

}  // namespace
}  // namespace gan
