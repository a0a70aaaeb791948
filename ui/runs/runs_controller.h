// The runs view's and the sweeps' wiring: the runs window made on first use, its "open" and "fork"
// sent back to the main window, and gan-sweep started over a field of the panel's config with its
// folder followed in the runs window.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace gan::ui {

class HyperparameterPanel;
class RunsWindow;
class SweepLauncher;

class RunsController : public QObject {
  Q_OBJECT

 public:
  struct Window {
    QWidget* widget;                                                // the main window
    std::function<bool(const QString&)> open_run;                   // opens a run folder
    std::function<bool(const QString&, const QString&)> prepare_fork;  // a run folder, its checkpoint
    std::function<void(const QString&)> fail;                       // shows an error
  };
  RunsController(HyperparameterPanel* panel, Window window);

  /// The runs view (created on first use): lists and compares run folders; its "open" and "fork"
  /// come back to the main window.
  RunsWindow* runsWindow();
  /// File ▸ Runs and sweeps: the runs view, showing the runs folder when it lists nothing yet.
  void showRuns();
  SweepLauncher* sweeps();
  /// "Sweep this field": asks for the values (SweepDialog), then startSweep().
  void sweepField(const QString& key);
  /// Runs gan-sweep over `key`'s `values` on the panel's config in the background and shows its
  /// folder in the runs view. Returns the folder; on bad values shows why and returns "".
  QString startSweep(const QString& key, const QStringList& values, qint64 max_steps, int parallel = 1);

 private:
  QString startSweepOrThrow(const QString& key, const QStringList& values, qint64 max_steps, int parallel);

  HyperparameterPanel* panel_;
  Window window_;
  RunsWindow* runs_window_ = nullptr;
  SweepLauncher* sweeps_ = nullptr;
};

}  // namespace gan::ui
