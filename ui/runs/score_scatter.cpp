#include "ui/runs/score_scatter.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/charts/chart_view.h"

namespace gan::ui {

ScoreScatter::ScoreScatter(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  key_ = new QComboBox;
  key_->setToolTip(tr("The hyperparameter on the x axis (those that differ between the runs and are numbers)"));
  row->addWidget(new QLabel(tr("Hyperparameter")));
  row->addWidget(key_, 1);
  note_ = new QLabel;
  row->addWidget(note_);
  layout->addLayout(row);
  chart_ = new QChart;
  chart_->legend()->setVisible(false);
  view_ = new ChartView(chart_, this);
  layout->addWidget(view_, 1);
  connect(key_, &QComboBox::currentTextChanged, this, [this] { redraw(); });
}

void ScoreScatter::setPoints(const std::vector<Point>& points, const QString& score_name) {
  points_ = points;
  score_name_ = score_name;
  QStringList keys;
  for (const auto& p : points_) {
    for (const auto& [key, value] : p.values) {
      if (!keys.contains(key)) keys << key;
    }
  }
  const QString keep = key_->currentText();
  {
    const QSignalBlocker block(key_);
    key_->clear();
    key_->addItems(keys);
    if (keys.contains(keep)) key_->setCurrentText(keep);
  }
  redraw();
}

QStringList ScoreScatter::keys() const {
  QStringList out;
  for (int i = 0; i < key_->count(); ++i) out << key_->itemText(i);
  return out;
}

void ScoreScatter::setKey(const QString& key) { key_->setCurrentText(key); }
QString ScoreScatter::key() const { return key_->currentText(); }
QList<QPointF> ScoreScatter::plotted() const { return plotted_; }

void ScoreScatter::redraw() {
  chart_->removeAllSeries();
  for (auto* axis : chart_->axes()) {
    chart_->removeAxis(axis);
    delete axis;
  }
  plotted_.clear();
  const QString key = key_->currentText();
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
  bool first = true;
  std::vector<std::pair<QPointF, QColor>> shown;
  for (const auto& p : points_) {
    if (!p.scored) continue;
    for (const auto& [k, x] : p.values) {
      if (k != key) continue;
      shown.push_back({QPointF(x, p.score), p.colour});
      x_min = first ? x : std::min(x_min, x);
      x_max = first ? x : std::max(x_max, x);
      y_min = first ? p.score : std::min(y_min, p.score);
      y_max = first ? p.score : std::max(y_max, p.score);
      first = false;
    }
  }
  note_->setText(key.isEmpty() ? tr("no numeric hyperparameter differs between these runs")
                               : tr("%n scored run(s)", nullptr, static_cast<int>(shown.size())));
  if (shown.empty()) return;
  const bool log = x_min > 0 && x_max / x_min >= 10;
  QAbstractAxis* x_axis = nullptr;
  if (log) {
    auto* axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setLabelFormat("%g");
    axis->setRange(x_min / 1.5, x_max * 1.5);
    x_axis = axis;
  } else {
    auto* axis = new QValueAxis;
    const double pad = (x_max - x_min) * 0.1 + (x_max == x_min ? std::abs(x_max) * 0.1 + 0.1 : 0);
    axis->setRange(x_min - pad, x_max + pad);
    axis->setLabelFormat("%g");
    x_axis = axis;
  }
  x_axis->setTitleText(key);
  auto* y_axis = new QValueAxis;
  const double pad = (y_max - y_min) * 0.1 + 0.1;
  y_axis->setRange(std::max(0.0, y_min - pad), y_max + pad);
  y_axis->setTitleText(score_name_);
  chart_->addAxis(x_axis, Qt::AlignBottom);
  chart_->addAxis(y_axis, Qt::AlignLeft);
  for (const auto& [point, colour] : shown) {
    auto* series = new QScatterSeries;
    series->setColor(colour);
    series->setBorderColor(colour.darker());
    series->setMarkerSize(12);
    series->append(point);
    chart_->addSeries(series);
    series->attachAxis(x_axis);
    series->attachAxis(y_axis);
    plotted_ << point;
  }
}

}  // namespace gan::ui
