// gan-train: trains a GAN from a YAML config without a window and writes a run folder.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <thread>

#include "console_progress.h"
#include "device_option.h"
#include "fetch_console.h"
#include "core/checkpoint.h"
#include "core/config.h"
#include "core/config_fields.h"
#include "core/dataset.h"
#include "core/paths.h"
#include "core/run_folder.h"
#include "core/trainer.h"

namespace {

// Exit codes: 0 done, 1 training failed, 2 bad input, 128+signal when interrupted.
constexpr int kFailed = 1;
constexpr int kBadInput = 2;

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal) { g_signal = signal; }

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second Ctrl-C ends the process at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Train a GAN on MNIST-style data and write a run folder (config, metrics.csv, samples, model).",
               "gan-train"};
  cli.set_version_flag("--version", "gan-train " GAN_VERSION);
  std::string config_path = gan::default_preset().string();
  std::vector<std::string> overrides;
  std::string out;
  std::int64_t max_steps = 0;
  std::string device;
  std::string resume;
  auto* config_option = cli.add_option("--config,-c", config_path,
                                       "YAML config or preset (default: course-report.yaml with a CUDA GPU, else "
                                       "laptop.yaml, from /usr/share/gan-studio/presets when installed)");
  cli.add_option("--resume", resume,
                 "Continue the run in this folder from its newest checkpoint, or from a given checkpoint of a run "
                 "(a rollback: later checkpoints move to checkpoints/abandoned); --max-steps then counts the run's "
                 "total steps")
      ->excludes(config_option);
  std::string fork;
  cli.add_option("--fork", fork,
                 "Start a new run from a checkpoint (a .pt file, or a run folder for its newest one), with --set "
                 "changes to the optimizers, d_steps, epochs, seed, sampling or checkpoints")
      ->excludes(config_option)
      ->excludes("--resume");
  cli.add_option("--set", overrides, "Override a config value, e.g. --set optimizer.generator.lr=0.0001 (repeatable)");
  cli.add_option("--out,-o", out,
                 "Run folder to create (default: a new folder under $XDG_DATA_HOME/gan-studio/runs, that is "
                 "~/.local/share/gan-studio/runs)");
  cli.add_option("--max-steps", max_steps, "Stop after this many steps in total (default: all epochs)")
      ->check(CLI::PositiveNumber);
  cli.add_option("--device", device, "Where to train (overrides train.device)")->check(gan::app::device_validator());
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kBadInput;
  }

  if (!device.empty()) overrides.push_back("train.device=" + device);
  std::unique_ptr<gan::Trainer> trainer;
  std::unique_ptr<gan::RunFolder> run;
  try {
    if (!resume.empty()) {
      if (!out.empty()) throw std::runtime_error("--out cannot be combined with --resume (the run continues in its folder)");
      // A checkpoint file names its run: <run>/checkpoints/step_N.pt.
      const std::filesystem::path run_folder = std::filesystem::is_regular_file(resume)
                                                   ? std::filesystem::path(resume).parent_path().parent_path()
                                                   : std::filesystem::path(resume);
      if (!std::filesystem::is_regular_file(run_folder / "run.yaml")) {
        throw std::runtime_error(resume + ": not a run folder or a checkpoint in one");
      }
      const std::filesystem::path checkpoint = gan::find_checkpoint(resume, "resume");
      const gan::CheckpointInfo info = gan::read_checkpoint_info(checkpoint);
      // A resumed run keeps its model and schedule; only where its data lives, where and how its
      // steps run and how it is watched may change (config_fields.cpp marks which keys).
      for (const auto& assignment : overrides) {
        const gan::ConfigField* field = gan::find_config_field(assignment.substr(0, assignment.find('=')));
        if (field && !gan::may_change(*field, gan::ConfigChange::kResume)) {
          throw std::runtime_error("--set " + assignment + ": only " +
                                   gan::keys_that_may_change(gan::ConfigChange::kResume) + " can change when resuming");
        }
      }
      const gan::Config config = gan::parse_config(gan::to_yaml(info.config), overrides, checkpoint.string());
      const gan::ImageSet images = load_dataset_fetching(config.data);
      trainer = std::make_unique<gan::Trainer>(config, images);
      trainer->resume_from(checkpoint);
      run = std::make_unique<gan::RunFolder>(run_folder, gan::RunFolder::ResumeAt{info.step});
      std::printf("resuming from %s (step %lld)\n", checkpoint.c_str(), static_cast<long long>(info.step));
    } else if (!fork.empty()) {
      const std::filesystem::path checkpoint = gan::find_checkpoint(fork, "fork");
      const gan::CheckpointInfo info = gan::read_checkpoint_info(checkpoint);
      const gan::Config config = gan::parse_config(gan::to_yaml(info.config), overrides, checkpoint.string());
      const gan::ImageSet images = load_dataset_fetching(config.data);
      trainer = std::make_unique<gan::Trainer>(config, images);
      trainer->fork_from(checkpoint);
      const std::string label = checkpoint.parent_path().parent_path().filename().string() + "-fork";
      run = std::make_unique<gan::RunFolder>(out.empty() ? gan::new_run_folder(gan::default_runs_folder(), label)
                                                         : std::filesystem::path(out),
                                             config, label);
      run->set_parent(checkpoint, info.step);
      std::printf("forked from %s (step %lld)\n", checkpoint.c_str(), static_cast<long long>(info.step));
    } else {
      const gan::Config config = gan::load_config(config_path, overrides);
      const gan::ImageSet images = load_dataset_fetching(config.data);
      trainer = std::make_unique<gan::Trainer>(config, images);
      const std::string label = std::filesystem::path(config_path).stem().string();
      run = std::make_unique<gan::RunFolder>(out.empty() ? gan::new_run_folder(gan::default_runs_folder(), label)
                                                         : std::filesystem::path(out),
                                             config, label);
    }
    trainer->enable_checkpoints(run->path());
    trainer->set_alarm_action(gan::AlarmAction::kReport);  // nobody here to answer a paused run
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-train: %s\n", e.what());
    return kBadInput;
  }

  std::printf("run folder: %s\n", run->path().c_str());
  ConsoleProgress progress(stdout);
  gan::ObserverFanOut observers({run.get(), &progress});

  // Signals only set a flag; this thread turns it into a stop command between steps.
  install_signal_handlers();
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done) {
      if (g_signal != 0) {
        progress.finish_line();
        std::fprintf(stderr, "gan-train: stopping after the current step (again to abort)\n");
        trainer->stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  const gan::RunState state = trainer->run(observers, max_steps);
  done = true;
  watcher.join();

  try {
    trainer->save_models(run->model_path(), gan::Replace::kAllowed);  // the run's own latest weights
    std::printf("model: %s\n", run->model_path().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-train: %s\n", e.what());
    return kFailed;
  }
  if (state == gan::RunState::kFailed) return kFailed;
  if (g_signal != 0) return 128 + g_signal;
  return 0;
}
