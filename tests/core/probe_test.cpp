// Asking D about one image (Gan::ask_discriminator, Trainer::request_verdict): its verdict is D's
// forward pass on the same tensor in eval mode, one per label for a conditional D, and asking
// changes nothing the run depends on.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/model/gan.h"
#include "core/training/trainer.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

Image random_image(int side, unsigned seed) {
  Image image;
  image.width = image.height = side;
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < side * side; ++i) image.pixels.push_back(static_cast<std::uint8_t>(byte(random)));
  return image;
}

torch::Tensor as_input(const Image& image) {
  return torch::tensor(std::vector<float>(image.pixels.begin(), image.pixels.end())).reshape({1, -1}) / 127.5 - 1.0;
}

TEST(AskDiscriminator, TheVerdictIsDsForwardOnTheSameTensorInEvalMode) {
  Config config = test::tiny_config();
  config.model.discriminator.dropout = 0.5;  // in training mode each forward would differ
  Gan gan(config, test::tiny_images());
  test::losses_of(gan, 3);
  const Image image = random_image(8, 7);
  const Verdict verdict = gan.ask_discriminator(image);
  EXPECT_EQ(verdict.step, 3);
  EXPECT_TRUE(verdict.probabilities);
  ASSERT_EQ(verdict.outputs.size(), 1u);
  torch::NoGradGuard no_grad;
  gan.discriminator()->eval();
  const double expected = gan.discriminator()->forward(as_input(image)).item<double>();
  gan.discriminator()->train();
  EXPECT_NEAR(verdict.outputs[0], expected, 1e-7);
  EXPECT_GT(verdict.outputs[0], 0.0);
  EXPECT_LT(verdict.outputs[0], 1.0);
  EXPECT_TRUE(gan.discriminator()->is_training());
}

TEST(AskDiscriminator, AConditionalDGivesOneVerdictPerLabel) {
  Config config = test::tiny_config();
  config.model.architecture = Architecture::kDcgan;
  config.model.conditional = true;
  config.model.loss = Loss::kHinge;  // raw scores
  config.model.generator.channels = {8, 4};
  config.model.discriminator.channels = {4, 8};
  ImageSet images = test::tiny_images();
  for (std::size_t i = 0; i < images.labels.size(); ++i) images.labels[i] = static_cast<std::uint8_t>(i % 4);
  Gan gan(config, images);
  test::losses_of(gan, 2);
  const Image image = random_image(8, 11);
  const Verdict verdict = gan.ask_discriminator(image);
  EXPECT_FALSE(verdict.probabilities);
  ASSERT_EQ(verdict.outputs.size(), 4u);
  torch::NoGradGuard no_grad;
  gan.discriminator()->eval();  // batch norm on its running statistics: each row alone gives the same
  for (std::int64_t label = 0; label < 4; ++label) {
    const double expected = gan.discriminator()->forward(as_input(image), torch::tensor({label})).item<double>();
    EXPECT_NEAR(verdict.outputs[static_cast<std::size_t>(label)], expected, 1e-5) << "label " << label;
  }
  gan.discriminator()->train();
}

TEST(TanhImages, DigitsBecomeRowsInMinusOneToOneAndMixedSizesAreRefused) {
  Image digit;
  digit.width = 2;
  digit.height = 1;
  digit.pixels = {0, 255};
  const torch::Tensor rows = tanh_images({digit, digit});
  EXPECT_EQ(rows.sizes(), (std::vector<std::int64_t>{2, 2}));
  EXPECT_FLOAT_EQ(rows[1][0].item<float>(), -1.0F);
  EXPECT_FLOAT_EQ(rows[1][1].item<float>(), 1.0F);
  EXPECT_THROW(tanh_images({digit, random_image(8, 1)}), std::invalid_argument);
}

TEST(AskDiscriminator, AnImageOfAnotherSizeIsRefusedSayingBoth) {
  Gan gan(test::tiny_config(), test::tiny_images());
  try {
    gan.ask_discriminator(random_image(28, 1));
    FAIL() << "a 28 x 28 image for an 8 x 8 model";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("D takes 8 x 8 images; this one is 28 x 28"), std::string::npos) << e.what();
  }
}

TEST(AskDiscriminator, AskingChangesNothingTrainingDependsOn) {
  Config config = test::tiny_config();
  config.model.discriminator.dropout = 0.3;
  std::vector<float> plain;
  {
    Gan gan(config, test::tiny_images());
    plain = test::losses_of(gan, 6);
  }
  Gan asked(config, test::tiny_images());
  std::vector<float> values = test::losses_of(asked, 3);
  asked.ask_discriminator(random_image(8, 3));
  const std::vector<float> after = test::losses_of(asked, 3);
  values.insert(values.end(), after.begin(), after.end());
  EXPECT_EQ(values, plain);
}

TEST(AskDiscriminator, TheTrainerAnswersAndSaysWhenThereIsNoJudge) {
  Config config = test::tiny_config();
  // A judge is opened from the config's data: here there is none to open (nor a machine's MNIST to
  // train one on for minutes).
  config.data.dataset = "idx";
  config.data.path = "/nonexistent/gan-studio-test";
  Trainer trainer(config, test::tiny_images());
  Verdict verdict;
  EXPECT_TRUE(trainer.request_verdict(random_image(8, 5), [&](Verdict v) { verdict = std::move(v); }));
  EXPECT_EQ(verdict.outputs.size(), 1u);
  Verdict wrong;
  wrong.outputs = {1, 2};
  trainer.request_verdict(random_image(4, 5), [&](Verdict v) { wrong = std::move(v); });
  EXPECT_TRUE(wrong.outputs.empty());  // not the model's size: answered, with nothing
  // No judge can be had: the first answer says it is being opened (beside, not waited for), and
  // once that has failed, that there is none.
  JudgeView view;
  EXPECT_TRUE(trainer.request_judge_view(random_image(8, 5), [&](JudgeView v) { view = std::move(v); }));
  EXPECT_TRUE(view.probabilities.empty());
  for (int i = 0; i < 600 && view.opening; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    trainer.request_judge_view(random_image(8, 5), [&](JudgeView v) { view = std::move(v); });
  }
  EXPECT_FALSE(view.opening);
  EXPECT_TRUE(view.probabilities.empty());
  NeighbourView neighbours;
  neighbours.opening = true;
  EXPECT_TRUE(trainer.request_neighbours(random_image(8, 5), NeighbourSpace::kPixels, 8,
                                         [&](NeighbourView v) { neighbours = std::move(v); }));
  EXPECT_FALSE(neighbours.opening);
  EXPECT_TRUE(neighbours.images.empty());
}

// The latent explorer (Gan::grid_latent, latent_directions, draw_latent, move_latent).
Config explorer_config(bool conditional) {
  Config config = test::tiny_config();
  config.model.latent_dim = 12;
  config.sampling.grid = 3;
  config.model.conditional = conditional;
  return config;
}

ImageSet four_labels() {
  ImageSet images = test::tiny_images();
  for (std::size_t i = 0; i < images.labels.size(); ++i) images.labels[i] = static_cast<std::uint8_t>(i % 4);
  return images;
}

double pixel_distance(const Image& a, const Image& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) sum += std::pow(double(a.pixels[i]) - double(b.pixels[i]), 2);
  return std::sqrt(sum);
}

TEST(LatentExplorer, SlidersAtZeroGiveBackThePickedDigitExactly) {
  for (const bool conditional : {false, true}) {
    SCOPED_TRACE(conditional ? "conditional" : "unconditional");
    Gan gan(explorer_config(conditional), four_labels());
    test::losses_of(gan, 5);
    const std::vector<Image> grid = gan.grid_digits();
    ASSERT_EQ(grid.size(), conditional ? 12u : 9u);
    for (std::int64_t cell = 0; cell < static_cast<std::int64_t>(grid.size()); ++cell) {
      const LatentPoint picked = gan.grid_latent(cell);
      EXPECT_EQ(picked.label, conditional ? cell / 3 : -1);
      const auto directions = gan.latent_directions(picked, 4, LatentDirections::kSensitive);
      const LatentPoint unmoved = move_latent(picked, directions, {0, 0, 0, 0}, 1.0);
      EXPECT_EQ(unmoved.z, picked.z);
      EXPECT_EQ(gan.draw_latent({unmoved})[0].pixels, grid[static_cast<std::size_t>(cell)].pixels) << "cell " << cell;
    }
    EXPECT_THROW(gan.grid_latent(static_cast<std::int64_t>(grid.size())), std::out_of_range);
  }
}

TEST(LatentExplorer, DirectionsAreOrthonormalAndTheSensitiveOnesMoveTheDigitMost) {
  Gan gan(explorer_config(false), test::tiny_images());
  test::losses_of(gan, 5);
  const LatentPoint point = gan.grid_latent(4);
  const auto sensitive = gan.latent_directions(point, 12, LatentDirections::kSensitive);
  const auto random = gan.latent_directions(point, 5, LatentDirections::kRandom, /*seed=*/3);
  EXPECT_EQ(random[0].vector, gan.latent_directions(point, 5, LatentDirections::kRandom, 3)[0].vector);  // seeded
  for (const auto* set : {&sensitive, &random}) {
    for (std::size_t i = 0; i < set->size(); ++i) {
      for (std::size_t j = 0; j < set->size(); ++j) {
        double dot = 0;
        for (std::size_t k = 0; k < 12; ++k) dot += double((*set)[i].vector[k]) * (*set)[j].vector[k];
        EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-5) << i << "," << j;
      }
    }
  }
  for (std::size_t i = 1; i < sensitive.size(); ++i) EXPECT_GE(sensitive[i - 1].sensitivity, sensitive[i].sensitivity);
  for (const auto& d : random) EXPECT_LE(d.sensitivity, sensitive[0].sensitivity * (1 + 1e-6));
  // The first direction changes the picture most, as measured on the digits themselves.
  auto moved_by = [&](const LatentDirection& d) {
    LatentPoint alone = point;
    alone.grid_index = -1;
    const std::vector<Image> drawn =
        gan.draw_latent({move_latent(alone, {d}, {-0.5}, 1.0), move_latent(alone, {d}, {0.5}, 1.0)});
    return pixel_distance(drawn[0], drawn[1]);
  };
  EXPECT_GT(moved_by(sensitive.front()), moved_by(sensitive.back()));
  EXPECT_GT(sensitive.front().sensitivity, 0.0);
}

TEST(LatentExplorer, TruncationScalesZAndALabelMorphEndsAtTheOtherDigit) {
  Gan gan(explorer_config(true), four_labels());
  test::losses_of(gan, 5);
  LatentPoint point = gan.grid_latent(1);  // digit 0
  const auto directions = gan.latent_directions(point, 2, LatentDirections::kRandom, 1);
  const LatentPoint half = move_latent(point, directions, {1.0, -2.0}, 0.5);
  for (std::size_t k = 0; k < point.z.size(); ++k) {
    const double expected = 0.5 * (point.z[k] + directions[0].vector[k] - 2.0 * directions[1].vector[k]);
    EXPECT_NEAR(half.z[k], expected, 1e-5);
  }
  LatentPoint alone = point;
  alone.grid_index = -1;
  LatentPoint three = alone;
  three.label = 3;
  LatentPoint morphed = alone;
  morphed.morph_to = 3;
  morphed.morph = 1.0;
  const std::vector<Image> drawn = gan.draw_latent({alone, three, morphed});
  EXPECT_LE(pixel_distance(drawn[2], drawn[1]), 2.0 * std::sqrt(64.0));  // within rounding of digit 3's
  EXPECT_GT(pixel_distance(drawn[0], drawn[1]), 0.0);
  morphed.morph = 0.0;
  EXPECT_EQ(gan.draw_latent({morphed})[0].pixels, drawn[0].pixels);
}

TEST(LatentExplorer, APointOfAnotherModelIsRefusedByName) {
  Gan gan(explorer_config(false), test::tiny_images());
  LatentPoint point = gan.grid_latent(0);
  point.z.pop_back();
  try {
    gan.draw_latent({point});
    FAIL() << "a short z was drawn";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("has 12 numbers; this one has 11"), std::string::npos) << e.what();
  }
  LatentPoint labelled = gan.grid_latent(0);
  labelled.label = 2;
  EXPECT_THROW(gan.draw_latent({labelled}), std::invalid_argument);
}

}  // namespace
}  // namespace gan
