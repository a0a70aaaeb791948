// What a run folder records of alarms, events and the step mode (core/run/run_folder.h), written
// as a trainer would write it, without training.
#include "core/run/run_folder.h"

#include <gtest/gtest.h>

#include "core/io/csv.h"
#include "core/run/run_summary.h"
#include "core/sweep/sweep_folder.h"
#include "test_support.h"

namespace gan {
namespace {

std::vector<StepRecord> steps(std::int64_t from, std::int64_t to) {
  std::vector<StepRecord> records;
  for (std::int64_t s = from; s <= to; ++s) {
    StepRecord r;
    r.step = s;
    records.push_back(r);
  }
  return records;
}

Alarm collapse_at(std::int64_t step) {
  Alarm alarm;
  alarm.kind = Alarm::Kind::kModeCollapse;
  alarm.step = step;
  alarm.message = "mode collapse: 9 of 10 classes below 2%, try a lower G lr";
  return alarm;
}

// The rows of events.csv, header included, each split into its fields.
std::vector<std::vector<std::string>> events(const std::filesystem::path& run) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& record : csv_records(test::read_text(run / "events.csv"))) {
    const auto fields = parse_csv_row(record);
    EXPECT_TRUE(fields) << record;
    if (fields) rows.push_back(*fields);
  }
  return rows;
}

class RunFolderAlarms : public ::testing::Test {
 protected:
  test::TempFolder folder_;
  std::filesystem::path run_ = folder_ / "run";
};

TEST_F(RunFolderAlarms, KeepTrainingClearsTheAlarmSoAStoppedRunIsNotCalledCollapsed) {
  {
    RunFolder run(run_, Config{}, "laptop");
    run.on_started({});
    run.on_steps(steps(1, 10), {});
    run.on_alarm(collapse_at(10));
    run.on_state(RunState::kPaused, "");
    EXPECT_EQ(read_manifest(run_).alarm, "mode collapse");  // while the user decides
    run.on_state(RunState::kRunning, "");  // Keep training
    run.on_steps(steps(11, 20), {});
    run.on_checkpoint(20, (run_ / "checkpoints" / "step_0000020.pt").string());
    run.on_state(RunState::kStopped, "");
  }
  EXPECT_EQ(read_manifest(run_).alarm, "");
  EXPECT_EQ(summarize_run(run_).status, "stopped");
}

TEST_F(RunFolderAlarms, AnAlarmTheRunTrainedPastIsNotHowItEnded) {
  {
    // gan-train reports an alarm and goes on (AlarmAction::kReport); the user stops it later.
    RunFolder run(run_, Config{}, "laptop");
    run.on_started({});
    run.on_steps(steps(1, 10), {});
    run.on_alarm(collapse_at(10));
    run.on_steps(steps(11, 12), {});
    run.on_state(RunState::kStopped, "");
  }
  EXPECT_EQ(read_manifest(run_).alarm, "");
  EXPECT_EQ(summarize_run(run_).status, "stopped");
}

TEST_F(RunFolderAlarms, AResumeOrRollbackClearsTheAlarmOfTheLastSession) {
  {
    RunFolder run(run_, Config{}, "laptop");
    run.on_started({});
    run.on_steps(steps(1, 10), {});
    run.on_checkpoint(10, (run_ / "checkpoints" / "step_0000010.pt").string());
    run.on_steps(steps(11, 20), {});
    run.on_alarm(collapse_at(20));
    run.on_state(RunState::kStopped, "stopped early by the mode collapse alarm at step 20");
  }
  ASSERT_EQ(summarize_run(run_).status, "collapsed");
  EXPECT_EQ(next_action(run_, 100), RunAction::kDone);  // a sweep's early stop is final
  {
    RunFolder resumed(run_, RunFolder::ResumeAt{10});  // a rollback to before the trouble
    resumed.on_started({});
    EXPECT_EQ(read_manifest(run_).alarm, "");
    resumed.on_steps(steps(11, 15), {});
    resumed.on_checkpoint(15, (run_ / "checkpoints" / "step_0000015.pt").string());
    resumed.on_state(RunState::kStopped, "");
  }
  EXPECT_EQ(summarize_run(run_).status, "stopped");
  EXPECT_EQ(next_action(run_, 100), RunAction::kResume);  // not counted as done any more
}

TEST_F(RunFolderAlarms, ASweepsEarlyStopKeepsTheAlarmThatEndedTheRun) {
  {
    RunFolder run(run_, Config{}, "laptop");
    run.on_started({});
    run.on_steps(steps(1, 10), {});
    run.on_alarm(collapse_at(10));
    run.on_state(RunState::kStopped, "stopped early by the mode collapse alarm at step 10");
  }
  EXPECT_EQ(read_manifest(run_).alarm, "mode collapse");
  EXPECT_EQ(summarize_run(run_).status, "collapsed");
}

TEST(RunFolderEvents, MessagesAndPathsWithCommasQuotesAndLineBreaksReadBackWhole) {
  test::TempFolder folder;
  const auto run_path = folder / "a, \"quoted\" run";
  const std::string message = "training diverged: non-finite loss at step 3; try lr 1e-4, or \"another seed\"\nsecond line";
  {
    RunFolder run(run_path, Config{}, "laptop");
    RunInfo info;
    info.step_mode = "graph";
    run.on_started(info);
    run.on_steps(steps(1, 3), {});
    run.on_checkpoint(3, (run_path / "checkpoints" / "step_0000003.pt").string());
    run.on_alarm(collapse_at(3));
    run.on_step_mode(3, "uncaptured", "capturing it failed: out of memory, twice");
    run.on_state(RunState::kFailed, message);
  }
  const auto rows = events(run_path);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"step", "event", "detail"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"3", "checkpoint", "checkpoints/step_0000003.pt"}));
  EXPECT_EQ(rows[2][2], collapse_at(3).message);
  EXPECT_EQ(rows[3], (std::vector<std::string>{"3", "step mode", "uncaptured: capturing it failed: out of memory, twice"}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"3", "failed", message}));
  EXPECT_EQ(read_manifest(run_path).step_mode, "uncaptured");
}

}  // namespace
}  // namespace gan
