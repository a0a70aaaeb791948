// Steps of one network alone (Gan::train_step's side, the studio's Step D and Step G): each
// changes only its own side's parameters, reports the four numbers a full step does, and a run
// that had some still resumes exactly from a checkpoint.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/model/gan.h"
#include "core/model/losses.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

using test::flat_parameters;

struct OneSideCase {
  std::string name;
  Config config;
  StepMode mode;
};

std::vector<OneSideCase> variants() {
  std::vector<OneSideCase> all;
  for (StepMode mode : {StepMode::kEager, StepMode::kUncaptured}) {
    const std::string suffix = mode == StepMode::kEager ? "_eager" : "_uncaptured";
    Config mlp = test::tiny_config();
    mlp.model.discriminator.dropout = 0.3;
    mlp.train.d_steps = 2;
    all.push_back({"mlp_dropout_two_d_steps" + suffix, mlp, mode});

    Config dcgan = test::tiny_config();
    dcgan.model.architecture = Architecture::kDcgan;
    dcgan.model.generator.channels = {8, 4};
    dcgan.model.discriminator.channels = {4, 8};
    dcgan.model.discriminator.batch_norm = true;
    dcgan.model.conditional = true;
    all.push_back({"dcgan_conditional" + suffix, dcgan, mode});

    Config wgan = test::tiny_config();
    wgan.model.loss = Loss::kWganGp;
    wgan.train.d_steps = 3;
    all.push_back({"wgan_gp" + suffix, wgan, mode});
  }
  return all;
}

class OneSide : public ::testing::TestWithParam<OneSideCase> {};

TEST_P(OneSide, StepsChangeOnlyTheirOwnSidesParameters) {
  const OneSideCase& v = GetParam();
  Gan gan(v.config, test::tiny_images(), v.mode);
  gan.train_step();  // past the first step, so that Adam has state on both sides

  for (StepSide side : {StepSide::kDiscriminator, StepSide::kGenerator, StepSide::kDiscriminator}) {
    SCOPED_TRACE(to_string(side));
    const torch::Tensor g_before = flat_parameters(*gan.generator());
    const torch::Tensor d_before = flat_parameters(*gan.discriminator());
    const std::int64_t step = gan.step();
    const torch::Tensor values = gan.train_step(side).to(torch::kCPU);
    EXPECT_EQ(gan.step(), step + 1);  // a step like any other: the batch and the step count move on
    for (int k = 0; k < 4; ++k) EXPECT_TRUE(std::isfinite(values[k].item<float>())) << "value " << k;
    const bool g_same = torch::equal(flat_parameters(*gan.generator()), g_before);
    const bool d_same = torch::equal(flat_parameters(*gan.discriminator()), d_before);
    EXPECT_EQ(g_same, side == StepSide::kDiscriminator);
    EXPECT_EQ(d_same, side == StepSide::kGenerator);
  }
}

TEST_P(OneSide, ARunWithOneSidedStepsResumesExactly) {
  const OneSideCase& v = GetParam();
  test::TempFolder folder;
  const auto checkpoint = folder.path() / "one_side.pt";
  const std::vector<StepSide> before = {StepSide::kBoth, StepSide::kDiscriminator, StepSide::kDiscriminator,
                                        StepSide::kGenerator, StepSide::kBoth};
  const std::vector<StepSide> after = {StepSide::kGenerator, StepSide::kBoth, StepSide::kDiscriminator,
                                       StepSide::kBoth, StepSide::kBoth};
  auto run = [](Gan& gan, const std::vector<StepSide>& sides) {
    std::vector<float> values;
    for (StepSide side : sides) {
      const torch::Tensor step = gan.train_step(side).to(torch::kCPU);
      for (int k = 0; k < 4; ++k) values.push_back(step[k].item<float>());
    }
    return values;
  };

  Gan straight(v.config, test::tiny_images(), v.mode);
  run(straight, before);
  straight.save_checkpoint(checkpoint);
  const std::vector<float> expected = run(straight, after);

  Gan resumed(v.config, test::tiny_images(), v.mode);
  resumed.load_checkpoint(checkpoint);
  EXPECT_EQ(resumed.step(), static_cast<std::int64_t>(before.size()));
  EXPECT_EQ(run(resumed, after), expected);  // on the CPU, to the last bit
}

std::string variant_name(const ::testing::TestParamInfo<OneSideCase>& variant) { return variant.param.name; }

INSTANTIATE_TEST_SUITE_P(Variants, OneSide, ::testing::ValuesIn(variants()), variant_name);

// A step of D alone reports G's loss on D's verdicts before D's update: what a full step would
// have reported had G not moved first. From the same state, with G standing still, the numbers
// of the D step's fakes are those of D's first verdicts.
TEST(OneSide, AStepOfDAloneReportsGsLossOnItsFirstVerdicts) {
  Config config = test::tiny_config();
  Gan gan(config, test::tiny_images(), StepMode::kEager);
  gan.train_step();
  const torch::Tensor values = gan.train_step(StepSide::kDiscriminator).to(torch::kCPU);
  const float d_fake = values[3].item<float>();
  const float g_loss = values[1].item<float>();
  // For the BCE loss, G's loss is −mean log D(G(z)) ≥ −log mean D(G(z)) (Jensen): never below it.
  EXPECT_GE(g_loss + 1e-5F, -std::log(d_fake));
  EXPECT_GT(g_loss, 0.0F);
}

}  // namespace
}  // namespace gan
