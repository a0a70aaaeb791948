// Opening a run to train: a new one, a resumed one (rolling back is resuming from an earlier
// checkpoint) or a fork. gan-train, the studio and the tests all open runs here, so the rules are
// written once: which checkpoint a path names, what may change on resume (the field table's
// resume rules, config_fields.h), where a new folder goes and what it is labelled.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/data/dataset.h"

namespace gan {

class RunFolder;
class Trainer;

/// Loads the images a config names; gan-train's fetches MNIST on first use and says so.
using DatasetLoader = std::function<ImageSet(const DataConfig&)>;

/// A run ready to train: its trainer (at the checkpoint's step when resumed or forked) and its
/// folder, opened for writing.
struct OpenedRun {
  OpenedRun();
  OpenedRun(OpenedRun&&) noexcept;
  OpenedRun& operator=(OpenedRun&&) noexcept;
  ~OpenedRun();

  std::shared_ptr<Trainer> trainer;  // shared: the studio's GUI thread draws digits from it too
  std::unique_ptr<RunFolder> folder;
  /// Resumed or forked: the checkpoint and its step; otherwise empty and -1.
  std::filesystem::path checkpoint;
  std::int64_t from_step = -1;
};

/// A new run of `config` in `folder`; an empty folder is a new one under the runs folder
/// (paths.h) named after the time and `label`, which is also the preset the manifest records.
OpenedRun open_new_run(const Config& config, const std::filesystem::path& folder, const std::string& label,
                       const DatasetLoader& load);

/// Resumes the run `run_or_checkpoint` names (a run folder: its newest checkpoint; a checkpoint
/// file in <run>/checkpoints: that one, which rolls the run back). `overrides` (key=value) may
/// change only what the field table lets a resume change; anything else is refused, naming it.
OpenedRun open_resumed_run(const std::filesystem::path& run_or_checkpoint, const std::vector<std::string>& overrides,
                           const DatasetLoader& load);

/// The config a fork of `checkpoint` trains: the checkpoint's, with `overrides` applied.
Config fork_config(const std::filesystem::path& checkpoint, const std::vector<std::string>& overrides);

/// A new run from `checkpoint`'s weights and optimiser state with `config` (fork_config, or the
/// studio's panel; Gan refuses changes a fork may not make). An empty folder is a new one
/// labelled "<run>-fork".
OpenedRun open_forked_run(const std::filesystem::path& checkpoint, const Config& config,
                          const std::filesystem::path& folder, const DatasetLoader& load);

/// The label a fork of `checkpoint` gets: its run folder's name and "-fork".
std::string fork_label(const std::filesystem::path& checkpoint);

}  // namespace gan
