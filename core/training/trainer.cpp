#include "core/training/trainer.h"

#include <torch/types.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/judge/judge.h"
#include "core/judge/judge_loader.h"
#include "core/model/checkpoint.h"
#include "core/model/gan.h"
#include "core/training/trainer_window.h"

namespace gan {

Trainer::Trainer(const Config& config, const ImageSet& images)
    : gan_(std::make_unique<Gan>(config, images)), alarms_(config.alarms, config.model.loss), window_(std::make_unique<Window>()) {
  info_.device = describe_device(gan_->device());
  info_.device_id = device_id(gan_->device());
  info_.step_mode = to_string(gan_->step_mode());
  info_.dataset = images.description;
  info_.generator_parameters = parameter_count(*gan_->generator());
  info_.discriminator_parameters = parameter_count(*gan_->discriminator());
  info_.steps_per_epoch = gan_->steps_per_epoch();
  info_.total_steps = config.train.epochs * info_.steps_per_epoch;
  info_.image_rows = images.rows;
  info_.image_cols = images.cols;
}

Trainer::~Trainer() = default;

void Trainer::save_models(const std::filesystem::path& path, Replace replace) const {
  gan_->save_models(path, replace);
}

void Trainer::enable_checkpoints(const std::filesystem::path& run_folder) { checkpoint_run_ = run_folder; }

void Trainer::resume_from(const std::filesystem::path& checkpoint) {
  gan_->load_checkpoint(checkpoint);
  alarms_.reset();
  last_checkpoint_step_ = gan_->step();
  initial_sample_ = false;  // the run folder has it already
}

void Trainer::fork_from(const std::filesystem::path& checkpoint) {
  gan_->load_checkpoint(checkpoint, Gan::CheckpointUse::kFork);
  alarms_.reset();
  last_checkpoint_step_ = -1;
  initial_sample_ = true;
}

std::int64_t Trainer::step() const { return gan_->step(); }

const Config& Trainer::config() const { return gan_->config(); }

void Trainer::write_checkpoint(TrainingObserver& observer, bool periodic) {
  if (checkpoint_run_.empty() || gan_->step() == last_checkpoint_step_) return;
  const std::filesystem::path path = checkpoint_path(checkpoint_run_, gan_->step());
  std::filesystem::create_directories(path.parent_path());
  gan_->save_checkpoint(path);
  last_checkpoint_step_ = gan_->step();
  if (periodic) {
    // Keep the newest `keep`; a run's final checkpoint is never the one deleted, and neither is
    // the last one from before trouble the alarms are watching (it is what a rollback needs).
    auto all = list_checkpoints(checkpoint_run_);
    const auto keep = static_cast<std::size_t>(gan_->config().checkpoint.keep);
    const std::int64_t since = alarms_.trouble_since();
    const std::filesystem::path good = since > 0 ? checkpoint_before(checkpoint_run_, since) : std::filesystem::path();
    for (std::size_t i = 0; i + keep < all.size(); ++i) {
      if (all[i] != good) std::filesystem::remove(all[i]);
    }
  }
  observer.on_checkpoint(gan_->step(), path.string());
}

// Reads the pending steps back in one transfer and reports them up to the first non-finite loss.
// Returns that step, or 0 when all were finite.
std::int64_t Trainer::flush(TrainingObserver& observer) {
  Window& w = *window_;
  w.last_flush = Clock::now();
  if (w.losses.empty()) {
    report_inside(observer);  // a window closed after its steps were read back (the run's last)
    return 0;
  }
  const torch::Tensor values = torch::stack(w.losses).to(torch::kCPU);
  const auto rows = values.accessor<float, 2>();
  std::vector<StepRecord> records(w.losses.size());
  std::int64_t diverged_at = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& r = records[i];
    r.step = w.steps[i];
    r.epoch = w.epochs[i];
    r.d_loss = rows[i][0];
    r.g_loss = rows[i][1];
    r.d_real = rows[i][2];
    r.d_fake = rows[i][3];
    r.seconds = w.seconds[i];
    r.side = w.sides[i];
    if (auto alarm = alarms_.on_step(r)) pending_alarms_.push_back(std::move(*alarm));
    if (!std::isfinite(r.d_loss) || !std::isfinite(r.g_loss)) {
      records.resize(i + 1);
      diverged_at = r.step;
      break;
    }
  }
  w.losses.clear();
  w.steps.clear();
  w.epochs.clear();
  w.seconds.clear();
  w.sides.clear();

  const double now = w.active_seconds();
  const std::int64_t step = records.back().step;
  if (now - w.rate_time > 1e-6) {
    const double recent = static_cast<double>(step - w.rate_step) / (now - w.rate_time);
    // Smooth over reporting windows so the display does not flicker.
    w.steps_per_second = w.steps_per_second > 0 ? 0.7 * w.steps_per_second + 0.3 * recent : recent;
  }
  w.rate_time = now;
  w.rate_step = step;

  Progress progress;
  progress.step = step;
  progress.total_steps = info_.total_steps;
  progress.epoch = records.back().epoch;
  progress.epochs = gan_->config().train.epochs;
  progress.steps_per_epoch = info_.steps_per_epoch;
  progress.steps_per_second = w.steps_per_second;
  progress.elapsed_seconds = now;
  observer.on_steps(records, progress);
  if (diverged_at > 0) {
    w.inside.clear();  // windows of a diverged run end in NaN: the alarm says what matters
  } else {
    report_inside(observer);
  }
  return diverged_at;
}

void Trainer::report_inside(TrainingObserver& observer) {
  Window& w = *window_;
  if (w.inside.empty()) return;
  std::vector<torch::Tensor> packed;
  for (const Gan::InsideWindow& window : w.inside) packed.push_back(window.packed);
  const torch::Tensor values = torch::stack(packed).to(torch::kCPU);  // the device is idle after the losses' read-back
  for (std::size_t i = 0; i < w.inside.size(); ++i) {
    const InsideRecord record = gan_->unpack_inside(w.inside[i], values[static_cast<std::int64_t>(i)]);
    observer.on_inside(record);
    if (auto alarm = alarms_.on_inside(record)) pending_alarms_.push_back(std::move(*alarm));
  }
  w.inside.clear();
}

namespace {

std::string divergence_message(std::int64_t step) {
  return "training diverged: non-finite loss at step " + std::to_string(step) +
         "; try a lower learning rate or another seed";
}

}  // namespace

RunState Trainer::run(TrainingObserver& observer, std::int64_t max_steps) {
  Gan& gan = *gan_;
  Window& w = *window_;
  const std::int64_t planned = gan.config().train.epochs * info_.steps_per_epoch;
  info_.total_steps = max_steps > 0 ? std::min(planned, max_steps) : planned;
  const std::int64_t interval = gan.config().sampling.interval;
  const std::int64_t inside_interval = gan.config().inside.interval;
  // Marks the run as in progress for post(); on the way out, runs what was posted meanwhile.
  struct RunningScope {
    explicit RunningScope(Trainer& t) : trainer(t) { trainer.set_running(true); }
    ~RunningScope() { trainer.set_running(false); }
    Trainer& trainer;
  } running_scope(*this);
  stop_reason_.clear();

  try {
    observer.on_started(info_);
    start_judge(observer, info_.total_steps);
    const std::int64_t quality_interval = judge_ || judge_loader_ ? gan.config().quality.interval : 0;
    bool evaluation_owed = false;  // an evaluation fell due before the judge was ready
    if (initial_sample_) observer.on_sample(gan.step(), gan.sample_grid());
    initial_sample_ = false;
    w.rate_time = w.active_seconds();
    w.rate_step = gan.step();
    w.start_clock();
    w.last_flush = Clock::now();

    RunState outcome = RunState::kFinished;
    while (gan.step() < info_.total_steps) {
      pace();
      StepSide side = StepSide::kBoth;
      if (wait_for_command(observer, side) == Command::kStop) {
        outcome = RunState::kStopped;
        break;
      }
      const std::int64_t epoch = gan.epoch();
      w.losses.push_back(gan.train_step(side));
      w.sides.push_back(side);
      if (info_.step_mode != to_string(gan.step_mode())) {
        // A captured step that could not be trusted fell back (gan.h): the run goes on, and says so.
        info_.step_mode = to_string(gan.step_mode());
        observer.on_step_mode(gan.step() - 1, info_.step_mode, gan.step_mode_reason());
      }
      w.steps.push_back(gan.step());
      w.epochs.push_back(epoch);
      w.seconds.push_back(w.active_seconds());

      const bool sample_due = gan.step() % interval == 0;
      // Sample quality is scored before the step's row is flushed, so that the row carries its
      // scores (run_folder.h). An evaluation that falls due while the judge still trains beside
      // the run is owed: it scores the first step after the judge is ready, and the run's last
      // step waits for the judge rather than end with the evaluation still owed.
      if (quality_interval > 0 && gan.step() % quality_interval == 0 && !evaluation_owed) {
        evaluation_owed = true;
        if (!judge_ && judge_loader_) {
          observer.on_message("The sample quality of step " + std::to_string(gan.step()) +
                              " is scored once the judge, training beside the run, is ready");
        }
      }
      bool scored = false;
      if (evaluation_owed) {
        const bool last_step = gan.step() == info_.total_steps;
        if (last_step) w.stop_clock();  // waiting for the judge is not training time
        const bool ready = last_step ? wait_for_judge(observer) : poll_judge(observer);
        if (ready) {
          evaluate_quality(observer);
          scored = true;
        }
        if (ready || !judge_loader_) evaluation_owed = false;  // scored, or there will be no judge
      }
      const bool paused_step = command_waiting_.load(std::memory_order_relaxed);
      // A window of the inside figures closes on the device; it is read back with the next flush.
      if (inside_interval > 0 && gan.step() % inside_interval == 0) {
        if (auto window = gan.close_inside()) w.inside.push_back(std::move(*window));
      }
      if (sample_due || scored || paused_step ||
          std::chrono::duration<double>(Clock::now() - w.last_flush).count() >= report_interval_) {
        if (const std::int64_t bad = flush(observer)) return diverged(observer, bad);
        poll_judge(observer);
        if (sample_due) observer.on_sample(gan.step(), gan.sample_grid());
      }
      const std::int64_t every = gan.config().checkpoint.interval;
      if (every > 0 && gan.step() % every == 0 && !checkpoint_run_.empty()) {
        // Metrics first, so a run folder never has a checkpoint ahead of its metrics.
        if (const std::int64_t bad = flush(observer)) return diverged(observer, bad);
        write_checkpoint(observer, /*periodic=*/true);
      }
      if (!pending_alarms_.empty()) raise_alarms(observer);
    }
    w.stop_clock();
    if (auto window = gan.close_inside()) w.inside.push_back(std::move(*window));  // the window the run ended in
    if (const std::int64_t bad = flush(observer)) return diverged(observer, bad);
    raise_alarms(observer, /*pause=*/false);  // the run is over; nothing left to pause
    if (gan.step() % interval != 0) observer.on_sample(gan.step(), gan.sample_grid());
    write_checkpoint(observer, /*periodic=*/false);
    observer.on_state(outcome, outcome == RunState::kStopped ? stop_reason_ : std::string());
    return outcome;
  } catch (const c10::Error& e) {
    return fail(observer, e.what_without_backtrace(), true);
  } catch (const std::exception& e) {
    return fail(observer, e.what(), true);
  }
}

RunState Trainer::diverged(TrainingObserver& observer, std::int64_t step) {
  raise_alarms(observer, /*pause=*/false);  // the monitor's non-finite alarm among them
  return fail(observer, divergence_message(step), false);
}

RunState Trainer::fail(TrainingObserver& observer, const std::string& message, bool checkpoint) {
  window_->stop_clock();
  window_->losses.clear();  // may live on a device in an unknown state; the error is what matters now
  window_->steps.clear();
  window_->epochs.clear();
  window_->seconds.clear();
  window_->sides.clear();
  window_->inside.clear();
  std::string full = message;
  if (checkpoint) {
    try {
      write_checkpoint(observer, /*periodic=*/false);
    } catch (const std::exception& e) {
      full += "; the final checkpoint could not be written either: " + std::string(e.what());
    }
  } else if (last_checkpoint_step_ >= 0 && !checkpoint_run_.empty()) {
    full += "; the last good checkpoint is at step " + std::to_string(last_checkpoint_step_);
  }
  observer.on_state(RunState::kFailed, full);
  return RunState::kFailed;
}

}  // namespace gan
