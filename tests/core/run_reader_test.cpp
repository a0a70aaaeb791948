#include "core/run/run_reader.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "core/model/checkpoint.h"
#include "core/training/trainer.h"
#include "test_support.h"

namespace gan {
namespace {

void append(const std::filesystem::path& file, const std::string& text) {
  std::FILE* f = std::fopen(file.c_str(), "a");
  std::fputs(text.c_str(), f);
  std::fclose(f);
}

TEST(RunReader, FollowsRowsAppendedByAnotherWriter) {
  test::TempFolder folder;
  const Config config = test::tiny_config();
  {
    Trainer trainer(config, test::tiny_images());
    RunFolder run(folder / "run", config);
    ASSERT_EQ(trainer.run(run, 12), RunState::kFinished);
  }
  RunReader reader(folder / "run");
  const auto first = reader.poll();
  EXPECT_FALSE(first.reset);
  ASSERT_EQ(first.steps.size(), 12u);
  EXPECT_EQ(first.steps.back().step, 12);
  EXPECT_TRUE(reader.poll().steps.empty());
  EXPECT_EQ(reader.sample_steps(), (std::vector<std::int64_t>{0, 10, 12}));

  // Another process appends a row and starts the next one.
  const auto metrics = folder / "run" / "metrics.csv";
  append(metrics, "13,0,0.5,0.9,0.7,0.3,1.5\n14,0,0.4");
  const auto second = reader.poll();
  ASSERT_EQ(second.steps.size(), 1u);
  EXPECT_EQ(second.steps[0].step, 13);
  EXPECT_FLOAT_EQ(second.steps[0].g_loss, 0.9f);
  append(metrics, ",0.8,0.6,0.4,1.6\n");
  const auto third = reader.poll();
  ASSERT_EQ(third.steps.size(), 1u);
  EXPECT_EQ(third.steps[0].step, 14);
  EXPECT_FLOAT_EQ(third.steps[0].d_fake, 0.4f);

  // Resumed from an earlier checkpoint: the file is rewritten shorter.
  RunFolder resumed(folder / "run", RunFolder::ResumeAt{5});
  const auto after = reader.poll();
  EXPECT_TRUE(after.reset);
  EXPECT_EQ(after.steps.size(), 5u);
}

TEST(RunReader, ReadsTheJudgesScoresFromTheRowsThatHaveThem) {
  test::TempFolder folder;
  const Config config = test::tiny_config();
  {
    RunFolder run(folder / "run", config);
    auto row = [](std::int64_t step) {
      StepRecord r;
      r.step = step;
      r.d_loss = 0.6f;
      r.seconds = 0.1 * static_cast<double>(step);
      return r;
    };
    run.on_steps({row(1), row(2)}, Progress{});
    QualityRecord q;
    q.step = 3;
    q.inception_score = 7.25;
    q.fid = 12.5;
    q.mean_confidence = 0.875;
    q.class_histogram = {0.5, 0.25, 0.25};
    q.memorised = 0.125;
    run.on_quality(q);
    run.on_steps({row(3), row(4)}, Progress{});
    JudgeReference reference;
    reference.dataset = "mnist";
    reference.inception_score = 9.75;
    reference.fid = 4.5;
    reference.test_accuracy = 0.99;
    reference.classes = 10;
    reference.memorised = 0.5;
    run.on_judge(reference);
  }
  const std::string metrics = test::read_text(folder / "run" / "metrics.csv");
  EXPECT_NE(metrics.find("3,0,0.6,0,0,0,0.3000,7.2500,12.5000,0.8750,0.5000;0.2500;0.2500,,,0.1250\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("4,0,0.6,0,0,0,0.4000,,,,,,,\n"), std::string::npos) << metrics;

  RunReader reader(folder / "run");
  const auto update = reader.poll();
  ASSERT_EQ(update.steps.size(), 4u);
  ASSERT_EQ(update.quality.size(), 1u);
  EXPECT_EQ(update.quality[0].step, 3);
  EXPECT_DOUBLE_EQ(update.quality[0].inception_score, 7.25);
  EXPECT_DOUBLE_EQ(update.quality[0].fid, 12.5);
  EXPECT_EQ(update.quality[0].class_histogram, (std::vector<double>{0.5, 0.25, 0.25}));
  EXPECT_DOUBLE_EQ(update.quality[0].memorised.value_or(-1), 0.125);
  const RunManifest manifest = reader.manifest();
  ASSERT_TRUE(manifest.judge.has_value());
  EXPECT_DOUBLE_EQ(manifest.judge->inception_score, 9.75);
  EXPECT_DOUBLE_EQ(manifest.judge->memorised, 0.5);
  EXPECT_EQ(manifest.judge->classes, 10);
}

TEST(RunReader, RollingBackMovesLaterCheckpointsAside) {
  test::TempFolder folder;
  Config config = test::tiny_config();
  config.checkpoint.interval = 4;
  config.checkpoint.keep = 10;
  {
    Trainer trainer(config, test::tiny_images());
    RunFolder run(folder / "run", config);
    trainer.enable_checkpoints(run.path());
    ASSERT_EQ(trainer.run(run, 12), RunState::kFinished);
  }
  ASSERT_EQ(list_checkpoints(folder / "run").size(), 3u);  // 4, 8, 12
  RunFolder rolled_back(folder / "run", RunFolder::ResumeAt{4});
  const auto left = list_checkpoints(folder / "run");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(checkpoint_step(left[0]), 4);
  EXPECT_TRUE(std::filesystem::exists(folder / "run" / "checkpoints" / "abandoned" / "step_0000008.pt"));
  EXPECT_TRUE(std::filesystem::exists(folder / "run" / "checkpoints" / "abandoned" / "step_0000012.pt"));
  EXPECT_EQ(checkpoint_before(folder / "run", 4), std::filesystem::path());
  EXPECT_EQ(checkpoint_before(folder / "run", 5), left[0]);
}

TEST(RunReader, SkipsRowsWhoseStepIsNoCount) {
  test::TempFolder folder;
  { RunFolder run(folder / "run", test::tiny_config()); }
  // fuzz_run_folder's find: a step of 7.8e50 was cast to an integer (undefined behaviour).
  append(folder / "run" / "metrics.csv",
         "1,0,0.5,0.9,0.7,0.3,0.1,,,,\n777777777777777777777777777777777777777777777777777,0,0.5,0.9,0.7,0.3,0.2,,,,\n"
         "-3,0,0.5,0.9,0.7,0.3,0.2,,,,\nnan,0,0.5,0.9,0.7,0.3,0.2,,,,\n2,0,0.5,0.9,0.7,0.3,0.3,,,,\n");
  RunReader reader(folder / "run");
  const auto update = reader.poll();
  ASSERT_EQ(update.steps.size(), 2u);
  EXPECT_EQ(update.steps[1].step, 2);
}

TEST(RunReader, RecentRunsComeNewestFirst) {
  test::TempFolder folder;
  const Config config = test::tiny_config();
  { RunFolder older(folder / "older", config); }
  std::filesystem::create_directories(folder / "not-a-run");
  { RunFolder newer(folder / "newer", config); }
  std::filesystem::last_write_time(folder / "older" / "run.yaml",
                                   std::filesystem::last_write_time(folder / "newer" / "run.yaml") - std::chrono::hours(1));
  EXPECT_EQ(recent_runs(folder.path()), (std::vector<std::filesystem::path>{folder / "newer", folder / "older"}));
  EXPECT_EQ(recent_runs(folder.path(), 1).size(), 1u);
  EXPECT_TRUE(recent_runs(folder / "absent").empty());
}

TEST(RunReader, RefusesAFolderThatIsNoRun) {
  test::TempFolder folder;
  try {
    RunReader reader(folder.path());
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("not a run folder"), std::string::npos);
  }
}

}  // namespace
}  // namespace gan
