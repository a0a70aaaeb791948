// Every family and loss (model.architecture, model.conditional, model.loss) through the same step:
// shapes, gradients reaching every parameter, the fixed-buffer step equal to the eager one,
// checkpoints that resume exactly, and what a conditional model draws.
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <cmath>
#include <tuple>

#include "core/model/gan.h"
#include "core/model/losses.h"
#include "core/model/models.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

// 8x8 images in four classes.
ImageSet labelled_images(std::int64_t count = 256) {
  ImageSet set = test::tiny_images(count);
  for (std::size_t i = 0; i < set.labels.size(); ++i) set.labels[i] = static_cast<std::uint8_t>(i % 4);
  return set;
}

using Variant = std::tuple<Architecture, bool, Loss>;

Config variant_config(const Variant& variant) {
  Config config = test::tiny_config();
  config.model.architecture = std::get<0>(variant);
  config.model.conditional = std::get<1>(variant);
  config.model.loss = std::get<2>(variant);
  config.model.generator.channels = {8, 4};
  config.model.discriminator.channels = {4, 8};
  if (config.model.loss == Loss::kWganGp) {
    config.model.discriminator.batch_norm = false;
    config.train.d_steps = 2;
  }
  return config;
}

std::string variant_name(const testing::TestParamInfo<Variant>& info) {
  std::string name = std::string(to_string(std::get<0>(info.param))) + (std::get<1>(info.param) ? "_conditional_" : "_") +
                     to_string(std::get<2>(info.param));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

std::vector<torch::Tensor> parameters_of(torch::nn::Module& module) {
  std::vector<torch::Tensor> copies;
  for (const auto& p : module.parameters()) copies.push_back(p.detach().clone());
  return copies;
}

using test::losses_of;

class EveryVariant : public testing::TestWithParam<Variant> {};

TEST_P(EveryVariant, NetworksSpeakFlatImagesAndOneOutputEach) {
  const Config config = variant_config(GetParam());
  const DataShape shape{8, 8, 4};
  Generator generator(config.model, shape);
  Discriminator discriminator(config.model, shape);
  const torch::Tensor labels = config.model.conditional ? torch::tensor({0, 1, 2, 3, 0}, torch::kLong) : torch::Tensor();
  const torch::Tensor images = generator->forward(torch::randn({5, config.model.latent_dim}), labels);
  EXPECT_EQ(images.sizes(), (std::vector<std::int64_t>{5, 64}));
  EXPECT_LE(images.abs().max().item<float>(), 1.0f);  // Tanh
  const torch::Tensor scores = discriminator->forward(images, labels);
  EXPECT_EQ(scores.sizes(), (std::vector<std::int64_t>{5, 1}));
  if (config.model.loss == Loss::kBce) {
    EXPECT_TRUE(((scores >= 0) & (scores <= 1)).all().item<bool>());
  }
}

TEST_P(EveryVariant, AStepTrainsEveryParameterOfBothNetworks) {
  Gan gan(variant_config(GetParam()), labelled_images());
  const auto g_before = parameters_of(*gan.generator());
  const auto d_before = parameters_of(*gan.discriminator());
  const torch::Tensor values = gan.train_step();
  ASSERT_EQ(values.numel(), 4);
  EXPECT_TRUE(torch::isfinite(values).all().item<bool>()) << values;
  const auto g_after = parameters_of(*gan.generator());
  const auto d_after = parameters_of(*gan.discriminator());
  for (std::size_t i = 0; i < g_before.size(); ++i) EXPECT_FALSE(torch::equal(g_before[i], g_after[i])) << "G parameter " << i;
  // WGAN-GP scores the difference of D's outputs, to which the output layer's bias (D's last
  // parameter) adds nothing: its gradient is exactly 0. So does hinge while every output is inside
  // its margins, as they are at the start for an MLP D.
  const Loss loss = std::get<2>(GetParam());
  for (std::size_t i = 0; i < d_before.size(); ++i) {
    if (i + 1 == d_before.size() && loss == Loss::kWganGp) {
      EXPECT_TRUE(torch::equal(d_before[i], d_after[i])) << "D's output bias";
      continue;
    }
    if (i + 1 == d_before.size() && loss == Loss::kHinge) continue;
    EXPECT_FALSE(torch::equal(d_before[i], d_after[i])) << "D parameter " << i;
  }
}

TEST_P(EveryVariant, TheFixedBufferStepIsTheEagerStep) {
  // What a CUDA graph captures (fixed buffers, Adam on the device) against the eager step, on a CPU.
  std::vector<float> eager;
  {
    Gan gan(variant_config(GetParam()), labelled_images(), StepMode::kEager);
    eager = losses_of(gan, 20);
  }
  Gan uncaptured(variant_config(GetParam()), labelled_images(), StepMode::kUncaptured);
  const auto fixed = losses_of(uncaptured, 20);
  ASSERT_EQ(fixed.size(), eager.size());
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    // WGAN-GP's d_loss holds the gradient penalty, the norm of D's input gradient at random points:
    // piecewise constant in which side of LeakyReLU's kink each unit falls, so last-bit differences
    // (the two Adams round differently) can flip a unit there and move that one value by ~1e-3
    // (seen at one step of 20 once each critic step drew a fresh real batch). The other three
    // numbers, and d_loss at every other step, stay within 1e-4.
    const bool penalty = std::get<2>(GetParam()) == Loss::kWganGp && i % 4 == 0;
    EXPECT_NEAR(fixed[i], eager[i], (penalty ? 1e-2 : 1e-4) * (1 + std::abs(eager[i]))) << i;
  }
}

TEST_P(EveryVariant, TheCapturedStepIsTheEagerStepOnAGpu) {
  // Labels and the penalty's mixing weights are drawn inside the captured step: each replay must
  // draw fresh ones, as the eager step does (packaging/gpu/check.sh runs this on the GPU machine).
  if (!torch::cuda::is_available() || !CudaGraph::supported()) GTEST_SKIP() << "needs a CUDA device and CUDA graphs";
  Config config = variant_config(GetParam());
  config.train.device = DeviceChoice::cuda(0);
  std::vector<float> eager;
  {
    Gan gan(config, labelled_images(), StepMode::kEager);
    eager = losses_of(gan, 20);
  }
  Gan graph(config, labelled_images(), StepMode::kGraph);
  const auto replayed = losses_of(graph, 20);
  ASSERT_EQ(replayed.size(), eager.size());
  for (std::size_t i = 0; i < replayed.size(); ++i) EXPECT_NEAR(replayed[i], eager[i], 1e-3 * (1 + std::abs(eager[i]))) << i;
}

TEST_P(EveryVariant, ACheckpointResumesExactly) {
  test::TempFolder dir;
  const auto checkpoint = dir.path() / "step.pt";
  std::vector<float> expected;
  {
    Gan gan(variant_config(GetParam()), labelled_images());
    losses_of(gan, 7);
    gan.save_checkpoint(checkpoint);
    expected = losses_of(gan, 9);
  }
  Gan resumed(variant_config(GetParam()), labelled_images());
  resumed.load_checkpoint(checkpoint);
  EXPECT_EQ(resumed.step(), 7);
  EXPECT_EQ(losses_of(resumed, 9), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Families, EveryVariant,
    testing::Combine(testing::Values(Architecture::kMlp, Architecture::kDcgan), testing::Bool(),
                     testing::Values(Loss::kBce, Loss::kLsgan, Loss::kHinge, Loss::kWganGp)),
    variant_name);

TEST(Losses, EachLossHasItsTextbookValues) {
  const torch::Tensor half = torch::full({4, 1}, 0.5);
  EXPECT_NEAR(discriminator_loss(Loss::kBce, half, half).item<double>(), std::log(2.0), 1e-6);
  EXPECT_NEAR(generator_loss(Loss::kBce, half).item<double>(), std::log(2.0), 1e-6);
  const torch::Tensor ones = torch::ones({4, 1});
  const torch::Tensor zeros = torch::zeros({4, 1});
  EXPECT_DOUBLE_EQ(discriminator_loss(Loss::kLsgan, ones, zeros).item<double>(), 0.0);
  EXPECT_NEAR(discriminator_loss(Loss::kLsgan, half, half).item<double>(), 0.25, 1e-6);
  EXPECT_DOUBLE_EQ(generator_loss(Loss::kLsgan, zeros).item<double>(), 1.0);
  // Hinge: margins met cost nothing; scores of 0 cost 1 on each side.
  EXPECT_DOUBLE_EQ(discriminator_loss(Loss::kHinge, 2 * ones, -2 * ones).item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(discriminator_loss(Loss::kHinge, zeros, zeros).item<double>(), 2.0);
  EXPECT_DOUBLE_EQ(generator_loss(Loss::kHinge, 3 * ones).item<double>(), -3.0);
  EXPECT_DOUBLE_EQ(discriminator_loss(Loss::kWganGp, 3 * ones, ones).item<double>(), -2.0);
  EXPECT_DOUBLE_EQ(generator_loss(Loss::kWganGp, 3 * ones).item<double>(), -3.0);
}

TEST(Losses, TheGradientPenaltyMeasuresTheCriticsSlope) {
  // A linear critic w·x has gradient w everywhere: the penalty is weight * (|w| - 1)^2.
  const torch::Tensor real = torch::randn({6, 5});
  const torch::Tensor fake = torch::randn({6, 5});
  const torch::Tensor mix = torch::rand({6, 1});
  for (const double norm : {1.0, 3.0}) {
    const torch::Tensor w = torch::full({5, 1}, norm / std::sqrt(5.0), torch::requires_grad());
    const torch::Tensor penalty =
        gradient_penalty([&](const torch::Tensor& x) { return x.mm(w); }, real, fake, mix, 10.0);
    EXPECT_NEAR(penalty.item<double>(), 10.0 * (norm - 1) * (norm - 1), 1e-4);
    // The penalty trains the critic: it has a gradient with respect to w (zero at the slope of 1).
    penalty.backward();
    EXPECT_NEAR(w.grad().norm().item<double>(), norm == 1.0 ? 0.0 : 2 * 10.0 * (norm - 1), 1e-3);
  }
}

TEST(ConditionalGan, TheGridsRowsAreTheClassesAndEachColumnOneStyle) {
  Config config = variant_config({Architecture::kMlp, true, Loss::kBce});
  config.sampling.grid = 3;
  Gan gan(config, labelled_images());
  EXPECT_EQ(gan.classes(), 4);
  const Image grid = gan.sample_grid();
  EXPECT_EQ(grid.width, 3 * 10 + 2);   // grid columns of 8-pixel digits with 2-pixel gaps
  EXPECT_EQ(grid.height, 4 * 10 + 2);  // one row per class
  const torch::Tensor labels = gan.evaluation_labels(10);
  EXPECT_TRUE(torch::equal(labels, torch::tensor({0, 1, 2, 3, 0, 1, 2, 3, 0, 1}, torch::kLong)));
  EXPECT_EQ(gan.evaluation_images(10).size(0), 10);
}

TEST(ConditionalGan, DrawsTheDigitAskedForAndRefusesOnesItCannot) {
  Gan gan(variant_config({Architecture::kMlp, true, Loss::kBce}), labelled_images());
  for (int i = 0; i < 5; ++i) gan.train_step();
  EXPECT_EQ(gan.generate(6, 2).size(), 6u);
  EXPECT_EQ(gan.interpolate(5, 1, 3).size(), 5u);
  try {
    gan.generate(1, 4);
    FAIL() << "digit 4 of a 4-class model";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("draws 0 to 3"), std::string::npos) << e.what();
  }
  Gan plain(test::tiny_config(), labelled_images());
  try {
    plain.generate(1, 0);
    FAIL() << "a digit from an unconditional model";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not conditional"), std::string::npos) << e.what();
  }
  // Another digit is another picture from the same noise: the label reaches G.
  Gan again(variant_config({Architecture::kMlp, true, Loss::kBce}), labelled_images());
  EXPECT_NE(again.interpolate(2, 9, 0)[0].pixels, again.interpolate(2, 9, 1)[0].pixels);
}

TEST(ConditionalGan, NeedsLabels) {
  ImageSet unlabelled = labelled_images();
  unlabelled.labels.clear();
  try {
    Gan gan(variant_config({Architecture::kMlp, true, Loss::kBce}), unlabelled);
    FAIL() << "a conditional model without labels";
  } catch (const TrainingError& e) {
    EXPECT_NE(std::string(e.what()).find("model.conditional"), std::string::npos) << e.what();
  }
}

TEST(Dcgan, RefusesImagesItsStridesDoNotDivide) {
  Config config = variant_config({Architecture::kDcgan, false, Loss::kBce});
  config.model.generator.channels = {8, 8, 4, 4};  // 8x8 images: 2^4 does not divide 8
  try {
    Gan gan(config, labelled_images());
    FAIL() << "a G that cannot reach 8x8";
  } catch (const TrainingError& e) {
    EXPECT_NE(std::string(e.what()).find("model.generator.channels"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("divide by 16"), std::string::npos) << e.what();
  }
}

// Colour: three planes per image through every family, the grid and single images in RGB.
ImageSet colour_images(std::int64_t count = 128) {
  ImageSet set = labelled_images(count);
  set.channels = 3;
  std::vector<std::uint8_t> planes;
  for (std::int64_t i = 0; i < count; ++i) {
    const auto* gray = set.pixels.data() + i * 64;
    planes.insert(planes.end(), gray, gray + 64);                         // R: the picture
    for (int p = 0; p < 64; ++p) planes.push_back(static_cast<std::uint8_t>(255 - gray[p]));  // G: its negative
    planes.insert(planes.end(), 64, static_cast<std::uint8_t>(i % 2 ? 255 : 0));  // B: flat
  }
  set.pixels = planes;
  return set;
}

class EveryColourVariant : public testing::TestWithParam<std::tuple<Architecture, bool>> {};

TEST_P(EveryColourVariant, TrainsAndDrawsInColour) {
  Config config = variant_config({std::get<0>(GetParam()), std::get<1>(GetParam()), Loss::kBce});
  const DataShape shape{8, 8, 4, 3};
  Generator generator(config.model, shape);
  const torch::Tensor labels = config.model.conditional ? torch::tensor({0, 1, 2}, torch::kLong) : torch::Tensor();
  EXPECT_EQ(generator->forward(torch::randn({3, config.model.latent_dim}), labels).sizes(),
            (std::vector<std::int64_t>{3, 192}));

  Gan gan(config, colour_images());
  for (const float value : losses_of(gan, 3)) EXPECT_TRUE(std::isfinite(value));
  const Image grid = gan.sample_grid();
  EXPECT_EQ(grid.channels, 3);
  EXPECT_EQ(grid.pixels.size(), static_cast<std::size_t>(grid.width) * grid.height * 3);
  const std::vector<Image> drawn = gan.generate(2, config.model.conditional ? std::optional<std::int64_t>(1) : std::nullopt);
  ASSERT_EQ(drawn.size(), 2u);
  EXPECT_EQ(drawn[0].channels, 3);
  EXPECT_EQ(drawn[0].width, 8);
  EXPECT_EQ(drawn[0].pixels.size(), 192u);
  // D reads a drawn picture back, and a gray drawing of the right size too (as the Ask D pad).
  EXPECT_NO_THROW(gan.ask_discriminator(drawn[0]));
  Image gray_pad;
  gray_pad.width = gray_pad.height = 8;
  gray_pad.pixels.assign(64, 128);
  EXPECT_NO_THROW(gan.ask_discriminator(gray_pad));
}

std::string colour_variant_name(const testing::TestParamInfo<std::tuple<Architecture, bool>>& variant) {
  return std::string(to_string(std::get<0>(variant.param))) + (std::get<1>(variant.param) ? "_conditional" : "");
}

INSTANTIATE_TEST_SUITE_P(Colour, EveryColourVariant,
                         testing::Combine(testing::Values(Architecture::kMlp, Architecture::kDcgan), testing::Bool()),
                         colour_variant_name);

}  // namespace
}  // namespace gan
