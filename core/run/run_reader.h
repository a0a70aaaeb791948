// Reads a run folder, also while another process is still writing it (gan-train on this machine,
// or on a GPU box writing to a shared folder): metrics rows appended since the last poll, the
// sample grids present, the config and the manifest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/io/file_tail.h"
#include "core/run/observer.h"
#include "core/run/run_folder.h"

namespace gan {

class RunReader {
 public:
  /// Throws FileError when `run` has no config.yaml or metrics.csv (not a run folder).
  explicit RunReader(std::filesystem::path run);

  struct Update {
    /// The metrics file was rewritten shorter (the run was resumed from an earlier checkpoint):
    /// `steps` then holds the whole file again and earlier rows should be dropped.
    bool reset = false;
    std::vector<StepRecord> steps;  ///< with their side (events.csv) for steps of one network alone
    /// The judge's scores on the rows that have them.
    std::vector<QualityRecord> quality;
  };
  /// The complete rows appended since the last call; a row still being written is left for the
  /// next call. Malformed rows are skipped.
  Update poll();

  /// Steps of the sample grids in samples/, ascending.
  std::vector<std::int64_t> sample_steps() const;
  const std::filesystem::path& path() const { return path_; }
  const Config& config() const { return config_; }
  RunManifest manifest() const { return read_manifest(path_); }

 private:
  std::filesystem::path path_;
  Config config_;
  FileTail metrics_;
};

/// Run folders (with a manifest) directly under `runs_folder`, most recently updated first.
std::vector<std::filesystem::path> recent_runs(const std::filesystem::path& runs_folder, std::size_t limit = 10);

}  // namespace gan
