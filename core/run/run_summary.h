// One run folder at a glance, for the runs view, the sweep table and sweep.csv: what it trained,
// how it ended, how fast, and the judge's scores over its steps. Read from the files alone, so it
// works for a run another process (gan-train, a Slurm job) is still writing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/run/run_folder.h"

namespace gan {

/// The judge's scores of one step.
struct ScoredStep {
  std::int64_t step = 0;
  double inception_score = 0;
  double fid = 0;
  std::optional<double> conditional_accuracy;  ///< a conditional model's (metrics.csv)
};

struct RunSummary {
  std::filesystem::path folder;
  std::string name;  ///< the folder's name
  RunManifest manifest;
  Config config;
  /// For people: running, paused, finished, stopped, failed, collapsed (stopped by the collapse
  /// alarm), d-wins (stopped by the D-wins alarm), interrupted (says running, but nothing was
  /// written for a while: the process is gone), created.
  std::string status;
  std::int64_t steps = 0;       ///< the last step in metrics.csv
  double seconds = 0;           ///< training time up to it
  double steps_per_second = 0;  ///< over the whole run; 0 before its first step
  std::vector<ScoredStep> scores;  ///< ascending steps

  const ScoredStep* latest_score() const { return scores.empty() ? nullptr : &scores.back(); }
  /// The highest IS, and the lowest FID, over the run (the earliest step on a tie).
  const ScoredStep* best_inception_score() const;
  const ScoredStep* best_fid() const;
  /// The newest score at or before `step`: runs ranked "at the same step count".
  const ScoredStep* score_at(std::int64_t step) const;
};

/// How long a run that says "running" may go without writing before it counts as interrupted.
constexpr double kInterruptedAfterSeconds = 600;

/// Reads `folder`'s run.yaml, config.yaml and metrics.csv. Throws FileError when it is not a run
/// folder (naming the file that is missing or damaged).
RunSummary summarize_run(const std::filesystem::path& folder);

/// The run folders directly inside `folder` (those with a run.yaml), by name.
std::vector<std::filesystem::path> run_folders_in(const std::filesystem::path& folder);

/// The status word for people, from the manifest and the seconds since the run last wrote.
std::string run_status(const RunManifest& manifest, double seconds_since_update);

}  // namespace gan
