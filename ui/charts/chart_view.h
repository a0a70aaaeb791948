// A chart view that follows the data until the user takes over: the mouse wheel zooms the step
// axis around the cursor, dragging pans, a double click goes back to following the run. Hovering a
// series shows its step and value.
#pragma once

#include <QChartView>
#include <QPoint>

namespace gan::ui {

/// The least height of a chart of the studio: its title, a legend row, a plot with three labelled
/// ticks and the axis' title. Shorter, Qt Charts elides the labels to "..."; the views' scroll
/// areas scroll instead.
inline constexpr int kLeastChartHeight = 210;

class ChartView : public QChartView {
  Q_OBJECT

 public:
  explicit ChartView(QChart* chart, QWidget* parent = nullptr);

  /// True while the view follows the newest data (no zoom or pan by the user).
  bool following() const { return following_; }
  void setFollowing(bool following);

  /// Shows "series: step, value" for a hovered series; connect QXYSeries::hovered to it.
  void showValue(const QString& series, const QPointF& point, bool state);

 signals:
  void followingChanged(bool following);
  /// After each repaint: how long it took, so the owner can keep repaints within a time budget.
  void painted(qint64 nanoseconds);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  bool following_ = true;
  bool dragging_ = false;
  QPoint last_position_;
};

}  // namespace gan::ui
