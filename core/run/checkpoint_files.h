// The checkpoint files of a run folder, by name (checkpoints/step_NNNNNNN.pt): naming, listing and
// finding them. Reading what is inside one is core/model/checkpoint.h (LibTorch).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace gan {

/// A checkpoint file is missing, damaged, foreign or for another model; nothing was changed.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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
