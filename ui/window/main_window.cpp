#include "ui/window/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QDialog>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QStatusBar>
#include <QVBoxLayout>

#include "core/config/config_fields.h"
#include "core/data/dataset.h"
#include "core/data/dataset_fetch.h"
#include "core/data/image_folder.h"
#include "core/io/paths.h"
#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/run/checkpoint_files.h"
#include "core/run/run_reader.h"
#include "core/training/run_setup.h"
#include "ui/window/alarm_bar.h"
#include "ui/probe/ask_discriminator.h"
#include "ui/probe/latent_explorer.h"
#include "ui/probe/neighbour_panel.h"
#include "ui/samples/class_digits_dialog.h"
#include "ui/config/config_files.h"
#include "ui/data/dataset_dialog.h"
#include "ui/data/folder_dialog.h"
#include "ui/export/export_controller.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/model_diagram.h"
#include "ui/charts/metric_charts.h"
#include "ui/charts/quality_charts.h"
#include "ui/runs/run_follower.h"
#include "ui/runs/runs_window.h"
#include "ui/runs/sweep_dialog.h"
#include "ui/runs/sweep_launcher.h"
#include "ui/samples/sample_panel.h"
#include "ui/samples/sample_view.h"
#include "ui/window/status_panel.h"
#include "ui/session/training_session.h"

namespace gan::ui {
namespace {

// "G lr 0.001, D steps 2": each live field of the config (config_fields.h) whose value changed.
QString describeChange(const gan::LiveHyperparameters& before, const gan::LiveHyperparameters& after) {
  auto config_with = [](const gan::LiveHyperparameters& live) {
    gan::Config config;
    config.optimizer.generator = live.generator;
    config.optimizer.discriminator = live.discriminator;
    config.train.d_steps = live.d_steps;
    return config;
  };
  const gan::Config old_values = config_with(before);
  const gan::Config new_values = config_with(after);
  QStringList parts;
  for (const gan::ConfigField& field : gan::config_fields()) {
    if (field.live == gan::Live::kYes && field.text(old_values) != field.text(new_values)) {
      parts << QString::fromStdString(field.label + " " + field.text(new_values));
    }
  }
  return parts.join(", ");
}

}  // namespace

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

// A click on a digit, the timeline, and the probes' requests, to the session.
void MainWindow::connectProbes() {
  connect(samples_->view(), &SampleView::digitClicked, this, &MainWindow::pickDigit);
  timeline_settle_ = new QTimer(this);
  timeline_settle_->setSingleShot(true);
  timeline_settle_->setInterval(300);
  connect(timeline_settle_, &QTimer::timeout, this, [this] { followTimeline(timeline_step_); });
  connect(samples_, &SamplePanel::stepShown, this, [this](qint64 step) {
    timeline_step_ = step;
    timeline_settle_->start();
  });
  connect(neighbours_, &NeighbourPanel::neighboursRequested, this,
          [this](const gan::Image& digit, gan::NeighbourSpace space) {
            if (!session_->hasModel()) {
              neighbours_->setNoModel(tr("The training set is searched with a run's judge: start or resume a run, "
                                         "or open one that has a checkpoint."));
              return;
            }
            session_->requestNeighbours(digit, space, NeighbourPanel::kNeighbours);
          });
  connect(explorer_, &LatentExplorer::pickRequested, this,
          [this](int index, int directions, gan::LatentDirections kind, quint64 seed) {
            if (!session_->hasModel()) {
              explorer_->setNoModel(tr("The explorer walks a model's latent space: start or resume a run, or open "
                                       "one that has a checkpoint."));
              return;
            }
            session_->requestLatentPick(index, directions, kind, seed);
          });
  connect(explorer_, &LatentExplorer::drawRequested, session_, &TrainingSession::requestLatentDigits);
  connect(explorer_, &LatentExplorer::exported, this, [this](const QString& path, const QString& error) {
    if (error.isEmpty()) {
      statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    } else {
      showError(tr("Could not save %1: %2").arg(path, error));
    }
  });
}

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
            if (!steps.isEmpty()) model_diagram_->setLatestStep(steps.back());
            refreshModelDiagram(/*now=*/paused_);  // a step taken by hand shows at once
            // Ask D follows the newest model, at most once a second.
            if (ask_->isVisible() && (!asked_.isValid() || asked_.elapsed() >= 1000 || paused_)) askAboutPad();
            // Labels and bars repaint at most 4 times a second, whatever the step rate.
            latest_progress_ = progress;
            if (!status_timer_->isActive()) status_timer_->start();
          });
  connect(session_, &TrainingSession::sampleReady, this,
          [this](qint64 step, const QImage& grid) { samples_->addSample(step, grid); });
  connect(session_, &TrainingSession::insideReady, inside_, &InsideView::addRecord);
  connect(session_, &TrainingSession::modelSummaryReady, model_diagram_, &ModelDiagram::setSummary);
  connect(session_, &TrainingSession::verdictReady, ask_, &AskDiscriminator::setVerdict);
  connect(session_, &TrainingSession::neighboursReady, neighbours_, &NeighbourPanel::setNeighbours);
  connect(session_, &TrainingSession::latentPicked, explorer_, &LatentExplorer::setPick);
  // Another model: the picked point was the last one's.
  connect(session_, &TrainingSession::modelConfig, explorer_,
          [this] { explorer_->setNoModel(tr("Click a digit of the sample grid to walk the latent space around it.")); });
  connect(session_, &TrainingSession::latentDigitsReady, explorer_, &LatentExplorer::setDrawn);
  connect(session_, &TrainingSession::judgeViewReady, ask_, &AskDiscriminator::setJudge);
  connect(session_, &TrainingSession::modelImageSize, ask_, &AskDiscriminator::setImageSize);
  connect(model_diagram_, &ModelDiagram::blockSelected, this, [this] { refreshModelDiagram(/*now=*/true); });
  connect(session_, &TrainingSession::resumed, this, [this](qint64 step) {
    // The run folder now ends at the checkpoint: show it as it is, then follow the training.
    follower_->reload(run_folder_);
    statusBar()->showMessage(tr("Resumed %1 from step %2").arg(run_folder_).arg(step), 5000);
  });
  connect(session_, &TrainingSession::hyperparametersApplied, this,
          [this](qint64 step, const gan::LiveHyperparameters& values) {
            const QString change = describeChange(applied_, values);
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
    refreshModelDiagram(/*now=*/true);
    askAboutPad();
    if (explorer_->gridIndex() >= 0 && explorer_->isVisible()) explorer_->pick(explorer_->gridIndex());
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

RunsWindow* MainWindow::runsWindow() {
  if (runs_window_ != nullptr) return runs_window_;
  runs_window_ = new RunsWindow(this);
  runs_window_->setWindowFlag(Qt::Window);  // a window of its own, closed with this one
  connect(runs_window_, &RunsWindow::openRunRequested, this, [this](const QString& folder) {
    if (openRun(folder)) {
      show();
      raise();
    }
  });
  connect(runs_window_, &RunsWindow::forkRequested, this, &MainWindow::prepareFork);
  return runs_window_;
}

SweepLauncher* MainWindow::sweeps() {
  if (sweeps_ == nullptr) sweeps_ = new SweepLauncher(this);
  return sweeps_;
}

void MainWindow::sweepField(const QString& key) {
  const gan::ConfigField* field = gan::find_config_field(key.toStdString());
  if (field == nullptr || !panel_->isValid()) return;
  SweepDialog dialog(*field, panel_->config(), this);
  while (dialog.exec() == QDialog::Accepted) {
    try {
      startSweepOrThrow(key, dialog.values(), dialog.maxSteps(), dialog.parallel());
      return;
    } catch (const std::exception& e) {
      dialog.showError(QString::fromUtf8(e.what()));  // the dialog stays open with the reason
    }
  }
}

QString MainWindow::startSweep(const QString& key, const QStringList& values, qint64 max_steps, int parallel) {
  try {
    return startSweepOrThrow(key, values, max_steps, parallel);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return {};
  }
}

QString MainWindow::startSweepOrThrow(const QString& key, const QStringList& values, qint64 max_steps, int parallel) {
  const QString preset = panel_->presetName().isEmpty() ? QStringLiteral("custom") : panel_->presetName();
  const QString folder = sweeps()->start(panel_->config(), preset, key, values, max_steps, parallel);
  RunsWindow* runs = runsWindow();
  runs->openFolder(folder, RunsWindow::Empty::kFollow);
  runs->followSweep(sweeps());
  runs->show();
  runs->raise();
  return folder;
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

void MainWindow::showError(const QString& message) {
  banner_->setText(message);
  banner_->setVisible(!message.isEmpty());
  if (!message.isEmpty()) statusBar()->showMessage(message, 10000);
}

QString MainWindow::errorText() const { return banner_->isHidden() ? QString() : banner_->text(); }

QString MainWindow::stateText() const { return status_->state(); }

bool MainWindow::loadConfigFile(const QString& path) { return config_files_->load(path); }

void MainWindow::chooseImageFolder(const QString& folder) {
  if (session_->isActive()) {
    showError(tr("A run is training on its dataset; stop it or start a new one before choosing another folder"));
    return;
  }
  gan::DataConfig dataset = panel_->config().data;
  if (!folder.isEmpty()) {
    dataset.path = folder.toStdString();
  } else if (dataset.dataset != "folder") {
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Folder of pictures"));
    if (chosen.isEmpty()) return;
    dataset.path = chosen.toStdString();
  }
  FolderDialog dialog(dataset, this);
  if (dialog.exec() != QDialog::Accepted) return;
  gan::Config config = panel_->config();
  config.data = dialog.dataConfig();
  panel_->setConfig(config);
  statusBar()->showMessage(tr("Training on the pictures of %1").arg(QString::fromStdString(config.data.path)), 5000);
}

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
  QTimer::singleShot(0, this, [this, folder] { chooseImageFolder(folder); });
}

bool MainWindow::ensureDataset() {
  const gan::DataConfig& dataset = panel_->config().data;
  if (dataset.dataset == "folder") {
    gan::FolderOptions options;
    options.folder = dataset.path;
    options.size = static_cast<int>(dataset.size);
    options.channels = static_cast<int>(dataset.channels);
    if (gan::image_folder_cached(options)) return true;
    FolderDialog dialog(dataset, this);
    if (dialog.exec() != QDialog::Accepted) return false;
    gan::Config config = panel_->config();
    config.data = dialog.dataConfig();
    panel_->setConfig(config);
    return true;
  }
  if (!gan::mnist_needs_fetch(dataset)) return true;
  DatasetDialog dialog(QString::fromStdString(gan::resolve_data_folder(dataset).string()),
                       QString::fromStdString(gan::mnist_source_url()), this);
  if (dialog.exec() != QDialog::Accepted) return false;
  if (!dialog.chosenFolder().isEmpty()) {
    gan::Config config = panel_->config();
    config.data.path = dialog.chosenFolder().toStdString();
    panel_->setConfig(config);
  }
  return true;
}

void MainWindow::startTraining() {
  if (session_->isActive() || !panel_->isValid()) return;
  if (!ensureDataset()) return;
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

void MainWindow::refreshModelDiagram(bool now) {
  // Measured only while someone looks at it, and at most every 2 s while a run goes on: on the
  // course-report model a summary takes 26 ms, 82 ms with its largest block's histogram (benchmarks.md).
  if (!model_diagram_->isVisible()) return;
  if (!now && model_refreshed_.isValid() && model_refreshed_.elapsed() < 2000) return;
  if (!session_->hasModel()) {
    // An opened run: its newest checkpoint brings its model (as Load checkpoint for exports does).
    if (!session_->isActive() && !run_folder_.isEmpty() && !model_diagram_->hasSummary() &&
        !gan::list_checkpoints(run_folder_.toStdString()).empty()) {
      session_->loadModel(run_folder_);
    }
    return;
  }
  model_refreshed_.start();
  // The weight histogram only of the block shown: counting every weight costs as much as a step
  // on the course-report model.
  const gan::BlockSummary* shown = model_diagram_->selectedBlock();
  session_->requestModelSummary(shown ? QString::fromStdString(shown->network) : QString(),
                                shown ? QString::fromStdString(shown->name) : QString());
}

void MainWindow::askAboutPad() {
  if (!ask_->isVisible()) return;
  if (!session_->hasModel()) {
    ask_->setNoModel(tr("D answers for a model: start or resume a run, or open one that has a checkpoint."));
    return;
  }
  asked_.start();
  session_->requestVerdict(ask_->pad()->digit());
}

void MainWindow::pickDigit(int index, const QImage& digit) {
  if (auto* dock = findChild<QDockWidget*>("pickedDock")) {
    dock->show();
    dock->raise();
  }
  neighbours_->setDigit(to_image(digit));
  explorer_->pick(index);
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
