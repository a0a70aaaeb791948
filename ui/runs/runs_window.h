// The runs view: every run folder in a folder (the runs folder, a sweep's folder, a cluster's
// output) as a table — name, preset, the hyperparameters that differ, status, steps, speed, IS and
// FID —, sortable, filterable, ranked by IS or FID at one step count. Select runs to compare them:
// their curves overlaid, their sample grids side by side under one timeline, and a scatter of a
// hyperparameter against the score. Rename, move to the trash, open one in the studio, or fork one
// from a checkpoint. Runs that another process still writes are followed (polled every 2 s).
#pragma once

#include <QMainWindow>
#include <QString>
#include <QStringList>
#include <QVector>

#include <map>
#include <memory>

#include "core/run/observer.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTabWidget;
class QTimer;

namespace gan {
class InsideReader;
class RunReader;
}  // namespace gan

namespace gan::ui {

class CompareCharts;
class CompareSamples;
class RunsModel;
class ScoreScatter;
class SweepLauncher;

class RunsWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit RunsWindow(QWidget* parent = nullptr);
  ~RunsWindow() override;

  /// Lists the run folders inside `folder` and compares the first ones. False (with errorText())
  /// when it holds none, unless `empty` says to follow it anyway (a sweep that has just begun).
  enum class Empty { kRefuse, kFollow };
  bool openFolder(const QString& folder, Empty empty = Empty::kRefuse);
  /// Shows a running sweep's progress in the status bar, with an action to stop it.
  void followSweep(SweepLauncher* sweep);
  /// Lists exactly these run folders and compares them all. False when one is not a run folder.
  bool openRuns(const QStringList& folders);
  /// Re-reads the listed runs (and, for a folder, the runs that appeared in it).
  void refresh();

  /// Compares the runs in these rows of the model (selects them in the table).
  void compareRows(const QList<int>& rows);
  /// The folders being compared, in their colours' order.
  QStringList comparedFolders() const { return compared_; }

  /// Renames a run's folder (in place); refused for a run still being written. False with errorText().
  bool renameRun(const QString& folder, const QString& new_name);
  /// Moves run folders to the desktop's trash (no question asked: the action asks first).
  bool trashRuns(const QStringList& folders);

  /// Ranks by IS (higher first) or FID (lower first) at `step` (0: each run's latest score).
  enum class Rank { kInceptionScore, kFid };
  void rankBy(Rank rank, qint64 step);

  QString errorText() const { return error_; }
  RunsModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  QTableView* table() const { return table_; }
  CompareCharts* charts() const { return charts_; }
  CompareSamples* samples() const { return samples_; }
  ScoreScatter* scatter() const { return scatter_; }
  /// The folder shown ("" when a list of runs is).
  QString folder() const { return folder_; }

 signals:
  /// "Open in studio": the main window shows this run.
  void openRunRequested(const QString& folder);
  /// "Fork from checkpoint…": the main window opens the run and forks `checkpoint` with the
  /// settings the user then picks.
  void forkRequested(const QString& folder, const QString& checkpoint);
  /// The window was closed.
  void closed();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();
  void load(const QStringList& folders);
  /// The runs to list now: the folder's run folders, or the given list.
  QStringList currentRuns() const;
  void reload();
  void selectionChanged();
  /// The compared runs' curves and grids (reading only runs that wrote since), then the scatter.
  void updateComparison();
  /// The scatter of a key against the ranking score, from the summaries.
  void updateScatter();
  /// A run's rows and scores, read when its files changed since the last read.
  // A compared run's rows, and the readers that remember where they stopped: a live run's next
  // stamp reads only what was appended since.
  struct History {
    QString stamp;
    QVector<gan::StepRecord> steps;
    QVector<gan::QualityRecord> scores;
    std::vector<gan::InsideRecord> inside;
    std::shared_ptr<gan::RunReader> metrics;
    std::shared_ptr<gan::InsideReader> windows;
  };
  const History& history(const QString& folder);
  QStringList selectedFolders() const;
  void askRename();
  void askTrash();
  void askFork();
  /// Records and shows `message`; returns false, for `return setError(...)`.
  bool setError(const QString& message);

  QString folder_;
  QStringList listed_;  // when showing a list of runs rather than a folder
  QStringList compared_;
  std::map<QString, QString> stamps_;  // each run's files as last read (write_stamp): what changed since
  std::map<QString, History> histories_;  // the compared runs' rows, as of their stamp
  QString error_;

  RunsModel* model_ = nullptr;
  QSortFilterProxyModel* proxy_ = nullptr;
  QTableView* table_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QComboBox* rank_by_ = nullptr;
  QSpinBox* rank_step_ = nullptr;
  QComboBox* axis_ = nullptr;
  QLabel* folder_label_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  CompareCharts* charts_ = nullptr;
  CompareSamples* samples_ = nullptr;
  ScoreScatter* scatter_ = nullptr;
  QTimer* poll_ = nullptr;
  QAction* stop_sweep_ = nullptr;
  SweepLauncher* sweep_ = nullptr;
};

}  // namespace gan::ui
