#include "core/run/observer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gan {

double VerdictHistogram::total() const { return std::accumulate(counts.begin(), counts.end(), 0.0); }

double VerdictHistogram::mean() const {
  const double count = total();
  if (count <= 0) return 0;
  const double width = (high - low) / static_cast<double>(counts.size());
  double sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) sum += counts[i] * (low + (static_cast<double>(i) + 0.5) * width);
  return sum / count;
}

std::size_t VerdictHistogram::bin_of(double value) const {
  if (counts.empty()) return 0;
  const double last = static_cast<double>(counts.size() - 1);
  const double at = high > low ? std::floor((value - low) / (high - low) * static_cast<double>(counts.size())) : 0.0;
  return static_cast<std::size_t>(std::isnan(at) ? 0.0 : std::clamp(at, 0.0, last));
}

const char* to_string(StepSide side) {
  switch (side) {
    case StepSide::kDiscriminator: return "discriminator";
    case StepSide::kGenerator: return "generator";
    case StepSide::kBoth: break;
  }
  return "both";
}

std::optional<StepSide> step_side_from_string(const std::string& text) {
  for (StepSide side : {StepSide::kBoth, StepSide::kDiscriminator, StepSide::kGenerator}) {
    if (text == to_string(side)) return side;
  }
  return std::nullopt;
}

const char* to_string(RunState state) {
  switch (state) {
    case RunState::kRunning: return "running";
    case RunState::kPaused: return "paused";
    case RunState::kFinished: return "finished";
    case RunState::kStopped: return "stopped";
    case RunState::kFailed: return "failed";
  }
  return "unknown";
}

const char* to_string(Alarm::Kind kind) {
  switch (kind) {
    case Alarm::Kind::kNonFinite: return "non-finite loss";
    case Alarm::Kind::kDiscriminatorWins: return "discriminator wins";
    case Alarm::Kind::kModeCollapse: return "mode collapse";
    case Alarm::Kind::kVanishingGradients: return "vanishing gradients";
    case Alarm::Kind::kExplodingGradients: return "exploding gradients";
  }
  return "unknown";
}

void ObserverFanOut::on_started(const RunInfo& info) {
  for (auto* target : targets_) target->on_started(info);
}
void ObserverFanOut::on_steps(const std::vector<StepRecord>& steps, const Progress& progress) {
  for (auto* target : targets_) target->on_steps(steps, progress);
}
void ObserverFanOut::on_sample(std::int64_t step, const Image& grid) {
  for (auto* target : targets_) target->on_sample(step, grid);
}
void ObserverFanOut::on_hyperparameters(std::int64_t step, const LiveHyperparameters& values) {
  for (auto* target : targets_) target->on_hyperparameters(step, values);
}
void ObserverFanOut::on_checkpoint(std::int64_t step, const std::string& path) {
  for (auto* target : targets_) target->on_checkpoint(step, path);
}
void ObserverFanOut::on_state(RunState state, const std::string& message) {
  for (auto* target : targets_) target->on_state(state, message);
}

void ObserverFanOut::on_judge_training(const JudgeTraining& training) {
  for (auto* target : targets_) target->on_judge_training(training);
}

void ObserverFanOut::on_judge(const JudgeReference& reference) {
  for (auto* target : targets_) target->on_judge(reference);
}
void ObserverFanOut::on_judge_unavailable(const std::string& reason) {
  for (auto* target : targets_) target->on_judge_unavailable(reason);
}
void ObserverFanOut::on_quality(const QualityRecord& record) {
  for (auto* target : targets_) target->on_quality(record);
}
void ObserverFanOut::on_alarm(const Alarm& alarm) {
  for (auto* target : targets_) target->on_alarm(alarm);
}
void ObserverFanOut::on_message(const std::string& message) {
  for (auto* target : targets_) target->on_message(message);
}

void ObserverFanOut::on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) {
  for (auto* target : targets_) target->on_step_mode(step, mode, reason);
}

void ObserverFanOut::on_inside(const InsideRecord& record) {
  for (auto* target : targets_) target->on_inside(record);
}

}  // namespace gan
