#include "ui/charts/series_buffer.h"

#include <cmath>

namespace gan::ui {

SeriesBuffer::SeriesBuffer(int capacity) : capacity_(capacity < 4 ? 4 : capacity) { points_.reserve(capacity_); }

void SeriesBuffer::append(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  pending_sum_ += y;
  if (++pending_count_ < stride_) return;
  points_.append(QPointF(x, pending_sum_ / pending_count_));
  pending_sum_ = 0;
  pending_count_ = 0;
  if (points_.size() >= capacity_) halve();
}

void SeriesBuffer::halve() {
  QList<QPointF> merged;
  merged.reserve(capacity_);
  for (int i = 0; i + 1 < points_.size(); i += 2) {
    merged.append(QPointF(points_[i + 1].x(), (points_[i].y() + points_[i + 1].y()) / 2));
  }
  if (points_.size() % 2 != 0) merged.append(points_.back());
  points_ = std::move(merged);
  stride_ *= 2;
}

void SeriesBuffer::clear() {
  points_.clear();
  stride_ = 1;
  pending_sum_ = 0;
  pending_count_ = 0;
}

}  // namespace gan::ui
