// A run folder on disk, written as training goes:
//   config.yaml          the resolved config (loads back to the same values)
//   metrics.csv          step,epoch,d_loss,g_loss,d_real,d_fake,seconds — one row per step —, then
//                        inception_score,fid_mnist,mean_confidence,class_histogram on the rows of
//                        steps the judge scored (empty otherwise; the histogram's shares joined by ';')
//   samples/step_XXXXXXX.png   the fixed-noise grid, from step 0 on
//   verdicts.csv, layers.csv   the inside figures, a window of inside.interval steps a row group
//                        (inside_csv.h); absent when inside.interval is 0 and in older runs
//   events.csv           step,event,detail — hyperparameter changes, checkpoints, alarms, step-mode
//                        changes, steps of one side alone ("one side", "discriminator" or
//                        "generator"), resumes, how the run ended (CSV as core/io/csv.h writes it)
//   run.yaml             the manifest: version, preset, device, step mode, start time, status, step, checkpoint
//   checkpoints/step_XXXXXXX.pt   written by the Trainer (checkpoint.h)
//   model.pt             written by the caller at the end (Gan::save_models)
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config.h"
#include "core/run/observer.h"

namespace gan {

/// events.csv's event for a step of one network alone (StepSide); its detail is to_string(side).
inline constexpr const char* kOneSideEvent = "one side";

/// The steps of `run` that updated one network alone, from its events.csv, ascending: steps that
/// a later resume took again (from an earlier checkpoint) are left out. None when it has no events.csv.
std::vector<std::pair<std::int64_t, StepSide>> read_one_sided_steps(const std::filesystem::path& run);

/// A run's manifest (run.yaml).
struct RunManifest {
  std::int64_t version = 1;
  std::string preset;   ///< the config's name, e.g. "pytorch-gan"
  std::string device;
  /// How the steps reach the device: "eager", "graph", or "uncaptured" once a graph fell back
  /// (gan.h StepMode); empty in runs written before it was recorded.
  std::string step_mode;
  std::string started;  ///< local time, ISO 8601
  std::string status = "created";  ///< created, running, paused, finished, stopped, failed
  /// The kind of the alarm that fired last ("mode collapse", "discriminator wins", "non-finite
  /// loss"; to_string(Alarm::Kind)) while the run has not trained past it; empty otherwise. It is
  /// cleared when training goes on after it (reported and continued, "Keep training", a resume or
  /// a rollback), so with status "stopped" it names the alarm that ended the run (a sweep's early stop).
  std::string alarm;
  std::int64_t step = 0;
  /// The run's length as the trainer announced it (0 in runs written before they were recorded),
  /// so that a reader following the run can show its progress.
  std::int64_t steps_per_epoch = 0;
  std::int64_t total_steps = 0;
  std::string checkpoint;  ///< newest checkpoint, relative to the run folder
  std::string parent;      ///< for a fork: the checkpoint it started from; empty otherwise
  std::int64_t parent_step = 0;
  /// The judge's reference figures (real data), once a judge scored this run.
  std::optional<JudgeReference> judge;
};

/// Reads run.yaml of a run folder; throws FileError naming the file when it is missing or damaged.
RunManifest read_manifest(const std::filesystem::path& run);

class RunFolder : public TrainingObserver {
 public:
  /// Creates `path` and writes config.yaml and the manifest. A folder that exists and is not empty
  /// is refused (FileError): a run never writes over another run.
  RunFolder(std::filesystem::path path, const Config& config, std::string preset = "custom");

  /// Reopens an existing run to continue it from a checkpoint at `step`: metrics rows and sample
  /// grids after `step` (written before the run was interrupted) are dropped, since the resumed
  /// run writes them again (so are the inside figures' rows); everything up to `step` stays. Checkpoints after `step` (a rollback
  /// past them) are moved to checkpoints/abandoned/, not deleted.
  struct ResumeAt {
    std::int64_t step;
  };
  RunFolder(std::filesystem::path path, ResumeAt resume);
  ~RunFolder() override;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path model_path() const { return path_ / "model.pt"; }
  static std::filesystem::path sample_path(const std::filesystem::path& run, std::int64_t step);
  /// The step of a sample grid's file (samples/step_NNNNNNN.png); nullopt for any other name.
  static std::optional<std::int64_t> sample_step(const std::filesystem::path& file);
  /// Steps of the sample grids in `run`/samples, ascending (none when it has no such folder).
  static std::vector<std::int64_t> sample_steps(const std::filesystem::path& run);

  void on_steps(const std::vector<StepRecord>& steps, const Progress& progress) override;
  void on_sample(std::int64_t step, const Image& grid) override;
  void on_started(const RunInfo& info) override;
  void on_hyperparameters(std::int64_t step, const LiveHyperparameters& values) override;
  void on_checkpoint(std::int64_t step, const std::string& path) override;
  void on_state(RunState state, const std::string& message) override;
  void on_judge(const JudgeReference& reference) override;
  void on_quality(const QualityRecord& record) override;
  void on_alarm(const Alarm& alarm) override;
  void on_step_mode(std::int64_t step, const std::string& mode, const std::string& reason) override;
  void on_inside(const InsideRecord& record) override;

  const RunManifest& manifest() const { return manifest_; }
  /// Records that this run was forked from `checkpoint` (at `step`).
  void set_parent(const std::filesystem::path& checkpoint, std::int64_t step);

 private:
  void append(std::FILE* file, const std::string& text, const char* name);
  void write_manifest();
  void clear_alarm();

  std::filesystem::path path_;
  RunManifest manifest_;
  std::FILE* metrics_ = nullptr;
  std::FILE* events_ = nullptr;
  std::FILE* verdicts_ = nullptr;  // opened with the first inside record
  std::FILE* layers_ = nullptr;
  std::int64_t last_step_ = 0;
  std::int64_t alarm_step_ = 0;  // the newest step reported when the standing alarm fired
  double seconds_offset_ = 0;  // training time before a resume
  std::optional<QualityRecord> quality_;  // goes on the metrics row of its step
};

}  // namespace gan
