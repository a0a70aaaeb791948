// Shows a run folder in the window's views and follows it while another process (gan-train, a
// cluster job) still writes it. It polls the folder once a second rather than watching it: NFS and
// other network file systems send no change notices. While this window trains a run itself, the
// rows come from the trainer instead and polling pauses.
#pragma once

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/run/observer.h"

class QTimer;

namespace gan {
class RunReader;
}

namespace gan::ui {

class InsideView;
class MetricCharts;
class QualityCharts;
class SamplePanel;
class StatusPanel;
class TrainingSession;

class RunFollower : public QObject {
  Q_OBJECT

 public:
  /// The views it fills; all outlive the follower.
  struct Views {
    MetricCharts* charts;
    QualityCharts* quality;
    SamplePanel* samples;
    StatusPanel* status;
    InsideView* inside;
  };
  RunFollower(Views views, TrainingSession* session, QObject* parent);
  ~RunFollower() override;

  /// Opens `folder`, shows what it holds and follows it. Throws (naming the folder) when it is
  /// not a run folder; the views are then untouched.
  void open(const QString& folder);
  /// Reads `folder` anew into the views without following it (this window trains it: a resume
  /// has just cut it back to its checkpoint).
  void reload(const QString& folder);
  /// Stops following (a run starts here).
  void stop();
  /// The open run's config and manifest preset ("" for runs from before manifests).
  gan::Config config() const;
  QString preset() const;

 signals:
  /// Rows were read from the run folder; `latest` is the newest (the model diagram's verdicts).
  void stepsRead(const gan::StepRecord& latest);

 private:
  void poll();
  /// New windows of the inside figures, when verdicts.csv has grown since.
  void pollInside();
  /// The status line for a run another process writes: state, device, progress, speed.
  void showProgress(const std::vector<gan::StepRecord>& rows);

  Views views_;
  TrainingSession* session_;
  QTimer* timer_;
  QString folder_;
  std::unique_ptr<gan::RunReader> reader_;
  std::uintmax_t inside_bytes_ = 0;  ///< the size of verdicts.csv when last read
  bool live_ = false;  ///< past the first read of the opened run: new rows come from a live writer
};

}  // namespace gan::ui
