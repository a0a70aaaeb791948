// GAN Studio's main window: the hyperparameter panel on the left, the sample grid in the middle,
// the charts and the docks on the right, the run's status at the bottom; menus and a toolbar for
// the run controls and exports. It builds and places the views and makes the controllers that wire
// them (probe, inside, data, runs); it owns a TrainingSession and only ever talks to the trainer
// through it.
#pragma once

#include <QMainWindow>
#include <QString>

#include "core/config/config.h"
#include "core/run/observer.h"
#include "ui/session/qt_types.h"

class QAction;
class QComboBox;
class QLabel;
class QTabWidget;
class QDockWidget;
class QSplitter;
class QTimer;

namespace gan::ui {

class AlarmBar;
class AskDiscriminator;
class ClassDigitsDialog;
class ConfigFiles;
class DataController;
class ExportController;
class RunFollower;
class RunsController;
class HyperparameterPanel;
class InsideView;
class LatentExplorer;
class NeighbourPanel;
class MetricCharts;
class ModelDiagram;
class QualityCharts;
class SamplePanel;
class SampleView;
class StatusPanel;
class TrainingSession;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Loads a YAML config into the panel; on failure shows why and returns false.
  bool loadConfigFile(const QString& path);
  /// Caps the next runs at `steps` steps in total (0: the config's epochs).
  void setMaxSteps(qint64 steps) { max_steps_ = steps; }

  /// Shows a run folder: its config, charts and sample history, following it while another
  /// process still writes it. On failure shows why and returns false.
  bool openRun(const QString& folder);
  /// Continues the open run (or the last one trained here) from its newest checkpoint.
  void resumeRun();
  /// Starts a new run from `checkpoint` with the panel's hyperparameters; the charts show the
  /// parent run in grey under the new one.
  void forkFrom(const QString& checkpoint);
  /// Continues the open run from `checkpoint`, an earlier one of its own (an alarm's rollback),
  /// stopping the current run first if it is still going.
  void rollBackTo(const QString& checkpoint);
  /// The runs view and the sweeps (File ▸ Runs and sweeps, the panel's "Sweep this field").
  RunsController* runs() const { return runs_; }
  /// The dataset made ready before a run; Dataset ▸ Folder of pictures.
  DataController* data() const { return data_; }
  /// Opens `folder` (a run folder) and arms Training ▸ Fork to start from `checkpoint` once the
  /// user has set the new hyperparameters in the panel.
  bool prepareFork(const QString& folder, const QString& checkpoint);
  /// The checkpoint the Fork action will start from without asking ("" when it asks).
  QString pendingFork() const { return pending_fork_; }

  /// Opens the window of generated digits the judge puts in class `label`.
  void showClassDigits(int label);


  // The run controls, as the toolbar and shortcuts trigger them.
  void startTraining();
  void togglePause();
  /// An opened run's timeline moved: its model becomes the checkpoint of that step (the newest at
  /// or before it), for Ask D, the explorer and the model diagram.
  void followTimeline(qint64 step);
  /// While paused: one step of both networks, or of `side` alone (Step D, Step G).
  void stepOnce(gan::StepSide side = gan::StepSide::kBoth);
  void stopTraining();

  /// File ▸ Export, with and without dialogs.
  ExportController* exports() const { return exports_; }

  HyperparameterPanel* panel() const { return panel_; }
  MetricCharts* charts() const { return charts_; }
  QualityCharts* qualityCharts() const { return quality_; }
  /// The inside of the networks (a dock, View ▸ Inside the networks, Ctrl+I).
  InsideView* insideView() const { return inside_; }
  ModelDiagram* modelDiagram() const { return model_diagram_; }
  QTabWidget* insideTabs() const { return inside_tabs_; }
  /// View ▸ Reset layout: the docks, columns and tabs as a new user sees them.
  void resetLayout();
  /// The views' columns, left to right: panel, samples, analysis (for tests).
  QSplitter* columns() const { return splitter_; }
  /// The charts' tabs and, below them, the docks.
  QMainWindow* analysis() const { return analysis_; }
  QAction* insideAction() const { return inside_action_; }
  /// Ask the discriminator (a dock, View ▸ Ask the discriminator, Ctrl+D).
  AskDiscriminator* askDiscriminator() const { return ask_; }
  QAction* askAction() const { return ask_action_; }
  /// A digit clicked on the sample grid (a dock, View ▸ Picked digit, Ctrl+L): its nearest
  /// training images and the latent explorer around it.
  NeighbourPanel* neighbourPanel() const { return neighbours_; }
  LatentExplorer* latentExplorer() const { return explorer_; }
  QTabWidget* pickedTabs() const { return picked_tabs_; }
  QAction* pickedAction() const { return picked_action_; }
  AlarmBar* alarmBar() const { return alarm_bar_; }
  ClassDigitsDialog* classDigitsDialog() const { return class_digits_; }
  SampleView* sampleView() const;
  SamplePanel* samplePanel() const { return samples_; }
  QAction* resumeAction() const { return resume_; }
  QAction* forkAction() const { return fork_; }
  TrainingSession* session() const { return session_; }
  QAction* startAction() const { return start_; }
  QAction* pauseAction() const { return pause_; }
  QAction* stepDiscriminatorAction() const { return step_d_; }
  QAction* stepGeneratorAction() const { return step_g_; }
  /// The toolbar's slow-motion cap (steps per second as each item's data; 0: full speed).
  QComboBox* slowMotion() const { return slow_motion_; }
  QAction* stepAction() const { return step_; }
  QAction* stopAction() const { return stop_; }
  /// The message shown in the error banner, or empty.
  QString errorText() const;
  /// The status line's state ("idle", "opened: step 25", "following: step 30, still training"...).
  QString stateText() const;
  StatusPanel* statusPanel() const { return status_; }
  QString runFolder() const { return run_folder_; }
  bool paused() const { return paused_; }

 signals:
  void runFinished(gan::RunState state, const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildActions();
  void buildLayout();  // main_window_layout.cpp
  /// A dock of the analysis column showing `content` (in a scroll area), hidden, tabbed with
  /// `tab_with` when given.
  QDockWidget* addDock(const QString& title, const QString& name, QWidget* content, QDockWidget* tab_with = nullptr);
  /// The window sized to the screen (1500 x 900 at most) and the columns' widths as at first.
  void fitToScreen();
  void restoreLayout();
  void saveLayout();
  void connectTimeline();
  void connectSession();
  void updateActions();
  void showError(const QString& message);
  /// A fresh run folder named after `label`, empty views, controls set for a run.
  void prepareNewRun(const QString& label);
  /// Status, panel and timers as a run (new, resumed or forked) starts.
  void enterRun();
  void chooseRun();
  void restoreSettings();
  void saveSettings();

  TrainingSession* session_;
  ExportController* exports_ = nullptr;
  RunFollower* follower_ = nullptr;
  ConfigFiles* config_files_ = nullptr;
  DataController* data_ = nullptr;  // the dataset made ready, a picture folder chosen
  HyperparameterPanel* panel_;
  MetricCharts* charts_;
  QualityCharts* quality_;
  InsideView* inside_ = nullptr;
  ModelDiagram* model_diagram_ = nullptr;
  AskDiscriminator* ask_ = nullptr;
  QAction* ask_action_ = nullptr;   // shows or hides its dock
  QTabWidget* inside_tabs_ = nullptr;
  QSplitter* splitter_ = nullptr;         // panel | samples | analysis
  QMainWindow* analysis_ = nullptr;       // the charts' tabs and the docks below them
  QTabWidget* analysis_tabs_ = nullptr;   // Training | Sample quality
  QByteArray default_state_;              // the layouts Reset layout returns to
  QByteArray default_analysis_state_;
  NeighbourPanel* neighbours_ = nullptr;
  LatentExplorer* explorer_ = nullptr;
  QTabWidget* picked_tabs_ = nullptr;
  QAction* picked_action_ = nullptr;  // shows or hides its dock
  QAction* inside_action_ = nullptr;  // shows or hides its dock
  SamplePanel* samples_;
  AlarmBar* alarm_bar_;
  ClassDigitsDialog* class_digits_ = nullptr;
  QString model_checkpoint_;  // an opened run: the checkpoint the session's model came from
  QTimer* timeline_settle_ = nullptr;  // loads the timeline's checkpoint once the slider rests
  qint64 timeline_step_ = -1;
  QString pending_rollback_;  // a rollback waiting for the current run to stop
  QString pending_fork_;      // the checkpoint the runs view chose to fork from
  RunsController* runs_ = nullptr;
  StatusPanel* status_;
  QLabel* banner_;
  QAction* start_ = nullptr;
  QAction* pause_ = nullptr;
  QAction* step_ = nullptr;
  QAction* step_d_ = nullptr;
  QAction* step_g_ = nullptr;
  QComboBox* slow_motion_ = nullptr;  // steps per second at most
  QAction* stop_ = nullptr;
  QAction* resume_ = nullptr;
  QAction* fork_ = nullptr;
  QTimer* status_timer_ = nullptr;
  gan::Progress latest_progress_;
  QList<QAction*> export_actions_;
  qint64 max_steps_ = 0;
  bool paused_ = false;
  QString run_folder_;
  gan::Config run_config_;  // the config of the run shown (the session's model's), not the panel's
  gan::LiveHyperparameters applied_;
};

}  // namespace gan::ui
