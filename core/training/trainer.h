// The training loop: runs Gan steps on the calling thread, reports to a TrainingObserver, and takes
// commands (pause, resume, single step, stop, new hyperparameters) from any thread between steps.
// Torch-free on purpose: the UI's worker and the CLI include it without LibTorch's headers.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/model/model_summary.h"
#include "core/model/probe.h"
#include "core/run/alarms.h"
#include "core/run/observer.h"

namespace gan {

class Gan;
class Judge;
class JudgeLoader;

/// What the trainer does when an alarm fires (a non-finite loss always ends the run).
enum class AlarmAction {
  kPause,   ///< pause the run and wait for the user (the studio)
  kReport,  ///< tell the observer and go on (the command line, where nobody can answer)
  kStop,    ///< end the run as stopped, the alarm as the reason (a sweep's early stop: its time
            ///< goes to the runs that learn)
};

class Trainer {
 public:
  /// Builds the Gan (models, optimizers, data on the device). Throws ConfigError, TrainingError.
  Trainer(const Config& config, const ImageSet& images);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Trains until the configured epochs are done, `max_steps` steps have run in total (0: no
  /// limit), or stop() is called. Reports through `observer` on this thread and returns how the run
  /// ended: kFinished, kStopped or kFailed (non-finite loss, or an error from LibTorch such as CUDA
  /// running out of memory; the message goes to observer.on_state).
  RunState run(TrainingObserver& observer, std::int64_t max_steps = 0);

  // Commands; safe from any thread, picked up between steps.
  void pause();
  void resume();
  /// While paused: run exactly one more step, then stay paused. `side` steps one network alone
  /// (Gan::train_step): the studio's Step D and Step G. Steps asked for run in the order asked.
  void step_once(StepSide side = StepSide::kBoth);
  /// Slow motion: at most `steps_per_second` steps a second while running (0: as fast as it goes).
  /// The time spent waiting is not training time; a command (pause, stop) ends the wait at once.
  void set_step_rate_limit(double steps_per_second);
  void stop();
  void set_hyperparameters(const LiveHyperparameters& values);

  /// What post() does with a task when no run is in progress.
  enum class WhenIdle {
    kRunHere,  ///< run it on the calling thread, now
    kRefuse,   ///< leave it and return false: the caller runs it elsewhere (the studio: not on its GUI thread)
  };
  /// Runs `task` on the training thread between two steps (also while paused) when a run is in
  /// progress; otherwise as `when_idle` says. The way to read or export from a live model. Returns
  /// whether the task was taken. A task that throws, on either path, is caught and logged, and
  /// `failed` hears why on the same thread, so that whoever asked is answered: a probe can end
  /// neither the run nor the program that posted it (the studio runs idle tasks from its event loop).
  /// A task run on an idle trainer holds no lock that pause(), stop() or another post() need: they
  /// answer at once. Idle tasks run one at a time, and run() waits for the one in progress. Time a
  /// run spends on tasks is not training time (elapsed seconds, steps/s, the ETA).
  bool post(std::function<void(Gan&)> task, WhenIdle when_idle = WhenIdle::kRunHere,
            std::function<void(const std::string& error)> failed = {});
  /// `count` digits from fresh noise, handed to `done` on whichever thread post() runs it; a
  /// conditional model's all of `digit` when given (one it cannot draw hands over none).
  bool request_digits(std::int64_t count, std::function<void(std::vector<Image>)> done,
                      WhenIdle when_idle = WhenIdle::kRunHere, std::optional<std::int64_t> digit = std::nullopt);
  /// Gan::interpolate through post().
  bool request_interpolation(std::int64_t frames, std::uint64_t seed, std::function<void(std::vector<Image>)> done,
                             WhenIdle when_idle = WhenIdle::kRunHere);
  /// Up to `count` digits the judge takes for class `label`, picked from the fixed evaluation batch
  /// rendered by the current generator, with that class's share of the batch. A conditional model
  /// instead draws `count` digits asked for `label`, with the share the judge takes for it. The judge is loaded
  /// if this trainer has none yet; when there can be none (no labels), `done` gets a share of -1.
  /// While the judge still trains beside the run, the request waits for it (on the thread that
  /// runs it, holding no lock the commands need); a stop() meanwhile drops it unanswered.
  bool request_class_digits(std::int64_t label, std::int64_t count,
                            std::function<void(std::vector<Image>, double share)> done,
                            WhenIdle when_idle = WhenIdle::kRunHere);
  /// D's verdict on `image` (Gan::ask_discriminator), handed to `done` on whichever thread post()
  /// runs it; no outputs when the image is not of the model's size.
  bool request_verdict(Image image, std::function<void(Verdict)> done, WhenIdle when_idle = WhenIdle::kRunHere);
  /// The judge's class probabilities for `image`: none when there can be no judge (a dataset
  /// without labels) or the image is not of its size; none and `opening` while the judge is being
  /// opened beside (between runs a request starts that, and never waits for it).
  bool request_judge_view(Image image, std::function<void(JudgeView)> done, WhenIdle when_idle = WhenIdle::kRunHere);
  /// The `count` training images nearest `image` in the judge's features or in pixels
  /// (neighbours.h); like request_judge_view, none and `opening` while the judge is opened beside.
  bool request_neighbours(Image image, NeighbourSpace space, std::int64_t count,
                          std::function<void(NeighbourView)> done, WhenIdle when_idle = WhenIdle::kRunHere);
  /// The latent explorer's start: sample-grid cell `grid_index`'s point, `count` directions of
  /// `kind` there (Gan::latent_directions, random ones from `seed`) and its digit; nothing (an
  /// empty point) for a cell the grid does not have.
  bool request_latent_pick(std::int64_t grid_index, std::int64_t count, LatentDirections kind, std::uint64_t seed,
                           std::function<void(LatentPick)> done, WhenIdle when_idle = WhenIdle::kRunHere);
  /// G's digits at `points` (Gan::draw_latent); none for a point this model cannot draw.
  bool request_latent_digits(std::vector<LatentPoint> points, std::function<void(std::vector<Image>)> done,
                             WhenIdle when_idle = WhenIdle::kRunHere);
  /// Both networks block by block with their activations on the fixed noise (Gan::summarize),
  /// handed to `done` on whichever thread post() runs it: the studio's model diagram.
  bool request_model_summary(const SummaryScope& scope, std::function<void(ModelSummary)> done,
                             WhenIdle when_idle = WhenIdle::kRunHere);
  bool running() const;
  /// True while a task posted to the idle trainer runs (drawing digits, waiting for the judge).
  bool busy() const;

  /// How often step records are read back from the device (seconds). Short enough for a live view,
  /// long enough that the host sync costs nothing measurable.
  void set_report_interval(double seconds) { report_interval_ = seconds; }
  void set_alarm_action(AlarmAction action) { alarm_action_ = action; }

  /// Writes both networks' weights atomically (Gan::save_models); call while run() is not running.
  void save_models(const std::filesystem::path& path, Replace replace = Replace::kRefused) const;

  /// Makes run() write checkpoints into `run_folder`/checkpoints: every checkpoint.interval steps
  /// (keeping the newest checkpoint.keep), and when the run stops, ends, or fails with an error
  /// other than divergence (a diverged model is not worth continuing from).
  void enable_checkpoints(const std::filesystem::path& run_folder);
  /// Continues from a checkpoint (Gan::load_checkpoint); call before run().
  void resume_from(const std::filesystem::path& checkpoint);
  /// Starts a new run from a checkpoint of another, with this Trainer's (changed) config; the
  /// steps go on from the checkpoint's step. Call before run().
  void fork_from(const std::filesystem::path& checkpoint);
  /// Steps trained so far.
  std::int64_t step() const;

  const RunInfo& info() const { return info_; }
  /// The config this trainer trains (a resumed run's is its checkpoint's, whatever a panel shows).
  const Config& config() const;
  /// The hyperparameters in effect (read it while run() is not running).
  const LiveHyperparameters& hyperparameters() const;
  Gan& gan() { return *gan_; }

 private:
  enum class Command { kTrain, kStop };
  /// Between steps: takes the commands waiting; kTrain with the side of the next step in `side`.
  Command wait_for_command(TrainingObserver& observer, StepSide& side);
  /// Slow motion's wait before the next step; a command ends it early.
  void pace();
  std::int64_t flush(TrainingObserver& observer);
  /// Reads the closed windows of the inside figures back and reports them (flush's last part, so
  /// that the observer has each window's steps first), with the alarms they set off.
  void report_inside(TrainingObserver& observer);
  RunState fail(TrainingObserver& observer, const std::string& message, bool checkpoint);
  /// Raises the non-finite alarm for `step` and ends the run.
  RunState diverged(TrainingObserver& observer, std::int64_t step);
  /// Starts opening the judge beside the run (judge_loader.h) if this run will reach a quality
  /// evaluation and it is not open yet.
  void start_judge(TrainingObserver& observer, std::int64_t total_steps);
  /// Reports the judge's progress; true once it is ready.
  bool poll_judge(TrainingObserver& observer);
  /// Waits for the judge (reporting its progress); false when there will be none, or the user
  /// stopped the run meanwhile.
  bool wait_for_judge(TrainingObserver& observer);
  void evaluate_quality(TrainingObserver& observer);
  /// For requests from the studio: the judge, waited for when it is being opened beside the run,
  /// or loaded (trained when it has no cache); kNone when there can be none, kStopped when a stop
  /// came while waiting.
  enum class JudgeOpened { kReady, kNone, kStopped };
  JudgeOpened open_judge(Gan& gan);
  /// For the studio's quick questions (Ask D, nearest images): true when the judge is open. Between
  /// runs it is opened beside, never waited for (training it on first use takes minutes); during a
  /// run the run's own loader is left to the run. `opening` says whether it is on its way.
  bool judge_at_hand(Gan& gan, bool& opening);
  /// Tells the observer about the pending alarms; pauses the run (kPause) unless `pause` is false.
  void raise_alarms(TrainingObserver& observer, bool pause = true);
  /// The newest checkpoint from before the current trouble began (or the newest one, if none).
  std::filesystem::path last_good_checkpoint(std::int64_t trouble_since) const;
  void write_checkpoint(TrainingObserver& observer, bool periodic);
  void run_tasks(std::unique_lock<std::mutex>& lock);
  struct Task {
    std::function<void(Gan&)> run;
    std::function<void(const std::string&)> failed;
  };
  void run_task(const Task& task);
  void set_running(bool running);
  /// How many times stop() was called: a wait that sees it change was interrupted by a stop.
  std::int64_t stop_count() const;

  std::unique_ptr<Gan> gan_;
  RunInfo info_;
  double report_interval_ = 0.1;
  std::filesystem::path checkpoint_run_;  // empty: no checkpoints
  std::int64_t last_checkpoint_step_ = -1;
  bool initial_sample_ = true;  // a grid before the first step of this run folder
  std::unique_ptr<Judge> judge_;
  std::unique_ptr<JudgeLoader> judge_loader_;  // while the judge is being opened
  bool judge_failed_ = false;                  // there can be no judge for this data
  bool judge_announced_ = false;               // the user was told that the judge trains
  AlarmMonitor alarms_;
  AlarmAction alarm_action_ = AlarmAction::kPause;
  std::vector<Alarm> pending_alarms_;  // found by flush() and evaluate_quality(), raised by the run loop
  std::string stop_reason_;            // why an alarm stopped the run (kStop); empty otherwise

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> command_waiting_{false};  // lets the loop skip the lock on ordinary steps
  bool running_ = false;
  bool paused_ = false;
  bool pause_reported_ = false;  // the observer was told kPaused and not yet kRunning
  bool stop_requested_ = false;
  std::int64_t stops_ = 0;   // stop() calls so far
  bool idle_task_ = false;   // a task posted to the idle trainer is running (post)
  std::deque<StepSide> single_steps_;  // steps asked for while paused, oldest first
  std::atomic<double> step_rate_limit_{0};  // slow motion; 0: none
  std::chrono::steady_clock::time_point last_step_start_{};  // slow motion paces steps from here
  std::optional<LiveHyperparameters> pending_hyperparameters_;
  std::vector<Task> tasks_;

  struct Window;  // steps issued but not yet read back; defined in trainer.cpp
  std::unique_ptr<Window> window_;
};

}  // namespace gan
