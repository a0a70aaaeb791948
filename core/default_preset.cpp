// default_preset() (paths.h), apart from paths.cpp so that only this file includes LibTorch's CUDA
// query.
#include <torch/cuda.h>

#include "core/paths.h"

namespace gan {

std::filesystem::path default_preset() {
  return presets_folder() / (torch::cuda::is_available() ? "course-report.yaml" : "laptop.yaml");
}

}  // namespace gan
