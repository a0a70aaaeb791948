#include "core/run_reader.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/atomic_file.h"

namespace gan {
namespace {

bool parse_row(const std::string& line, StepRecord& record) {
  // step,epoch,d_loss,g_loss,d_real,d_fake,seconds
  const char* p = line.c_str();
  char* end = nullptr;
  double fields[7];
  for (int i = 0; i < 7; ++i) {
    fields[i] = std::strtod(p, &end);
    if (end == p) return false;
    p = end;
    if (i < 6) {
      if (*p != ',') return false;
      ++p;
    }
  }
  // Step and epoch become integers: anything that is not a plausible count makes the row malformed
  // (a cast of 1e50 would be undefined; found by fuzz_run_folder).
  constexpr double kMaxCount = 1e15;
  for (const double count : {fields[0], fields[1]}) {
    if (!(count >= 0 && count <= kMaxCount)) return false;
  }
  record.step = static_cast<std::int64_t>(fields[0]);
  record.epoch = static_cast<std::int64_t>(fields[1]);
  record.d_loss = static_cast<float>(fields[2]);
  record.g_loss = static_cast<float>(fields[3]);
  record.d_real = static_cast<float>(fields[4]);
  record.d_fake = static_cast<float>(fields[5]);
  record.seconds = fields[6];
  return true;
}

// The quality columns after the seventh field, when this row has them:
// ,inception_score,fid_mnist,mean_confidence,share;share;...
bool parse_quality(const std::string& line, std::int64_t step, QualityRecord& quality) {
  std::size_t at = 0;
  for (int i = 0; i < 7; ++i) {
    at = line.find(',', at);
    if (at == std::string::npos) return false;
    ++at;
  }
  const char* p = line.c_str() + at;
  char* end = nullptr;
  double fields[3];
  for (double& value : fields) {
    value = std::strtod(p, &end);
    if (end == p || *end != ',') return false;
    p = end + 1;
  }
  quality.step = step;
  quality.inception_score = fields[0];
  quality.fid = fields[1];
  quality.mean_confidence = fields[2];
  while (*p != '\0') {
    const double share = std::strtod(p, &end);
    if (end == p) return false;
    quality.class_histogram.push_back(share);
    p = *end == ';' ? end + 1 : end;
    if (*end != ';') break;
  }
  return !quality.class_histogram.empty();
}

}  // namespace

RunReader::RunReader(std::filesystem::path run) : path_(std::move(run)) {
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
  const auto metrics = path_ / "metrics.csv";
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(metrics, error);
  if (error) return update;
  if (size < offset_) {
    update.reset = true;
    offset_ = 0;
  }
  if (size == offset_) return update;
  std::ifstream file(metrics, std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset_));
  std::string chunk(static_cast<std::size_t>(size - offset_), '\0');
  file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  chunk.resize(static_cast<std::size_t>(file.gcount()));
  // Only whole lines: the writer may be in the middle of one.
  const auto last_newline = chunk.rfind('\n');
  if (last_newline == std::string::npos) return update;
  offset_ += last_newline + 1;
  std::istringstream lines(chunk.substr(0, last_newline + 1));
  for (std::string line; std::getline(lines, line);) {
    StepRecord record;
    if (!parse_row(line, record)) continue;  // the header does not parse
    update.steps.push_back(record);
    QualityRecord quality;
    if (parse_quality(line, record.step, quality)) update.quality.push_back(std::move(quality));
  }
  return update;
}

std::vector<std::int64_t> RunReader::sample_steps() const {
  std::vector<std::int64_t> steps;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path_ / "samples", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("step_", 0) == 0 && entry.path().extension() == ".png") {
      steps.push_back(std::strtoll(name.c_str() + 5, nullptr, 10));
    }
  }
  std::sort(steps.begin(), steps.end());
  return steps;
}

std::vector<std::filesystem::path> recent_runs(const std::filesystem::path& runs_folder, std::size_t limit) {
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> runs;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(runs_folder, error)) {
    const auto manifest = entry.path() / "run.yaml";
    std::error_code ignored;
    const auto updated = std::filesystem::last_write_time(manifest, ignored);
    if (!ignored) runs.emplace_back(updated, entry.path());
  }
  std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::filesystem::path> paths;
  for (std::size_t i = 0; i < runs.size() && i < limit; ++i) paths.push_back(runs[i].second);
  return paths;
}

}  // namespace gan
