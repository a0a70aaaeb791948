#include "core/training/run_setup.h"

#include <stdexcept>

#include "core/config/config_fields.h"
#include "core/io/paths.h"
#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/training/trainer.h"

namespace gan {

OpenedRun::OpenedRun() = default;
OpenedRun::OpenedRun(OpenedRun&&) noexcept = default;
OpenedRun& OpenedRun::operator=(OpenedRun&&) noexcept = default;
OpenedRun::~OpenedRun() = default;

OpenedRun open_new_run(const Config& config, const std::filesystem::path& folder, const std::string& label,
                       const DatasetLoader& load) {
  OpenedRun run;
  run.trainer = std::make_shared<Trainer>(config, load(config.data));
  // The folder is made last: a config or dataset that fails leaves nothing behind.
  run.folder = std::make_unique<RunFolder>(folder.empty() ? new_run_folder(default_runs_folder(), label) : folder,
                                           config, label);
  return run;
}

OpenedRun open_resumed_run(const std::filesystem::path& run_or_checkpoint, const std::vector<std::string>& overrides,
                           const DatasetLoader& load) {
  // A checkpoint file names its run: <run>/checkpoints/step_N.pt.
  const std::filesystem::path run_folder =
      std::filesystem::is_regular_file(run_or_checkpoint) ? run_or_checkpoint.parent_path().parent_path() : run_or_checkpoint;
  if (!std::filesystem::is_regular_file(run_folder / "run.yaml")) {
    throw std::runtime_error(run_or_checkpoint.string() + ": not a run folder or a checkpoint in one");
  }
  // A resumed run keeps its model and schedule; only where its data lives, where and how its steps
  // run and how it is watched may change.
  for (const std::string& assignment : overrides) {
    const ConfigField* field = find_config_field(assignment.substr(0, assignment.find('=')));
    if (field != nullptr && !may_change(*field, ConfigChange::kResume)) {
      throw std::runtime_error("--set " + assignment + ": only " + keys_that_may_change(ConfigChange::kResume) +
                               " can change when resuming");
    }
  }
  OpenedRun run;
  run.checkpoint = find_checkpoint(run_or_checkpoint, "resume");
  const CheckpointInfo info = read_checkpoint_info(run.checkpoint);
  run.from_step = info.step;
  const Config config = overrides.empty() ? info.config : parse_config(to_yaml(info.config), overrides, run.checkpoint.string());
  run.trainer = std::make_shared<Trainer>(config, load(config.data));
  run.trainer->resume_from(run.checkpoint);
  run.folder = std::make_unique<RunFolder>(run_folder, RunFolder::ResumeAt{info.step});
  return run;
}

Config fork_config(const std::filesystem::path& checkpoint, const std::vector<std::string>& overrides) {
  return parse_config(to_yaml(read_checkpoint_info(checkpoint).config), overrides, checkpoint.string());
}

std::string fork_label(const std::filesystem::path& checkpoint) {
  return checkpoint.parent_path().parent_path().filename().string() + "-fork";
}

OpenedRun open_forked_run(const std::filesystem::path& checkpoint, const Config& config,
                          const std::filesystem::path& folder, const DatasetLoader& load) {
  OpenedRun run;
  run.checkpoint = checkpoint;
  run.from_step = read_checkpoint_info(checkpoint).step;
  run.trainer = std::make_shared<Trainer>(config, load(config.data));
  run.trainer->fork_from(checkpoint);
  const std::string label = fork_label(checkpoint);
  run.folder = std::make_unique<RunFolder>(folder.empty() ? new_run_folder(default_runs_folder(), label) : folder,
                                           config, label);
  run.folder->set_parent(checkpoint, run.from_step);
  return run;
}

}  // namespace gan
