// Shows a run folder in the window's views and follows it while another process (gan-train, a
// cluster job) still writes it. It polls the folder once a second rather than watching it: NFS and
// other network file systems send no change notices. Each poll reads only the rows appended since
// the last one, on a thread of its own (a network file system may take its time to answer), and
// the GUI thread only draws what it read. While this window trains a run itself, the rows come
// from the trainer instead and polling pauses.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/run/observer.h"

class QTimer;

namespace gan {
struct RunManifest;
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
  struct Source;  // the open run's readers: used by one thread at a time
  struct Read;    // what one poll read
  static Read readFrom(Source& source);
  void poll();
  void apply(const Read& read);
  /// The status line for a run another process writes: state, device, progress, speed.
  void showProgress(const std::vector<gan::StepRecord>& rows, const gan::RunManifest& manifest);

  Views views_;
  TrainingSession* session_;
  QTimer* timer_;
  QString folder_;
  std::shared_ptr<Source> source_;
  QThread reading_;                  ///< where polls read the folder
  QObject* reading_context_ = nullptr;  ///< lives on reading_: polls are posted to it
  bool poll_pending_ = false;  ///< a poll is being read: the next one waits for it
  bool live_ = false;  ///< past the first read of the opened run: new rows come from a live writer
};

}  // namespace gan::ui
