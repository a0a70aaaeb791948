#include "core/sweep/sweep_folder.h"

#include <fstream>
#include <sstream>

#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/number_text.h"
#include "core/run/run_summary.h"

namespace gan {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path.string() + ": cannot read");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool same_runs(const std::vector<SweepRun>& a, const std::vector<SweepRun>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].values != b[i].values) return false;
  }
  return true;
}

std::string score_text(double value) { return fixed_text(value, 3); }

}  // namespace

const char* to_string(RunAction action) {
  switch (action) {
    case RunAction::kStart: return "start";
    case RunAction::kResume: return "resume";
    case RunAction::kRestart: return "restart";
    case RunAction::kDone: return "done";
  }
  return "unknown";
}

RunAction next_action(const std::filesystem::path& run, std::int64_t max_steps, const std::filesystem::path& failure) {
  std::error_code error;
  if (!std::filesystem::exists(run, error)) {
    return !failure.empty() && std::filesystem::exists(failure, error) ? RunAction::kDone : RunAction::kStart;
  }
  RunManifest manifest;
  try {
    manifest = read_manifest(run);
  } catch (const FileError&) {
    return RunAction::kRestart;  // gan-train died before its manifest was whole
  }
  if (manifest.status == "failed") return RunAction::kDone;
  if (manifest.status == "stopped" && !manifest.alarm.empty()) return RunAction::kDone;  // early stop
  if (manifest.status == "finished") {
    // Done unless a longer --max-steps asks for more than it trained and its epochs allow.
    if (max_steps == 0 || manifest.step >= max_steps) return RunAction::kDone;
    try {
      const std::int64_t planned = load_config(run / "config.yaml").train.epochs * manifest.steps_per_epoch;
      if (manifest.steps_per_epoch > 0 && manifest.step >= planned) return RunAction::kDone;
    } catch (const ConfigError&) {
      return RunAction::kDone;  // nothing to continue with
    }
  } else if (max_steps > 0 && manifest.step >= max_steps) {
    return RunAction::kDone;
  }
  return manifest.checkpoint.empty() ? RunAction::kRestart : RunAction::kResume;
}

namespace {

// The base config a sweep folder keeps: the one .yaml file in base/; empty when there is none.
std::filesystem::path stored_base(const std::filesystem::path& dir) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "base", error)) {
    if (entry.path().extension() == ".yaml") return entry.path();
  }
  return {};
}

}  // namespace

bool SweepFolder::is_sweep_folder(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_regular_file(dir / "sweep.yaml", error) && !stored_base(dir).empty();
}

SweepFolder::SweepFolder(std::filesystem::path dir) : dir_(std::move(dir)), base_(stored_base(dir_)) {
  if (!is_sweep_folder(dir_)) throw FileError(dir_.string() + ": not a sweep folder (no sweep.yaml and base/*.yaml)");
  spec_ = load_sweep(dir_ / "sweep.yaml", base_);
  runs_ = expand_sweep(spec_);
}

SweepFolder::SweepFolder(std::filesystem::path dir, const SweepSpec& spec) : dir_(std::move(dir)), spec_(spec) {
  runs_ = expand_sweep(spec_);
  std::error_code error;
  if (is_sweep_folder(dir_)) {
    base_ = stored_base(dir_);
    const SweepSpec stored = load_sweep(dir_ / "sweep.yaml", base_);
    if (!same_runs(expand_sweep(stored), runs_) || stored.fixed != spec_.fixed ||
        read_text(spec_.base) != read_text(base_)) {
      throw FileError(dir_.string() + " holds another sweep (its runs or base config differ from " + spec_.file.string() +
                      "); give another --out, or continue that one with: gan-sweep " + dir_.string());
    }
    spec_.base = base_;
    return;
  }
  if (std::filesystem::exists(dir_, error) && !std::filesystem::is_empty(dir_, error)) {
    throw FileError(dir_.string() + " is not empty and not a sweep folder; give a new or empty folder with --out");
  }
  std::filesystem::create_directories(dir_ / "base", error);
  if (error) throw FileError(dir_.string() + ": cannot create: " + error.message());
  // Under the base's own name: gan-train records it as each run's preset ("laptop").
  base_ = dir_ / "base" / spec_.base.filename().replace_extension(".yaml");
  write_file_atomically(base_, read_text(spec_.base));
  write_file_atomically(dir_ / "sweep.yaml", read_text(spec_.file));
  spec_.base = base_;
  write_csv();
}

RunAction SweepFolder::next_action(const SweepRun& run, std::int64_t max_steps) const {
  return gan::next_action(run_path(run), max_steps, failure_path(run));
}

void SweepFolder::record_failure(const SweepRun& run, const std::string& reason) const {
  std::error_code error;
  std::filesystem::create_directories(dir_ / "logs", error);
  write_file_atomically(failure_path(run), reason + "\n", Replace::kAllowed);
}

std::size_t SweepFolder::retry_failed() const {
  std::size_t count = 0;
  for (const SweepRun& run : runs_) {
    std::error_code error;
    bool failed = std::filesystem::remove(failure_path(run), error);
    try {
      if (std::filesystem::exists(run_path(run), error) && read_manifest(run_path(run)).status == "failed") {
        move_aside(run);
        failed = true;
      }
    } catch (const FileError&) {
    }
    count += failed ? 1 : 0;
  }
  return count;
}

void SweepFolder::move_aside(const SweepRun& run) const {
  const auto aside = dir_ / "interrupted";
  std::error_code error;
  std::filesystem::create_directories(aside, error);
  for (int n = 1;; ++n) {
    const auto target = aside / (run.name + "-" + std::to_string(n));
    if (std::filesystem::exists(target, error)) continue;
    std::filesystem::rename(run_path(run), target, error);
    if (error) throw FileError(run_path(run).string() + ": cannot move aside: " + error.message());
    return;
  }
}

std::string SweepFolder::csv() const {
  const auto keys = swept_keys(spec_);
  std::string text = "run";
  for (const auto& key : keys) text += "," + key;
  text += ",status,steps,seconds,final_inception_score,best_inception_score,best_inception_score_step,"
          "final_fid_mnist,best_fid_mnist,best_fid_mnist_step,final_conditional_accuracy\n";
  for (const SweepRun& run : runs_) {
    std::string row = csv_field(run.name);
    for (const auto& key : keys) {
      std::string value;
      for (const auto& [k, v] : run.values) {
        if (k == key) value = v;
      }
      row += "," + csv_field(value);
    }
    std::error_code error;
    if (!std::filesystem::exists(run_path(run), error)) {
      const bool failed = std::filesystem::exists(failure_path(run), error);
      text += row + (failed ? ",failed,0,0,,,,,,,\n" : ",pending,0,0,,,,,,,\n");
      continue;
    }
    try {
      const RunSummary s = summarize_run(run_path(run));
      row += "," + s.status + "," + std::to_string(s.steps) + "," + fixed_text(s.seconds, 1);
      const ScoredStep* latest = s.latest_score();
      const ScoredStep* best_is = s.best_inception_score();
      const ScoredStep* best_fid = s.best_fid();
      row += "," + (latest ? score_text(latest->inception_score) : "");
      row += "," + (best_is ? score_text(best_is->inception_score) : "") + "," + (best_is ? std::to_string(best_is->step) : "");
      row += "," + (latest ? score_text(latest->fid) : "");
      row += "," + (best_fid ? score_text(best_fid->fid) : "") + "," + (best_fid ? std::to_string(best_fid->step) : "");
      row += "," + (latest && latest->conditional_accuracy ? fixed_text(*latest->conditional_accuracy, 4) : "");
      text += row + "\n";
    } catch (const FileError&) {
      text += row + ",starting,0,0,,,,,,,\n";  // gan-train has not written its files yet
    }
  }
  return text;
}

void SweepFolder::write_csv() const { write_file_atomically(dir_ / "sweep.csv", csv(), Replace::kAllowed); }

}  // namespace gan
