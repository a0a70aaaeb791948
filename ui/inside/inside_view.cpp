#include "ui/inside/inside_view.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPainter>
#include <QSplitter>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/charts/chart_view.h"

namespace gan::ui {
namespace {

const QColor kReal(31, 119, 180);   // the loss charts' D(x) blue
const QColor kFake(255, 127, 14);   // and D(G(z)) orange

// The share of a histogram's values in the bin holding `value` (0 outside its bins), relative to
// its densest bin.
double density_at(const gan::VerdictHistogram& h, double value, double peak) {
  if (peak <= 0 || value < h.low || value > h.high) return 0;
  return h.counts[h.bin_of(value)] / peak;
}

// Lightens white towards `color` by `amount` (0..1): multiplying two such tints mixes them.
QRgb tint(QRgb pixel, const QColor& color, double amount) {
  auto channel = [amount](int base, int target) {
    return static_cast<int>(std::lround(base * (1.0 - amount * (1.0 - target / 255.0))));
  };
  return qRgb(channel(qRed(pixel), color.red()), channel(qGreen(pixel), color.green()),
              channel(qBlue(pixel), color.blue()));
}

QString number(double value) { return QString::number(value, 'g', 3); }

double peak_of(const std::vector<double>& counts) {
  return counts.empty() ? 0.0 : *std::max_element(counts.begin(), counts.end());
}

}  // namespace

VerdictMap::VerdictMap(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumHeight(160);
}

void VerdictMap::clear() {
  columns_.clear();
  stride_ = 1;
  skipped_ = 0;
  hovered_ = -1;
  fitRange();
  update();
}

void VerdictMap::setRecords(const std::vector<gan::InsideRecord>& records) {
  clear();
  for (const gan::InsideRecord& record : records) addRecord(record);
}

void VerdictMap::addRecord(const gan::InsideRecord& record) {
  probabilities_ = record.probabilities;
  if (skipped_ + 1 < stride_) {  // a long run: this column stands for `stride_` windows
    ++skipped_;
    return;
  }
  skipped_ = 0;
  columns_.push_back({record.step, record.steps, record.real, record.fake});
  if (static_cast<int>(columns_.size()) > kColumns) {
    std::vector<Column> kept;
    for (std::size_t i = 0; i < columns_.size(); i += 2) kept.push_back(std::move(columns_[i]));
    columns_ = std::move(kept);
    stride_ *= 2;
  }
  fitRange();
  update();
}

void VerdictMap::fitRange() {
  if (probabilities_ || columns_.empty()) {
    low_ = 0;
    high_ = 1;
    return;
  }
  low_ = columns_.front().real.low;
  high_ = columns_.front().real.high;
  for (const Column& c : columns_) {
    low_ = std::min(low_, c.real.low);
    high_ = std::max(high_, c.real.high);
  }
}

QRect VerdictMap::plotRect() const { return rect().adjusted(52, 22, -12, -22); }

int VerdictMap::windowAt(int x) const {
  const QRect plot = plotRect();
  if (columns_.empty() || x < plot.left() || x > plot.right()) return -1;
  const double at = static_cast<double>(x - plot.left()) / plot.width() * static_cast<double>(columns_.size());
  return std::clamp(static_cast<int>(at), 0, static_cast<int>(columns_.size()) - 1);
}

QString VerdictMap::describe(int index) const {
  if (index < 0 || index >= windows()) return {};
  const Column& c = columns_[static_cast<std::size_t>(index)];
  return tr("steps %1–%2: real %3 (%4 to %5), fake %6 (%7 to %8)")
      .arg(c.step - c.steps + 1)
      .arg(c.step)
      .arg(number(c.real.mean()), number(c.real.min), number(c.real.max))
      .arg(number(c.fake.mean()), number(c.fake.min), number(c.fake.max));
}

void VerdictMap::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().base());
  const QRect plot = plotRect();
  painter.setPen(palette().text().color());
  painter.drawText(rect().adjusted(52, 2, -12, 0), Qt::AlignLeft | Qt::AlignTop,
                   tr("D's verdicts: real (blue), fake (orange)%1")
                       .arg(stride_ > 1 ? tr(", every %1th window").arg(stride_) : QString()));
  if (columns_.empty()) {
    painter.drawText(plot, Qt::AlignCenter, tr("No inside figures yet (inside.interval steps a window)"));
    return;
  }
  // One pixel column per window (at most kColumns), one row per pixel, scaled to the plot.
  const int columns = static_cast<int>(columns_.size());
  const int rows = std::max(32, plot.height());
  QImage image(columns, rows, QImage::Format_RGB32);
  for (int x = 0; x < columns; ++x) {
    const Column& c = columns_[static_cast<std::size_t>(x)];
    const double real_peak = peak_of(c.real.counts);
    const double fake_peak = peak_of(c.fake.counts);
    for (int y = 0; y < rows; ++y) {
      const double value = high_ - (static_cast<double>(y) + 0.5) / rows * (high_ - low_);
      // Square roots, so that a sparse tail still shows beside a dense hump.
      QRgb pixel = qRgb(255, 255, 255);
      pixel = tint(pixel, kReal, std::sqrt(density_at(c.real, value, real_peak)));
      pixel = tint(pixel, kFake, std::sqrt(density_at(c.fake, value, fake_peak)));
      image.setPixel(x, y, pixel);
    }
  }
  painter.drawImage(plot, image);
  painter.setPen(palette().mid().color());
  painter.drawRect(plot);

  // Axes: D's output on the left (0.5 marked for probabilities: the equilibrium), steps below.
  painter.setPen(palette().text().color());
  const auto y_of = [&](double value) {
    return plot.top() + static_cast<int>((high_ - value) / (high_ - low_) * plot.height());
  };
  for (const double value : {low_, (low_ + high_) / 2, high_}) {
    painter.drawText(QRect(0, y_of(value) - 8, 48, 16), Qt::AlignRight | Qt::AlignVCenter, number(value));
  }
  if (probabilities_) {
    painter.setPen(QPen(palette().text().color(), 1, Qt::DashLine));
    painter.drawLine(plot.left(), y_of(0.5), plot.right(), y_of(0.5));
    painter.setPen(palette().text().color());
  }
  const QRect below(plot.left(), plot.bottom() + 2, plot.width(), 18);
  painter.drawText(below, Qt::AlignLeft | Qt::AlignTop, tr("step %1").arg(columns_.front().step));
  painter.drawText(below, Qt::AlignRight | Qt::AlignTop, tr("step %1").arg(columns_.back().step));

  if (hovered_ >= 0 && hovered_ < columns) {
    const int x = plot.left() + static_cast<int>((hovered_ + 0.5) * plot.width() / columns);
    painter.setPen(QPen(palette().text().color(), 1, Qt::DotLine));
    painter.drawLine(x, plot.top(), x, plot.bottom());
    const QRect box(x + 180 < plot.right() ? x + 8 : x - 188, plot.top() + 6, 180, 110);
    paintHistograms(painter, columns_[static_cast<std::size_t>(hovered_)], box);
  }
}

void VerdictMap::paintHistograms(QPainter& painter, const Column& c, const QRect& box) const {
  painter.fillRect(box, QColor(255, 255, 255, 235));
  painter.setPen(palette().mid().color());
  painter.drawRect(box);
  painter.setPen(palette().text().color());
  painter.drawText(box.adjusted(4, 2, -4, 0), Qt::AlignLeft | Qt::AlignTop,
                   tr("steps %1–%2").arg(c.step - c.steps + 1).arg(c.step));
  const QRect bars = box.adjusted(6, 20, -6, -18);
  const double peak = std::max(peak_of(c.real.counts), peak_of(c.fake.counts));
  const auto draw = [&](const gan::VerdictHistogram& h, const QColor& color) {
    const int bins = static_cast<int>(h.counts.size());
    QColor fill = color;
    fill.setAlpha(150);
    for (int i = 0; i < bins && peak > 0; ++i) {
      const int left = bars.left() + i * bars.width() / bins;
      const int right = bars.left() + (i + 1) * bars.width() / bins;
      const int height = static_cast<int>(h.counts[static_cast<std::size_t>(i)] / peak * bars.height());
      painter.fillRect(QRect(left, bars.bottom() - height, std::max(1, right - left), height), fill);
    }
  };
  draw(c.real, kReal);
  draw(c.fake, kFake);
  const QRect below(bars.left(), bars.bottom() + 1, bars.width(), 16);
  painter.drawText(below, Qt::AlignLeft | Qt::AlignTop, number(c.real.low));
  painter.drawText(below, Qt::AlignRight | Qt::AlignTop, number(c.real.high));
}

void VerdictMap::mouseMoveEvent(QMouseEvent* event) {
  const int window = windowAt(static_cast<int>(event->position().x()));
  if (window != hovered_) {
    hovered_ = window;
    setToolTip(describe(window));
    update();
  }
}

void VerdictMap::leaveEvent(QEvent* /*event*/) {
  hovered_ = -1;
  update();
}

InsideView::InsideView(QWidget* parent)
    : QWidget(parent),
      map_(new VerdictMap(this)),
      figure_box_(new QComboBox(this)),
      chart_(new QChart),
      x_(new QValueAxis(this)),
      y_(new QLogValueAxis(this)) {
  figure_box_->addItems({tr("Gradient norm (mean over the window)"), tr("Update / weight (the window's first step)"),
                         tr("Weight norm")});
  connect(figure_box_, &QComboBox::currentIndexChanged, this,
          [this](int index) { setFigure(static_cast<Figure>(index)); });
  chart_->setTitle(tr("Each layer's tensors: G solid, D dashed"));
  chart_->legend()->setAlignment(Qt::AlignRight);
  chart_->legend()->setFont(QFont(font().family(), 7));
  x_->setTitleText(tr("step"));
  x_->setLabelFormat("%d");
  y_->setLabelFormat("%.0e");
  y_->setBase(10);
  y_->setMinorTickCount(0);
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  y_->setLabelsFont(small);
  chart_->addAxis(x_, Qt::AlignBottom);
  chart_->addAxis(y_, Qt::AlignLeft);
  view_ = new ChartView(chart_, this);
  view_->setMinimumHeight(240);  // below that the log axis's labels are cut to "..."
  connect(view_, &ChartView::followingChanged, this, [this](bool following) {
    if (following) redraw();
  });

  auto* layers = new QWidget(this);
  auto* layers_layout = new QVBoxLayout(layers);
  layers_layout->setContentsMargins(0, 0, 0, 0);
  auto* choice = new QHBoxLayout;
  choice->addWidget(new QLabel(tr("Per tensor:"), layers));
  choice->addWidget(figure_box_);
  choice->addStretch();
  layers_layout->addLayout(choice);
  layers_layout->addWidget(view_);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(map_);
  split->addWidget(layers);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  redraw_timer_.setSingleShot(true);
  redraw_timer_.setInterval(200);
  connect(&redraw_timer_, &QTimer::timeout, this, &InsideView::redraw);
}

void InsideView::clear() {
  map_->clear();
  chart_->removeAllSeries();
  lines_.clear();
  last_step_ = 0;
  latest_.reset();
  redraw();
  emit latestChanged();
}

void InsideView::setRecords(const std::vector<gan::InsideRecord>& records) {
  clear();
  map_->setRecords(records);
  for (const gan::InsideRecord& record : records) append(record);
  redraw();
  emit latestChanged();
}

void InsideView::addRecord(const gan::InsideRecord& record) {
  if (record.step <= last_step_) return;  // already shown (a resumed run's rows read from disk)
  map_->addRecord(record);
  append(record);
  if (!redraw_timer_.isActive()) redraw_timer_.start();
  emit latestChanged();
}

void InsideView::setFigure(Figure figure) {
  figure_ = figure;
  if (figure_box_->currentIndex() != static_cast<int>(figure)) figure_box_->setCurrentIndex(static_cast<int>(figure));
  redraw();
}

InsideView::Line& InsideView::line(const gan::ParameterFigures& parameter) {
  const QString name = QString::fromStdString(parameter.network + " " + parameter.name);
  for (auto& l : lines_) {
    if (l->name == name) return *l;
  }
  auto made = std::make_unique<Line>();
  made->name = name;
  made->series = new QLineSeries;
  made->series->setName(name);
  chart_->addSeries(made->series);
  made->series->attachAxis(x_);
  made->series->attachAxis(y_);
  QPen pen = made->series->pen();
  pen.setWidthF(1.2);
  if (parameter.network == "D") pen.setStyle(Qt::DashLine);
  made->series->setPen(pen);
  lines_.push_back(std::move(made));
  return *lines_.back();
}

void InsideView::append(const gan::InsideRecord& record) {
  last_step_ = record.step;
  latest_ = record;
  const double step = static_cast<double>(record.step);
  for (const gan::ParameterFigures& p : record.parameters) {
    Line& l = line(p);
    // A log axis shows only positive values: a zero (a tensor that did not move) is left out.
    const double values[3] = {p.gradient_norm, p.update_ratio, p.weight_norm};
    for (int f = 0; f < 3; ++f) {
      if (values[f] > 0) l.figures[f].append(step, values[f]);
    }
  }
}

void InsideView::redraw() {
  const int f = static_cast<int>(figure_);
  double low = 0, high = 0, first = 0, last = 1;
  bool any = false;
  for (auto& l : lines_) {
    const QList<QPointF>& points = l->figures[f].points();
    l->series->replace(points);
    for (const QPointF& p : points) {
      low = any ? std::min(low, p.y()) : p.y();
      high = any ? std::max(high, p.y()) : p.y();
      first = any ? std::min(first, p.x()) : p.x();
      last = any ? std::max(last, p.x()) : p.x();
      any = true;
    }
  }
  if (any) {
    // Whole decades, so that the log axis has its ticks where a reader expects them; every other
    // decade once there are more than four, or the labels crowd into "..." in a short panel.
    const double bottom = std::floor(std::log10(low));
    const double top = std::max(bottom + 1, std::ceil(std::log10(high * 1.0001)));
    const bool wide = top - bottom > 4;
    y_->setBase(wide ? 100.0 : 10.0);
    y_->setRange(std::pow(10.0, wide ? 2 * std::floor(bottom / 2) : bottom), std::pow(10.0, top));
    if (view_->following()) {  // else the user zoomed or panned: the steps stay where they put them
      x_->setRange(first, std::max(last, first + 1));
      x_->applyNiceNumbers();  // steps at round numbers, not 0, 0, 0 over a short range
    }
  }
}

QStringList InsideView::lineNames() const {
  QStringList names;
  for (const auto& l : lines_) names << l->name;
  return names;
}

QList<QPointF> InsideView::linePoints(const QString& name) const {
  for (const auto& l : lines_) {
    if (l->name == name) return l->series->points();
  }
  return {};
}

}  // namespace gan::ui
