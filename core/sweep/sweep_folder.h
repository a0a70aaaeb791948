// A sweep's folder (gan-sweep --out DIR):
//   sweep.yaml   the sweep file as given, and base/<name>.yaml, the base config it started with
//                (under its own name, which the runs record as their preset): the folder
//                describes its runs on its own, also after the preset changes
//   NN-<label>/  one run folder per run (run_folder.h), named by sweep_spec.h
//   logs/        each run's console output, and NAME.failed for a run whose gan-train failed
//                before it wrote a run folder (bad input: the reason is in NAME.log)
//   sweep.csv    one row per run: the swept keys, status, steps, final and best IS and FID-MNIST
// Torch-free: the runs are gan-train processes (sweep_runner.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/sweep/sweep_spec.h"

namespace gan {

/// What to do with one run of a sweep, seen from its folder.
enum class RunAction {
  kStart,    ///< no folder yet
  kResume,   ///< interrupted (or shorter than max_steps) with a checkpoint to go on from
  kRestart,  ///< interrupted before its first checkpoint: the folder is moved aside, the run starts anew
  kDone,     ///< finished, failed, or stopped early by an alarm
};
/// `failure`: the run's NAME.failed marker (sweep_folder.h's layout).
RunAction next_action(const std::filesystem::path& run, std::int64_t max_steps, const std::filesystem::path& failure = {});
const char* to_string(RunAction action);

class SweepFolder {
 public:
  /// Opens `dir` for `spec`: a new (or empty) folder gets sweep.yaml and base/; a folder that
  /// holds the same sweep is reopened (to resume it); one that holds another sweep, or anything
  /// else, is refused (FileError saying why).
  SweepFolder(std::filesystem::path dir, const SweepSpec& spec);
  /// Reopens the sweep folder `dir` from its own sweep.yaml and base config.
  explicit SweepFolder(std::filesystem::path dir);
  /// Whether `dir` is a sweep folder (it has sweep.yaml and a base config in base/).
  static bool is_sweep_folder(const std::filesystem::path& dir);

  const std::filesystem::path& path() const { return dir_; }
  const SweepSpec& spec() const { return spec_; }
  const std::vector<SweepRun>& runs() const { return runs_; }
  std::filesystem::path run_path(const SweepRun& run) const { return dir_ / run.name; }
  std::filesystem::path log_path(const SweepRun& run) const { return dir_ / "logs" / (run.name + ".log"); }
  std::filesystem::path failure_path(const SweepRun& run) const { return dir_ / "logs" / (run.name + ".failed"); }
  /// What `run` needs next (next_action with this folder's paths).
  RunAction next_action(const SweepRun& run, std::int64_t max_steps) const;

  /// Records that `run`'s gan-train failed without a run folder saying so (`reason`: the exit).
  void record_failure(const SweepRun& run, const std::string& reason) const;
  /// Makes the failed runs start again: their folders move to interrupted/, their markers go.
  /// Returns how many.
  std::size_t retry_failed() const;
  const std::filesystem::path& base_path() const { return base_; }

  /// Moves a run folder that cannot be resumed to interrupted/<name>-N (never deletes it).
  void move_aside(const SweepRun& run) const;

  /// Rewrites sweep.csv (atomically) from the run folders as they are now.
  void write_csv() const;
  /// sweep.csv's text.
  std::string csv() const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path base_;  // dir_/base/<name>.yaml
  SweepSpec spec_;
  std::vector<SweepRun> runs_;
};

}  // namespace gan
