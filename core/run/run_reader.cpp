#include "core/run/run_reader.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/io/atomic_file.h"
#include "core/run/metrics_csv.h"
#include "core/run/run_summary.h"

namespace gan {

RunReader::RunReader(std::filesystem::path run) : path_(std::move(run)), metrics_(path_ / "metrics.csv") {
  if (!std::filesystem::is_regular_file(path_ / "metrics.csv") || !std::filesystem::is_regular_file(path_ / "config.yaml")) {
    throw FileError(path_.string() + ": not a run folder (no config.yaml and metrics.csv)");
  }
  try {
    config_ = load_config(path_ / "config.yaml");
  } catch (const ConfigError& e) {
    throw FileError(e.what());
  }
}

RunReader::Update RunReader::poll() {
  Update update;
  FileTail::Lines lines = metrics_.read();
  update.reset = lines.reset;
  std::istringstream text(std::move(lines.text));
  for (std::string line; std::getline(text, line);) {
    auto row = parse_metrics_row(line);
    if (!row) continue;  // the header does not parse
    update.steps.push_back(row->step);
    if (row->quality) update.quality.push_back(std::move(*row->quality));
  }
  if (!update.steps.empty()) {
    // Which of them updated one network alone: events.csv says (written before their rows).
    const auto one_sided = read_one_sided_steps(path_);
    for (StepRecord& record : update.steps) {
      const auto at = std::lower_bound(one_sided.begin(), one_sided.end(), std::make_pair(record.step, StepSide::kBoth));
      if (at != one_sided.end() && at->first == record.step) record.side = at->second;
    }
  }
  return update;
}

std::vector<std::int64_t> RunReader::sample_steps() const { return RunFolder::sample_steps(path_); }

std::vector<std::filesystem::path> recent_runs(const std::filesystem::path& runs_folder, std::size_t limit) {
  // Newest manifest first.
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> runs;
  for (auto& run : run_folders_in(runs_folder)) {
    std::error_code error;
    const auto updated = std::filesystem::last_write_time(run / "run.yaml", error);
    if (!error) runs.emplace_back(updated, std::move(run));
  }
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::filesystem::path> paths;
  for (std::size_t i = 0; i < runs.size() && i < limit; ++i) paths.push_back(runs[i].second);
  return paths;
}

}  // namespace gan
