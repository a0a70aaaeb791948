// Checkpoint files: everything a run needs to continue exactly where it was — both networks (with
// BatchNorm statistics), both optimizers' moments and step counts, the step, this epoch's shuffled
// order, the RNG states, the fixed sample noise and the config — in one LibTorch archive, written
// atomically. They load on any device, whichever device wrote them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config.h"

namespace gan {

/// A checkpoint file is missing, damaged, foreign or for another model; nothing was changed.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a checkpoint says about itself, read without building a model.
struct CheckpointInfo {
  std::int64_t version = 0;
  std::int64_t step = 0;
  Config config;
};

constexpr std::int64_t kCheckpointVersion = 1;

/// Reads the header of a checkpoint; throws CheckpointError naming the file and what is wrong.
CheckpointInfo read_checkpoint_info(const std::filesystem::path& path);

/// "checkpoints/step_0001500.pt" inside a run folder.
std::filesystem::path checkpoint_path(const std::filesystem::path& run, std::int64_t step);

/// The checkpoints of a run folder, oldest first.
std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& run);

/// The step in a checkpoint's file name ("step_0001500.pt" -> 1500); -1 for another name.
std::int64_t checkpoint_step(const std::filesystem::path& path);

/// The newest checkpoint of a run from before `step` (strictly); empty when there is none.
std::filesystem::path checkpoint_before(const std::filesystem::path& run, std::int64_t step);

/// The checkpoint a path names: a run folder's newest one, or the file itself. `purpose` words
/// the error for a folder without checkpoints ("<folder>: no checkpoints to <purpose> from").
std::filesystem::path find_checkpoint(const std::filesystem::path& checkpoint_or_run, const std::string& purpose);

}  // namespace gan
