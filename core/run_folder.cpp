#include "core/run_folder.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <ctime>
#include <fstream>

#include <yaml-cpp/yaml.h>

#include "core/atomic_file.h"

namespace gan {
namespace {

const char* const kMetricsHeader = "step,epoch,d_loss,g_loss,d_real,d_fake,seconds\n";

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
  kept = line + "\n";
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (std::strtoll(line.c_str(), nullptr, 10) > resume.step) break;
    kept += line + "\n";
    // The resumed run's clock starts at zero: continue the seconds column from here.
    seconds_offset_ = std::strtod(line.c_str() + line.rfind(',') + 1, nullptr);
  }
  in.close();
  write_file_atomically(path_ / "metrics.csv", kept, Replace::kAllowed);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path_ / "samples", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("step_", 0) == 0 && std::strtoll(name.c_str() + 5, nullptr, 10) > resume.step) {
      std::filesystem::remove(entry.path());
    }
  }
  metrics_ = std::fopen((path_ / "metrics.csv").c_str(), "a");
  events_ = std::fopen((path_ / "events.csv").c_str(), "a");
  if (metrics_ == nullptr || events_ == nullptr) throw FileError(path_.string() + ": cannot reopen the run's files");
  last_step_ = resume.step;
  append(events_, std::to_string(resume.step) + ",resumed,\n", "events.csv");
}

RunFolder::~RunFolder() {
  if (metrics_ != nullptr) std::fclose(metrics_);
  if (events_ != nullptr) std::fclose(events_);
}

std::filesystem::path RunFolder::sample_path(const std::filesystem::path& run, std::int64_t step) {
  char name[32];
  std::snprintf(name, sizeof name, "step_%07" PRId64 ".png", step);
  return run / "samples" / name;
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
  char row[160];
  for (const auto& s : steps) {
    std::snprintf(row, sizeof row, "%" PRId64 ",%" PRId64 ",%.6g,%.6g,%.6g,%.6g,%.4f\n", s.step, s.epoch, s.d_loss,
                  s.g_loss, s.d_real, s.d_fake, s.seconds + seconds_offset_);
    text += row;
  }
  append(metrics_, text, "metrics.csv");
  if (!steps.empty()) last_step_ = steps.back().step;
}

void RunFolder::on_sample(std::int64_t step, const GrayImage& grid) { write_png(grid, sample_path(path_, step)); }

void RunFolder::on_started(const RunInfo& info) {
  manifest_.device = info.device;
  manifest_.status = "running";
  write_manifest();
}

void RunFolder::on_checkpoint(std::int64_t step, const std::string& path) {
  manifest_.step = step;
  manifest_.checkpoint = std::filesystem::path(path).lexically_relative(path_).string();
  write_manifest();
  append(events_, std::to_string(step) + ",checkpoint," + manifest_.checkpoint + "\n", "events.csv");
}

void RunFolder::set_parent(const std::filesystem::path& checkpoint, std::int64_t step) {
  manifest_.parent = std::filesystem::absolute(checkpoint).lexically_normal().string();
  manifest_.parent_step = step;
  manifest_.step = step;
  last_step_ = step;
  write_manifest();
  append(events_, std::to_string(step) + ",forked," + manifest_.parent + "\n", "events.csv");
}

void RunFolder::write_manifest() {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << "gan-studio run";
  out << YAML::Key << "version" << YAML::Value << manifest_.version;
  out << YAML::Key << "preset" << YAML::Value << manifest_.preset;
  out << YAML::Key << "device" << YAML::Value << manifest_.device;
  out << YAML::Key << "started" << YAML::Value << manifest_.started;
  out << YAML::Key << "updated" << YAML::Value << local_time_text();
  out << YAML::Key << "status" << YAML::Value << manifest_.status;
  out << YAML::Key << "step" << YAML::Value << manifest_.step;
  out << YAML::Key << "checkpoint" << YAML::Value << manifest_.checkpoint;
  out << YAML::Key << "parent" << YAML::Value << manifest_.parent;
  out << YAML::Key << "parent_step" << YAML::Value << manifest_.parent_step;
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
    manifest.started = node["started"].as<std::string>("");
    manifest.status = node["status"].as<std::string>("");
    manifest.step = node["step"].as<std::int64_t>(0);
    manifest.checkpoint = node["checkpoint"].as<std::string>("");
    manifest.parent = node["parent"] ? node["parent"].as<std::string>("") : std::string();
    manifest.parent_step = node["parent_step"] ? node["parent_step"].as<std::int64_t>(0) : 0;
  } catch (const YAML::Exception& e) {
    throw FileError(path.string() + ": cannot read the run manifest: " + e.msg);
  }
  return manifest;
}

void RunFolder::on_hyperparameters(std::int64_t step, const LiveHyperparameters& v) {
  char row[256];
  std::snprintf(row, sizeof row,
                "%" PRId64 ",hyperparameters,g_lr=%g g_beta1=%g g_beta2=%g d_lr=%g d_beta1=%g d_beta2=%g d_steps=%" PRId64 "\n",
                step, v.generator.lr, v.generator.beta1, v.generator.beta2, v.discriminator.lr, v.discriminator.beta1,
                v.discriminator.beta2, v.d_steps);
  append(events_, row, "events.csv");
}

void RunFolder::on_state(RunState state, const std::string& message) {
  manifest_.status = to_string(state);
  manifest_.step = std::max(manifest_.step, last_step_);
  write_manifest();
  if (state == RunState::kRunning || state == RunState::kPaused) return;
  std::string detail = message;
  for (char& c : detail) {
    if (c == ',' || c == '\n') c = ';';
  }
  append(events_, std::to_string(last_step_) + "," + to_string(state) + "," + detail + "\n", "events.csv");
}

}  // namespace gan
