// Which preset a new run starts from when none is named: it depends on whether LibTorch sees a
// GPU, so it lives beside LibTorch rather than in core/io/paths.h.
#pragma once

#include <filesystem>

namespace gan {

/// The preset a new user starts from: course-report.yaml with CUDA (it needs a GPU's speed),
/// laptop.yaml without (varied digits within 10 minutes on a 2-core CPU; docs/quality.md).
std::filesystem::path default_preset();

}  // namespace gan
