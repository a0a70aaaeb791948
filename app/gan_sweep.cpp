// gan-sweep: trains every run of a sweep file (core/sweep/sweep_spec.h) with gan-train and keeps
// sweep.csv up to date; run again, it resumes the sweep where it stopped. Torch-free: each run is
// a gan-train process (core/sweep/sweep_runner.h).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/config/config.h"
#include "core/config/device_choice.h"
#include "core/config/training_memory.h"
#include "core/io/atomic_file.h"
#include "core/io/number_text.h"
#include "core/io/paths.h"
#include "core/run/run_summary.h"
#include "core/sweep/sweep_folder.h"
#include "core/sweep/sweep_runner.h"
#include "device_option.h"
#include "fetch_console.h"
#include "stop_signal.h"

namespace {

// Exit codes: 0 every run done, 1 some run failed, 2 bad input, 128+signal when interrupted.
constexpr int kSomeFailed = 1;
constexpr int kBadInput = 2;

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// DIR/sweep.sbatch: the installed template with the array's range and this sweep's arguments.
std::filesystem::path write_slurm_script(const gan::SweepFolder& folder, const std::vector<std::string>& arguments) {
  const auto template_path = gan::shared_data_folder() / "slurm" / "sweep.sbatch";
  std::ifstream in(template_path);
  if (!in) throw gan::FileError(template_path.string() + ": the Slurm template is missing (is gan-sweep installed whole?)");
  std::string script, line;
  bool array = false, args = false;
  while (std::getline(in, line)) {
    if (line.rfind("#SBATCH --array=", 0) == 0) {
      line = "#SBATCH --array=0-" + std::to_string(folder.runs().size() - 1);
      array = true;
    } else if (line == "sweep_args=(\"$@\")") {
      line = "sweep_args=(";
      for (std::size_t i = 0; i < arguments.size(); ++i) line += (i ? " " : "") + shell_quoted(arguments[i]);
      line += ")";
      args = true;
    } else if (line.rfind("read -r -a sweep <<<", 0) == 0) {
      line = "read -r -a sweep <<< \"${GAN_SWEEP:-" + (gan::program_folder() / "gan-sweep").string() + "}\"";
    }
    script += line + "\n";
  }
  if (!array || !args) throw gan::FileError(template_path.string() + ": not the template gan-sweep expects (no --array or sweep_args line)");
  const auto path = folder.path() / "sweep.sbatch";
  gan::write_file_atomically(path, script, gan::Replace::kAllowed);
  std::filesystem::permissions(path, std::filesystem::perms::owner_exec | std::filesystem::perms::group_exec,
                               std::filesystem::perm_options::add);
  return path;
}

// The runs by their newest IS, best first, as a short table.
void print_ranking(const gan::SweepFolder& folder) {
  std::vector<gan::RunSummary> summaries;
  for (const auto& run : folder.runs()) {
    try {
      summaries.push_back(gan::summarize_run(folder.run_path(run)));
    } catch (const gan::FileError&) {
    }
  }
  std::stable_sort(summaries.begin(), summaries.end(), [](const auto& a, const auto& b) {
    const double x = a.latest_score() ? a.latest_score()->inception_score : -1;
    const double y = b.latest_score() ? b.latest_score()->inception_score : -1;
    return x > y;
  });
  std::printf("\n%-4s %-44s %-11s %7s %7s %8s\n", "rank", "run", "status", "steps", "IS", "FID");
  int rank = 0;
  for (const auto& s : summaries) {
    const auto* latest = s.latest_score();
    std::printf("%-4d %-44s %-11s %7lld %7s %8s\n", ++rank, s.name.c_str(), s.status.c_str(), static_cast<long long>(s.steps),
                latest ? gan::fixed_text(latest->inception_score, 2).c_str() : "-",
                latest ? gan::fixed_text(latest->fid, 1).c_str() : "-");
  }
  std::printf("sweep.csv: %s\n", (folder.path() / "sweep.csv").c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Train every run of a sweep (a base config and the values to try) with gan-train, one after another "
               "or several at once, and sum them up in DIR/sweep.csv. Run again on the same folder, it resumes.",
               "gan-sweep"};
  cli.set_version_flag("--version", "gan-sweep " GAN_VERSION);
  std::string source;
  cli.add_option("sweep", source, "A sweep file (YAML; see resources/sweeps/), or a sweep folder to resume")->required();
  std::string out;
  cli.add_option("--out,-o", out,
                 "The sweep's folder (default: a new folder under $XDG_DATA_HOME/gan-studio/sweeps, that is "
                 "~/.local/share/gan-studio/sweeps)");
  std::int64_t max_steps = 0;
  cli.add_option("--max-steps", max_steps, "Each run's length in steps (overrides the sweep file's max_steps)")
      ->check(CLI::PositiveNumber);
  std::size_t parallel = 1;
  cli.add_option("--parallel,-j", parallel, "Runs at once (default 1: on a CPU one run uses every core)")
      ->check(CLI::Range(1, 64));
  std::string device;
  cli.add_option("--device", device, "Where every run trains (overrides train.device)")->check(gan::app::device_validator());
  std::int64_t task = -1;
  cli.add_option("--task", task, "Train only this run (0-based; a Slurm array task)")->check(CLI::NonNegativeNumber);
  bool slurm = false;
  cli.add_flag("--slurm", slurm, "Write DIR/sweep.sbatch, a Slurm job array with one task per run, instead of training");
  bool retry = false;
  cli.add_flag("--retry-failed", retry, "Train the runs that failed again (their folders move to interrupted/)");
  bool list = false;
  cli.add_flag("--list", list, "Show the runs and what each would do now (start, resume, done), and train nothing");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : kBadInput;
  }

  std::unique_ptr<gan::SweepFolder> folder;
  try {
    if (std::filesystem::is_directory(source)) {
      if (!out.empty() && std::filesystem::path(out) != std::filesystem::path(source)) {
        throw gan::FileError("--out cannot name another folder when resuming the sweep folder " + source);
      }
      folder = std::make_unique<gan::SweepFolder>(source);
    } else {
      const gan::SweepSpec spec = gan::load_sweep(source);
      const std::filesystem::path dir = !out.empty() ? std::filesystem::path(out)
                                                      : gan::new_run_folder(gan::user_data_folder() / "sweeps",
                                                                            std::filesystem::path(source).stem().string());
      if (list && !gan::SweepFolder::is_sweep_folder(dir)) {
        // Nothing on disk yet: show the plan without creating the folder.
        const auto runs = gan::expand_sweep(spec);
        std::printf("%zu runs (base %s)\n", runs.size(), spec.base.c_str());
        for (const auto& run : runs) std::printf("  %s\n", run.name.c_str());
        return 0;
      }
      folder = std::make_unique<gan::SweepFolder>(dir, spec);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-sweep: %s\n", e.what());
    return kBadInput;
  }

  const auto& runs = folder->runs();
  std::printf("sweep folder: %s (%zu runs)\n", folder->path().c_str(), runs.size());
  if (task >= static_cast<std::int64_t>(runs.size())) {
    std::fprintf(stderr, "gan-sweep: --task %lld, but the sweep has %zu runs (0-%zu)\n", static_cast<long long>(task),
                 runs.size(), runs.size() - 1);
    return kBadInput;
  }

  const std::int64_t steps = max_steps > 0 ? max_steps : folder->spec().max_steps;
  if (list) {
    for (const auto& run : runs) {
      std::printf("  %-7s %s\n", gan::to_string(folder->next_action(run, steps)), run.name.c_str());
    }
    return 0;
  }
  if (slurm) {
    try {
      std::vector<std::string> arguments{std::filesystem::absolute(folder->path()).string()};
      if (max_steps > 0) arguments.insert(arguments.end(), {"--max-steps", std::to_string(max_steps)});
      if (!device.empty()) arguments.insert(arguments.end(), {"--device", device});
      const auto script = write_slurm_script(*folder, arguments);
      std::printf("Slurm job array of %zu tasks: %s\nsubmit it with: sbatch %s\n", runs.size(), script.c_str(), script.c_str());
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-sweep: %s\n", e.what());
      return kBadInput;
    }
  }

  if (retry) {
    try {
      std::printf("%zu failed runs will train again\n", folder->retry_failed());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-sweep: %s\n", e.what());
      return kSomeFailed;
    }
  }

  gan::SweepOptions options;
  options.gan_train = gan::program_folder() / "gan-train";
  options.max_steps = max_steps;
  options.parallel = parallel;
  if (!device.empty()) options.extra_arguments = {"--device", device};
  try {
    // The first run's config: MNIST is fetched for it, and its memory estimate stands for the
    // others' (a sweep over widths may need more later; gan-train refuses a run that cannot fit).
    const gan::Config first = gan::load_config(folder->base_path(), runs.front().overrides(folder->spec()));
    if (parallel > 1) {
      // The host's memory; a GPU's is each gan-train's own check (it refuses a run that cannot fit).
      std::string reason;
      options.parallel = gan::runs_that_fit(first, parallel, gan::available_memory_bytes(), reason);
      if (!reason.empty()) std::fprintf(stderr, "gan-sweep: %s\n", reason.c_str());
    }
    // MNIST once, before the runs: several gan-train processes must not each fetch it.
    fetch_mnist_if_needed(first.data);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-sweep: %s\n", e.what());
    return kBadInput;
  }
  gan::SweepRunner runner(*folder, options);

  gan::app::install_stop_signal_handlers();
  std::vector<std::size_t> which;
  if (task >= 0) which.push_back(static_cast<std::size_t>(task));
  gan::SweepOutcome outcome;
  try {
    outcome = runner.run(which, [](const std::string& line) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    }, gan::app::stop_signal());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-sweep: %s\n", e.what());
    return kSomeFailed;
  }
  if (outcome.already_done > 0) {
    std::printf("%zu runs were done already (finished, stopped early or failed; --retry-failed trains the failed ones again)\n",
                outcome.already_done);
  }
  if (task < 0) print_ranking(*folder);
  if (outcome.interrupted) {
    std::fprintf(stderr, "gan-sweep: interrupted; continue with: gan-sweep %s\n", folder->path().c_str());
    return 128 + gan::app::stop_signal().load();
  }
  std::printf("%zu finished, %zu stopped early by an alarm, %zu failed\n", outcome.finished, outcome.early_stopped, outcome.failed);
  return outcome.failed > 0 ? kSomeFailed : 0;
}
