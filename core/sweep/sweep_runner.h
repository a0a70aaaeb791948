// Runs a sweep's runs as gan-train processes: one after another on a CPU, or `parallel` at once.
// Each run is its own process, so a run that fails (or crashes) is recorded as failed and the
// sweep goes on; each resumes from its checkpoint when the sweep is run again (sweep_folder.h's
// next_action), and an interrupted sweep's runs stop after their step with a checkpoint.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/run/run_summary.h"
#include "core/sweep/sweep_folder.h"

namespace gan {

struct SweepOptions {
  std::filesystem::path gan_train;  ///< the program
  std::int64_t max_steps = 0;       ///< each run's length; 0: the sweep file's max_steps (or the epochs)
  std::size_t parallel = 1;         ///< runs at once
  std::vector<std::string> extra_arguments;  ///< passed to every gan-train (--device cuda:1)
};

struct SweepOutcome {
  std::size_t finished = 0;       ///< trained to the end
  std::size_t early_stopped = 0;  ///< stopped by their collapse or D-wins alarm
  std::size_t failed = 0;
  std::size_t already_done = 0;   ///< done before this call (a resumed sweep)
  bool interrupted = false;       ///< `stop` was raised; the runs in progress stopped with a checkpoint
};

class SweepRunner {
 public:
  SweepRunner(const SweepFolder& folder, SweepOptions options);

  /// The gan-train arguments for run `index` as things stand (to start, resume or restart it);
  /// empty when it is done.
  std::vector<std::string> arguments(std::size_t index, RunAction action) const;

  /// Runs the runs `which` (indexes into folder.runs(); all when empty) that are not done, and
  /// rewrites sweep.csv as each one ends. `report` gets one line per start and end. When `stop`
  /// turns non-zero, the running processes get SIGTERM (they finish their step and checkpoint),
  /// no more start, and the call returns once they have ended.
  SweepOutcome run(const std::vector<std::size_t>& which, const std::function<void(const std::string&)>& report,
                   const std::atomic<int>& stop);

 private:
  const SweepFolder& folder_;
  SweepOptions options_;
};

/// Memory one gan-train process holds beyond what its config's estimate (training_memory.h)
/// counts: LibTorch itself, the dataset as bytes, the judge. Measured: a laptop-preset run holds
/// 565 MB resident where the estimate says 240 MB.
constexpr double kProcessOverheadBytes = 400.0 * 1024 * 1024;

/// How many runs of `config` fit in `available` bytes of memory at once, at most `wanted` and at
/// least 1 (`available` < 0: unknown, `wanted`). When fewer than wanted, `reason` says why.
std::size_t runs_that_fit(const Config& config, std::size_t wanted, double available, std::string& reason);

/// The line a finished run gets in gan-sweep's output: "finished, 5000 steps in 3 min, IS 8.12 (best 8.30), FID 11.9".
std::string describe_run_end(const RunSummary& run);

}  // namespace gan
