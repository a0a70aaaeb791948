// A checkpoint's generator alone, built and loaded without its dataset: what exporting a generator
// needs, on a machine that may not have the data its run trained on.
#pragma once

#include <filesystem>

#include "core/model/checkpoint.h"
#include "core/model/models.h"

namespace gan {

struct CheckpointGenerator {
  CheckpointInfo info;
  /// What G was built for: saved with the checkpoint; for one written before it was, the image's
  /// side from the config and its channels and classes from G's own weights.
  DataShape shape;
  Generator generator{nullptr};  ///< on the CPU, in eval mode
};

/// G of the checkpoint at `path`, after the checks a resume makes (every tensor against the digest
/// written with them). Throws CheckpointError naming the file and what is wrong.
CheckpointGenerator load_checkpoint_generator(const std::filesystem::path& path);

}  // namespace gan
