// The inside figures (core/model/inside_probe.h): known answers on tensors chosen by hand, then
// what a Gan's steps give, and that gathering them changes nothing in training.
#include "core/model/inside_probe.h"

#include <gtest/gtest.h>
#include <torch/nn/modules/linear.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

#include "core/model/gan.h"
#include "core/run/checkpoint_files.h"
#include "core/run/inside_csv.h"
#include "core/run/run_folder.h"
#include "core/training/trainer.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

// A network of one parameter tensor with the values given, for answers worked out by hand.
struct OneTensor : torch::nn::Module {
  explicit OneTensor(std::vector<float> values) {
    weight = register_parameter("weight", torch::tensor(values));
  }
  torch::Tensor weight;
};

torch::Tensor values(std::vector<float> v) { return torch::tensor(v).reshape({-1, 1}); }

class InsideProbeTest : public ::testing::Test {
 protected:
  OneTensor g_{{3.0f, 4.0f}};
  OneTensor d_{{1.0f, 0.0f, 0.0f}};
};

TEST_F(InsideProbeTest, CountsProbabilitiesInThirtyTwoBinsFromZeroToOne) {
  InsideProbe probe(g_, d_, /*probabilities=*/true, torch::kCPU);
  probe.add_verdicts(values({0.05f, 0.5f, 0.95f, 1.0f}), values({0.0f, 0.25f}));
  const InsideRecord r = probe.read(/*step=*/7, /*steps=*/1);
  EXPECT_EQ(r.step, 7);
  EXPECT_EQ(r.steps, 1);
  EXPECT_TRUE(r.probabilities);
  EXPECT_EQ(r.real.low, 0.0);
  EXPECT_EQ(r.real.high, 1.0);
  ASSERT_EQ(r.real.counts.size(), 32u);
  // 0.05 * 32 = 1.6, 0.5 * 32 = 16, 0.95 * 32 = 30.4; 1.0 is the top of the last bin.
  std::vector<double> real(32, 0.0), fake(32, 0.0);
  real[1] = real[16] = real[30] = real[31] = 1;
  fake[0] = fake[8] = 1;
  EXPECT_EQ(r.real.counts, real);
  EXPECT_EQ(r.fake.counts, fake);
  EXPECT_FLOAT_EQ(r.real.min, 0.05);
  EXPECT_FLOAT_EQ(r.real.max, 1.0);
  EXPECT_EQ(r.fake.min, 0.0);
  EXPECT_EQ(r.fake.max, 0.25);

  // A new window starts empty, on the same bins.
  const InsideRecord next = probe.read(8, 1);
  EXPECT_EQ(next.real.total(), 0.0);
  EXPECT_EQ(next.fake.total(), 0.0);
  EXPECT_EQ(next.real.low, 0.0);
  EXPECT_EQ(next.real.high, 1.0);
}

TEST_F(InsideProbeTest, RawScoresBinsSpanWhatTheWindowBeforeSaw) {
  InsideProbe probe(g_, d_, /*probabilities=*/false, torch::kCPU);
  probe.add_verdicts(values({3.0f, 0.0f}), values({-2.0f}));
  const InsideRecord first = probe.read(1, 1);
  EXPECT_FALSE(first.probabilities);
  EXPECT_EQ(first.real.low, InsideProbe::kFirstLow);
  EXPECT_EQ(first.real.high, InsideProbe::kFirstHigh);
  // Outside the first bins: counted at the ends, and the extremes say how far they went.
  EXPECT_EQ(first.real.counts.back(), 1.0);
  EXPECT_EQ(first.real.counts[16], 1.0);
  EXPECT_EQ(first.fake.counts.front(), 1.0);
  EXPECT_EQ(first.real.max, 3.0);
  EXPECT_EQ(first.fake.min, -2.0);

  // Seen: -2 .. 3, padded by a twentieth of the span (0.25) on each side.
  probe.add_verdicts(values({3.0f}), values({-2.0f}));
  const InsideRecord second = probe.read(2, 1);
  EXPECT_EQ(second.real.low, -2.25);
  EXPECT_EQ(second.real.high, 3.25);
  EXPECT_EQ(second.fake.low, -2.25);
  // 3 lies at (3 + 2.25) / 5.5 * 32 = 30.5: bin 30; -2 at 1.45: bin 1.
  EXPECT_EQ(second.real.counts[30], 1.0);
  EXPECT_EQ(second.fake.counts[1], 1.0);
}

TEST_F(InsideProbeTest, NonFiniteVerdictsAreCountedAtTheEndsNotAnError) {
  InsideProbe probe(g_, d_, /*probabilities=*/false, torch::kCPU);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  probe.add_verdicts(values({nan, inf}), values({-inf, 0.5f}));
  const InsideRecord r = probe.read(1, 1);
  EXPECT_EQ(r.real.total(), 2.0);
  EXPECT_EQ(r.fake.total(), 2.0);
  EXPECT_EQ(r.real.counts.back(), 1.0);  // +inf
  EXPECT_EQ(r.fake.counts.front(), 1.0);  // -inf
}

TEST_F(InsideProbeTest, GradientNormsAreTheMeanAndTheLargestOfTheWindowsUpdates) {
  InsideProbe probe(g_, d_, /*probabilities=*/true, torch::kCPU);
  g_.weight.mutable_grad() = torch::tensor({3.0f, 4.0f});  // norm 5
  probe.add_generator_gradients();
  g_.weight.mutable_grad() = torch::tensor({6.0f, 8.0f});  // norm 10
  probe.add_generator_gradients();
  d_.weight.mutable_grad() = torch::tensor({0.0f, 2.0f, 0.0f});
  probe.add_discriminator_gradients();
  const InsideRecord r = probe.read(2, 2);
  ASSERT_EQ(r.parameters.size(), 2u);
  const ParameterFigures& g = r.parameters[0];
  EXPECT_EQ(g.network, "G");
  EXPECT_EQ(g.name, "weight");
  EXPECT_FLOAT_EQ(g.gradient_norm, 7.5);
  EXPECT_FLOAT_EQ(g.gradient_norm_max, 10.0);
  EXPECT_FLOAT_EQ(g.weight_norm, 5.0);
  const ParameterFigures& d = r.parameters[1];
  EXPECT_EQ(d.network, "D");
  EXPECT_FLOAT_EQ(d.gradient_norm, 2.0);
  EXPECT_FLOAT_EQ(d.weight_norm, 1.0);

  const InsideRecord next = probe.read(3, 1);  // no updates in this window
  EXPECT_EQ(next.parameters[0].gradient_norm, 0.0);
  EXPECT_EQ(next.parameters[0].gradient_norm_max, 0.0);
}

TEST_F(InsideProbeTest, TheUpdateRatioIsTheWindowsFirstStepsRelativeChange) {
  InsideProbe probe(g_, d_, /*probabilities=*/true, torch::kCPU);
  EXPECT_TRUE(probe.wants_update());
  probe.before_update();
  {
    torch::NoGradGuard no_grad;
    g_.weight.add_(torch::tensor({0.3f, 0.4f}));  // a change of 0.5; the weights' norm 5 -> 5.5
  }
  probe.after_update();
  EXPECT_FALSE(probe.wants_update());
  const InsideRecord r = probe.read(1, 1);
  EXPECT_NEAR(r.parameters[0].update_ratio, 0.5 / 5.5, 1e-6);
  EXPECT_EQ(r.parameters[1].update_ratio, 0.0);  // D did not move
  EXPECT_TRUE(probe.wants_update());  // the next window measures its first step again
}

// What a Gan's steps give: every parameter tensor of both networks, every verdict counted.
TEST(InsideFigures, AStepsWindowHasEveryVerdictAndEveryParameter) {
  Config config = test::tiny_config();
  config.train.d_steps = 2;
  Gan gan(config, test::tiny_images());
  EXPECT_FALSE(gan.read_inside()) << "no step yet";
  test::losses_of(gan, 3);
  const auto record = gan.read_inside();
  ASSERT_TRUE(record);
  EXPECT_EQ(record->step, 3);
  EXPECT_EQ(record->steps, 3);
  const double batch = static_cast<double>(config.train.batch_size);
  EXPECT_EQ(record->real.total(), 3 * batch) << "one real batch per step (the first D update's)";
  EXPECT_EQ(record->fake.total(), 3 * batch);
  EXPECT_GE(record->real.min, 0.0);
  EXPECT_LE(record->real.max, 1.0);
  const std::size_t tensors = gan.generator()->parameters().size() + gan.discriminator()->parameters().size();
  ASSERT_EQ(record->parameters.size(), tensors);
  EXPECT_EQ(record->parameters.front().network, "G");
  EXPECT_EQ(record->parameters.back().network, "D");
  for (const ParameterFigures& p : record->parameters) {
    EXPECT_GT(p.gradient_norm, 0.0) << p.network << " " << p.name;
    EXPECT_GE(p.gradient_norm_max, p.gradient_norm) << p.network << " " << p.name;
    EXPECT_GT(p.weight_norm, 0.0) << p.network << " " << p.name;
    EXPECT_GT(p.update_ratio, 0.0) << p.network << " " << p.name;
    // At most 1: a tensor that starts at zero (batch norm's shift) moves by all it is.
    EXPECT_LE(p.update_ratio, 1.0) << p.network << " " << p.name;
  }
  EXPECT_FALSE(gan.read_inside()) << "read: the next window has no step yet";
}

// Gathering the figures reads what the step computes and draws no random number: the same run
// with them on and off takes exactly the same steps, eager and uncaptured alike.
class InsideFiguresChangeNothing : public ::testing::TestWithParam<std::tuple<Loss, StepMode>> {};

TEST_P(InsideFiguresChangeNothing, TheSameRunWithAndWithoutThem) {
  // Named, not a structured binding: the lambda below uses it, which C++17 (clang) does not allow.
  const StepMode mode = std::get<1>(GetParam());
  Config config = test::tiny_config();
  config.model.loss = std::get<0>(GetParam());
  config.model.discriminator.dropout = 0.3;
  config.train.d_steps = 2;
  auto run = [&](std::int64_t interval) {
    Config c = config;
    c.inside.interval = interval;
    Gan gan(c, test::tiny_images(100), mode);
    std::vector<float> losses;
    for (int window = 0; window < 4; ++window) {
      const std::vector<float> more = test::losses_of(gan, 3);
      losses.insert(losses.end(), more.begin(), more.end());
      gan.read_inside();
    }
    return losses;
  };
  const std::vector<float> without = run(0);
  EXPECT_EQ(run(3), without);
}

INSTANTIATE_TEST_SUITE_P(Losses, InsideFiguresChangeNothing,
                         ::testing::Combine(::testing::Values(Loss::kBce, Loss::kWganGp),
                                            ::testing::Values(StepMode::kEager, StepMode::kUncaptured)));

// A trainer writes a window every inside.interval steps and the one it ends in; a resume keeps
// the windows up to its checkpoint and goes on from there.
TEST(InsideFigures, ARunFolderKeepsEveryWindowAndAResumeKeepsThoseBeforeItsCheckpoint) {
  test::TempFolder folder;
  const auto path = folder / "run";
  Config config = test::tiny_config();
  config.inside.interval = 3;
  config.checkpoint.interval = 4;
  const ImageSet images = test::tiny_images(64);  // 4 steps an epoch
  {
    Trainer trainer(config, images);
    RunFolder run(path, config);
    trainer.enable_checkpoints(path);
    ASSERT_EQ(trainer.run(run, /*max_steps=*/8), RunState::kFinished);
  }
  std::vector<InsideRecord> windows = read_inside(path);
  ASSERT_EQ(windows.size(), 3u);
  const std::int64_t ends[] = {3, 6, 8}, sizes[] = {3, 3, 2};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(windows[i].step, ends[i]);
    EXPECT_EQ(windows[i].steps, sizes[i]);
    EXPECT_EQ(windows[i].real.total(), static_cast<double>(sizes[i] * config.train.batch_size));
    EXPECT_FALSE(windows[i].parameters.empty());
  }

  {
    Trainer trainer(config, images);
    trainer.resume_from(checkpoint_path(path, 4));
    RunFolder run(path, RunFolder::ResumeAt{4});
    trainer.enable_checkpoints(path);
    ASSERT_EQ(trainer.run(run, /*max_steps=*/7), RunState::kFinished);
  }
  windows = read_inside(path);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].step, 3);  // before the checkpoint: kept
  EXPECT_EQ(windows[1].step, 6);  // steps 5 and 6, trained again
  EXPECT_EQ(windows[1].steps, 2);
  EXPECT_EQ(windows[2].step, 7);
  EXPECT_EQ(windows[2].steps, 1);
}

}  // namespace
}  // namespace gan
