// The inside views' wiring: the trainer's windows of verdicts and gradients into InsideView, and
// the model diagram's figures, asked for only while it is seen (at most every 2 s while a run goes
// on: on the course-report model a summary costs 26 ms of the training thread, 82 ms with its
// largest block's weight histogram; benchmarks.md).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

class QDockWidget;
class QTabWidget;

namespace gan::ui {

class InsideView;
class ModelDiagram;
class TrainingSession;

class InsideController : public QObject {
  Q_OBJECT

 public:
  struct Views {
    InsideView* inside;
    ModelDiagram* diagram;
    QTabWidget* tabs;   // the two, as the dock shows them
    QDockWidget* dock;
  };
  /// `run_folder` names the run shown (empty: none), whose newest checkpoint brings a model for the
  /// diagram when the session has none.
  InsideController(TrainingSession* session, const Views& views, std::function<QString()> run_folder, QObject* parent);

  /// Asks for the model diagram's figures when it is visible: `now`, or at most every 2 s.
  void refreshModelDiagram(bool now);

 private:
  TrainingSession* session_;
  Views views_;
  std::function<QString()> run_folder_;
  QElapsedTimer refreshed_;  // when the diagram's figures were last asked for
  bool paused_ = false;      // a paused run's hand steps show at once
};

}  // namespace gan::ui
