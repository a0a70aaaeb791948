// The alarm monitor on synthetic metric streams: it must fire on the failures it names, after the
// configured window, and stay quiet on healthy runs and on streaks that break off.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/run/alarms.h"
#include "inside_window.h"

namespace gan {
namespace {

StepRecord step_with_verdicts(std::int64_t n, float d_real, float d_fake) {
  StepRecord r;
  r.step = n;
  r.d_loss = 0.5f;
  r.g_loss = 1.0f;
  r.d_real = d_real;
  r.d_fake = d_fake;
  return r;
}

QualityRecord quality(std::int64_t n, std::vector<double> histogram) {
  QualityRecord q;
  q.step = n;
  q.class_histogram = std::move(histogram);
  return q;
}

std::vector<double> uniform_with(std::size_t index, double share) {
  std::vector<double> h(10, (1.0 - share) / 9.0);
  h[index] = share;
  return h;
}

TEST(AlarmMonitor, StaysQuietOnAHealthyRun) {
  AlarmMonitor monitor{AlarmConfig{}};
  std::mt19937 rng(3);
  std::normal_distribution<float> jitter(0.0f, 0.05f);
  std::normal_distribution<double> share_jitter(0.0, 0.01);
  for (std::int64_t n = 1; n <= 20000; ++n) {
    ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.7f + jitter(rng), 0.3f + jitter(rng)))) << n;
    if (n % 1000 == 0) {
      std::vector<double> h(10);
      for (auto& share : h) share = 0.1 + share_jitter(rng);
      ASSERT_FALSE(monitor.on_quality(quality(n, h))) << n;
    }
  }
  EXPECT_EQ(monitor.trouble_since(), 0);
}

TEST(AlarmMonitor, NonFiniteLossFiresAtOnceEvenDuringWarmup) {
  AlarmMonitor monitor{AlarmConfig{}};
  StepRecord bad = step_with_verdicts(5, 0.5f, 0.5f);
  bad.g_loss = std::numeric_limits<float>::quiet_NaN();
  const auto alarm = monitor.on_step(bad);
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kNonFinite);
  EXPECT_EQ(alarm->step, 5);
  EXPECT_NE(alarm->message.find("generator loss is not a finite number at step 5"), std::string::npos) << alarm->message;
  bad.d_loss = std::numeric_limits<float>::infinity();
  EXPECT_NE(monitor.on_step(bad)->message.find("discriminator loss"), std::string::npos);
}

TEST(AlarmMonitor, DiscriminatorWinningFiresAfterItsWindowAndNotBefore) {
  AlarmConfig config;
  config.warmup = 100;
  config.d_wins_steps = 50;
  AlarmMonitor monitor(config);
  for (std::int64_t n = 1; n <= 200; ++n) ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.7f, 0.3f)));
  for (std::int64_t n = 201; n < 250; ++n) ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.999f, 0.001f))) << n;
  EXPECT_EQ(monitor.trouble_since(), 201);
  const auto alarm = monitor.on_step(step_with_verdicts(250, 0.999f, 0.001f));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kDiscriminatorWins);
  EXPECT_EQ(alarm->since_step, 201);
  EXPECT_NE(alarm->message.find("50 steps in a row"), std::string::npos) << alarm->message;
  // A full new window before it fires again.
  for (std::int64_t n = 251; n < 300; ++n) ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.999f, 0.001f))) << n;
  EXPECT_TRUE(monitor.on_step(step_with_verdicts(300, 0.999f, 0.001f)));
}

TEST(AlarmMonitor, ABrokenStreakOrTheWarmupKeepsTheDiscriminatorAlarmQuiet) {
  AlarmConfig config;
  config.warmup = 1000;
  config.d_wins_steps = 50;
  AlarmMonitor monitor(config);
  // Winning from the start: sustained, but inside the warm-up until step 1000.
  for (std::int64_t n = 1; n < 1000; ++n) ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.999f, 0.001f))) << n;
  EXPECT_TRUE(monitor.on_step(step_with_verdicts(1000, 0.999f, 0.001f)));
  // 49 winning steps, one ordinary step, 49 more: never 50 in a row.
  monitor.reset();
  for (std::int64_t n = 1001; n < 1050; ++n) ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.999f, 0.001f)));
  ASSERT_FALSE(monitor.on_step(step_with_verdicts(1050, 0.9f, 0.1f)));
  for (std::int64_t n = 1051; n < 1100; ++n) ASSERT_FALSE(monitor.on_step(step_with_verdicts(n, 0.999f, 0.001f)));
  // Switched off.
  config.d_wins_steps = 0;
  AlarmMonitor off(config);
  for (std::int64_t n = 1; n < 5000; ++n) ASSERT_FALSE(off.on_step(step_with_verdicts(n, 1.0f, 0.0f)));
}

TEST(AlarmMonitor, ModeCollapseFiresOnADominantOrAMissingClassForSeveralChecks) {
  AlarmConfig config;  // warm-up 2000, high 30%, low 2%, 3 checks
  AlarmMonitor dominant(config);
  EXPECT_FALSE(dominant.on_quality(quality(1000, uniform_with(7, 0.5))));  // warm-up
  EXPECT_FALSE(dominant.on_quality(quality(2000, uniform_with(7, 0.5))));
  EXPECT_EQ(dominant.trouble_since(), 1000);
  const auto alarm = dominant.on_quality(quality(3000, uniform_with(7, 0.5)));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kModeCollapse);
  EXPECT_EQ(alarm->since_step, 1000);
  EXPECT_NE(alarm->message.find("digit 7 takes 50.0%"), std::string::npos) << alarm->message;

  AlarmMonitor missing(config);
  std::vector<double> h(10, 0.1);
  h[4] = 0.005;
  h[9] = 0.195;
  std::optional<Alarm> fired;
  for (std::int64_t n = 3000; n <= 5000 && !fired; n += 1000) fired = missing.on_quality(quality(n, h));
  ASSERT_TRUE(fired);
  EXPECT_EQ(fired->step, 5000);
  EXPECT_NE(fired->message.find("digit 4 is in fewer than 2.0%"), std::string::npos) << fired->message;
}

TEST(AlarmMonitor, AConditionalModelIsWatchedByItsDigitsConfidence) {
  AlarmConfig config;
  config.warmup = 0;
  config.collapse_checks = 2;
  AlarmMonitor monitor(config);
  // Asked for every digit alike, its histogram is even, but it ignores the label 7: confidence 0.05.
  auto drawn = [](std::int64_t n, double seven) {
    QualityRecord q = quality(n, std::vector<double>(10, 0.1));
    q.conditional_accuracy = 0.9;
    q.class_confidence.assign(10, 0.95);
    q.class_confidence[7] = seven;
    return q;
  };
  EXPECT_FALSE(monitor.on_quality(drawn(1000, 0.9)));
  EXPECT_FALSE(monitor.on_quality(drawn(2000, 0.05)));
  const auto alarm = monitor.on_quality(drawn(3000, 0.05));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kModeCollapse);
  EXPECT_EQ(alarm->since_step, 2000);
  EXPECT_NE(alarm->message.find("digit 7 (5.0%)"), std::string::npos) << alarm->message;
  // Its histogram is not the measure: a lopsided one with confident digits stays quiet.
  // A digit still weak but well above chance, as a cGAN's weakest is for its first few thousand
  // steps, does not fire either.
  EXPECT_FALSE(monitor.on_quality(drawn(3500, 0.15)));
  EXPECT_FALSE(monitor.on_quality(drawn(3600, 0.15)));
  QualityRecord lopsided = drawn(4000, 0.9);
  lopsided.class_histogram = uniform_with(3, 0.6);
  EXPECT_FALSE(monitor.on_quality(lopsided));
  EXPECT_FALSE(monitor.on_quality(lopsided));
}

TEST(AlarmMonitor, TheDiscriminatorWinsOnlyWhereItsOutputsAreProbabilities) {
  AlarmConfig config;
  config.warmup = 0;
  config.d_wins_steps = 3;
  for (const Loss loss : {Loss::kHinge, Loss::kWganGp}) {
    AlarmMonitor monitor(config, loss);
    // Raw scores: a critic at +5 on data and -5 on fakes is not "certain", just a scale.
    for (int n = 1; n <= 10; ++n) EXPECT_FALSE(monitor.on_step(step_with_verdicts(n, 5.0f, -5.0f))) << to_string(loss);
  }
  AlarmMonitor least_squares(config, Loss::kLsgan);
  std::optional<Alarm> fired;
  for (int n = 1; n <= 3 && !fired; ++n) fired = least_squares.on_step(step_with_verdicts(n, 0.99f, 0.01f));
  EXPECT_TRUE(fired);
}

TEST(AlarmMonitor, CollapseThatComesAndGoesDoesNotFire) {
  AlarmMonitor monitor{AlarmConfig{}};
  for (std::int64_t n = 3000; n <= 20000; n += 1000) {
    const bool bad = (n / 1000) % 3 != 0;  // two bad checks, one healthy, ...
    ASSERT_FALSE(monitor.on_quality(quality(n, bad ? uniform_with(1, 0.4) : uniform_with(1, 0.1)))) << n;
  }
}

// A window of the inside figures: G's and D's gradients (`g` and `d` their mean norms, `d_max` D's
// largest), D's verdicts all at `real` and `fake`.
InsideRecord inside(std::int64_t n, double g, double d, double d_max, double real = 0.7, double fake = 0.3) {
  return test::inside_window(n, real, fake, {g, g}, {d, d_max});
}

AlarmConfig no_warmup() {
  AlarmConfig config;
  config.warmup = 0;
  return config;
}

TEST(AlarmMonitor, ExplodingGradientsFireOnceTheirLevelIsKnown) {
  AlarmMonitor monitor{no_warmup()};
  // Too early to know the level: a spike in the third window says nothing yet.
  EXPECT_FALSE(monitor.on_inside(inside(20, 1, 1, 1)));
  EXPECT_FALSE(monitor.on_inside(inside(40, 1, 1, 1)));
  EXPECT_FALSE(monitor.on_inside(inside(60, 1, 1, 900)));
  for (std::int64_t n = 80; n <= 120; n += 20) EXPECT_FALSE(monitor.on_inside(inside(n, 1, 1, 2))) << n;
  // 50 times the level is within bounds; 500 is not.
  EXPECT_FALSE(monitor.on_inside(inside(140, 1, 1, 50)));
  const auto alarm = monitor.on_inside(inside(160, 1, 1.5, 500));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kExplodingGradients);
  EXPECT_EQ(alarm->step, 160);
  EXPECT_EQ(alarm->since_step, 141);
  EXPECT_NE(alarm->message.find("The discriminator's gradients are exploding: their norm reached 500 in steps 141–160, 500 "
                                "times their level"),
            std::string::npos)
      << alarm->message;
  // It learns the level again before it fires again.
  EXPECT_FALSE(monitor.on_inside(inside(180, 1, 1, 500)));
}

TEST(AlarmMonitor, AGradientThatIsNoLongerFiniteExplodes) {
  AlarmMonitor monitor{no_warmup()};
  for (std::int64_t n = 20; n <= 100; n += 20) EXPECT_FALSE(monitor.on_inside(inside(n, 1, 1, 1)));
  const auto alarm = monitor.on_inside(inside(120, 1, 1, std::numeric_limits<double>::infinity()));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kExplodingGradients);
  EXPECT_NE(alarm->message.find("far beyond"), std::string::npos) << alarm->message;
}

TEST(AlarmMonitor, ExplodingGradientsWaitForTheWarmUp) {
  AlarmMonitor monitor{AlarmConfig{}};  // warm-up 2000 steps
  for (std::int64_t n = 20; n <= 120; n += 20) EXPECT_FALSE(monitor.on_inside(inside(n, 1, 1, 1)));
  EXPECT_FALSE(monitor.on_inside(inside(140, 1, 1, 1000)));
}

TEST(AlarmMonitor, GeneratorGradientsVanishingWhileDWinsFireAfterThreeWindows) {
  AlarmMonitor monitor{no_warmup()};
  EXPECT_FALSE(monitor.on_inside(inside(20, 2.0, 1, 1)));  // G's highest
  EXPECT_FALSE(monitor.on_inside(inside(40, 1.0, 1, 1)));
  // Small, but D does not win: G is close to the data, not starved.
  EXPECT_FALSE(monitor.on_inside(inside(60, 0.001, 1, 1, 0.5, 0.5)));
  EXPECT_FALSE(monitor.on_inside(inside(80, 0.001, 1, 1, 0.99, 0.01)));
  EXPECT_FALSE(monitor.on_inside(inside(100, 0.001, 1, 1, 0.99, 0.01)));
  EXPECT_EQ(monitor.trouble_since(), 61);
  const auto alarm = monitor.on_inside(inside(120, 0.001, 1, 1, 0.99, 0.01));
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->kind, Alarm::Kind::kVanishingGradients);
  EXPECT_EQ(alarm->since_step, 61);
  EXPECT_NE(alarm->message.find("G's gradient norm is 0.001 in steps 101–120, below a 100th of its highest (2)"),
            std::string::npos)
      << alarm->message;
  EXPECT_EQ(std::string(to_string(alarm->kind)), "vanishing gradients");
}

TEST(AlarmMonitor, VanishingGradientsAreNotWatchedForCriticScores) {
  AlarmMonitor monitor{no_warmup(), Loss::kWganGp};
  EXPECT_FALSE(monitor.on_inside(inside(20, 2.0, 1, 1)));
  for (std::int64_t n = 40; n <= 200; n += 20) EXPECT_FALSE(monitor.on_inside(inside(n, 0.001, 1, 1, 0.99, 0.01))) << n;
}

}  // namespace
}  // namespace gan
