// A run folder on disk, written as training goes:
//   config.yaml          the resolved config (loads back to the same values)
//   metrics.csv          step,epoch,d_loss,g_loss,d_real,d_fake,seconds — one row per step
//   samples/step_XXXXXXX.png   the fixed-noise grid, from step 0 on
//   events.csv           step,event,detail — hyperparameter changes and how the run ended
//   model.pt             written by the caller at the end (Gan::save_models)
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>

#include "core/config.h"
#include "core/observer.h"

namespace gan {

class RunFolder : public TrainingObserver {
 public:
  /// Creates `path` and writes config.yaml. A folder that exists and is not empty is refused
  /// (FileError): a run never writes over another run.
  RunFolder(std::filesystem::path path, const Config& config);
  ~RunFolder() override;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path model_path() const { return path_ / "model.pt"; }
  static std::filesystem::path sample_path(const std::filesystem::path& run, std::int64_t step);

  void on_steps(const std::vector<StepRecord>& steps, const Progress& progress) override;
  void on_sample(std::int64_t step, const GrayImage& grid) override;
  void on_hyperparameters(std::int64_t step, const LiveHyperparameters& values) override;
  void on_state(RunState state, const std::string& message) override;

 private:
  void append(std::FILE* file, const std::string& text, const char* name);

  std::filesystem::path path_;
  std::FILE* metrics_ = nullptr;
  std::FILE* events_ = nullptr;
  std::int64_t last_step_ = 0;
};

}  // namespace gan
