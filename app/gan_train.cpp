// gan-train: trains a GAN from a YAML config without a window and writes a run folder.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <csignal>
#include <thread>

#include "console_progress.h"
#include "core/config/config.h"
#include "core/io/paths.h"
#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/training/default_preset.h"
#include "core/training/run_setup.h"
#include "core/training/trainer.h"
#include "device_option.h"
#include "fetch_console.h"
#include "stop_signal.h"

namespace {

// Exit codes: 0 done, 1 training failed, 2 bad input, 128+signal when interrupted.
constexpr int kFailed = 1;
constexpr int kBadInput = 2;

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
                                       "cdcgan.yaml, from /usr/share/gan-studio/presets when installed)");
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
  bool stop_on_alarm = false;
  cli.add_flag("--stop-on-alarm", stop_on_alarm,
               "End the run (status stopped, the alarm in run.yaml) when the collapse or D-wins alarm fires, "
               "instead of reporting it and going on; gan-sweep's early stop");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kBadInput;
  }

  if (!device.empty()) overrides.push_back("train.device=" + device);
  gan::OpenedRun opened;
  try {
    if (!resume.empty()) {
      if (!out.empty()) throw std::runtime_error("--out cannot be combined with --resume (the run continues in its folder)");
      opened = gan::open_resumed_run(resume, overrides, load_dataset_fetching);
      std::printf("resuming from %s (step %lld)\n", opened.checkpoint.c_str(), static_cast<long long>(opened.from_step));
    } else if (!fork.empty()) {
      const std::filesystem::path checkpoint = gan::find_checkpoint(fork, "fork");
      opened = gan::open_forked_run(checkpoint, gan::fork_config(checkpoint, overrides), out, load_dataset_fetching);
      std::printf("forked from %s (step %lld)\n", checkpoint.c_str(), static_cast<long long>(opened.from_step));
    } else {
      const gan::Config config = gan::load_config(config_path, overrides);
      opened = gan::open_new_run(config, out, std::filesystem::path(config_path).stem().string(), load_dataset_fetching);
    }
    opened.trainer->enable_checkpoints(opened.folder->path());
    // Nobody here answers a paused run: report the alarm and go on, or end the run.
    opened.trainer->set_alarm_action(stop_on_alarm ? gan::AlarmAction::kStop : gan::AlarmAction::kReport);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-train: %s\n", e.what());
    return kBadInput;
  }

  gan::Trainer* trainer = opened.trainer.get();
  gan::RunFolder* run = opened.folder.get();
  std::printf("run folder: %s\n", run->path().c_str());
  ConsoleProgress progress(stdout);
  gan::ObserverFanOut observers({run, &progress});

  // Signals only set a flag; this thread turns it into a stop command between steps.
  gan::app::install_stop_signal_handlers();
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done) {
      if (gan::app::stop_signal() != 0) {
        progress.note(stderr, gan::app::stop_signal() == SIGTERM
                                  ? "gan-train: stopping after the current step, with a checkpoint"
                                  : "gan-train: stopping after the current step (Ctrl-C again to abort)");
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
  if (const int signal = gan::app::stop_signal()) return 128 + signal;
  return 0;
}
