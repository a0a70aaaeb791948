#include "core/run_reader.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "core/trainer.h"
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
