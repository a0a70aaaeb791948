#include "core/training/trainer.h"

#include <c10/util/Exception.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include "core/io/csv.h"
#include "core/judge/judge.h"
#include "core/judge/judge_loader.h"
#include "core/model/cuda_graph.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
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
  void on_sample(std::int64_t step, const Image& grid) override {
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

  // Generous: the tests wait for events, and a loaded machine may be slow to deliver them.
  bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 120s) {
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
  Image last_grid;
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
  trainer.request_digits(5, [&](std::vector<Image> digits) { during = digits.size(); });
  ASSERT_TRUE(recorder.wait_until([&] { return during == 5; }));
  trainer.pause();
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty() && recorder.states.back() == RunState::kPaused; }));
  std::atomic<std::size_t> paused{0};
  trainer.request_digits(3, [&](std::vector<Image> digits) { paused = digits.size(); });
  ASSERT_TRUE(recorder.wait_until([&] { return paused == 3; }));
  trainer.stop();
  worker.join();
  EXPECT_FALSE(trainer.running());
  std::size_t after = 0;
  EXPECT_TRUE(trainer.request_digits(2, [&](std::vector<Image> digits) { after = digits.size(); }));
  EXPECT_EQ(after, 2u);  // idle: done before request_digits returns
}

TEST(Trainer, AnIdleTrainerRefusesATaskWhenAskedToSoTheCallerRunsItElsewhere) {
  // The studio's GUI thread asks this way: a refused task goes to its idle training thread.
  Trainer trainer(test::tiny_config(), test::tiny_images());
  bool ran = false;
  EXPECT_FALSE(trainer.request_digits(2, [&](std::vector<Image>) { ran = true; }, Trainer::WhenIdle::kRefuse));
  EXPECT_FALSE(ran);
  Recorder recorder;
  std::thread worker([&] { trainer.run(recorder, 1000000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 2; }));
  std::atomic<std::size_t> during{0};
  EXPECT_TRUE(trainer.request_digits(4, [&](std::vector<Image> digits) { during = digits.size(); },
                                     Trainer::WhenIdle::kRefuse));
  ASSERT_TRUE(recorder.wait_until([&] { return during == 4; }));  // taken between steps
  trainer.stop();
  worker.join();
}

// The studio runs idle tasks from its event loop: an exception out of one ended the program (a
// diverged model's diagram did it). On either path it is caught and logged, and the one who asked
// hears why; the run goes on.
TEST(Trainer, ATaskThatThrowsIsCaughtOnEitherPathAndWhoAskedHearsWhy) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  std::string idle_error;
  EXPECT_NO_THROW(EXPECT_TRUE(trainer.post([](Gan&) { throw std::runtime_error("idle boom"); }, Trainer::WhenIdle::kRunHere,
                                           [&](const std::string& error) { idle_error = error; })));
  EXPECT_EQ(idle_error, "idle boom");
  std::string torch_error;
  trainer.post([](Gan&) { TORCH_CHECK(false, "torch boom"); }, Trainer::WhenIdle::kRunHere,
               [&](const std::string& error) { torch_error = error; });
  EXPECT_NE(torch_error.find("torch boom"), std::string::npos) << torch_error;
  EXPECT_EQ(torch_error.find("frame #"), std::string::npos) << "LibTorch's backtrace is no message: " << torch_error;
  EXPECT_NO_THROW(trainer.post([](Gan&) { throw 42; }));  // not a std::exception, and nobody to tell
  EXPECT_FALSE(trainer.busy());                            // and the trainer takes the next one

  Recorder recorder;
  std::thread worker([&] { trainer.run(recorder, 1000000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 2; }));
  std::mutex mutex;
  std::string running_error;
  std::atomic<bool> answered{false};
  trainer.post([](Gan&) { throw std::runtime_error("running boom"); }, Trainer::WhenIdle::kRunHere,
               [&](const std::string& error) {
                 std::lock_guard lock(mutex);
                 running_error = error;
                 answered = true;
               });
  ASSERT_TRUE(recorder.wait_until([&] { return answered.load(); }));
  const std::int64_t after = recorder.last_step;
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= after + 2; }));  // the run went on
  trainer.stop();
  worker.join();
  std::lock_guard lock(mutex);
  EXPECT_EQ(running_error, "running boom");
}

// Every request answers when its task fails, so that the view that asked stops waiting (the model
// diagram and Ask D also say why: ModelSummary::error, Verdict::error).
TEST(Trainer, RequestsAreAnsweredWhenTheirTaskFails) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  bool digits_answered = false;
  EXPECT_TRUE(trainer.request_digits(-1, [&](std::vector<Image> digits) {  // LibTorch refuses a negative size
    digits_answered = true;
    EXPECT_TRUE(digits.empty());
  }));
  EXPECT_TRUE(digits_answered);
  bool frames_answered = false;
  EXPECT_TRUE(trainer.request_interpolation(0, 1, [&](std::vector<Image> frames) {  // nothing to stack
    frames_answered = true;
    EXPECT_TRUE(frames.empty());
  }));
  EXPECT_TRUE(frames_answered);

  Recorder recorder;
  std::thread worker([&] { trainer.run(recorder, 1000000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 2; }));
  std::atomic<bool> during{false};
  trainer.request_interpolation(0, 1, [&](std::vector<Image>) { during = true; });
  ASSERT_TRUE(recorder.wait_until([&] { return during.load(); }));
  trainer.stop();
  worker.join();
}

// Tasks are not training: elapsed seconds (and so steps/s and the ETA) leave them out. Here a task
// that takes 1.5 s runs between steps 1 and 2.
TEST(Trainer, TimeSpentOnTasksIsNotTrainingTime) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  trainer.set_report_interval(0);  // each step read back as it is taken
  Recorder recorder;
  std::vector<std::chrono::steady_clock::time_point> arrived;
  struct Poster : TrainingObserver {
    Trainer& trainer;
    Recorder& recorder;
    std::vector<std::chrono::steady_clock::time_point>& arrived;
    Poster(Trainer& t, Recorder& r, std::vector<std::chrono::steady_clock::time_point>& a)
        : trainer(t), recorder(r), arrived(a) {}
    void on_steps(const std::vector<StepRecord>& steps, const Progress& progress) override {
      for (const StepRecord& step : steps) {
        arrived.push_back(std::chrono::steady_clock::now());
        if (step.step == 1) {
          trainer.post([](Gan&) { std::this_thread::sleep_for(std::chrono::milliseconds(1500)); });
        }
      }
      recorder.on_steps(steps, progress);
    }
  } poster(trainer, recorder, arrived);
  EXPECT_EQ(trainer.run(poster, 3), RunState::kFinished);
  ASSERT_EQ(recorder.records.size(), 3u);
  ASSERT_EQ(arrived.size(), 3u);
  const double wall = std::chrono::duration<double>(arrived[2] - arrived[0]).count();
  const double training = recorder.records[2].seconds - recorder.records[0].seconds;
  // Two steps of this tiny model take milliseconds: this holds unless they take over 0.5 s.
  EXPECT_GE(wall, 1.5);
  EXPECT_LE(training, wall - 1.0) << "training " << training << " s, wall " << wall << " s";
}

// Labelled 16 x 16 images (random pixels, labels 0..9) as IDX files, train and test split: the
// smallest data the judge accepts, so that it trains in seconds.
void write_labelled_idx(const std::filesystem::path& folder, const std::string& prefix, std::uint32_t count) {
  std::mt19937 random(count);
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(count) * 256), labels(count);
  for (auto& p : pixels) p = static_cast<std::uint8_t>(random() & 0xff);
  for (auto& l : labels) l = static_cast<std::uint8_t>(random() % 10);
  test::write_bytes(folder / (prefix + "-images-idx3-ubyte"), test::idx_bytes({count, 16, 16}, pixels));
  test::write_bytes(folder / (prefix + "-labels-idx1-ubyte"), test::idx_bytes({count}, labels));
}

// A judge cache of the test's own, so that the judge has to train.
class FreshJudgeCache {
 public:
  FreshJudgeCache() : previous_(std::getenv("XDG_DATA_HOME") ? std::getenv("XDG_DATA_HOME") : "") {
    ::setenv("XDG_DATA_HOME", folder_.path().c_str(), 1);
  }
  ~FreshJudgeCache() { ::setenv("XDG_DATA_HOME", previous_.c_str(), 1); }

 private:
  test::TempFolder folder_;
  std::string previous_;
};

class JudgeRecorder : public Recorder {
 public:
  void on_judge_training(const JudgeTraining& training) override {
    std::lock_guard lock(mutex);
    judge_fractions.push_back(training.fraction);
  }
  void on_judge(const JudgeReference& /*reference*/) override {
    std::lock_guard lock(mutex);
    judge_ready_after = records.empty() ? 0 : records.back().step;
  }
  void on_quality(const QualityRecord& record) override {
    std::lock_guard lock(mutex);
    quality_steps.push_back(record.step);
  }
  std::vector<double> judge_fractions;
  std::int64_t judge_ready_after = -1;
  std::vector<std::int64_t> quality_steps;
};

TEST(Trainer, TheJudgeTrainsBesideTheRunWithoutChangingItsNumbers) {
  test::TempFolder data;
  write_labelled_idx(data.path(), "train", 2048);
  write_labelled_idx(data.path(), "t10k", 256);
  FreshJudgeCache cache;
  Config config = test::tiny_config();
  config.data.dataset = "idx";
  config.data.path = data.path();
  config.train.epochs = 1000;
  const ImageSet images = load_dataset(config.data, Split::kTrain);
  constexpr std::int64_t kSteps = 600;

  Recorder alone;
  Trainer(config, images).run(alone, kSteps);

  config.quality.interval = 50;
  config.quality.samples = 200;
  JudgeRecorder beside;
  ASSERT_EQ(Trainer(config, images).run(beside, kSteps), RunState::kFinished) << beside.message;

  // The judge draws from generators of its own: the run's numbers are those of a run without it.
  ASSERT_EQ(alone.records.size(), beside.records.size());
  for (std::size_t i = 0; i < alone.records.size(); ++i) {
    ASSERT_EQ(alone.records[i].d_loss, beside.records[i].d_loss) << "step " << i + 1;
    ASSERT_EQ(alone.records[i].g_loss, beside.records[i].g_loss) << "step " << i + 1;
  }
  // It trained (reporting its progress up to done), then scored: every evaluation due from the
  // first one after it was ready, and the last step, which waits for it if one is owed.
  ASSERT_FALSE(beside.judge_fractions.empty());
  EXPECT_TRUE(std::is_sorted(beside.judge_fractions.begin(), beside.judge_fractions.end()));
  EXPECT_EQ(beside.judge_fractions.back(), 1.0);
  ASSERT_GE(beside.judge_ready_after, 0) << "on_judge never came";
  ASSERT_FALSE(beside.quality_steps.empty());
  EXPECT_TRUE(std::is_sorted(beside.quality_steps.begin(), beside.quality_steps.end()));
  EXPECT_GE(beside.quality_steps.front(), 50);
  EXPECT_EQ(beside.quality_steps.back(), kSteps);
}

}  // namespace
}  // namespace gan

namespace gan {
namespace {

// A judge that "trains" until the test releases it, then fails (there is none for this data): what
// happens while the judge still trains is tested by the order of events, not by a clock.
class HeldJudge {
 public:
  HeldJudge() {
    JudgeLoader::set_opener_for_tests([this](const DataConfig&, std::int64_t, const auto&, const auto&,
                                             c10::Device) -> std::unique_ptr<Judge> {
      std::unique_lock lock(mutex_);
      started_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_; });
      throw std::runtime_error("stand-in judge: none for this data");
    });
  }
  ~HeldJudge() {
    release();  // a loader still holding would never let its trainer go
    JudgeLoader::set_opener_for_tests({});
  }
  void wait_until_started() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return started_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  bool released() {
    std::lock_guard lock(mutex_);
    return released_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool started_ = false;
  bool released_ = false;
};

TEST(Trainer, StopPauseAndAnExportAreAnsweredWhileClassDigitsWaitForTheJudge) {
  HeldJudge judge;
  Config config = test::tiny_config();
  config.quality.interval = 4;
  Trainer trainer(config, test::tiny_images());
  Recorder recorder;
  // A run that reaches an evaluation opens the judge beside it and, at its last step, waits for it;
  // stopped there, it leaves the judge training and the trainer idle.
  std::thread run([&] { trainer.run(recorder, 4); });
  judge.wait_until_started();
  trainer.stop();
  run.join();
  ASSERT_FALSE(trainer.running());

  // The studio's idle training thread asks for the digits of class 3: they wait for the judge.
  std::atomic<bool> answered{false};
  std::thread worker([&] {
    trainer.request_class_digits(3, 8, [&](std::vector<Image>, double) { answered = true; });
  });
  ASSERT_TRUE(recorder.wait_until([&] { return trainer.busy(); }));
  // Each of these takes the trainer's lock. Answered while the judge still trains (it holds until
  // released below), they show that the wait holds no lock they need: the studio's window froze
  // on them for the judge's ~140 s while the idle task held it.
  trainer.pause();
  EXPECT_FALSE(trainer.request_digits(4, [](std::vector<Image>) {}, Trainer::WhenIdle::kRefuse));  // an export
  EXPECT_FALSE(trainer.running());
  EXPECT_FALSE(judge.released());
  EXPECT_FALSE(answered);
  trainer.stop();  // closing the window: the wait ends, unanswered, without the judge
  worker.join();
  EXPECT_FALSE(answered);
  EXPECT_FALSE(judge.released());
  EXPECT_FALSE(trainer.busy());

  // Once the judge is done (here: there is none), a request is answered.
  judge.release();
  double share = 0;
  trainer.request_class_digits(3, 8, [&](std::vector<Image> digits, double s) {
    answered = digits.empty();
    share = s;
  });
  EXPECT_TRUE(answered);
  EXPECT_EQ(share, -1.0);
}

// Stands in for a CUDA graph on the CPU and fails to capture (cuda_graph.h).
class FailingCapture : public StepCapture {
 public:
  void capture(int, const std::function<void()>&, int, const std::function<void()>&) override {
    throw std::runtime_error("stand-in: capture failed");
  }
  void replay() override {}
  bool captured() const override { return false; }
  void reset() override {}
};

class StepModeRecorder : public Recorder {
 public:
  void on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) override {
    std::lock_guard lock(mutex);
    changes.push_back({step, mode, reason});
  }
  struct Change {
    std::int64_t step;
    std::string mode, reason;
  };
  std::vector<Change> changes;
};

TEST(Trainer, AGraphStepThatCannotBeCapturedGoesOnUncapturedAndTheRunSaysSo) {
  set_step_capture_for_tests([] { return std::make_unique<FailingCapture>(); });
  struct Restore {
    ~Restore() { set_step_capture_for_tests({}); }
  } restore;
  test::TempFolder folder;
  Config config = test::tiny_config();
  config.train.step = StepChoice::kGraph;
  Trainer trainer(config, test::tiny_images());
  EXPECT_EQ(trainer.info().step_mode, "graph");
  RunFolder run(folder / "run", config);
  StepModeRecorder recorder;
  ObserverFanOut observers({&run, &recorder});
  ASSERT_EQ(trainer.run(observers, 10), RunState::kFinished) << recorder.message;
  EXPECT_EQ(recorder.records.size(), 10u);
  ASSERT_EQ(recorder.changes.size(), 1u);
  EXPECT_EQ(recorder.changes[0].step, 0);
  EXPECT_EQ(recorder.changes[0].mode, "uncaptured");
  EXPECT_NE(recorder.changes[0].reason.find("capturing it failed: stand-in: capture failed"), std::string::npos);
  EXPECT_EQ(trainer.info().step_mode, "uncaptured");
  EXPECT_EQ(read_manifest(folder / "run").step_mode, "uncaptured");
  bool recorded = false;
  for (const std::string& record : csv_records(test::read_text(folder / "run" / "events.csv"))) {
    const auto fields = parse_csv_row(record);
    ASSERT_TRUE(fields);
    if ((*fields)[1] == "step mode") recorded = (*fields)[0] == "0" && (*fields)[2].rfind("uncaptured: ", 0) == 0;
  }
  EXPECT_TRUE(recorded) << test::read_text(folder / "run" / "events.csv");
}

TEST(Trainer, StepsOfOneSideRunInTheOrderAskedAndTheRunFolderKeepsThem) {
  test::TempFolder folder;
  Config config = test::tiny_config();
  Trainer trainer(config, test::tiny_images());
  trainer.set_report_interval(0);
  RunFolder run(folder / "run", config);
  Recorder recorder;
  ObserverFanOut observers({&run, &recorder});
  RunState outcome{};
  std::thread worker([&] { outcome = trainer.run(observers, 100000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 2; }));
  trainer.pause();
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty() && recorder.states.back() == RunState::kPaused; }));
  const std::int64_t paused_at = recorder.last_step;
  trainer.step_once(StepSide::kDiscriminator);
  trainer.step_once(StepSide::kDiscriminator);
  trainer.step_once(StepSide::kGenerator);
  trainer.step_once();
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step == paused_at + 4; }));
  trainer.stop();
  worker.join();
  EXPECT_EQ(outcome, RunState::kStopped);

  const std::vector<StepSide> asked = {StepSide::kDiscriminator, StepSide::kDiscriminator, StepSide::kGenerator,
                                       StepSide::kBoth};
  std::vector<std::pair<std::int64_t, StepSide>> expected;
  {
    std::lock_guard lock(recorder.mutex);
    ASSERT_EQ(recorder.records.size(), static_cast<std::size_t>(paused_at + 4));
    for (std::size_t i = 0; i < recorder.records.size(); ++i) {
      const StepRecord& r = recorder.records[i];
      const auto k = static_cast<std::int64_t>(i) - paused_at;
      const StepSide side = k >= 0 ? asked[static_cast<std::size_t>(k)] : StepSide::kBoth;
      EXPECT_EQ(r.side, side) << "step " << r.step;
      if (side != StepSide::kBoth) expected.emplace_back(r.step, side);
    }
  }
  // events.csv names them, and a reader of the folder (an opened or followed run) gets them back.
  EXPECT_EQ(read_one_sided_steps(folder / "run"), expected) << test::read_text(folder / "run" / "events.csv");
  RunReader reader(folder / "run");
  const auto update = reader.poll();
  ASSERT_EQ(update.steps.size(), static_cast<std::size_t>(paused_at + 4));
  for (const auto& [step, side] : expected) EXPECT_EQ(update.steps[static_cast<std::size_t>(step - 1)].side, side);
  EXPECT_EQ(update.steps.back().side, StepSide::kBoth);
}

TEST(Trainer, OneSidedStepsTakenAgainAfterAResumeAreForgotten) {
  test::TempFolder folder;
  const auto events = folder.path() / "events.csv";
  std::ofstream(events) << ("step,event,detail\n"
                            "3,one side,discriminator\n"
                            "5,one side,generator\n"
                            "6,one side,discriminator\n"
                            "4,resumed,\n"
                            "6,one side,sideways\n"  // no side: skipped
                            "7,one side,generator\n");
  const std::vector<std::pair<std::int64_t, StepSide>> expected = {{3, StepSide::kDiscriminator},
                                                                   {7, StepSide::kGenerator}};
  EXPECT_EQ(read_one_sided_steps(folder.path()), expected);
  EXPECT_TRUE(read_one_sided_steps(folder.path() / "missing").empty());
}

TEST(Trainer, SlowMotionWaitsBetweenStepsAndAStopEndsTheWait) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  trainer.set_report_interval(0);
  trainer.set_step_rate_limit(0.001);  // one step in 1000 s: the second step waits, unless stopped
  Recorder recorder;
  RunState outcome{};
  std::thread worker([&] { outcome = trainer.run(recorder, 100000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 1; }));
  trainer.stop();
  worker.join();  // would take 1000 s if the wait ignored the stop
  EXPECT_EQ(outcome, RunState::kStopped);
  EXPECT_EQ(recorder.last_step, 1);
}

TEST(Trainer, SlowMotionsWaitIsNotTrainingTime) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  trainer.set_report_interval(0);  // each step read back as it is taken
  trainer.set_step_rate_limit(1);  // a step a second at most: about 2 s of waiting between steps 1 and 3
  Recorder recorder;
  std::vector<std::chrono::steady_clock::time_point> arrived;
  struct Stamps : TrainingObserver {
    Recorder& recorder;
    std::vector<std::chrono::steady_clock::time_point>& arrived;
    Stamps(Recorder& r, std::vector<std::chrono::steady_clock::time_point>& a) : recorder(r), arrived(a) {}
    void on_steps(const std::vector<StepRecord>& steps, const Progress& progress) override {
      for (std::size_t i = 0; i < steps.size(); ++i) arrived.push_back(std::chrono::steady_clock::now());
      recorder.on_steps(steps, progress);
    }
  } stamps(recorder, arrived);
  EXPECT_EQ(trainer.run(stamps, 3), RunState::kFinished);
  ASSERT_EQ(recorder.records.size(), 3u);
  ASSERT_EQ(arrived.size(), 3u);
  const double wall = std::chrono::duration<double>(arrived[2] - arrived[0]).count();
  const double training = recorder.records[2].seconds - recorder.records[0].seconds;
  // The waits held the steps apart and were not counted: steps of this tiny model take
  // milliseconds, so this holds unless a step takes over 0.3 s.
  EXPECT_LE(training, wall - 1.0) << "training " << training << " s, wall " << wall << " s";
}

TEST(Trainer, WhilePausedInSlowMotionAStepAskedForRunsAtOnceAndANewPaceApplies) {
  Trainer trainer(test::tiny_config(), test::tiny_images());
  trainer.set_report_interval(0);
  trainer.set_step_rate_limit(0.001);
  Recorder recorder;
  RunState outcome{};
  std::thread worker([&] { outcome = trainer.run(recorder, 100000); });
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 1; }));
  trainer.pause();  // ends the wait for step 2: the run pauses before it
  ASSERT_TRUE(recorder.wait_until([&] { return !recorder.states.empty() && recorder.states.back() == RunState::kPaused; }));
  EXPECT_EQ(recorder.last_step, 1);
  trainer.step_once(StepSide::kGenerator);
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step == 2; }));
  trainer.set_step_rate_limit(0);  // full speed again
  trainer.resume();
  ASSERT_TRUE(recorder.wait_until([&] { return recorder.last_step >= 20; }));
  trainer.stop();
  worker.join();
  EXPECT_EQ(outcome, RunState::kStopped);
}

}  // namespace
}  // namespace gan
