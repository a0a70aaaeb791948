#include "ui/samples/sample_view.h"

#include <QApplication>
#include <QDrag>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace gan::ui {
namespace {
constexpr int kCaptionHeight = 22;
constexpr int kPadding = 2;  // make_grid's, around and between the digits
}

SampleView::SampleView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setToolTip(tr("Digits generated from one fixed noise batch, refreshed at every sample interval; "
                "drag one to Ask D's pad"));
}

void SampleView::setImage(const QImage& image, qint64 step) {
  image_ = image;
  step_ = step;
  update();
}

void SampleView::clear() {
  image_ = QImage();
  step_ = -1;
  update();
}

QSize SampleView::sizeHint() const { return {3 * 152 + 8, 3 * 152 + kCaptionHeight + 8}; }
QSize SampleView::minimumSizeHint() const { return {160, 160 + kCaptionHeight}; }

QRect SampleView::drawnRect() const {
  const QRect area = rect().adjusted(4, 4, -4, -4 - kCaptionHeight);
  if (image_.isNull()) return area;
  // Whole-pixel scaling keeps every generated pixel the same size; when that would waste much of
  // the view, use the full size instead (still nearest-neighbour, so no blur).
  const double fit = std::min(static_cast<double>(area.width()) / image_.width(),
                              static_cast<double>(area.height()) / image_.height());
  const double whole = std::floor(fit);
  const double scale = whole >= 1.0 && whole / fit >= 0.8 ? whole : fit;
  const QSize size(static_cast<int>(image_.width() * scale), static_cast<int>(image_.height() * scale));
  return QRect(area.left() + (area.width() - size.width()) / 2, area.top() + (area.height() - size.height()) / 2,
               size.width(), size.height());
}

int SampleView::digitSide() const {
  // make_grid's layout (core/io/image.h): `columns_` digits a row, 2 black pixels around each.
  if (image_.isNull() || columns_ <= 0) return 0;
  const int side = (image_.width() - kPadding) / columns_ - kPadding;
  const bool square_cells = side > 0 && (image_.width() - kPadding) % columns_ == 0 &&
                            (image_.height() - kPadding) % (side + kPadding) == 0;
  return square_cells ? side : 0;
}

int SampleView::digitCount() const {
  const int side = digitSide();
  return side > 0 ? columns_ * ((image_.height() - kPadding) / (side + kPadding)) : 0;
}

QImage SampleView::digit(int index) const {
  const int side = digitSide();
  if (side <= 0 || index < 0 || index >= digitCount()) return {};
  const int x = kPadding + (index % columns_) * (side + kPadding);
  const int y = kPadding + (index / columns_) * (side + kPadding);
  return image_.copy(x, y, side, side);
}

int SampleView::digitAt(const QPoint& point) const {
  const int side = digitSide();
  const QRect shown = drawnRect();
  if (side <= 0 || !shown.contains(point)) return -1;
  const double x = (point.x() - shown.left()) * static_cast<double>(image_.width()) / shown.width();
  const double y = (point.y() - shown.top()) * static_cast<double>(image_.height()) / shown.height();
  const int column = static_cast<int>((x - kPadding) / (side + kPadding));
  const int row = static_cast<int>((y - kPadding) / (side + kPadding));
  const int index = row * columns_ + column;
  return column >= 0 && column < columns_ && index < digitCount() ? index : -1;
}

void SampleView::mousePressEvent(QMouseEvent* event) {
  press_ = event->button() == Qt::LeftButton ? digitAt(event->position().toPoint()) : -1;
  press_at_ = event->position().toPoint();
}

void SampleView::mouseMoveEvent(QMouseEvent* event) {
  if (press_ < 0 || (event->position().toPoint() - press_at_).manhattanLength() < QApplication::startDragDistance()) return;
  // A digit dragged out (to Ask D's pad): as an image, at the dataset's size.
  auto* mime = new QMimeData;
  const QImage picked = digit(press_);
  mime->setImageData(picked);
  auto* drag = new QDrag(this);
  drag->setMimeData(mime);
  drag->setPixmap(QPixmap::fromImage(picked.scaled(picked.size() * 3)));
  press_ = -1;
  drag->exec(Qt::CopyAction);
}

void SampleView::mouseReleaseEvent(QMouseEvent* event) {
  if (press_ >= 0 && digitAt(event->position().toPoint()) == press_) emit digitClicked(press_, digit(press_));
  press_ = -1;
}

void SampleView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());
  const QRect area = rect().adjusted(4, 4, -4, -4 - kCaptionHeight);
  if (image_.isNull()) {
    painter.drawText(area, Qt::AlignCenter, tr("Samples appear here when training starts"));
    return;
  }
  const QRect target = drawnRect();
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(target, image_);
  const QRect caption(area.left(), target.bottom() + 4, area.width(), kCaptionHeight);
  painter.drawText(caption, Qt::AlignHCenter | Qt::AlignTop, tr("step %1").arg(step_));
}

}  // namespace gan::ui
