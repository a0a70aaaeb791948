// The sample grid with its history: every grid of the run (one per sample interval, read from the
// run folder's samples/ when asked for, so memory stays flat) on a timeline slider. At the right
// end the panel follows new grids as they arrive; moved back, it stays where it was put.
#pragma once

#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;

namespace gan::ui {

class SampleView;

class SamplePanel : public QWidget {
  Q_OBJECT

 public:
  explicit SamplePanel(QWidget* parent = nullptr);

  void clear();
  /// The run folder whose samples/ holds the history.
  void setRunFolder(const QString& folder);
  /// Replaces the list of steps that have a grid (from the run folder) and shows the newest.
  void setSteps(const QVector<qint64>& steps);
  /// A new grid from training; shown at once when the timeline is at its newest end.
  void addSample(qint64 step, const QImage& grid);
  /// Moves the timeline to the grid of `step` (or the newest one before it).
  void showStep(qint64 step);

  SampleView* view() const { return view_; }
  const QVector<qint64>& steps() const { return steps_; }
  bool following() const;

 signals:
  /// The timeline moved to the grid of `step` (by the user, or to the newest).
  void stepShown(qint64 step);

 private:
  void showIndex(int index);

  SampleView* view_;
  QSlider* timeline_;
  QLabel* position_;
  QString folder_;
  QVector<qint64> steps_;
  qint64 live_step_ = -1;
  QImage live_image_;
};

}  // namespace gan::ui
