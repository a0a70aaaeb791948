#include "ui/runs/runs_controller.h"

#include <QDialog>
#include <QWidget>

#include "core/config/config_fields.h"
#include "core/io/paths.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/runs/runs_model.h"
#include "ui/runs/runs_window.h"
#include "ui/runs/sweep_dialog.h"
#include "ui/runs/sweep_launcher.h"

namespace gan::ui {

RunsController::RunsController(HyperparameterPanel* panel, Window window)
    : QObject(window.widget), panel_(panel), window_(std::move(window)) {
  connect(panel_, &HyperparameterPanel::sweepRequested, this, &RunsController::sweepField);
}

RunsWindow* RunsController::runsWindow() {
  if (runs_window_ != nullptr) return runs_window_;
  runs_window_ = new RunsWindow(window_.widget);
  runs_window_->setWindowFlag(Qt::Window);  // a window of its own, closed with the main one
  connect(runs_window_, &RunsWindow::openRunRequested, this, [this](const QString& folder) {
    if (window_.open_run(folder)) {
      window_.widget->show();
      window_.widget->raise();
    }
  });
  connect(runs_window_, &RunsWindow::forkRequested, this,
          [this](const QString& folder, const QString& checkpoint) { window_.prepare_fork(folder, checkpoint); });
  return runs_window_;
}

void RunsController::showRuns() {
  RunsWindow* runs = runsWindow();
  // With no runs yet the window still opens (its status bar says why it is empty), to pick a
  // folder: a sweep's, a cluster's.
  if (runs->model()->rowCount() == 0) runs->openFolder(QString::fromStdString(gan::default_runs_folder().string()));
  runs->show();
  runs->raise();
}

SweepLauncher* RunsController::sweeps() {
  if (sweeps_ == nullptr) sweeps_ = new SweepLauncher(this);
  return sweeps_;
}

void RunsController::sweepField(const QString& key) {
  const gan::ConfigField* field = gan::find_config_field(key.toStdString());
  if (field == nullptr || !panel_->isValid()) return;
  SweepDialog dialog(*field, panel_->config(), window_.widget);
  while (dialog.exec() == QDialog::Accepted) {
    try {
      startSweepOrThrow(key, dialog.values(), dialog.maxSteps(), dialog.parallel());
      return;
    } catch (const std::exception& e) {
      dialog.showError(QString::fromUtf8(e.what()));  // the dialog stays open with the reason
    }
  }
}

QString RunsController::startSweep(const QString& key, const QStringList& values, qint64 max_steps, int parallel) {
  try {
    return startSweepOrThrow(key, values, max_steps, parallel);
  } catch (const std::exception& e) {
    window_.fail(QString::fromUtf8(e.what()));
    return {};
  }
}

QString RunsController::startSweepOrThrow(const QString& key, const QStringList& values, qint64 max_steps,
                                          int parallel) {
  const QString preset = panel_->presetName().isEmpty() ? QStringLiteral("custom") : panel_->presetName();
  const QString folder = sweeps()->start(panel_->config(), preset, key, values, max_steps, parallel);
  RunsWindow* runs = runsWindow();
  runs->openFolder(folder, RunsWindow::Empty::kFollow);
  runs->followSweep(sweeps());
  runs->show();
  runs->raise();
  return folder;
}

}  // namespace gan::ui
