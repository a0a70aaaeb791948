#include "core/run/run_summary.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include "core/io/atomic_file.h"
#include "core/run/metrics_csv.h"

namespace gan {

const ScoredStep* RunSummary::best_inception_score() const {
  const ScoredStep* best = nullptr;
  for (const auto& s : scores) {
    if (best == nullptr || s.inception_score > best->inception_score) best = &s;
  }
  return best;
}

const ScoredStep* RunSummary::best_fid() const {
  const ScoredStep* best = nullptr;
  for (const auto& s : scores) {
    if (best == nullptr || s.fid < best->fid) best = &s;
  }
  return best;
}

const ScoredStep* RunSummary::score_at(std::int64_t step) const {
  const ScoredStep* found = nullptr;
  for (const auto& s : scores) {
    if (s.step > step) break;
    found = &s;
  }
  return found;
}

std::string run_status(const RunManifest& manifest, double seconds_since_update) {
  if (manifest.status == "stopped" && manifest.alarm == to_string(Alarm::Kind::kModeCollapse)) return "collapsed";
  if (manifest.status == "stopped" && manifest.alarm == to_string(Alarm::Kind::kDiscriminatorWins)) return "d-wins";
  if (manifest.status == "running" && seconds_since_update > kInterruptedAfterSeconds) return "interrupted";
  return manifest.status;
}

RunSummary summarize_run(const std::filesystem::path& folder) {
  RunSummary summary;
  summary.folder = folder;
  summary.name = folder.filename().string();
  summary.manifest = read_manifest(folder);
  try {
    summary.config = load_config(folder / "config.yaml");
  } catch (const ConfigError& e) {
    throw FileError(e.what());
  }
  const auto metrics = folder / "metrics.csv";
  std::ifstream in(metrics);
  if (!in) throw FileError(metrics.string() + ": cannot read");
  for (std::string line; std::getline(in, line);) {
    const auto row = parse_metrics_row(line);
    if (!row) continue;  // the header, or a row still being written
    summary.steps = row->step.step;
    summary.seconds = row->step.seconds;
    if (row->quality) {
      summary.scores.push_back(
          {row->step.step, row->quality->inception_score, row->quality->fid, row->quality->conditional_accuracy});
    }
  }
  const std::int64_t trained = summary.steps - summary.manifest.parent_step;
  if (summary.seconds > 0 && trained > 0) summary.steps_per_second = static_cast<double>(trained) / summary.seconds;

  // The newest of the files a live run keeps writing.
  std::error_code error;
  auto updated = std::filesystem::last_write_time(folder / "run.yaml", error);
  const auto metrics_time = std::filesystem::last_write_time(metrics, error);
  if (!error) updated = std::max(updated, metrics_time);
  const auto age = std::chrono::duration<double>(std::filesystem::file_time_type::clock::now() - updated).count();
  summary.status = run_status(summary.manifest, age);
  return summary;
}

std::vector<std::filesystem::path> run_folders_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> runs;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    std::error_code ignored;
    if (std::filesystem::is_regular_file(entry.path() / "run.yaml", ignored)) runs.push_back(entry.path());
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

}  // namespace gan
