#include "core/observer.h"

namespace gan {

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

void ObserverFanOut::on_started(const RunInfo& info) {
  for (auto* target : targets_) target->on_started(info);
}
void ObserverFanOut::on_steps(const std::vector<StepRecord>& steps, const Progress& progress) {
  for (auto* target : targets_) target->on_steps(steps, progress);
}
void ObserverFanOut::on_sample(std::int64_t step, const GrayImage& grid) {
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

}  // namespace gan
