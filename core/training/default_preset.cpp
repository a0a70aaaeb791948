#include "core/training/default_preset.h"

#include <torch/cuda.h>

#include "core/io/paths.h"

namespace gan {

std::filesystem::path default_preset() {
  return presets_folder() / (torch::cuda::is_available() ? "course-report.yaml" : "cdcgan.yaml");
}

}  // namespace gan
