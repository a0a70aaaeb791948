// MainWindow's runs: a run started, resumed, forked, rolled back or opened, and the views made
// ready for it; an opened run's timeline moving the session's model along its checkpoints.
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include <filesystem>

#include "core/io/paths.h"
#include "core/model/checkpoint.h"
#include "core/run/checkpoint_files.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
#include "core/training/run_setup.h"
#include "ui/charts/metric_charts.h"
#include "ui/charts/quality_charts.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/data/data_controller.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/model_diagram.h"
#include "ui/runs/run_follower.h"
#include "ui/samples/sample_panel.h"
#include "ui/samples/sample_view.h"
#include "ui/session/training_session.h"
#include "ui/window/alarm_bar.h"
#include "ui/window/main_window.h"
#include "ui/window/status_panel.h"

namespace gan::ui {

// An opened run's timeline, once it rests, moves the session's model to that step's checkpoint.
void MainWindow::connectTimeline() {
  timeline_settle_ = new QTimer(this);
  timeline_settle_->setSingleShot(true);
  timeline_settle_->setInterval(300);
  connect(timeline_settle_, &QTimer::timeout, this, [this] { followTimeline(timeline_step_); });
  connect(samples_, &SamplePanel::stepShown, this, [this](qint64 step) {
    timeline_step_ = step;
    timeline_settle_->start();
  });
}

void MainWindow::chooseRun() {
  const QString folder = QFileDialog::getExistingDirectory(
      this, tr("Open run"), QString::fromStdString(gan::default_runs_folder().string()));
  if (!folder.isEmpty()) openRun(folder);
}

bool MainWindow::openRun(const QString& folder) {
  if (session_->isActive()) {
    showError(tr("Stop the current run before opening another"));
    return false;
  }
  try {
    model_diagram_->clear();
    follower_->open(folder);
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return false;
  }
  showError({});
  run_folder_ = folder;
  pending_fork_.clear();
  panel_->setConfig(follower_->config());
  run_config_ = follower_->config();
  samples_->view()->setColumns(static_cast<int>(run_config_.sampling.grid));
  panel_->showPreset(follower_->preset());
  // A model from the newest checkpoint, so that digits and interpolations can be exported.
  const auto checkpoints = gan::list_checkpoints(folder.toStdString());
  model_checkpoint_.clear();
  if (!checkpoints.empty()) {
    model_checkpoint_ = QString::fromStdString(checkpoints.back().string());
    session_->loadModel(model_checkpoint_);
  }
  setWindowTitle(tr("GAN Studio — %1").arg(QFileInfo(folder).fileName()));
  updateActions();
  return true;
}

bool MainWindow::prepareFork(const QString& folder, const QString& checkpoint) {
  if (!openRun(folder)) return false;
  pending_fork_ = checkpoint;
  const QString step = QString::number(gan::checkpoint_step(checkpoint.toStdString()));
  statusBar()->showMessage(tr("Set the new run's hyperparameters in the panel, then Training ▸ Fork from checkpoint "
                              "starts it from step %1 of %2").arg(step, QFileInfo(folder).fileName()));
  show();
  raise();
  return true;
}

void MainWindow::startTraining() {
  if (session_->isActive() || !panel_->isValid()) return;
  if (!data_->ensureDataset()) return;
  const gan::Config& config = panel_->config();
  prepareNewRun(panel_->presetName());
  QSettings().setValue("config/last", QString::fromStdString(gan::to_yaml(config)));
  session_->start(config, run_folder_, max_steps_, panel_->presetName());
  updateActions();
}

void MainWindow::prepareNewRun(const QString& label) {
  const gan::Config& config = panel_->config();
  follower_->stop();
  run_folder_ = QString::fromStdString(gan::new_run_folder(gan::default_runs_folder(), label.toStdString()).string());
  run_config_ = config;
  applied_ = gan::LiveHyperparameters{config.optimizer.generator, config.optimizer.discriminator, config.train.d_steps};
  charts_->clear();
  quality_->clear();
  samples_->clear();
  inside_->clear();
  samples_->setRunFolder(run_folder_);
  enterRun();
}

void MainWindow::enterRun() {
  model_checkpoint_.clear();  // the run's own model from now on
  showError({});
  model_diagram_->clear();
  alarm_bar_->hide();
  follower_->stop();
  status_->reset();
  status_->setState(tr("loading data"));
  panel_->setRunActive(true);
  charts_->setLoss(run_config_.model.loss);  // a resumed run's own comes with modelConfig
  paused_ = false;
}

void MainWindow::resumeRun() {
  if (session_->isActive() || run_folder_.isEmpty()) return;
  enterRun();
  session_->resumeRun(run_folder_, max_steps_);
  updateActions();
}

void MainWindow::forkFrom(const QString& checkpoint) {
  if (session_->isActive() || !panel_->isValid()) return;
  gan::CheckpointInfo info;
  try {
    info = gan::read_checkpoint_info(checkpoint.toStdString());
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return;
  }
  // The parent's history up to the checkpoint, for the charts to draw under the fork.
  const std::filesystem::path parent_run = std::filesystem::path(checkpoint.toStdString()).parent_path().parent_path();
  QVector<gan::StepRecord> parent;
  try {
    gan::RunReader reader(parent_run);
    for (const auto& record : reader.poll().steps) {
      if (record.step <= info.step) parent.push_back(record);
    }
  } catch (const std::exception&) {
    // A checkpoint outside its run folder: fork without the overlay.
  }
  prepareNewRun(QString::fromStdString(gan::fork_label(checkpoint.toStdString())));
  charts_->setParentRun(parent);
  session_->fork(checkpoint, panel_->config(), run_folder_, max_steps_);
  updateActions();
}

void MainWindow::rollBackTo(const QString& checkpoint) {
  if (checkpoint.isEmpty() || run_folder_.isEmpty()) return;
  if (session_->isActive()) {
    pending_rollback_ = checkpoint;  // once the run has stopped and written everything
    session_->stop();
    return;
  }
  enterRun();
  session_->resumeRun(run_folder_, max_steps_, checkpoint);
  statusBar()->showMessage(tr("Rolling back to %1").arg(QFileInfo(checkpoint).fileName()), 5000);
  updateActions();
}

void MainWindow::followTimeline(qint64 step) {
  if (session_->isActive() || run_folder_.isEmpty() || model_checkpoint_.isEmpty() || step < 0) return;
  // At the timeline's newest end the newest checkpoint (the final one may come after the last
  // grid); else the newest at or before the step; before the first one, the first.
  const auto all = gan::list_checkpoints(run_folder_.toStdString());
  if (all.empty()) return;
  std::filesystem::path checkpoint =
      samples_->following() ? all.back() : gan::checkpoint_before(run_folder_.toStdString(), step + 1);
  if (checkpoint.empty()) checkpoint = all.front();
  const QString path = QString::fromStdString(checkpoint.string());
  if (path == model_checkpoint_) return;
  model_checkpoint_ = path;
  session_->loadModel(path);
}

}  // namespace gan::ui
