// A bounded buffer of chart points. Memory and redraw time stay flat however long a run goes:
// when the buffer fills up, neighbouring points are averaged in pairs and later points are
// averaged over twice as many steps. Non-finite values are never stored.
#pragma once

#include <QList>
#include <QPointF>

namespace gan::ui {

class SeriesBuffer {
 public:
  explicit SeriesBuffer(int capacity = 1000);

  void append(double x, double y);
  void clear();

  /// The points to plot, oldest first (ready for QXYSeries::replace).
  const QList<QPointF>& points() const { return points_; }
  /// How many appended values each new point averages.
  int stride() const { return stride_; }
  bool empty() const { return points_.isEmpty(); }

 private:
  void halve();

  QList<QPointF> points_;
  int capacity_;
  int stride_ = 1;
  double pending_sum_ = 0;
  int pending_count_ = 0;
};

}  // namespace gan::ui
