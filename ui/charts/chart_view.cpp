#include "ui/charts/chart_view.h"

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>

namespace gan::ui {

ChartView::ChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {
  setRenderHint(QPainter::Antialiasing);
  setMouseTracking(true);
  setToolTip(tr("Wheel: zoom steps · drag: pan · double-click: follow the run"));
}

void ChartView::setFollowing(bool following) {
  if (following_ == following) return;
  following_ = following;
  emit followingChanged(following_);
}

void ChartView::showValue(const QString& series, const QPointF& point, bool state) {
  if (!state) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(QCursor::pos(), tr("%1\nstep %2: %3").arg(series).arg(qRound64(point.x())).arg(point.y(), 0, 'g', 4),
                     this);
}

void ChartView::paintEvent(QPaintEvent* event) {
  QElapsedTimer timer;
  timer.start();
  QChartView::paintEvent(event);
  emit painted(timer.nsecsElapsed());
}

void ChartView::wheelEvent(QWheelEvent* event) {
  const QRectF area = chart()->plotArea();
  const QPointF position = event->position();
  if (!area.contains(position) || event->angleDelta().y() == 0) return;
  // Zoom the step axis around the cursor, keeping the value axis as it is.
  const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
  const double anchor = (position.x() - area.left()) / area.width();
  QRectF zoomed = area;
  zoomed.setWidth(area.width() * factor);
  zoomed.moveLeft(area.left() + anchor * area.width() * (1 - factor));
  chart()->zoomIn(zoomed);
  setFollowing(false);
  event->accept();
}

void ChartView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && chart()->plotArea().contains(event->position())) {
    dragging_ = true;
    last_position_ = event->position().toPoint();
    setCursor(Qt::ClosedHandCursor);
    event->accept();
    return;
  }
  QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
  if (dragging_) {
    const QPoint delta = event->position().toPoint() - last_position_;
    last_position_ = event->position().toPoint();
    chart()->scroll(-delta.x(), delta.y());
    setFollowing(false);
    event->accept();
    return;
  }
  QChartView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent* event) {
  if (dragging_ && event->button() == Qt::LeftButton) {
    dragging_ = false;
    unsetCursor();
    event->accept();
    return;
  }
  QChartView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
  setFollowing(true);
  event->accept();
}

}  // namespace gan::ui
