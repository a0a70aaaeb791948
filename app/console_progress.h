// Progress of a gan-train run on the terminal: a redrawn progress bar when stdout is a terminal,
// plain log lines (one every few seconds) when it is a file or a pipe. The trainer reports on the
// training thread; note() comes from gan-train's signal watcher: one lock keeps their lines whole
// and the bar's state consistent (a data race before, ThreadSanitizer's to find).
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/run/observer.h"

class ConsoleProgress : public gan::TrainingObserver {
 public:
  explicit ConsoleProgress(std::FILE* out);

  void on_started(const gan::RunInfo& info) override;
  void on_steps(const std::vector<gan::StepRecord>& steps, const gan::Progress& progress) override;
  void on_sample(std::int64_t step, const gan::Image& grid) override;
  void on_hyperparameters(std::int64_t step, const gan::LiveHyperparameters& values) override;
  void on_state(gan::RunState state, const std::string& message) override;
  void on_judge_training(const gan::JudgeTraining& training) override;
  void on_judge(const gan::JudgeReference& reference) override;
  void on_quality(const gan::QualityRecord& record) override;
  void on_alarm(const gan::Alarm& alarm) override;
  void on_message(const std::string& message) override;
  void on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) override;

  /// Prints `text` as a line of its own on `stream` (after ending a pending progress bar); safe
  /// from any thread.
  void note(std::FILE* stream, const std::string& text);

 private:
  /// Ends a pending progress-bar line so that other output starts on a fresh line; under mutex_.
  void finish_line();

  const std::string& gpu_text(std::chrono::steady_clock::time_point now);

  std::mutex mutex_;  // every method below, on whichever thread
  std::FILE* out_;
  bool terminal_;
  bool bar_drawn_ = false;
  std::chrono::steady_clock::time_point last_print_{};
  std::chrono::steady_clock::time_point last_message_{};
  double judge_fraction_ = -1;  // of the judge training beside the run; -1: none is
  std::chrono::steady_clock::time_point last_judge_line_{};
  int last_judge_percent_ = -1;
  std::string gpu_;  // the run's GPU ("cuda:0"), empty on the CPU
  std::string gpu_text_;  // its name and memory in use, refreshed once a second
  std::chrono::steady_clock::time_point last_gpu_query_{};
};
