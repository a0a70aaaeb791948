// The trainer's read-back window and run clock, shared by its files (trainer.cpp,
// trainer_commands.cpp): the steps whose losses are still on the device, read back in one transfer
// about ten times a second, and the training time, which does not count paused time.
#pragma once

#include <torch/types.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "core/model/gan.h"
#include "core/training/trainer.h"

namespace gan {

using Clock = std::chrono::steady_clock;

// Steps whose losses are still on the device, plus the clocks that time the run. Paused time is
// not training time: `active` only runs between steps.
struct Trainer::Window {
  std::vector<torch::Tensor> losses;
  std::vector<std::int64_t> steps;
  std::vector<std::int64_t> epochs;
  std::vector<double> seconds;
  std::vector<StepSide> sides;
  std::vector<Gan::InsideWindow> inside;  // closed windows of the inside figures, not yet read back

  double active_before = 0;  // training seconds accumulated before the current stretch
  Clock::time_point stretch_start = Clock::now();
  bool stretch_running = false;
  Clock::time_point last_flush = Clock::now();
  double rate_time = 0;      // training seconds at the last rate estimate
  std::int64_t rate_step = 0;
  double steps_per_second = 0;

  double active_seconds() const {
    const double current = stretch_running ? std::chrono::duration<double>(Clock::now() - stretch_start).count() : 0;
    return active_before + current;
  }
  void start_clock() {
    if (stretch_running) return;
    stretch_start = Clock::now();
    stretch_running = true;
  }
  void stop_clock() {
    if (!stretch_running) return;
    active_before = active_seconds();
    stretch_running = false;
  }
};

}  // namespace gan
