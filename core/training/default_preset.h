// Which preset a new run starts from when none is named: it depends on whether LibTorch sees a
// GPU, so it lives beside LibTorch rather than in core/io/paths.h.
#pragma once

#include <filesystem>

namespace gan {

/// The preset a new user starts from: course-report.yaml with CUDA (it needs a GPU's speed),
/// cdcgan.yaml without (the best on a 2-core CPU: IS 9.66, FID 11, every digit 9.4–10.4 % and 98 %
/// drawn as asked within 10 minutes, where laptop.yaml reaches IS 7.8; docs/quality.md).
std::filesystem::path default_preset();

}  // namespace gan
