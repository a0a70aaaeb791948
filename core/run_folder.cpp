#include "core/run_folder.h"

#include <cerrno>
#include <cinttypes>
#include <cstring>

#include "core/atomic_file.h"

namespace gan {
namespace {

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

RunFolder::RunFolder(std::filesystem::path path, const Config& config) : path_(std::move(path)) {
  std::error_code error;
  if (std::filesystem::exists(path_) && !std::filesystem::is_empty(path_, error)) {
    throw FileError(path_.string() + ": folder exists and is not empty; choose another output folder");
  }
  std::filesystem::create_directories(path_ / "samples", error);
  if (error) throw FileError(path_.string() + ": cannot create run folder: " + error.message());
  save_config(config, path_ / "config.yaml");
  metrics_ = open_for_append(path_ / "metrics.csv", "step,epoch,d_loss,g_loss,d_real,d_fake,seconds\n");
  events_ = open_for_append(path_ / "events.csv", "step,event,detail\n");
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
                  s.g_loss, s.d_real, s.d_fake, s.seconds);
    text += row;
  }
  append(metrics_, text, "metrics.csv");
  if (!steps.empty()) last_step_ = steps.back().step;
}

void RunFolder::on_sample(std::int64_t step, const GrayImage& grid) { write_png(grid, sample_path(path_, step)); }

void RunFolder::on_hyperparameters(std::int64_t step, const LiveHyperparameters& v) {
  char row[256];
  std::snprintf(row, sizeof row,
                "%" PRId64 ",hyperparameters,g_lr=%g g_beta1=%g g_beta2=%g d_lr=%g d_beta1=%g d_beta2=%g d_steps=%" PRId64 "\n",
                step, v.generator.lr, v.generator.beta1, v.generator.beta2, v.discriminator.lr, v.discriminator.beta1,
                v.discriminator.beta2, v.d_steps);
  append(events_, row, "events.csv");
}

void RunFolder::on_state(RunState state, const std::string& message) {
  if (state == RunState::kRunning || state == RunState::kPaused) return;
  std::string detail = message;
  for (char& c : detail) {
    if (c == ',' || c == '\n') c = ';';
  }
  append(events_, std::to_string(last_step_) + "," + to_string(state) + "," + detail + "\n", "events.csv");
}

}  // namespace gan
