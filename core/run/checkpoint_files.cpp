#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "core/run/checkpoint_files.h"

namespace gan {

std::filesystem::path checkpoint_path(const std::filesystem::path& run, std::int64_t step) {
  char name[40];
  std::snprintf(name, sizeof name, "step_%07" PRId64 ".pt", step);
  return run / "checkpoints" / name;
}

std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& run) {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(run / "checkpoints", error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.rfind("step_", 0) == 0 && entry.path().extension() == ".pt") {
      found.push_back(entry.path());
    }
  }
  std::sort(found.begin(), found.end());  // zero-padded step numbers sort in step order
  return found;
}

std::int64_t checkpoint_step(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (name.size() != 15 || name.rfind("step_", 0) != 0 || path.extension() != ".pt") return -1;
  std::int64_t step = 0;
  for (std::size_t i = 5; i < 12; ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    step = step * 10 + (name[i] - '0');
  }
  return step;
}

std::filesystem::path checkpoint_before(const std::filesystem::path& run, std::int64_t step) {
  std::filesystem::path found;
  for (const auto& path : list_checkpoints(run)) {
    const std::int64_t at = checkpoint_step(path);
    if (at >= 0 && at < step) found = path;
  }
  return found;
}

std::filesystem::path find_checkpoint(const std::filesystem::path& checkpoint_or_run, const std::string& purpose) {
  if (!std::filesystem::is_directory(checkpoint_or_run)) return checkpoint_or_run;
  const auto checkpoints = list_checkpoints(checkpoint_or_run);
  if (checkpoints.empty()) {
    throw CheckpointError(checkpoint_or_run.string() + ": no checkpoints to " + purpose + " from (is it a run folder?)");
  }
  return checkpoints.back();
}

}  // namespace gan
