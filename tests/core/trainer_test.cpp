#include "core/trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "test_support.h"

namespace gan {
namespace {

using namespace std::chrono_literals;

// Records what the trainer reports; safe to poll from the test thread.
class Recorder : public TrainingObserver {
 public:
  void on_started(const RunInfo& info) override { total_steps = info.total_steps; }
  void on_steps(const std::vector<StepRecord>& steps, const Progress& progress) override {
    std::lock_guard lock(mutex);
    records.insert(records.end(), steps.begin(), steps.end());
    last_step = progress.step;
  }
  void on_sample(std::int64_t step, const GrayImage& grid) override {
    std::lock_guard lock(mutex);
    sample_steps.push_back(step);
    last_grid = grid;
  }
  void on_hyperparameters(std::int64_t step, const LiveHyperparameters& values) override {
    std::lock_guard lock(mutex);
    changes.emplace_back(step, values);
  }
  void on_state(RunState state, const std::string& text) override {
    std::lock_guard lock(mutex);
    states.push_back(state);
    message = text;
  }
  void on_alarm(const Alarm& alarm) override {
    std::lock_guard lock(mutex);
    alarms.push_back(alarm);
  }

  bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mutex);
        if (condition()) return true;
      }
      std::this_thread::sleep_for(1ms);
    }
    return false;
  }

  std::mutex mutex;
  std::int64_t total_steps = 0;
  std::atomic<std::int64_t> last_step{0};
  std::vector<StepRecord> records;
  std::vector<std::int64_t> sample_steps;
  GrayImage last_grid;
  std::vector<std::pair<std::int64_t, LiveHyperparameters>> changes;
  std::vector<RunState> states;
  std::vector<Alarm> alarms;
  std::string message;
};

TEST(Trainer, RunsToMaxStepsAndReportsEveryStepAndSample) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  Recorder recorder;
  EXPECT_EQ(trainer.run(recorder, 25), RunState::kFinished);
  EXPECT_EQ(recorder.total_steps, 25);
  ASSERT_EQ(recorder.records.size(), 25u);
  for (std::size_t i = 0; i < recorder.records.size(); ++i) {
    EXPECT_EQ(recorder.records[i].step, static_cast<std::int64_t>(i) + 1);
    EXPECT_GE(recorder.records[i].seconds, 0.0);
  }
  EXPECT_EQ(recorder.records.back().epoch, 1);  // 256 / 16 = 16 steps per epoch
  // Before training, every 10 steps, and at the end.
  EXPECT_EQ(recorder.sample_steps, (std::vector<std::int64_t>{0, 10, 20, 25}));
  EXPECT_EQ(recorder.last_grid.width, 2 * 10 + 2);
  EXPECT_EQ(recorder.states, (std::vector<RunState>{RunState::kFinished}));
}

TEST(Trainer, RunCanContinueWhereTheLastOneEnded) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  Recorder first;
  EXPECT_EQ(trainer.run(first, 5), RunState::kFinished);
  Recorder second;
  EXPECT_EQ(trainer.run(second, 12), RunState::kFinished);
  ASSERT_EQ(second.records.size(), 7u);
  EXPECT_EQ(second.records.front().step, 6);
  EXPECT_EQ(second.records.back().step, 12);
  EXPECT_EQ(second.sample_steps, (std::vector<std::int64_t>{10, 12}));  // no second "before training" grid
}

TEST(Trainer, RunsAllEpochsWithoutALimit) {
  Config config = test::tiny_config();
  config.train.epochs = 2;
  Trainer trainer(config, test::tiny_images(64));  // 4 steps per epoch
  Recorder recorder;
  EXPECT_EQ(trainer.run(recorder), RunState::kFinished);
  EXPECT_EQ(recorder.records.size(), 8u);
}

TEST(Trainer, PauseHoldsAndStepAdvancesExactlyOne) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  trainer.set_report_interval(0);
  Recorder recorder;
  RunState outcome{};
  std::thread worker([&] { outcome = trainer.run(recorder, 100000); });

  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 3; }));
  trainer.pause();
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty() && recorder.states.back() == RunState::kPaused; }));
  const std::int64_t paused_at = recorder.last_step;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(recorder.last_step, paused_at);

  trainer.step_once();
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step == paused_at + 1; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(recorder.last_step, paused_at + 1);

  trainer.resume();
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step > paused_at + 10; }));
  trainer.stop();
  worker.join();
  EXPECT_EQ(outcome, RunState::kStopped);
  EXPECT_EQ(recorder.states.back(), RunState::kStopped);
  EXPECT_NE(std::find(recorder.states.begin(), recorder.states.end(), RunState::kRunning), recorder.states.end());
  // No step was lost or repeated across pause, single step and resume.
  for (std::size_t i = 0; i < recorder.records.size(); ++i) {
    EXPECT_EQ(recorder.records[i].step, static_cast<std::int64_t>(i) + 1);
  }
}

// Thresholds every step meets: the "D wins" alarm fires as soon as its window is full.
Config config_where_d_always_wins(std::int64_t window) {
  Config config = test::tiny_config();
  config.alarms.warmup = 0;
  config.alarms.d_wins_real = 0.0;
  config.alarms.d_wins_fake = 1.0;
  config.alarms.d_wins_steps = window;
  return config;
}

TEST(Trainer, AnAlarmPausesTheRunAndNamesTheCheckpointToRollBackTo) {
  Config config = config_where_d_always_wins(30);
  config.checkpoint.interval = 10;
  test::TempFolder folder;
  Trainer trainer(config, test::tiny_images());
  trainer.enable_checkpoints(folder.path());
  trainer.set_report_interval(0);
  Recorder recorder;
  RunState outcome{};
  std::thread worker([&] { outcome = trainer.run(recorder, 1000); });
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty() && recorder.states.back() == RunState::kPaused; }));
  {
    std::lock_guard lock(recorder.mutex);
    ASSERT_EQ(recorder.alarms.size(), 1u);
    const Alarm& alarm = recorder.alarms[0];
    EXPECT_EQ(alarm.kind, Alarm::Kind::kDiscriminatorWins);
    EXPECT_EQ(alarm.step, 30);
    EXPECT_EQ(alarm.since_step, 1);
    // The trouble began at step 1: no checkpoint predates it.
    EXPECT_EQ(alarm.rollback_checkpoint, "");
  }
  EXPECT_LE(recorder.last_step, 31);
  trainer.stop();
  worker.join();
  EXPECT_EQ(outcome, RunState::kStopped);
}

TEST(Trainer, WithAlarmsReportedTheRunGoesOn) {
  Trainer trainer(config_where_d_always_wins(20), test::tiny_images());
  trainer.set_alarm_action(AlarmAction::kReport);
  Recorder recorder;
  EXPECT_EQ(trainer.run(recorder, 100), RunState::kFinished);
  ASSERT_EQ(recorder.alarms.size(), 5u);  // steps 20, 40, 60, 80, 100
  EXPECT_EQ(recorder.alarms[4].step, 100);
  EXPECT_EQ(std::count(recorder.states.begin(), recorder.states.end(), RunState::kPaused), 0);
}

TEST(Trainer, StopWhilePausedEndsTheRun) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  Recorder recorder;
  trainer.pause();  // before the first step
  RunState outcome{};
  std::thread worker([&] { outcome = trainer.run(recorder, 1000); });
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty(); }));
  EXPECT_EQ(recorder.last_step, 0);
  trainer.stop();
  worker.join();
  EXPECT_EQ(outcome, RunState::kStopped);
}

TEST(Trainer, HyperparameterChangeReachesTheRunAndIsReported) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  trainer.set_report_interval(0);
  Recorder recorder;
  std::thread worker([&] { trainer.run(recorder, 100000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 5; }));
  LiveHyperparameters values;
  values.generator.lr = 0.001;
  values.discriminator.lr = 0.0001;
  values.d_steps = 2;
  trainer.set_hyperparameters(values);
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.changes.empty(); }));
  trainer.stop();
  worker.join();
  ASSERT_EQ(recorder.changes.size(), 1u);
  EXPECT_GE(recorder.changes[0].first, 5);
  EXPECT_TRUE(recorder.changes[0].second == values);
  EXPECT_TRUE(trainer.hyperparameters() == values);
}

TEST(Trainer, DigitsCanBeRequestedDuringAndAfterARun) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  Recorder recorder;
  std::atomic<std::size_t> during{0};
  std::thread worker([&] { trainer.run(recorder, 1000000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 2; }));
  EXPECT_TRUE(trainer.running());
  trainer.request_digits(5, [&](std::vector<GrayImage> digits) { during = digits.size(); });
  ASSERT_TRUE(recorder.wait_until([&] { return during == 5; }));
  trainer.pause();
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty() && recorder.states.back() == RunState::kPaused; }));
  std::atomic<std::size_t> paused{0};
  trainer.request_digits(3, [&](std::vector<GrayImage> digits) { paused = digits.size(); });
  ASSERT_TRUE(recorder.wait_until([&] { return paused == 3; }));
  trainer.stop();
  worker.join();
  EXPECT_FALSE(trainer.running());
  std::size_t after = 0;
  trainer.request_digits(2, [&](std::vector<GrayImage> digits) { after = digits.size(); });
  EXPECT_EQ(after, 2u);  // idle: done before request_digits returns
}

}  // namespace
}  // namespace gan
