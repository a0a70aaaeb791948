#include "core/run/run_folder.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>

#include <yaml-cpp/yaml.h>

#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/number_text.h"
#include "core/run/checkpoint_files.h"
#include "core/run/inside_csv.h"
#include "core/run/metrics_csv.h"

namespace gan {
namespace {

// One row of events.csv: step,event,detail (the detail is free text: a message, a path).
std::string event_row(std::int64_t step, const std::string& event, const std::string& detail = {}) {
  return csv_row({std::to_string(step), event, detail});
}

std::string local_time_text() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &local);
  return text;
}

std::FILE* open_for_append(const std::filesystem::path& path, const char* header) {
  std::FILE* file = std::fopen(path.c_str(), "wx");  // x: never truncate an existing file
  if (file == nullptr) throw FileError(path.string() + ": cannot create: " + std::strerror(errno));
  if (std::fputs(header, file) < 0 || std::fflush(file) != 0) {
    std::fclose(file);
    throw FileError(path.string() + ": write failed: " + std::strerror(errno));
  }
  return file;
}

// Opens a file of the run for appending; a new one starts with `header`.
std::FILE* open_appending(const std::filesystem::path& path, const char* header) {
  if (!std::filesystem::exists(path)) return open_for_append(path, header);
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) throw FileError(path.string() + ": cannot reopen: " + std::strerror(errno));
  return file;
}

// Keeps the rows of an inside file up to `step` (and its header), rewritten atomically; a run
// written before the file existed has none to keep.
void keep_inside_rows(const std::filesystem::path& path, const char* header, std::int64_t step) {
  std::ifstream in(path);
  if (!in) return;
  std::string kept = header, line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto row_step = inside_row_step(line);
    if (!row_step) continue;
    if (*row_step > step) break;
    kept += line + "\n";
  }
  in.close();
  write_file_atomically(path, kept, Replace::kAllowed);
}

}  // namespace

RunFolder::RunFolder(std::filesystem::path path, const Config& config, std::string preset) : path_(std::move(path)) {
  std::error_code error;
  if (std::filesystem::exists(path_) && !std::filesystem::is_empty(path_, error)) {
    throw FileError(path_.string() + ": folder exists and is not empty; choose another output folder");
  }
  std::filesystem::create_directories(path_ / "samples", error);
  if (error) throw FileError(path_.string() + ": cannot create run folder: " + error.message());
  save_config(config, path_ / "config.yaml");
  metrics_ = open_for_append(path_ / "metrics.csv", kMetricsHeader);
  events_ = open_for_append(path_ / "events.csv", "step,event,detail\n");
  manifest_.preset = std::move(preset);
  manifest_.started = local_time_text();
  write_manifest();
}

RunFolder::RunFolder(std::filesystem::path path, ResumeAt resume) : path_(std::move(path)) {
  manifest_ = read_manifest(path_);
  // Keep the metrics up to the checkpoint; rewrite the file atomically so a crash now loses nothing.
  std::ifstream in(path_ / "metrics.csv");
  if (!in) throw FileError((path_ / "metrics.csv").string() + ": cannot read");
  std::string kept, line;
  std::getline(in, line);
  kept = kMetricsHeader;  // today's columns, also over a file written before some of them existed
  while (std::getline(in, line)) {
    const auto row = parse_metrics_row(line);
    if (!row) continue;
    if (row->step.step > resume.step) break;
    kept += line + "\n";
    // The resumed run's clock starts at zero: continue the seconds column from here.
    seconds_offset_ = row->step.seconds;
  }
  in.close();
  write_file_atomically(path_ / "metrics.csv", kept, Replace::kAllowed);
  keep_inside_rows(path_ / kVerdictsFile, kVerdictsHeader, resume.step);
  keep_inside_rows(path_ / kLayersFile, kLayersHeader, resume.step);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path_ / "samples", error)) {
    const std::string name = entry.path().filename().string();
    if (RunFolder::sample_step(entry.path()).value_or(-1) > resume.step) {
      std::filesystem::remove(entry.path());
    }
  }
  // Checkpoints past the resume point belong to a future this run abandons; keep them aside.
  for (const auto& checkpoint : list_checkpoints(path_)) {
    if (checkpoint_step(checkpoint) <= resume.step) continue;
    const auto aside = path_ / "checkpoints" / "abandoned";
    std::filesystem::create_directories(aside, error);
    std::filesystem::rename(checkpoint, aside / checkpoint.filename(), error);
    if (error) throw FileError(checkpoint.string() + ": cannot move aside: " + error.message());
  }
  metrics_ = std::fopen((path_ / "metrics.csv").c_str(), "a");
  events_ = std::fopen((path_ / "events.csv").c_str(), "a");
  if (metrics_ == nullptr || events_ == nullptr) throw FileError(path_.string() + ": cannot reopen the run's files");
  last_step_ = resume.step;
  append(events_, event_row(resume.step, "resumed"), "events.csv");
}

std::vector<std::pair<std::int64_t, StepSide>> read_one_sided_steps(const std::filesystem::path& run) {
  std::ifstream in(run / "events.csv", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::pair<std::int64_t, StepSide>> steps;
  for (const std::string& record : csv_records(text)) {
    const auto fields = parse_csv_row(record);
    if (!fields || fields->size() < 2) continue;
    const auto step = parse_int((*fields)[0]);
    if (!step) continue;  // the header, or a damaged row
    if ((*fields)[1] == "resumed") {
      // The steps after the checkpoint it resumed from were taken again, as full steps.
      while (!steps.empty() && steps.back().first > *step) steps.pop_back();
    } else if ((*fields)[1] == kOneSideEvent && fields->size() >= 3) {
      if (const auto side = step_side_from_string((*fields)[2])) steps.emplace_back(*step, *side);
    }
  }
  return steps;
}

RunFolder::~RunFolder() {
  for (std::FILE* file : {metrics_, events_, verdicts_, layers_}) {
    if (file != nullptr) std::fclose(file);
  }
}

std::filesystem::path RunFolder::sample_path(const std::filesystem::path& run, std::int64_t step) {
  char name[32];
  std::snprintf(name, sizeof name, "step_%07" PRId64 ".png", step);
  return run / "samples" / name;
}

std::vector<std::int64_t> RunFolder::sample_steps(const std::filesystem::path& run) {
  std::vector<std::int64_t> steps;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(run / "samples", error)) {
    if (const auto step = sample_step(entry.path())) steps.push_back(*step);
  }
  std::sort(steps.begin(), steps.end());
  return steps;
}

std::optional<std::int64_t> RunFolder::sample_step(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  if (name.rfind("step_", 0) != 0 || file.extension() != ".png") return std::nullopt;
  return parse_int(std::string_view(name).substr(5, name.size() - 5 - 4));
}

void RunFolder::append(std::FILE* file, const std::string& text, const char* name) {
  // Rows are appended and flushed per batch: a crash loses at most the batch in flight.
  if (std::fwrite(text.data(), 1, text.size(), file) != text.size() || std::fflush(file) != 0) {
    throw FileError((path_ / name).string() + ": write failed: " + std::strerror(errno));
  }
}

void RunFolder::on_steps(const std::vector<StepRecord>& steps, const Progress& /*progress*/) {
  std::string text;
  text.reserve(steps.size() * 64);
  for (const auto& s : steps) {
    const bool scored = quality_ && quality_->step == s.step;
    text += metrics_row(s, seconds_offset_, scored ? &*quality_ : nullptr);
    if (scored) quality_.reset();
  }
  // Steps of one side alone go into events.csv first: a reader that sees their metrics rows
  // (RunReader::poll) finds them there.
  std::string one_sided;
  for (const auto& s : steps) {
    if (s.side != StepSide::kBoth) one_sided += event_row(s.step, kOneSideEvent, to_string(s.side));
  }
  if (!one_sided.empty()) append(events_, one_sided, "events.csv");
  append(metrics_, text, "metrics.csv");
  if (steps.empty()) return;
  last_step_ = steps.back().step;
  // An alarm the run trained past (reported and gone on, or "Keep training") did not end it.
  if (last_step_ > alarm_step_) clear_alarm();
}

void RunFolder::on_inside(const InsideRecord& record) {
  // Opened with the first window: a run without inside figures has no such files.
  if (verdicts_ == nullptr) verdicts_ = open_appending(path_ / kVerdictsFile, kVerdictsHeader);
  if (layers_ == nullptr) layers_ = open_appending(path_ / kLayersFile, kLayersHeader);
  append(verdicts_, verdicts_rows(record), kVerdictsFile);
  append(layers_, layers_rows(record), kLayersFile);
}

void RunFolder::on_sample(std::int64_t step, const Image& grid) { write_png(grid, sample_path(path_, step)); }

void RunFolder::on_started(const RunInfo& info) {
  // A resumed run (a rollback among them) goes on from before the alarm of its last session.
  manifest_.alarm.clear();
  manifest_.device = info.device;
  manifest_.step_mode = info.step_mode;
  manifest_.steps_per_epoch = info.steps_per_epoch;
  manifest_.total_steps = info.total_steps;
  manifest_.status = "running";
  write_manifest();
}

void RunFolder::on_checkpoint(std::int64_t step, const std::string& path) {
  manifest_.step = step;
  manifest_.checkpoint = std::filesystem::path(path).lexically_relative(path_).string();
  write_manifest();
  append(events_, event_row(step, "checkpoint", manifest_.checkpoint), "events.csv");
}

void RunFolder::set_parent(const std::filesystem::path& checkpoint, std::int64_t step) {
  manifest_.parent = std::filesystem::absolute(checkpoint).lexically_normal().string();
  manifest_.parent_step = step;
  manifest_.step = step;
  last_step_ = step;
  write_manifest();
  append(events_, event_row(step, "forked", manifest_.parent), "events.csv");
}

void RunFolder::on_judge(const JudgeReference& reference) {
  manifest_.judge = reference;
  write_manifest();
}

void RunFolder::on_quality(const QualityRecord& record) { quality_ = record; }

void RunFolder::on_alarm(const Alarm& alarm) {
  append(events_, event_row(alarm.step, "alarm", alarm.message), "events.csv");
  manifest_.alarm = to_string(alarm.kind);
  alarm_step_ = std::max(alarm.step, last_step_);
  write_manifest();
}

void RunFolder::clear_alarm() {
  if (manifest_.alarm.empty()) return;
  manifest_.alarm.clear();
  write_manifest();
}

void RunFolder::on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) {
  append(events_, event_row(step, "step mode", mode + (reason.empty() ? "" : ": " + reason)), "events.csv");
  manifest_.step_mode = mode;
  write_manifest();
}

void RunFolder::write_manifest() {
  YAML::Emitter out;
  out.SetDoublePrecision(6);  // 0.9923, not 0.99229999999999996
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << "gan-studio run";
  out << YAML::Key << "version" << YAML::Value << manifest_.version;
  out << YAML::Key << "preset" << YAML::Value << manifest_.preset;
  out << YAML::Key << "device" << YAML::Value << manifest_.device;
  if (!manifest_.step_mode.empty()) out << YAML::Key << "step_mode" << YAML::Value << manifest_.step_mode;
  out << YAML::Key << "started" << YAML::Value << manifest_.started;
  out << YAML::Key << "updated" << YAML::Value << local_time_text();
  out << YAML::Key << "status" << YAML::Value << manifest_.status;
  if (!manifest_.alarm.empty()) out << YAML::Key << "alarm" << YAML::Value << manifest_.alarm;
  out << YAML::Key << "step" << YAML::Value << manifest_.step;
  out << YAML::Key << "steps_per_epoch" << YAML::Value << manifest_.steps_per_epoch;
  out << YAML::Key << "total_steps" << YAML::Value << manifest_.total_steps;
  out << YAML::Key << "checkpoint" << YAML::Value << manifest_.checkpoint;
  out << YAML::Key << "parent" << YAML::Value << manifest_.parent;
  out << YAML::Key << "parent_step" << YAML::Value << manifest_.parent_step;
  if (manifest_.judge) {
    const JudgeReference& j = *manifest_.judge;
    out << YAML::Key << "judge" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "dataset" << YAML::Value << j.dataset;
    out << YAML::Key << "classes" << YAML::Value << j.classes;
    out << YAML::Key << "test_accuracy" << YAML::Value << j.test_accuracy;
    out << YAML::Key << "real_inception_score" << YAML::Value << j.inception_score;
    out << YAML::Key << "real_fid" << YAML::Value << j.fid;
    if (j.memorised >= 0) out << YAML::Key << "real_memorised" << YAML::Value << j.memorised;
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  write_file_atomically(path_ / "run.yaml", std::string(out.c_str()) + "\n", Replace::kAllowed);
}

RunManifest read_manifest(const std::filesystem::path& run) {
  const auto path = run / "run.yaml";
  RunManifest manifest;
  try {
    const YAML::Node node = YAML::LoadFile(path.string());
    if (!node.IsMap() || !node["format"] || node["format"].as<std::string>() != "gan-studio run") {
      throw FileError(path.string() + ": not a GAN Studio run manifest");
    }
    manifest.version = node["version"].as<std::int64_t>();
    manifest.preset = node["preset"].as<std::string>("");
    manifest.device = node["device"].as<std::string>("");
    manifest.step_mode = node["step_mode"] ? node["step_mode"].as<std::string>("") : std::string();
    manifest.started = node["started"].as<std::string>("");
    manifest.status = node["status"].as<std::string>("");
    manifest.alarm = node["alarm"] ? node["alarm"].as<std::string>("") : std::string();
    manifest.step = node["step"].as<std::int64_t>(0);
    manifest.steps_per_epoch = node["steps_per_epoch"] ? node["steps_per_epoch"].as<std::int64_t>(0) : 0;
    manifest.total_steps = node["total_steps"] ? node["total_steps"].as<std::int64_t>(0) : 0;
    manifest.checkpoint = node["checkpoint"].as<std::string>("");
    manifest.parent = node["parent"] ? node["parent"].as<std::string>("") : std::string();
    manifest.parent_step = node["parent_step"] ? node["parent_step"].as<std::int64_t>(0) : 0;
    if (const YAML::Node judge = node["judge"]; judge && judge.IsMap()) {
      JudgeReference reference;
      reference.dataset = judge["dataset"].as<std::string>("");
      reference.classes = judge["classes"].as<std::int64_t>(0);
      reference.test_accuracy = judge["test_accuracy"].as<double>(0);
      reference.inception_score = judge["real_inception_score"].as<double>(0);
      reference.fid = judge["real_fid"].as<double>(0);
      reference.memorised = judge["real_memorised"] ? judge["real_memorised"].as<double>(-1) : -1;
      manifest.judge = reference;
    }
  } catch (const YAML::Exception& e) {
    throw FileError(path.string() + ": cannot read the run manifest: " + e.msg);
  }
  return manifest;
}

void RunFolder::on_hyperparameters(std::int64_t step, const LiveHyperparameters& v) {
  const std::string detail = "g_lr=" + shortest_text(v.generator.lr) +
                          " g_beta1=" + shortest_text(v.generator.beta1) + " g_beta2=" + shortest_text(v.generator.beta2) +
                          " d_lr=" + shortest_text(v.discriminator.lr) + " d_beta1=" + shortest_text(v.discriminator.beta1) +
                          " d_beta2=" + shortest_text(v.discriminator.beta2) + " d_steps=" + std::to_string(v.d_steps);
  append(events_, event_row(step, "hyperparameters", detail), "events.csv");
}

void RunFolder::on_state(RunState state, const std::string& message) {
  // Training goes on after an alarm ("Keep training"): it no longer says how the run ends.
  if (state == RunState::kRunning) manifest_.alarm.clear();
  manifest_.status = to_string(state);
  manifest_.step = std::max(manifest_.step, last_step_);
  write_manifest();
  if (state == RunState::kRunning || state == RunState::kPaused) return;
  append(events_, event_row(last_step_, to_string(state), message), "events.csv");
}

}  // namespace gan
