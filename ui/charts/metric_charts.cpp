#include "ui/charts/metric_charts.h"

#include <QChart>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "core/run/loss_estimate.h"
#include "ui/charts/axis_range.h"
#include "ui/charts/chart_view.h"

namespace gan::ui {
namespace {

constexpr int kRedrawMilliseconds = 40;     // 25 Hz at most
constexpr int kSlowestRedrawMilliseconds = 2000;
constexpr int kEmptySteps = 1000;           // the step axis before the first step (as the quality charts)
constexpr double kPaintBudget = 0.02;       // share of wall time repaints may take
constexpr double kSmoothing = 0.05;      // EMA weight of the newest step (about 20 steps)
constexpr int kOneSidedMarks = 5000;        // marks of one-sided steps kept (the newest)

}  // namespace

MetricCharts::Smoother& MetricCharts::Smoother::add(const gan::StepRecord& s) {
  raw = {s.d_loss, s.g_loss, s.d_real, s.d_fake, gan::divergence_estimate(loss, s)};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!started) smooth[i] = raw[i];
    else if (std::isfinite(raw[i])) smooth[i] += kSmoothing * (raw[i] - smooth[i]);
  }
  started = true;
  return *this;
}

MetricCharts::MetricCharts(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  panels_.reserve(3);

  const QColor d_color(0xd6, 0x27, 0x28);
  const QColor g_color(0x1f, 0x77, 0xb4);
  Panel& losses = makePanel(tr("Losses"), tr("BCE"));
  addLine(losses, tr("D loss (raw)"), d_color, true);
  addLine(losses, tr("G loss (raw)"), g_color, true);
  addLine(losses, tr("D loss"), d_color, false);
  addLine(losses, tr("G loss"), g_color, false);
  losses.floor_fixed = true;
  // Steps of one side alone (Step D, Step G), marked on the loss of the side that stepped.
  for (auto [side, name, color, shape] :
       {std::tuple{gan::StepSide::kDiscriminator, tr("D stepped alone"), d_color, QScatterSeries::MarkerShapeCircle},
        std::tuple{gan::StepSide::kGenerator, tr("G stepped alone"), g_color, QScatterSeries::MarkerShapeRectangle}}) {
    auto* marks = new QScatterSeries();
    marks->setName(name);
    marks->setMarkerShape(shape);
    marks->setMarkerSize(7);
    marks->setColor(color);
    marks->setBorderColor(Qt::white);
    losses.chart->addSeries(marks);
    marks->attachAxis(losses.x);
    marks->attachAxis(losses.y);
    losses.chart->legend()->markers(marks).first()->setVisible(false);  // until there is one
    one_sided_[side == gan::StepSide::kDiscriminator ? 0 : 1].series = marks;
  }

  Panel& outputs = makePanel(tr("Discriminator outputs"), tr("probability"));
  addLine(outputs, tr("D(x) (raw)"), QColor(0x2c, 0xa0, 0x2c), true);
  addLine(outputs, tr("D(G(z)) (raw)"), QColor(0xff, 0x7f, 0x0e), true);
  addLine(outputs, tr("D(x)"), QColor(0x2c, 0xa0, 0x2c), false);
  addLine(outputs, tr("D(G(z))"), QColor(0xff, 0x7f, 0x0e), false);
  setReference(outputs, 0.5, tr("equilibrium 0.5"));
  outputs.unit_range = true;

  Panel& value = makePanel(tr("V(D,G) + log 4  (≈ 2·JSD when D is optimal)"), tr("nats"));
  addLine(value, tr("V + log 4 (raw)"), QColor(0x94, 0x67, 0xbd), true);
  addLine(value, tr("V + log 4"), QColor(0x94, 0x67, 0xbd), false);
  setReference(value, 0.0, tr("G = data"));
  value.y_floor = -0.1;

  for (Panel& panel : panels_) layout->addWidget(panel.view, 1);

  setLoss(gan::Loss::kBce);
  redraw_timer_.setSingleShot(true);
  redraw_timer_.setInterval(kRedrawMilliseconds);
  connect(&redraw_timer_, &QTimer::timeout, this, &MetricCharts::redraw);
}

MetricCharts::Panel& MetricCharts::makePanel(const QString& title, const QString& y_title) {
  Panel panel;
  panel.chart = new QChart();
  panel.chart->setTitle(title);
  panel.chart->setAnimationOptions(QChart::NoAnimation);
  panel.chart->legend()->setAlignment(Qt::AlignTop);
  panel.chart->setMargins(QMargins(4, 2, 4, 2));
  panel.x = new QValueAxis();
  panel.x->setTitleText(tr("step"));
  panel.x->setLabelFormat("%d");
  panel.x->setRange(0, kEmptySteps);  // Qt's default 0..1 would label its ticks 0 0 0 0 1
  panel.y = new QValueAxis();
  panel.y->setTitleText(y_title);
  panel.chart->addAxis(panel.x, Qt::AlignBottom);
  panel.chart->addAxis(panel.y, Qt::AlignLeft);
  panel.view = new ChartView(panel.chart, this);
  // Title, legend, three labelled ticks and the step axis: below this the labels become "...".
  panel.view->setMinimumHeight(kLeastChartHeight);
  connect(panel.view, &ChartView::followingChanged, this, [this] { redraw_timer_.start(); });
  connect(panel.view, &ChartView::painted, this, [this](qint64 nanoseconds) {
    frame_nanoseconds_ += nanoseconds;
    // Wait long enough after a frame that painting stays within the budget.
    const double wait_ms = static_cast<double>(frame_nanoseconds_) / 1e6 / kPaintBudget;
    redraw_timer_.setInterval(std::clamp(static_cast<int>(wait_ms), kRedrawMilliseconds, kSlowestRedrawMilliseconds));
  });
  panels_.push_back(std::move(panel));
  return panels_.back();
}

QLineSeries* MetricCharts::makeSeries(Panel& panel, const QString& name, const QPen& pen) {
  auto* series = new QLineSeries();
  series->setName(name);
  series->setPen(pen);
  panel.chart->addSeries(series);
  series->attachAxis(panel.x);
  series->attachAxis(panel.y);
  ChartView* view = panel.view;
  connect(series, &QLineSeries::hovered, view,
          [view, name](const QPointF& point, bool state) { view->showValue(name, point, state); });
  return series;
}

MetricCharts::Line& MetricCharts::addLine(Panel& panel, const QString& name, const QColor& color, bool faint) {
  QColor pen_color = color;
  if (faint) pen_color.setAlpha(60);
  Line line;
  line.series = makeSeries(panel, name, QPen(pen_color, faint ? 1.0 : 2.0));
  if (faint) panel.chart->legend()->markers(line.series).first()->setVisible(false);
  panel.lines.push_back(std::move(line));
  return panel.lines.back();
}

void MetricCharts::setParentRun(const QVector<gan::StepRecord>& steps) {
  // Smoothed as the live lines are; the parent's lines sit in grey under them.
  const QPen pen(QColor(0x88, 0x88, 0x88), 1.5, Qt::DashLine);
  const char* names[3][2] = {{"parent D loss", "parent G loss"}, {"parent D(x)", "parent D(G(z))"}, {"parent V + log 4", nullptr}};
  for (std::size_t p = 0; p < panels_.size(); ++p) {
    Panel& panel = panels_[p];
    for (int i = 0; i < 2 && names[p][i] != nullptr; ++i) {
      if (static_cast<int>(panel.parent.size()) <= i) {
        Line line;
        line.series = makeSeries(panel, tr(names[p][i]), pen);
        panel.chart->legend()->markers(line.series).first()->setVisible(false);
        panel.parent.push_back(std::move(line));
      }
      panel.parent[static_cast<std::size_t>(i)].buffer.clear();
    }
  }
  Smoother smooth;
  smooth.loss = loss_;
  for (const gan::StepRecord& s : steps) {
    smooth.add(s);
    const double x = static_cast<double>(s.step);
    panels_[0].parent[0].buffer.append(x, smooth.smooth[kDLoss]);
    panels_[0].parent[1].buffer.append(x, smooth.smooth[kGLoss]);
    panels_[1].parent[0].buffer.append(x, smooth.smooth[kDReal]);
    panels_[1].parent[1].buffer.append(x, smooth.smooth[kDFake]);
    panels_[2].parent[0].buffer.append(x, smooth.smooth[kValue]);
  }
  if (!steps.isEmpty() && (first_step_ < 0 || steps.front().step - 1 < first_step_)) first_step_ = steps.front().step - 1;
  redraw_timer_.start();
}

void MetricCharts::setLoss(gan::Loss loss) {
  loss_ = loss;
  smooth_.loss = loss;
  const gan::LossMeaning& meaning = gan::loss_meaning(loss);
  const QString estimate = QString::fromStdString(meaning.estimate);
  panels_[0].chart->setTitle(tr("Losses (%1)").arg(QString::fromLatin1(gan::to_string(loss))));
  panels_[0].y->setTitleText(loss == gan::Loss::kBce ? tr("BCE") : tr("loss"));
  // A critic's and hinge D's losses go below zero.
  panels_[0].floor_fixed = loss == gan::Loss::kBce || loss == gan::Loss::kLsgan;
  Panel& outputs = panels_[1];
  outputs.unit_range = meaning.probabilities;
  outputs.y->setTitleText(meaning.probabilities ? tr("probability") : tr("score"));
  // The title stays short; what the scores mean is the chart's tooltip.
  outputs.chart->setTitle(meaning.probabilities ? tr("Discriminator outputs")
                                                : tr("Discriminator outputs (raw scores, hover for their meaning)"));
  outputs.reference_value = meaning.best_output;
  outputs.reference->setName(loss == gan::Loss::kWganGp ? tr("D(x) = D(G(z)) when G = data")
                                                         : tr("equilibrium %1").arg(meaning.best_output));
  outputs.view->setToolTip(QString::fromStdString(meaning.output));
  Panel& value = panels_[2];
  value.chart->setTitle(loss == gan::Loss::kBce ? tr("V(D,G) + log 4  (≈ 2·JSD when D is optimal)")
                                                : tr("%1  (what the %2 loss estimates)").arg(estimate, gan::to_string(loss)));
  value.y->setTitleText(loss == gan::Loss::kBce ? tr("nats") : tr("distance"));
  value.view->setToolTip(QString::fromStdString(meaning.estimate_detail));
  value.lines[0].series->setName(tr("%1 (raw)").arg(estimate));
  value.lines[1].series->setName(estimate);
  redraw_timer_.start();
}

void MetricCharts::setReference(Panel& panel, double value, const QString& name) {
  panel.reference = new QLineSeries();
  panel.reference->setName(name);
  panel.reference->setPen(QPen(Qt::gray, 1.0, Qt::DashLine));
  panel.chart->addSeries(panel.reference);
  panel.reference->attachAxis(panel.x);
  panel.reference->attachAxis(panel.y);
  panel.reference_value = value;
}

QPair<double, double> MetricCharts::outputRange() const { return {panels_[1].y->min(), panels_[1].y->max()}; }

const SeriesBuffer* MetricCharts::buffer(const QString& series) const {
  for (const Panel& panel : panels_) {
    for (const auto* lines : {&panel.lines, &panel.parent}) {
      for (const Line& line : *lines) {
        if (line.series->name() == series) return &line.buffer;
      }
    }
  }
  return nullptr;
}

void MetricCharts::clear() {
  for (Panel& panel : panels_) {
    for (Line& line : panel.lines) {
      line.buffer.clear();
      line.series->clear();
    }
    for (Line& line : panel.parent) {
      line.buffer.clear();
      line.series->clear();
    }
    for (auto* marker : panel.markers) {
      panel.chart->removeSeries(marker);
      delete marker;
    }
    panel.markers.clear();
    for (auto* label : panel.labels) delete label;
    panel.labels.clear();
    if (panel.reference) panel.reference->clear();
    panel.view->setFollowing(true);
    panel.x->setRange(0, kEmptySteps);
  }
  markers_.clear();
  for (OneSided& marks : one_sided_) {
    marks.points.clear();
    marks.series->clear();
    panels_[0].chart->legend()->markers(marks.series).first()->setVisible(false);
    marks.changed = false;
  }
  first_step_ = -1;
  last_step_ = 0;
  smooth_ = Smoother();
  smooth_.loss = loss_;
  redraw_timer_.start();
}

void MetricCharts::addSteps(const QVector<gan::StepRecord>& steps) {
  for (const gan::StepRecord& s : steps) {
    // Already drawn: a resumed run's first rows can reach the file before the window rereads it,
    // and then arrive again live (seen in the sanitizer build, where the GUI thread is slower).
    if (s.step <= last_step_) continue;
    const auto& values = smooth_.add(s).raw;
    const double x = static_cast<double>(s.step);
    // panels_[0]: raw D, raw G, smooth D, smooth G; [1]: raw D(x), raw D(G(z)), smooth both; [2]: raw, smooth.
    panels_[0].lines[0].buffer.append(x, values[kDLoss]);
    panels_[0].lines[1].buffer.append(x, values[kGLoss]);
    panels_[0].lines[2].buffer.append(x, smooth_.smooth[kDLoss]);
    panels_[0].lines[3].buffer.append(x, smooth_.smooth[kGLoss]);
    panels_[1].lines[0].buffer.append(x, values[kDReal]);
    panels_[1].lines[1].buffer.append(x, values[kDFake]);
    panels_[1].lines[2].buffer.append(x, smooth_.smooth[kDReal]);
    panels_[1].lines[3].buffer.append(x, smooth_.smooth[kDFake]);
    panels_[2].lines[0].buffer.append(x, values[kValue]);
    panels_[2].lines[1].buffer.append(x, smooth_.smooth[kValue]);
    if (s.side != gan::StepSide::kBoth) {
      OneSided& marks = one_sided_[s.side == gan::StepSide::kDiscriminator ? 0 : 1];
      marks.points.append(QPointF(x, s.side == gan::StepSide::kDiscriminator ? values[kDLoss] : values[kGLoss]));
      if (marks.points.size() > kOneSidedMarks) marks.points.removeFirst();
      marks.changed = true;
    }
    if (first_step_ < 0 || s.step - 1 < first_step_) first_step_ = s.step - 1;
    last_step_ = s.step;
  }
  if (!redraw_timer_.isActive()) redraw_timer_.start();
}

QStringList MetricCharts::markerLabels() const {
  QStringList labels;
  for (const Marker& marker : markers_) labels << marker.label;
  return labels;
}

void MetricCharts::addMarker(qint64 step, const QString& label) {
  markers_.append({step, label});
  for (Panel& panel : panels_) {
    auto* marker = new QLineSeries();
    marker->setPen(QPen(QColor(0x55, 0x55, 0x55), 1.0, Qt::DotLine));
    panel.chart->addSeries(marker);
    marker->attachAxis(panel.x);
    marker->attachAxis(panel.y);
    panel.chart->legend()->markers(marker).first()->setVisible(false);
    panel.markers.push_back(marker);
  }
  auto* text = new QGraphicsSimpleTextItem(label, panels_[0].chart);
  text->setBrush(QColor(0x33, 0x33, 0x33));
  panels_[0].labels.push_back(text);
  redraw_timer_.start();
}

void MetricCharts::fitAxes(Panel& panel) {
  if (!panel.view->following()) return;
  const double left = std::max<qint64>(first_step_, 0);
  const double right = std::max<double>(last_step_, left + 10);
  double low = std::numeric_limits<double>::max();
  double high = std::numeric_limits<double>::lowest();
  for (const auto* lines : {&panel.lines, &panel.parent}) {
    for (const Line& line : *lines) {
      for (const QPointF& p : line.buffer.points()) {
        low = std::min(low, p.y());
        high = std::max(high, p.y());
      }
    }
  }
  if (panel.reference) {
    low = std::min(low, panel.reference_value);
    high = std::max(high, panel.reference_value);
  }
  if (low > high) {
    low = 0;
    high = 1;
  }
  const double margin = std::max(0.05 * (high - low), 0.02);
  low = panel.floor_fixed ? std::max(0.0, low - margin) : std::min(low - margin, panel.y_floor);
  panel.x->setRange(left, right);
  panel.x->applyNiceNumbers();
  if (panel.unit_range) {
    panel.y->setRange(0.0, 1.0);
    return;
  }
  setRoundRange(panel.y, low, high + margin);
}

void MetricCharts::redraw() {
  ++redraws_;
  frame_nanoseconds_ = 0;
  for (OneSided& marks : one_sided_) {
    if (!marks.changed) continue;
    marks.series->replace(marks.points);
    panels_[0].chart->legend()->markers(marks.series).first()->setVisible(!marks.points.isEmpty());
    marks.changed = false;
  }
  for (Panel& panel : panels_) {
    for (Line& line : panel.lines) line.series->replace(line.buffer.points());
    for (Line& line : panel.parent) line.series->replace(line.buffer.points());
    fitAxes(panel);
    const double left = panel.x->min();
    const double right = panel.x->max();
    if (panel.reference) {
      panel.reference->replace(QList<QPointF>{{left, panel.reference_value}, {right, panel.reference_value}});
    }
    for (std::size_t i = 0; i < panel.markers.size(); ++i) {
      const double x = static_cast<double>(markers_[static_cast<int>(i)].step);
      panel.markers[i]->replace(QList<QPointF>{{x, panel.y->min()}, {x, panel.y->max()}});
    }
    for (std::size_t i = 0; i < panel.labels.size(); ++i) {
      const double x = static_cast<double>(markers_[static_cast<int>(i)].step);
      const QPointF top = panel.chart->mapToPosition(QPointF(x, panel.y->max()));
      panel.labels[i]->setPos(top + QPointF(3, 0));
      panel.labels[i]->setVisible(x >= left && x <= right);
    }
  }
}

QImage MetricCharts::renderImage() {
  // The charts as shown: data newer than the last redraw (at most one redraw interval old) comes
  // with the next one. Redrawing here as well doubled the export's stall (110 ms in the soak).
  QImage image(size() * devicePixelRatioF(), QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(devicePixelRatioF());
  image.fill(Qt::white);
  QPainter painter(&image);
  render(&painter);
  return image;
}

}  // namespace gan::ui
