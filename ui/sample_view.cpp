#include "ui/sample_view.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace gan::ui {
namespace {
constexpr int kCaptionHeight = 22;
}

SampleView::SampleView(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setToolTip(tr("Digits generated from one fixed noise batch, refreshed at every sample interval"));
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

void SampleView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());
  const QRect area = rect().adjusted(4, 4, -4, -4 - kCaptionHeight);
  if (image_.isNull()) {
    painter.drawText(area, Qt::AlignCenter, tr("Samples appear here when training starts"));
    return;
  }
  // Whole-pixel scaling keeps every generated pixel the same size; when that would waste much of
  // the view, use the full size instead (still nearest-neighbour, so no blur).
  const double fit = std::min(static_cast<double>(area.width()) / image_.width(),
                              static_cast<double>(area.height()) / image_.height());
  const double whole = std::floor(fit);
  const double scale = whole >= 1.0 && whole / fit >= 0.8 ? whole : fit;
  const QSize size(static_cast<int>(image_.width() * scale), static_cast<int>(image_.height() * scale));
  const QRect target(area.left() + (area.width() - size.width()) / 2, area.top() + (area.height() - size.height()) / 2,
                     size.width(), size.height());
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(target, image_);
  const QRect caption(area.left(), target.bottom() + 4, area.width(), kCaptionHeight);
  painter.drawText(caption, Qt::AlignHCenter | Qt::AlignTop, tr("step %1").arg(step_));
}

}  // namespace gan::ui
