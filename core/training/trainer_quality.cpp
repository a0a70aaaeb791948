// What the trainer watches besides the losses: the judge (opened beside the run, then scoring
// samples every quality.interval steps) and the alarms it raises, with the checkpoint to roll back
// to. The loop itself is trainer.cpp.
#include <cstdio>
#include <string>

#include "core/judge/judge.h"
#include "core/judge/judge_loader.h"
#include "core/model/checkpoint.h"
#include "core/model/gan.h"
#include "core/training/trainer.h"

namespace gan {

namespace {

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f%%", share * 100.0);
  return text;
}

}  // namespace

std::filesystem::path Trainer::last_good_checkpoint(std::int64_t trouble_since) const {
  if (checkpoint_run_.empty()) return {};
  return checkpoint_before(checkpoint_run_, trouble_since > 0 ? trouble_since : gan_->step() + 1);
}

void Trainer::raise_alarms(TrainingObserver& observer, bool pause) {
  auto alarms = std::move(pending_alarms_);
  pending_alarms_.clear();
  for (Alarm& alarm : alarms) {
    alarm.rollback_checkpoint = last_good_checkpoint(alarm.since_step).string();
    observer.on_alarm(alarm);
  }
  if (alarms.empty()) return;
  if (alarm_action_ == AlarmAction::kStop && stop_reason_.empty()) {
    stop_reason_ = "stopped early by the " + std::string(to_string(alarms.front().kind)) + " alarm at step " +
                   std::to_string(alarms.front().step);
    stop();
    return;
  }
  if (!pause || alarm_action_ != AlarmAction::kPause) return;
  std::lock_guard lock(mutex_);
  paused_ = true;
  command_waiting_ = true;
}

void Trainer::start_judge(TrainingObserver& observer, std::int64_t total_steps) {
  const QualityConfig& quality = gan_->config().quality;
  if (judge_) {
    observer.on_judge(judge_->reference());
    return;
  }
  // Only when this run will reach an evaluation: a short run should not pay for the judge.
  if (judge_loader_ || judge_failed_ || quality.interval <= 0 ||
      (gan_->step() / quality.interval + 1) * quality.interval > total_steps) {
    return;
  }
  judge_loader_ = std::make_unique<JudgeLoader>(gan_->config().data, quality.samples, gan_->device());
}

bool Trainer::poll_judge(TrainingObserver& observer) {
  if (!judge_loader_) return judge_ != nullptr;
  JudgeLoader::Report report = judge_loader_->take();
  for (const std::string& note : report.notes) observer.on_message(note);
  const std::string dataset = gan_->config().data.dataset == "mnist" ? "MNIST" : gan_->config().data.dataset;
  if (report.progress) {
    if (!judge_announced_) {
      judge_announced_ = true;
      observer.on_message("Training the " + dataset + " judge beside the run, for sample quality (once; it is cached " +
                          "for every later run)");
    }
    JudgeTraining training;
    training.dataset = dataset;
    training.fraction = report.progress->accuracy >= 0 ? 1.0 : report.progress->fraction();
    observer.on_judge_training(training);
    if (report.progress->accuracy >= 0) {
      observer.on_message("The " + dataset + " judge is trained: " + percent(report.progress->accuracy) +
                          " right on the test set; it is cached for every later run");
    }
  }
  if (report.judge) {
    judge_ = std::move(report.judge);
    judge_loader_.reset();
    observer.on_judge(judge_->reference());
  } else if (report.error) {
    judge_loader_.reset();
    judge_failed_ = true;
    // Training goes on without quality scores; the user hears why, and the charts say it.
    observer.on_message("Sample quality is off for this run: " + *report.error);
    observer.on_judge_unavailable(*report.error);
  }
  return judge_ != nullptr;
}

bool Trainer::wait_for_judge(TrainingObserver& observer) {
  while (!poll_judge(observer) && judge_loader_) {
    {
      std::lock_guard lock(mutex_);
      if (stop_requested_) return false;
    }
    judge_loader_->wait_for(0.2);
  }
  return judge_ != nullptr;
}

void Trainer::evaluate_quality(TrainingObserver& observer) {
  QualityRecord record;
  try {
    const std::int64_t samples = gan_->config().quality.samples;
    record = judge_->score(gan_->evaluation_images(samples), gan_->evaluation_labels(samples));
  } catch (const NonFiniteImages& e) {
    // The losses of this step are non-finite too: the next read-back ends the run as diverged.
    observer.on_message("No sample quality at step " + std::to_string(gan_->step()) + ": " + e.what());
    return;
  }
  record.step = gan_->step();
  observer.on_quality(record);
  if (auto alarm = alarms_.on_quality(record)) pending_alarms_.push_back(std::move(*alarm));
}

}  // namespace gan
