#include "ui/window/main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>

#include "core/io/paths.h"
#include "core/run/checkpoint_files.h"
#include "ui/charts/metric_charts.h"
#include "ui/charts/quality_charts.h"
#include "ui/config/config_files.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/config/live_change.h"
#include "ui/data/data_controller.h"
#include "ui/export/export_controller.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/model_diagram.h"
#include "ui/runs/run_follower.h"
#include "ui/samples/class_digits_dialog.h"
#include "ui/samples/sample_panel.h"
#include "ui/samples/sample_view.h"
#include "ui/session/training_session.h"
#include "ui/window/alarm_bar.h"
#include "ui/window/status_panel.h"

namespace gan::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), session_(new TrainingSession(this)) {
  setWindowTitle(tr("GAN Studio"));
  setAcceptDrops(true);  // a folder of pictures dropped on the window becomes the dataset
  buildLayout();
  config_files_ = new ConfigFiles(this, panel_);
  connect(config_files_, &ConfigFiles::loaded, this, [this](const QString& name) {
    showError({});
    setWindowTitle(tr("GAN Studio — %1").arg(name));
  });
  connect(config_files_, &ConfigFiles::saved, this, [this](const QString& text) { statusBar()->showMessage(text, 5000); });
  connect(config_files_, &ConfigFiles::failed, this, &MainWindow::showError);
  follower_ = new RunFollower({charts_, quality_, samples_, status_, inside_}, session_, this);
  connect(follower_, &RunFollower::stepsRead, model_diagram_, &ModelDiagram::setLatestStep);
  exports_ = new ExportController(
      this, session_, samples_, charts_, [this] { return run_folder_; },
      [this] { return run_config_.sampling.interval; }, [this] { return run_config_.model.conditional; });
  connect(exports_, &ExportController::saved, this, [this](const QString& text) { statusBar()->showMessage(text, 5000); });
  connect(exports_, &ExportController::failed, this, &MainWindow::showError);
  buildActions();
  connectSession();
  status_timer_ = new QTimer(this);
  status_timer_->setSingleShot(true);
  status_timer_->setInterval(250);
  connect(status_timer_, &QTimer::timeout, this, [this] { status_->setProgress(latest_progress_); });
  panel_->setPresetFolder(QString::fromStdString(gan::presets_folder().string()));
  restoreSettings();
  updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::connectSession() {
  connect(session_, &TrainingSession::started, this, [this](const gan::RunInfo& info) {
    status_->setRunInfo(info);
    status_->setState(tr("running"));
    statusBar()->showMessage(tr("%1 · G %2 parameters · D %3 parameters · run folder %4")
                                 .arg(QString::fromStdString(info.dataset))
                                 .arg(info.generator_parameters)
                                 .arg(info.discriminator_parameters)
                                 .arg(run_folder_));
    updateActions();
  });
  connect(session_, &TrainingSession::stepsReady, this,
          [this](const QVector<gan::StepRecord>& steps, const gan::Progress& progress) {
            charts_->addSteps(steps);
            // Labels and bars repaint at most 4 times a second, whatever the step rate.
            latest_progress_ = progress;
            if (!status_timer_->isActive()) status_timer_->start();
          });
  connect(session_, &TrainingSession::sampleReady, this,
          [this](qint64 step, const QImage& grid) { samples_->addSample(step, grid); });
  connect(session_, &TrainingSession::resumed, this, [this](qint64 step) {
    // The run folder now ends at the checkpoint: show it as it is, then follow the training.
    follower_->reload(run_folder_);
    statusBar()->showMessage(tr("Resumed %1 from step %2").arg(run_folder_).arg(step), 5000);
  });
  connect(session_, &TrainingSession::hyperparametersApplied, this,
          [this](qint64 step, const gan::LiveHyperparameters& values) {
            const QString change = describeLiveChange(applied_, values);
            applied_ = values;
            charts_->addMarker(step, change);
            statusBar()->showMessage(tr("From step %1: %2").arg(step + 1).arg(change), 5000);
          });
  connect(session_, &TrainingSession::stateChanged, this, [this](gan::RunState state, const QString& message) {
    paused_ = state == gan::RunState::kPaused;
    status_->setState(QString::fromLatin1(gan::to_string(state)));
    if (state == gan::RunState::kFailed) showError(message);
    updateActions();
  });
  connect(session_, &TrainingSession::judgeTraining, quality_, &QualityCharts::setJudgeTraining);
  connect(session_, &TrainingSession::judgeUnavailable, quality_, &QualityCharts::setJudgeUnavailable);
  connect(session_, &TrainingSession::judgeReady, this, [this](const gan::JudgeReference& reference) {
    quality_->setReference(reference);
    const gan::AlarmConfig& alarms = run_config_.alarms;
    quality_->setCollapseLimits(alarms.collapse_low, alarms.collapse_high, alarms.confidence_low);
  });
  connect(session_, &TrainingSession::qualityReady, this,
          [this](const gan::QualityRecord& record) { quality_->addRecord(record); });
  connect(session_, &TrainingSession::alarmRaised, this, [this](const gan::Alarm& alarm) {
    alarm_bar_->showAlarm(alarm, alarm.kind != gan::Alarm::Kind::kNonFinite);
    statusBar()->showMessage(tr("Alarm at step %1: %2").arg(alarm.step).arg(gan::to_string(alarm.kind)), 10000);
  });
  connect(session_, &TrainingSession::message, this, [this](const QString& text) { statusBar()->showMessage(text, 15000); });
  // The run's own config, not the panel's: a resume or rollback trains with its checkpoint's, and
  // edits made in the panel before it must not relabel the charts or move the collapse limits.
  connect(session_, &TrainingSession::modelConfig, this, [this](const gan::Config& config) {
    run_config_ = config;
    samples_->view()->setColumns(static_cast<int>(config.sampling.grid));
    if (session_->isActive()) charts_->setLoss(config.model.loss);
  });
  connect(session_, &TrainingSession::stepModeChanged, this, [this](qint64 step, const QString& mode, const QString& reason) {
    status_->setStepMode(mode);
    statusBar()->showMessage(tr("From step %1 the steps run %2: %3").arg(step + 1).arg(mode, reason));
  });
  connect(session_, &TrainingSession::classDigitsReady, this,
          [this](int label, const QVector<QImage>& digits, double share) {
            if (!class_digits_) class_digits_ = new ClassDigitsDialog(this);
            class_digits_->showDigits(label, digits, share, run_config_.model.conditional);
          });
  connect(session_, &TrainingSession::finished, this, [this](gan::RunState state, const QString& message) {
    if (status_timer_->isActive()) {
      status_timer_->stop();
      status_->setProgress(latest_progress_);
    }
    status_->runEnded();  // no estimate of a run that no longer runs
    paused_ = false;
    panel_->setRunActive(false);
    status_->setState(QString::fromLatin1(gan::to_string(state)));
    if (state == gan::RunState::kFailed) {
      showError(message);
    } else {
      statusBar()->showMessage(tr("Run %1; everything is in %2").arg(gan::to_string(state), run_folder_));
    }
    updateActions();
    emit runFinished(state, message);
    if (!pending_rollback_.isEmpty()) {
      const QString checkpoint = pending_rollback_;
      pending_rollback_.clear();
      rollBackTo(checkpoint);
    }
  });
  connect(session_, &TrainingSession::modelLoaded, this, [this](qint64 step) {
    statusBar()->showMessage(tr("Model of step %1 loaded: digits and interpolations export from it").arg(step), 5000);
  });
  connect(session_, &TrainingSession::modelLoadFailed, this, &MainWindow::showError);
}

void MainWindow::updateActions() {
  const bool active = session_->isActive();
  start_->setEnabled(!active && panel_->isValid());
  start_->setToolTip(panel_->isValid() ? tr("Start a new run (F5)") : tr("Fix first: %1").arg(panel_->errorText()));
  pause_->setEnabled(active && session_->hasModel());
  pause_->setText(paused_ ? tr("&Resume") : tr("&Pause"));
  step_->setEnabled(active && paused_);
  step_d_->setEnabled(active && paused_);
  step_g_->setEnabled(active && paused_);
  stop_->setEnabled(active);
  const bool checkpoints = !run_folder_.isEmpty() && !gan::list_checkpoints(run_folder_.toStdString()).empty();
  resume_->setEnabled(!active && checkpoints);
  fork_->setEnabled(!active && checkpoints && panel_->isValid());
  for (QAction* action : export_actions_) action->setEnabled(true);
}

SampleView* MainWindow::sampleView() const { return samples_->view(); }

void MainWindow::showError(const QString& message) {
  banner_->setText(message);
  banner_->setVisible(!message.isEmpty());
  if (!message.isEmpty()) statusBar()->showMessage(message, 10000);
}

QString MainWindow::errorText() const { return banner_->isHidden() ? QString() : banner_->text(); }

QString MainWindow::stateText() const { return status_->state(); }

bool MainWindow::loadConfigFile(const QString& path) { return config_files_->load(path); }

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() == 1 && urls.front().isLocalFile() && QFileInfo(urls.front().toLocalFile()).isDir()) {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() != 1 || !urls.front().isLocalFile()) return;
  event->acceptProposedAction();
  const QString folder = urls.front().toLocalFile();
  // After the drop has returned: a modal dialog inside the drop would hold the drag source.
  QTimer::singleShot(0, this, [this, folder] { data_->chooseImageFolder(folder); });
}

void MainWindow::showClassDigits(int label) {
  if (!session_->hasModel()) {
    statusBar()->showMessage(tr("Digits of a class need a generator: start a run or open one with checkpoints"), 5000);
    return;
  }
  session_->requestClassDigits(label, 64);
}

void MainWindow::togglePause() {
  if (!session_->isActive()) return;
  if (paused_) {
    session_->resume();
  } else {
    session_->pause();
  }
}

void MainWindow::stepOnce(gan::StepSide side) {
  if (paused_) session_->stepOnce(side);
}

void MainWindow::stopTraining() { session_->stop(); }

void MainWindow::restoreSettings() {
  restoreLayout();
  config_files_->restoreLast();
}

void MainWindow::saveSettings() {
  saveLayout();
  config_files_->rememberLast();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSettings();
  // The session's destructor waits for the current step to finish; the run folder stays complete.
  session_->stop();
  event->accept();
}

}  // namespace gan::ui
