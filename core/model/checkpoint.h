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

#include "core/config/config.h"
#include "core/run/checkpoint_files.h"

namespace gan {

/// What a checkpoint says about itself, read without building a model.
struct CheckpointInfo {
  std::int64_t version = 0;
  std::int64_t step = 0;
  Config config;
};

constexpr std::int64_t kCheckpointVersion = 1;

/// Reads the header of a checkpoint; throws CheckpointError naming the file and what is wrong.
CheckpointInfo read_checkpoint_info(const std::filesystem::path& path);

}  // namespace gan
