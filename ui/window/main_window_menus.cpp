// MainWindow's menus and toolbar (the rest of the window is main_window.cpp): what each action
// calls, its shortcut and tooltip.
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>

#include "core/io/paths.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
#include "ui/config/config_files.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/data/data_controller.h"
#include "ui/export/export_controller.h"
#include "ui/runs/runs_controller.h"
#include "ui/runs/runs_model.h"
#include "ui/runs/runs_window.h"
#include "ui/session/training_session.h"
#include "ui/window/main_window.h"

namespace gan::ui {

void MainWindow::buildActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open config…"), QKeySequence::Open, config_files_, &ConfigFiles::open);
  file->addAction(tr("&Save config as…"), QKeySequence::Save, config_files_, &ConfigFiles::saveAs);
  file->addAction(tr("Open &run…"), QKeySequence(tr("Ctrl+Shift+O")), this, &MainWindow::chooseRun);
  file->addAction(tr("Runs and &sweeps…"), QKeySequence(tr("Ctrl+Shift+R")), runs_, &RunsController::showRuns);
  QMenu* recent = file->addMenu(tr("Recent r&uns"));
  connect(recent, &QMenu::aboutToShow, this, [this, recent] {
    recent->clear();
    for (const auto& run : gan::recent_runs(gan::default_runs_folder(), 10)) {
      QString label = QString::fromStdString(run.filename().string());
      try {
        const gan::RunManifest manifest = gan::read_manifest(run);
        label += tr("  —  %1, step %2").arg(QString::fromStdString(manifest.status)).arg(manifest.step);
      } catch (const std::exception&) {
      }
      const QString folder = QString::fromStdString(run.string());
      recent->addAction(label, this, [this, folder] { openRun(folder); });
    }
    if (recent->isEmpty()) recent->addAction(tr("(no runs yet)"))->setEnabled(false);
  });
  file->addSeparator();
  export_actions_ << file->addAction(tr("Export sample &grid…"), QKeySequence(tr("Ctrl+E")), exports_, &ExportController::exportGrid);
  export_actions_ << file->addAction(tr("Export &digits…"), QKeySequence(tr("Ctrl+Shift+E")), exports_, &ExportController::exportDigits);
  export_actions_ << file->addAction(tr("Export &charts…"), exports_, &ExportController::exportCharts);
  export_actions_ << file->addAction(tr("Export &metrics (CSV)…"), exports_, &ExportController::exportMetrics);
  file->addAction(tr("Export e&volution (animated GIF)…"), exports_, [this] { exports_->exportEvolution(true); });
  file->addAction(tr("Export evolution as contact s&heet (PNG)…"), exports_, [this] { exports_->exportEvolution(false); });
  file->addAction(tr("Export latent &interpolation…"), exports_, &ExportController::exportInterpolation);
  file->addAction(tr("Export ge&nerator…"), exports_, &ExportController::exportGenerator)
      ->setToolTip(tr("The generator for PyTorch, ONNX or a web page that draws in the browser"));
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* dataset = menuBar()->addMenu(tr("&Dataset"));
  auto use_dataset = [this](const char* name) {
    if (session_->isActive()) return;
    gan::Config config = panel_->config();
    config.data = gan::DataConfig{};
    config.data.dataset = name;
    panel_->setConfig(config);
  };
  dataset->addAction(tr("&MNIST digits"), this, [use_dataset] { use_dataset("mnist"); });
  dataset->addAction(tr("&Fashion-MNIST"), this, [use_dataset] { use_dataset("fashion-mnist"); });
  dataset->addAction(tr("F&older of pictures…"), QKeySequence(tr("Ctrl+Shift+D")), this, [this] { data_->chooseImageFolder(); })
      ->setToolTip(tr("Train on your own PNG and JPEG pictures (or drop a folder on the window)"));

  QMenu* training = menuBar()->addMenu(tr("&Training"));
  start_ = training->addAction(tr("&Start"), QKeySequence(Qt::Key_F5), this, &MainWindow::startTraining);
  pause_ = training->addAction(tr("&Pause"), QKeySequence(Qt::Key_F6), this, &MainWindow::togglePause);
  step_ = training->addAction(tr("S&tep"), QKeySequence(Qt::Key_F10), this, [this] { stepOnce(); });
  step_d_ = training->addAction(tr("Step &D"), QKeySequence(Qt::Key_F11), this,
                                [this] { stepOnce(gan::StepSide::kDiscriminator); });
  step_g_ = training->addAction(tr("Step &G"), QKeySequence(Qt::Key_F12), this,
                                [this] { stepOnce(gan::StepSide::kGenerator); });
  stop_ = training->addAction(tr("St&op"), QKeySequence(Qt::SHIFT | Qt::Key_F5), this, &MainWindow::stopTraining);
  training->addSeparator();
  resume_ = training->addAction(tr("&Resume run from checkpoint"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::resumeRun);
  resume_->setToolTip(tr("Continue the open run from its newest checkpoint (Ctrl+R)"));
  fork_ = training->addAction(tr("&Fork from checkpoint…"), this, [this] {
    if (!pending_fork_.isEmpty()) {  // chosen in the runs view
      const QString checkpoint = pending_fork_;
      pending_fork_.clear();
      forkFrom(checkpoint);
      return;
    }
    const QString checkpoint = QFileDialog::getOpenFileName(this, tr("Fork from checkpoint"),
                                                            QDir(run_folder_).filePath("checkpoints"),
                                                            tr("Checkpoints (*.pt)"));
    if (!checkpoint.isEmpty()) forkFrom(checkpoint);
  });
  fork_->setToolTip(tr("A new run from a checkpoint, with the learning rates, betas and d_steps set in the panel"));
  training->addAction(tr("&Load checkpoint for exports…"), this, [this] {
    if (session_->isActive()) {
      showError(tr("Stop the current run before loading another model"));
      return;
    }
    const QString checkpoint = QFileDialog::getOpenFileName(
        this, tr("Load checkpoint"),
        run_folder_.isEmpty() ? QString::fromStdString(gan::default_runs_folder().string()) : QDir(run_folder_).filePath("checkpoints"),
        tr("Checkpoints (*.pt)"));
    if (!checkpoint.isEmpty()) session_->loadModel(checkpoint);
  });
  start_->setToolTip(tr("Start a new run (F5)"));
  pause_->setToolTip(tr("Pause or resume (F6)"));
  step_->setToolTip(tr("One training step of both networks while paused (F10)"));
  step_d_->setToolTip(tr("One step of the discriminator alone while paused: G stands still (F11)"));
  step_g_->setToolTip(tr("One step of the generator alone while paused: D stands still (F12)"));
  stop_->setToolTip(tr("Stop after the current step; everything so far stays (Shift+F5)"));

  QToolBar* toolbar = addToolBar(tr("Run"));
  toolbar->setObjectName("runToolbar");
  toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
  toolbar->addActions({start_, pause_, step_, step_d_, step_g_, stop_, resume_});
  // Slow motion: a cap on steps per second, to watch the views change step by step.
  slow_motion_ = new QComboBox(toolbar);
  slow_motion_->setObjectName("slowMotion");
  slow_motion_->setToolTip(tr("Slow motion: at most this many steps a second (waiting is not counted as training time)"));
  for (const auto& [text, rate] : {std::pair{tr("Full speed"), 0.0}, std::pair{tr("10 steps/s"), 10.0},
                                   std::pair{tr("2 steps/s"), 2.0}, std::pair{tr("1 step/s"), 1.0},
                                   std::pair{tr("1 step / 3 s"), 1.0 / 3.0}}) {
    slow_motion_->addItem(text, rate);
  }
  connect(slow_motion_, &QComboBox::currentIndexChanged, this,
          [this] { session_->setStepRateLimit(slow_motion_->currentData().toDouble()); });
  toolbar->addWidget(slow_motion_);
  toolbar->addSeparator();
  toolbar->addActions(export_actions_);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(inside_action_);
  view->addAction(ask_action_);
  view->addAction(picked_action_);
  view->addSeparator();
  view->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout)
      ->setToolTip(tr("The docks, columns and tabs as at first (the layout is otherwise kept between sessions)"));
  toolbar->addSeparator();
  toolbar->addAction(inside_action_);
  toolbar->addAction(ask_action_);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About GAN Studio"), this, [this] {
    QMessageBox::about(this, tr("About GAN Studio"),
                       tr("<b>GAN Studio</b><p>Train a GAN on MNIST and watch it learn.</p>"
                          "<p>At D's optimum D*(x) = p<sub>data</sub>/(p<sub>data</sub>+p<sub>g</sub>); when G matches the "
                          "data, D(x) = D(G(z)) = 0.5 and V(D,G) = −log 4, so V + log 4 = 2·JSD(p<sub>data</sub>‖p<sub>g</sub>) "
                          "tells how far G is.</p>"));
  });

  connect(panel_, &HyperparameterPanel::validityChanged, this, &MainWindow::updateActions);
  connect(panel_, &HyperparameterPanel::presetLoadFailed, this, &MainWindow::showError);
  connect(panel_, &HyperparameterPanel::liveHyperparametersChanged, this,
          [this](const gan::LiveHyperparameters& values) { session_->setHyperparameters(values); });
}

}  // namespace gan::ui
