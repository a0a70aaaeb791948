#include "ui/charts/axis_range.h"

#include <QValueAxis>

#include <cmath>

namespace gan::ui {

void setRoundRange(QValueAxis* axis, double low, double high) {
  axis->setRange(low, high);
  axis->applyNiceNumbers();
  const double lift = 1e-12 * (axis->max() - axis->min());
  axis->setRange(axis->min() + lift, axis->max() + lift);
}

QStringList tickLabels(const QValueAxis& axis) {
  const double min = axis.min(), max = axis.max();
  const int ticks = axis.tickCount();
  if (!(max > min) || ticks < 2) return {};
  const int gap = -static_cast<int>(std::floor(std::log10((max - min) / (ticks - 1))));
  const int decimals = gap > 0 ? gap + 1 : 1;
  QStringList labels;
  for (int i = 0; i < ticks; ++i) labels << QString::number(min + (i * (max - min) / (ticks - 1)), 'f', decimals);
  return labels;
}

}  // namespace gan::ui
