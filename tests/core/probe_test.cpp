// Asking D about one image (Gan::ask_discriminator, Trainer::request_verdict): its verdict is D's
// forward pass on the same tensor in eval mode, one per label for a conditional D, and asking
// changes nothing the run depends on.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
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

GrayImage random_image(int side, unsigned seed) {
  GrayImage image;
  image.width = image.height = side;
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < side * side; ++i) image.pixels.push_back(static_cast<std::uint8_t>(byte(random)));
  return image;
}

torch::Tensor as_input(const GrayImage& image) {
  return torch::tensor(std::vector<float>(image.pixels.begin(), image.pixels.end())).reshape({1, -1}) / 127.5 - 1.0;
}

TEST(AskDiscriminator, TheVerdictIsDsForwardOnTheSameTensorInEvalMode) {
  Config config = test::tiny_config();
  config.model.discriminator.dropout = 0.5;  // in training mode each forward would differ
  Gan gan(config, test::tiny_images());
  test::losses_of(gan, 3);
  const GrayImage image = random_image(8, 7);
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
  const GrayImage image = random_image(8, 11);
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
  GrayImage digit;
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
}

}  // namespace
}  // namespace gan
