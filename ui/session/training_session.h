// The GUI's handle on training: owns the training thread and the worker object on it, forwards
// commands to the core Trainer (thread-safe, picked up between steps) and turns the trainer's
// reports into queued signals. The worker's loop blocks its thread's event loop while it trains,
// so commands never travel as queued slots: they go straight to the Trainer's command interface.
#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QString>
#include <QThread>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/config/config.h"
#include "core/export/generator_export.h"
#include "core/run/observer.h"
#include "core/training/trainer.h"  // LibTorch-free: for Trainer::WhenIdle
#include "ui/session/qt_types.h"

namespace gan::ui {

class TrainingWorker;

class TrainingSession : public QObject {
  Q_OBJECT

 public:
  explicit TrainingSession(QObject* parent = nullptr);
  /// Stops a run in progress after its current step and waits for the thread.
  ~TrainingSession() override;

  /// Starts a new run on the training thread: loads the data, builds the models, trains, and writes
  /// the run folder `run_folder` (created; must not exist or be empty) with checkpoints. `label`
  /// names the preset in the run's manifest. Ignored while a run is active.
  void start(const gan::Config& config, const QString& run_folder, qint64 max_steps = 0,
             const QString& label = QStringLiteral("custom"));
  /// Continues the run in `run_folder` from its newest checkpoint, or from `checkpoint` (a rollback:
  /// later checkpoints move to checkpoints/abandoned); see gan-train --resume. `max_steps` counts
  /// the run's total steps. resumed() tells the step it continues from.
  void resumeRun(const QString& run_folder, qint64 max_steps = 0, const QString& checkpoint = {});
  /// Starts a new run in `run_folder` from `checkpoint` of another run, with `config` (which may
  /// change the optimizers, d_steps, epochs, seed, sampling and checkpoint settings).
  void fork(const QString& checkpoint, const gan::Config& config, const QString& run_folder, qint64 max_steps = 0);
  void pause();
  void resume();
  /// While paused: one step of both networks, or of `side` alone (Step D, Step G).
  void stepOnce(gan::StepSide side = gan::StepSide::kBoth);
  /// Slow motion: at most `steps_per_second` steps a second (0: full speed), for this run and the
  /// runs after it.
  void setStepRateLimit(double steps_per_second);
  double stepRateLimit() const;
  void stop();
  void setHyperparameters(const gan::LiveHyperparameters& values);
  /// Generates `count` digits from the current generator (during a run, between two steps);
  /// they arrive through digitsReady.
  /// `digit` >= 0: a conditional model's digits asked for it.
  void requestDigits(int count, int digit = -1);
  /// Exports the current generator as `format` into the new folder `folder` (or over the one there
  /// when `existing` allows), between two steps or on the worker when idle; generatorExported brings
  /// the result. `source` names where the model comes from (a run folder).
  void requestGeneratorExport(gan::ExportFormat format, const QString& folder, gan::Replace existing,
                              const QString& source = {});
  /// Both networks block by block, measured on the training thread between two steps (or on the
  /// worker when idle), with the weight histogram of `network`'s `block` only (none when empty);
  /// modelSummaryReady brings it. Without a model (no run, none loaded) nothing comes.
  void requestModelSummary(const QString& network = {}, const QString& block = {});
  /// What D and the judge say of `digit` (Ask D): verdictReady, then judgeViewReady.
  void requestVerdict(const gan::Image& digit);
  /// The `count` training images nearest `digit` (What G copied): neighboursReady.
  void requestNeighbours(const gan::Image& digit, gan::NeighbourSpace space, int count = 8);
  /// The latent explorer's start at sample-grid cell `grid_index`: latentPicked.
  void requestLatentPick(int grid_index, int directions, gan::LatentDirections kind, quint64 seed);
  /// G's digits at `points`: latentDigitsReady, with the points and `purpose` handed back.
  void requestLatentDigits(const std::vector<gan::LatentPoint>& points, int purpose);

  /// Builds a model from a checkpoint file, or from the newest checkpoint of a run folder, on the
  /// training thread, without training: for exports from any checkpoint. modelLoaded or
  /// modelLoadFailed tells the outcome. A checkpoint that fits the model already open (another step
  /// of its run: the timeline) only swaps its weights in; the data and the judge stay.
  void loadModel(const QString& checkpoint_or_run);
  /// `frames` digits along a path between two latent points drawn from `seed`; arrive through
  /// interpolationReady.
  void requestInterpolation(int frames, quint64 seed);
  /// Up to `count` digits the judge takes for class `label` (from the fixed evaluation batch,
  /// rendered by the current generator); they arrive through classDigitsReady.
  void requestClassDigits(int label, int count);

  /// True from start() until finished() is emitted.
  bool isActive() const { return active_; }
  /// True while a model exists to draw digits from (a run started, even if it has ended).
  bool hasModel() const;

 signals:
  /// A resumed run's folder was reopened at `step` (rows after it dropped); training follows.
  void resumed(qint64 step);
  void started(const gan::RunInfo& info);
  void stepsReady(const QVector<gan::StepRecord>& steps, const gan::Progress& progress);
  void sampleReady(qint64 step, const QImage& grid);
  void hyperparametersApplied(qint64 step, const gan::LiveHyperparameters& values);
  void stateChanged(gan::RunState state, const QString& message);
  /// The run is over (finished, stopped or failed) and its files are written.
  void finished(gan::RunState state, const QString& message);
  void digitsReady(const QVector<QImage>& digits);
  /// An export asked of requestGeneratorExport is written (`error` empty: `files` in `folder`) or failed.
  void generatorExported(const QString& folder, const QStringList& files, const QString& error);
  void interpolationReady(const QVector<QImage>& frames);
  void modelLoaded(qint64 step);
  void modelLoadFailed(const QString& message);
  /// The judge trains beside the run (the first run on a machine): `fraction` of it is done.
  void judgeTraining(const QString& dataset, double fraction);
  /// The judge is ready for this run: real data's scores, the reference lines of the charts.
  void judgeReady(const gan::JudgeReference& reference);
  /// No judge for this run: the quality charts say why instead of staying empty.
  void judgeUnavailable(const QString& reason);
  void qualityReady(const gan::QualityRecord& record);
  /// An alarm fired; the run is paused (unless it failed) until the user decides.
  void alarmRaised(const gan::Alarm& alarm);
  /// Something slow or unusual the user should see in the status bar (training the judge).
  void message(const QString& text);
  void classDigitsReady(int label, const QVector<QImage>& digits, double share);
  /// The config of the model the session now holds: a new run's, a resumed run's own (its
  /// checkpoint's, whatever the panel shows meanwhile), a loaded checkpoint's. Before its steps.
  void modelConfig(const gan::Config& config);
  /// The size of the images of the model the session now holds (with modelConfig).
  void modelImageSize(int width, int height);
  /// From step `step` + 1 on the steps run in `mode` ("uncaptured" once a CUDA graph could not be
  /// trusted); `reason` says why.
  void stepModeChanged(qint64 step, const QString& mode, const QString& reason);
  /// The inside figures of a window of steps (after the stepsReady holding its last step).
  void insideReady(const gan::InsideRecord& record);
  void modelSummaryReady(const gan::ModelSummary& summary);
  /// D's verdict on `digit`, the digit asked about.
  void verdictReady(const gan::Verdict& verdict, const gan::Image& digit);
  /// The judge's reading of `digit` (none while it is being opened, or when there is no judge).
  void judgeViewReady(const gan::JudgeView& view, const gan::Image& digit);
  void neighboursReady(const gan::NeighbourView& view, const gan::Image& digit, gan::NeighbourSpace space);
  /// An empty point when the cell could not be picked (the model changed meanwhile).
  void latentPicked(const gan::LatentPick& pick);
  void latentDigitsReady(const std::vector<gan::LatentPoint>& points, const QVector<QImage>& digits, int purpose);

 private:
  friend class TrainingWorker;
  /// Emits `signal` with `args` on the GUI thread, after whatever was told before: the worker's
  /// reports and the trainer's answers come from the training thread. The worker declares no
  /// signals of its own for the session to relay: it tells the session's.
  template <typename... Params, typename... Args>
  void tell(void (TrainingSession::*signal)(Params...), Args&&... args);
  void setTrainer(std::shared_ptr<gan::Trainer> trainer);
  std::shared_ptr<gan::Trainer> trainer() const;
  /// Puts a request to the trainer so that it runs on the training thread, never on this one:
  /// `ask` is called with kRefuse here, and again with kRunHere on the idle worker if refused.
  void askTrainer(const std::function<bool(gan::Trainer&, gan::Trainer::WhenIdle)>& ask);

  QThread thread_;
  TrainingWorker* worker_ = nullptr;
  bool active_ = false;
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex trainer_mutex_;
  double step_rate_limit_ = 0;  // guarded by trainer_mutex_
  bool summary_pending_ = false;  // a model summary was asked for and has not come (GUI thread)
  std::optional<gan::SummaryScope> summary_again_;  // asked for meanwhile: asked once the pending one comes
  QElapsedTimer summary_asked_;
  std::shared_ptr<gan::Trainer> trainer_;
};

}  // namespace gan::ui
