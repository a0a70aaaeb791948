#include "core/run/metrics_csv.h"
#include "core/run/loss_estimate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace gan {
namespace {

StepRecord step(std::int64_t n) {
  StepRecord s;
  s.step = n;
  s.epoch = 2;
  s.d_loss = 0.693147f;
  s.g_loss = 0.75f;
  s.d_real = 0.5f;
  s.d_fake = 0.25f;
  s.seconds = 1.25;
  return s;
}

TEST(MetricsCsv, RowsMatchTheHeaderAndReadBack) {
  const std::string header = kMetricsHeader;
  EXPECT_EQ(header,
            "step,epoch,d_loss,g_loss,d_real,d_fake,seconds,inception_score,fid_mnist,mean_confidence,class_histogram,"
            "conditional_accuracy,class_confidence,memorised\n");

  const std::string plain = metrics_row(step(7), 10.0, nullptr);
  EXPECT_EQ(plain, "7,2,0.693147,0.75,0.5,0.25,11.2500,,,,,,,\n");
  const auto row = parse_metrics_row(plain.substr(0, plain.size() - 1));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->step.step, 7);
  EXPECT_EQ(row->step.epoch, 2);
  EXPECT_FLOAT_EQ(row->step.d_loss, 0.693147f);
  EXPECT_DOUBLE_EQ(row->step.seconds, 11.25);
  EXPECT_FALSE(row->quality);

  QualityRecord q;
  q.step = 7;
  q.inception_score = 8.5;
  q.fid = 3.25;
  q.mean_confidence = 0.9;
  q.class_histogram = {0.5, 0.5};
  const std::string scored = metrics_row(step(7), 0, &q);
  EXPECT_EQ(scored, "7,2,0.693147,0.75,0.5,0.25,1.2500,8.5000,3.2500,0.9000,0.5000;0.5000,,,\n");
  const auto with_quality = parse_metrics_row(scored.substr(0, scored.size() - 1));
  ASSERT_TRUE(with_quality && with_quality->quality);
  EXPECT_DOUBLE_EQ(with_quality->quality->fid, 3.25);
  EXPECT_EQ(with_quality->quality->class_histogram, (std::vector<double>{0.5, 0.5}));
  EXPECT_FALSE(with_quality->quality->conditional_accuracy);
  EXPECT_FALSE(with_quality->quality->memorised);
  EXPECT_EQ(std::count(scored.begin(), scored.end(), ','), std::count(header.begin(), header.end(), ','));
  EXPECT_EQ(std::count(plain.begin(), plain.end(), ','), std::count(header.begin(), header.end(), ','));
}

TEST(MetricsCsv, AConditionalModelsColumnsReadBackAndOldRowsStillRead) {
  QualityRecord q;
  q.inception_score = 9.1;
  q.fid = 12;
  q.mean_confidence = 0.95;
  q.class_histogram = {0.5, 0.5};
  q.conditional_accuracy = 0.975;
  q.class_confidence = {0.99, 0.875};
  q.memorised = 0.0625;
  const std::string text = metrics_row(step(4), 0, &q);
  EXPECT_EQ(text, "4,2,0.693147,0.75,0.5,0.25,1.2500,9.1000,12.0000,0.9500,0.5000;0.5000,0.9750,0.9900;0.8750,0.0625\n");
  const auto row = parse_metrics_row(text.substr(0, text.size() - 1));
  ASSERT_TRUE(row && row->quality);
  EXPECT_DOUBLE_EQ(*row->quality->conditional_accuracy, 0.975);
  EXPECT_EQ(row->quality->class_confidence, (std::vector<double>{0.99, 0.875}));
  EXPECT_DOUBLE_EQ(*row->quality->memorised, 0.0625);
  // A row from before the memorisation figure (13 columns) reads without one.
  const auto before = parse_metrics_row("4,2,0.69,0.75,0.5,0.25,1.25,9.1,12,0.95,0.5;0.5,0.975,0.99;0.875");
  ASSERT_TRUE(before && before->quality);
  EXPECT_FALSE(before->quality->memorised);
  EXPECT_FALSE(parse_metrics_row("4,2,0.69,0.75,0.5,0.25,1.25,9.1,12,0.95,0.5;0.5,0.975,0.99;0.875,x")->quality);
  // A row from before these columns (11 of them) reads as an unconditional one.
  const auto old = parse_metrics_row("4,2,0.69,0.75,0.5,0.25,1.25,9.1,12,0.95,0.5;0.5");
  ASSERT_TRUE(old && old->quality);
  EXPECT_FALSE(old->quality->conditional_accuracy);
  EXPECT_TRUE(old->quality->class_confidence.empty());
  EXPECT_FALSE(parse_metrics_row("4,2,0.69,0.75,0.5,0.25,1.25,9.1,12,0.95,0.5;0.5,x,")->quality);
}

TEST(MetricsCsv, TheHeaderAndBrokenRowsAreNotRows) {
  EXPECT_FALSE(parse_metrics_row(std::string(kMetricsHeader).substr(0, std::string(kMetricsHeader).size() - 1)));
  EXPECT_FALSE(parse_metrics_row("1,0,0,6931,0,7"));  // what a German locale made of a row
  EXPECT_FALSE(parse_metrics_row("1,0,0.5,0.5,0.5,0.5"));
  EXPECT_FALSE(parse_metrics_row("1e50,0,0.5,0.5,0.5,0.5,1"));
  EXPECT_FALSE(parse_metrics_row("-1,0,0.5,0.5,0.5,0.5,1"));
  EXPECT_TRUE(parse_metrics_row("1,0,0.5,0.5,0.5,0.5,1\r"));  // a file that went through Windows
  // A quality part that does not parse leaves the step's numbers readable.
  const auto half = parse_metrics_row("3,0,0.5,0.5,0.5,0.5,1,8.5,x,0.9,1");
  ASSERT_TRUE(half);
  EXPECT_FALSE(half->quality);
}

TEST(MetricsCsv, ANonFiniteLossIsWrittenAndReadAsSuch) {
  StepRecord s = step(3);
  s.g_loss = std::nanf("");
  const std::string text = metrics_row(s, 0, nullptr);
  const auto row = parse_metrics_row(text.substr(0, text.size() - 1));
  ASSERT_TRUE(row) << text;
  EXPECT_TRUE(std::isnan(row->step.g_loss));
}

TEST(LossEstimate, EachLossEstimatesItsDistanceAndIsZeroAtTheOptimum) {
  // At the optimum D outputs its "can't tell" value on both sides and the losses take these values.
  EXPECT_NEAR(divergence_estimate(Loss::kBce, std::log(2.0), 0.5, 0.5), 0.0, 1e-12);
  EXPECT_NEAR(divergence_estimate(Loss::kLsgan, 0.25, 0.5, 0.5), 0.0, 1e-12);
  EXPECT_NEAR(divergence_estimate(Loss::kHinge, 2.0, 0.0, 0.0), 0.0, 1e-12);
  EXPECT_NEAR(divergence_estimate(Loss::kWganGp, -0.01, 0.3, 0.3), 0.0, 1e-12);
  // When D tells every image apart: the distances' maxima.
  EXPECT_NEAR(divergence_estimate(Loss::kBce, 0.0, 1, 0), std::log(4.0), 1e-12);
  EXPECT_NEAR(divergence_estimate(Loss::kLsgan, 0.0, 1, 0), 2.0, 1e-12);
  EXPECT_NEAR(divergence_estimate(Loss::kHinge, 0.0, 1, -1), 1.0, 1e-12);
  EXPECT_NEAR(divergence_estimate(Loss::kWganGp, -3.0, 2.5, -0.5), 3.0, 1e-12);
  EXPECT_TRUE(loss_meaning(Loss::kBce).probabilities);
  EXPECT_FALSE(loss_meaning(Loss::kWganGp).probabilities);
  EXPECT_EQ(loss_meaning(Loss::kWganGp).estimate, "Wasserstein estimate");
}

}  // namespace
}  // namespace gan
