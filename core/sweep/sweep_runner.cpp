#include "core/sweep/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

#include "core/config/training_memory.h"
#include "core/io/atomic_file.h"
#include "core/io/number_text.h"
#include "core/run/run_summary.h"

extern char** environ;

namespace gan {
namespace {

std::string minutes_text(double seconds) {
  if (seconds < 90) return fixed_text(seconds, 0) + " s";
  return fixed_text(seconds / 60, 1) + " min";
}

// Starts `program arguments...` with stdout and stderr appended to `log`; returns its pid.
pid_t spawn(const std::filesystem::path& program, const std::vector<std::string>& arguments,
            const std::filesystem::path& log, const std::vector<std::string>& extra_environment) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> texts{program.string()};
  texts.insert(texts.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& text : texts) argv.push_back(text.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment_texts(extra_environment);
  std::vector<char*> envp;
  for (auto& text : environment_texts) envp.push_back(text.data());
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw FileError(program.string() + ": cannot start: " + std::strerror(error));
  return pid;
}

}  // namespace

std::size_t runs_that_fit(const Config& config, std::size_t wanted, double available, std::string& reason) {
  if (available < 0 || wanted <= 1) return std::max<std::size_t>(wanted, 1);
  constexpr std::int64_t kMnistImages = 60000, kMnistPixels = 28 * 28;
  const double each = estimate_training_memory(config, kMnistPixels, kMnistImages).total() + kProcessOverheadBytes;
  const auto fit = static_cast<std::size_t>(std::max(1.0, std::floor(available / each)));
  if (fit >= wanted) return wanted;
  reason = "runs at once lowered from " + std::to_string(wanted) + " to " + std::to_string(fit) + ": each needs about " +
           format_bytes(each) + " of memory and " + format_bytes(available) + " is available";
  return fit;
}

std::string describe_run_end(const RunSummary& s) {
  std::string text = s.status + ", " + std::to_string(s.steps) + " steps in " + minutes_text(s.seconds);
  if (const ScoredStep* latest = s.latest_score()) {
    text += ", IS " + fixed_text(latest->inception_score, 2) + " (best " +
            fixed_text(s.best_inception_score()->inception_score, 2) + "), FID " + fixed_text(latest->fid, 1) +
            " (best " + fixed_text(s.best_fid()->fid, 1) + ")";
  }
  if (!s.manifest.alarm.empty()) text += "; alarm: " + s.manifest.alarm;
  return text;
}

SweepRunner::SweepRunner(const SweepFolder& folder, SweepOptions options) : folder_(folder), options_(std::move(options)) {
  if (options_.max_steps == 0) options_.max_steps = folder_.spec().max_steps;
  if (options_.parallel == 0) options_.parallel = 1;
}

std::vector<std::string> SweepRunner::arguments(std::size_t index, RunAction action) const {
  const SweepRun& run = folder_.runs().at(index);
  std::vector<std::string> args;
  switch (action) {
    case RunAction::kDone: return {};
    case RunAction::kResume: args = {"--resume", folder_.run_path(run).string()}; break;
    case RunAction::kStart:
    case RunAction::kRestart:
      args = {"--config", folder_.base_path().string(), "--out", folder_.run_path(run).string()};
      for (const auto& assignment : run.overrides(folder_.spec())) {
        args.push_back("--set");
        args.push_back(assignment);
      }
      break;
  }
  if (options_.max_steps > 0) {
    args.push_back("--max-steps");
    args.push_back(std::to_string(options_.max_steps));
  }
  if (folder_.spec().early_stop) args.push_back("--stop-on-alarm");
  args.insert(args.end(), options_.extra_arguments.begin(), options_.extra_arguments.end());
  return args;
}

SweepOutcome SweepRunner::run(const std::vector<std::size_t>& which, const std::function<void(const std::string&)>& report,
                              const std::atomic<int>& stop) {
  const auto& runs = folder_.runs();
  std::vector<std::size_t> todo = which;
  if (todo.empty()) {
    for (std::size_t i = 0; i < runs.size(); ++i) todo.push_back(i);
  }
  SweepOutcome outcome;
  std::vector<std::size_t> queue;
  for (const std::size_t i : todo) {
    if (i >= runs.size()) throw FileError("no run " + std::to_string(i) + " in this sweep (it has " + std::to_string(runs.size()) + ")");
    if (folder_.next_action(runs[i], options_.max_steps) == RunAction::kDone) {
      ++outcome.already_done;
    } else {
      queue.push_back(i);
    }
  }
  std::error_code error;
  std::filesystem::create_directories(folder_.path() / "logs", error);

  // Processes at once share the cores: give each its part (unless the user chose already).
  std::vector<std::string> environment;
  if (options_.parallel > 1 && std::getenv("OMP_NUM_THREADS") == nullptr) {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    environment.push_back("OMP_NUM_THREADS=" + std::to_string(std::max<unsigned>(1, cores / options_.parallel)));
  }

  const std::size_t total = queue.size();
  std::size_t started = 0;
  std::map<pid_t, std::size_t> running;
  bool signalled = false;
  auto label = [&](std::size_t i) { return "[" + std::to_string(i + 1) + "/" + std::to_string(runs.size()) + "] " + runs[i].name; };
  while (!queue.empty() || !running.empty()) {
    if (stop.load() != 0 && !signalled) {
      for (const auto& [pid, i] : running) ::kill(pid, SIGTERM);
      signalled = true;
      outcome.interrupted = true;
      queue.clear();
    }
    while (!signalled && !queue.empty() && running.size() < options_.parallel) {
      const std::size_t i = queue.front();
      queue.erase(queue.begin());
      ++started;
      RunAction action = folder_.next_action(runs[i], options_.max_steps);
      if (action == RunAction::kRestart) {
        folder_.move_aside(runs[i]);
        report(label(i) + ": interrupted before its first checkpoint; moved aside to interrupted/, starting again");
      }
      try {
        const pid_t pid = spawn(options_.gan_train, arguments(i, action), folder_.log_path(runs[i]), environment);
        running[pid] = i;
        report(label(i) + ": " + (action == RunAction::kResume ? "resuming" : "training") + " (" +
               std::to_string(started) + " of " + std::to_string(total) + " this time; log " +
               folder_.log_path(runs[i]).string() + ")");
      } catch (const FileError& e) {
        report(label(i) + ": failed: " + e.what());
        folder_.record_failure(runs[i], e.what());
        ++outcome.failed;
      }
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    const auto found = running.find(pid);
    if (found == running.end()) continue;
    const std::size_t i = found->second;
    running.erase(found);
    const auto run_path = folder_.run_path(runs[i]);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::optional<RunSummary> summary;
    std::string how;
    try {
      summary = summarize_run(run_path);
      how = describe_run_end(*summary);
    } catch (const FileError& e) {
      how = std::string("no run folder written (") + e.what() + ")";
    }
    const RunManifest manifest = summary ? summary->manifest : RunManifest{};  // status "created" when none
    if (signalled && code != 0 && code != 1) {
      how = "stopped with the sweep; it resumes when the sweep runs again";
    } else if (code != 0) {
      ++outcome.failed;
      how = "failed (exit " + std::to_string(code) + ", see " + folder_.log_path(runs[i]).string() + "): " + how;
      // A run folder that says so is record enough; otherwise (refused before it began) a marker.
      if (manifest.status != "failed") folder_.record_failure(runs[i], "gan-train exited with " + std::to_string(code));
    } else if (manifest.status == "stopped" && !manifest.alarm.empty()) {
      ++outcome.early_stopped;
      how = "stopped early: " + how;
    } else {
      ++outcome.finished;
    }
    report(label(i) + ": " + how);
    try {
      folder_.write_csv();
    } catch (const FileError& e) {
      report(std::string("sweep.csv not written: ") + e.what());
    }
  }
  return outcome;
}

}  // namespace gan
