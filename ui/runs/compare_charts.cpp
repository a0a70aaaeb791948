#include "ui/runs/compare_charts.h"

#include <QChart>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineSeries>
#include <QSignalBlocker>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/run/loss_estimate.h"
#include "ui/charts/axis_range.h"
#include "ui/charts/chart_view.h"

namespace gan::ui {
namespace {

const char* const kLosses[] = {"D loss", "G loss"};
const QString kD = QStringLiteral("D(x) and D(G(z))");
const QString kV = QStringLiteral("V + log 4");
const QString kIs = QStringLiteral("Inception Score");
const QString kFid = QStringLiteral("FID-MNIST");
const QString kFakeSpread = QStringLiteral("D's verdict spread on generated digits");
const QString kRealSpread = QStringLiteral("D's verdict spread on real digits");
const QString kGradient = QStringLiteral("gradient norm · ");

// The standard deviation of the verdicts a histogram counted (each at its bin's centre): narrow
// when D says the same of every image, as it does of generated digits piled into one spot.
double spread(const gan::VerdictHistogram& h) {
  const double total = h.total();
  if (total <= 0 || h.counts.empty()) return std::nan("");
  const double width = (h.high - h.low) / static_cast<double>(h.counts.size());
  double sum = 0, squares = 0;
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    const double centre = h.low + (static_cast<double>(i) + 0.5) * width;
    sum += h.counts[i] * centre;
    squares += h.counts[i] * centre * centre;
  }
  const double mean = sum / total;
  return std::sqrt(std::max(0.0, squares / total - mean * mean));
}

// At most this many points per line: the eye cannot tell more apart, and the software renderer
// of a 2-core machine pays for every one.
constexpr int kMaxPoints = 1500;

// An exponential moving average with a window that grows with the run (about 1/50 of it), then
// thinned to kMaxPoints.
QVector<QPointF> smoothed(const QVector<QPointF>& raw) {
  QVector<QPointF> out;
  if (raw.isEmpty()) return out;
  const double alpha = 2.0 / (std::max<double>(20.0, raw.size() / 50.0) + 1.0);
  const int stride = std::max(1, static_cast<int>(raw.size()) / kMaxPoints);
  double value = raw.front().y();
  for (int i = 0; i < raw.size(); ++i) {
    value += alpha * (raw[i].y() - value);
    if (i % stride == 0 || i + 1 == raw.size()) out.append({raw[i].x(), value});
  }
  return out;
}

// The training time of `run` at `step` (its first row at or after it; the last row's when there is
// none): where a scored step or an inside window lies on the time axis.
double seconds_at(const ComparedRun& run, std::int64_t step) {
  const auto it = std::lower_bound(run.steps.begin(), run.steps.end(), step,
                                   [](const gan::StepRecord& s, std::int64_t v) { return s.step < v; });
  return it == run.steps.end() ? (run.steps.isEmpty() ? 0.0 : run.steps.back().seconds) : it->seconds;
}

}  // namespace

QColor compare_colour(int i) {
  static const QColor kColours[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                    QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                    QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                    QColor(0x17, 0xbe, 0xcf)};
  return kColours[i % 10];
}

CompareCharts::CompareCharts(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  // One legend for the seven charts, in full: a chart's own legend cuts the labels short.
  legend_ = new QLabel;
  legend_->setWordWrap(true);
  legend_->setTextFormat(Qt::RichText);
  layout->addWidget(legend_);
  auto* grid = new QGridLayout;
  layout->addLayout(grid, 1);
  const QStringList titles = {kLosses[0], kLosses[1], kD, kV, kIs, kFid, kInsideTitle};
  for (int i = 0; i < titles.size(); ++i) {
    Panel p;
    p.title = titles[i];
    p.chart = new QChart;
    p.chart->setTitle(p.title);
    p.chart->legend()->setVisible(false);
    p.chart->setMargins(QMargins(4, 4, 4, 4));
    p.x = new QValueAxis;
    p.y = new QValueAxis;
    p.x->setLabelFormat("%g");  // steps: 20000, not 20000.0; y keeps Qt's digits for its tick interval
    p.chart->addAxis(p.x, Qt::AlignBottom);
    p.chart->addAxis(p.y, Qt::AlignLeft);
    p.view = new ChartView(p.chart, this);
    p.view->setMinimumSize(260, 180);
    if (p.title == kInsideTitle) {
      // The inside figures' chart spans the last row, its figure chosen above it.
      inside_figure_ = new QComboBox(this);
      inside_figure_->setObjectName("insideFigure");
      inside_figure_->setToolTip(tr("Which of the runs' inside figures to overlay (View ▸ Inside the networks shows them all for one run)"));
      inside_figure_->addItems({kFakeSpread, kRealSpread});
      connect(inside_figure_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
      auto* row = new QVBoxLayout;
      row->addWidget(inside_figure_, 0, Qt::AlignLeft);
      row->addWidget(p.view, 1);
      grid->addLayout(row, i / 3, 0, 1, 3);
    } else {
      grid->addWidget(p.view, i / 3, i % 3);
    }
    panels_.push_back(std::move(p));
  }
}

const QString CompareCharts::kInsideTitle = QStringLiteral("Inside");

QStringList CompareCharts::insideFigures() const {
  QStringList figures;
  for (int i = 0; i < inside_figure_->count(); ++i) figures << inside_figure_->itemText(i);
  return figures;
}

void CompareCharts::setInsideFigure(const QString& figure) {
  const int index = inside_figure_->findText(figure);
  if (index >= 0) inside_figure_->setCurrentIndex(index);
}

QString CompareCharts::insideFigure() const { return inside_figure_->currentText(); }

QStringList CompareCharts::titles() const {
  QStringList out;
  for (const auto& p : panels_) out << p.title;
  return out;
}

CompareCharts::Panel& CompareCharts::panel(const QString& title) {
  for (auto& p : panels_) {
    if (p.title == title) return p;
  }
  return panels_.front();
}

QVector<QPointF> CompareCharts::points(const QString& title, int run) const {
  for (const auto& p : panels_) {
    if (p.title == title && run >= 0 && static_cast<std::size_t>(run) < p.lines.size()) return p.lines[static_cast<std::size_t>(run)];
  }
  return {};
}

QString CompareCharts::valuesAt(const QString& title, double x) const {
  QStringList lines;
  for (const auto& p : panels_) {
    if (p.title != title) continue;
    lines << QString("%1 %2").arg(axis_ == Axis::kStep ? tr("step") : tr("seconds")).arg(x, 0, 'f', 0);
    for (std::size_t r = 0; r < p.lines.size() && r < runs_.size(); ++r) {
      const auto& line = p.lines[r];
      if (line.isEmpty()) continue;
      const auto it = std::lower_bound(line.begin(), line.end(), x, [](const QPointF& a, double v) { return a.x() < v; });
      const QPointF nearest = it == line.end() ? line.back() : *it;
      lines << QString("%1: %2").arg(runs_[r].label).arg(nearest.y(), 0, 'g', 4);
    }
  }
  return lines.join('\n');
}

void CompareCharts::setRuns(const std::vector<ComparedRun>& runs) {
  runs_ = runs;
  rebuild();
}

void CompareCharts::setAxis(Axis axis) {
  if (axis == axis_) return;
  axis_ = axis;
  rebuild();
}

QString CompareCharts::legendText() const { return legend_->text(); }

void CompareCharts::addRunLine(const QString& title, const ComparedRun& run, const QVector<QPointF>& points) {
  Panel& p = panel(title);
  auto* series = new QLineSeries;
  series->setName(run.label);
  series->setPen(QPen(run.colour, 1.6));
  series->replace(points);
  series->setPointsVisible(title == kIs || title == kFid);  // one point per evaluation
  p.chart->addSeries(series);
  series->attachAxis(p.x);
  series->attachAxis(p.y);
  p.lines.push_back(points);
  connect(series, &QLineSeries::hovered, this, [this, title](const QPointF& point, bool state) {
    if (state) QToolTip::showText(QCursor::pos(), valuesAt(title, point.x()));
    else QToolTip::hideText();
  });
}

void CompareCharts::rebuild() {
  QStringList entries;
  for (const auto& run : runs_) {
    entries << QString("<span style='color:%1'>&#9632;</span>&nbsp;%2").arg(run.colour.name(), run.label.toHtmlEscaped());
  }
  legend_->setText(entries.join("&nbsp;&nbsp;&nbsp; "));
  for (auto& p : panels_) {
    p.chart->removeAllSeries();
    p.lines.clear();
    p.x->setTitleText(axis_ == Axis::kStep ? tr("step") : tr("training time (s)"));
  }
  auto x_of = [this](const gan::StepRecord& s) { return axis_ == Axis::kStep ? static_cast<double>(s.step) : s.seconds; };
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const ComparedRun& run = runs_[r];
    QVector<QPointF> d_loss, g_loss, d_real, d_fake, value;
    for (const auto& s : run.steps) {
      const double x = x_of(s);
      d_loss.append({x, s.d_loss});
      g_loss.append({x, s.g_loss});
      d_real.append({x, s.d_real});
      d_fake.append({x, s.d_fake});
      value.append({x, gan::divergence_estimate(run.loss, s)});
    }
    QVector<QPointF> is, fid;
    for (const auto& q : run.scores) {
      const double x = axis_ == Axis::kStep ? static_cast<double>(q.step) : seconds_at(run, q.step);
      is.append({x, q.inception_score});
      fid.append({x, q.fid});
    }
    const std::pair<QString, QVector<QPointF>> solid[] = {{kLosses[0], smoothed(d_loss)}, {kLosses[1], smoothed(g_loss)},
                                                          {kD, smoothed(d_real)},         {kV, smoothed(value)},
                                                          {kIs, is},                      {kFid, fid}};
    for (const auto& [title, points] : solid) addRunLine(title, run, points);
    Panel& d = panel(kD);
    auto* fake = new QLineSeries;
    fake->setName(run.label + " D(G(z))");
    fake->setPen(QPen(run.colour, 1.6, Qt::DashLine));
    fake->replace(smoothed(d_fake));
    d.chart->addSeries(fake);
    fake->attachAxis(d.x);
    fake->attachAxis(d.y);
  }
  // The inside chart: the figure chosen, for every run that has the windows; the choices are the
  // spreads and every parameter tensor of the runs, the one chosen kept when it is still there.
  const QString chosen = inside_figure_->currentText();
  QStringList figures = {kFakeSpread, kRealSpread};
  for (const auto& run : runs_) {
    if (run.inside.empty()) continue;
    for (const auto& p : run.inside.back().parameters) {
      const QString name = kGradient + QString::fromStdString(p.network + " " + p.name);
      if (!figures.contains(name)) figures << name;
    }
  }
  if (figures != insideFigures()) {
    const QSignalBlocker quiet(inside_figure_);
    inside_figure_->clear();
    inside_figure_->addItems(figures);
    inside_figure_->setCurrentIndex(std::max(0, static_cast<int>(figures.indexOf(chosen))));
  }
  const QString figure = inside_figure_->currentText();
  const bool gradient = figure.startsWith(kGradient);
  Panel& inside = panel(kInsideTitle);
  inside.chart->setTitle(gradient ? figure + tr(" (log₁₀, mean over each window)") : figure + tr(" (standard deviation in each window)"));
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    const ComparedRun& run = runs_[r];
    QVector<QPointF> points;
    for (const gan::InsideRecord& window : run.inside) {
      double y = std::nan("");
      if (gradient) {
        for (const auto& p : window.parameters) {
          if (kGradient + QString::fromStdString(p.network + " " + p.name) == figure && p.gradient_norm > 0) {
            y = std::log10(p.gradient_norm);
          }
        }
      } else {
        y = spread(figure == kFakeSpread ? window.fake : window.real);
      }
      if (!std::isfinite(y)) continue;
      points.append({axis_ == Axis::kStep ? static_cast<double>(window.step) : seconds_at(run, window.step), y});
    }
    addRunLine(kInsideTitle, run, points);
  }

  // Probabilities keep their 0..1 axis; raw scores (hinge, a critic) take the data's range. The
  // estimates panel names what it shows: V + log 4 only when every run's loss is bce.
  const bool probabilities = std::all_of(runs_.begin(), runs_.end(), [](const ComparedRun& run) {
    return gan::loss_meaning(run.loss).probabilities;
  });
  const bool all_bce = std::all_of(runs_.begin(), runs_.end(), [](const ComparedRun& run) { return run.loss == gan::Loss::kBce; });
  panel(kV).chart->setTitle(all_bce ? kV : tr("Distance each run's loss estimates (bce: V + log 4; wgan-gp: Wasserstein)"));
  panel(kD).chart->setTitle(probabilities ? kD : tr("D(x) (solid) and D(G(z)) (dashed): raw scores"));
  // Axes fitted to every run's points (probabilities 0..1; losses and FID from 0).
  for (auto& p : panels_) {
    const bool unit = p.title == kD && probabilities;
    double x_max = 1, y_min = std::numeric_limits<double>::max(), y_max = std::numeric_limits<double>::lowest();
    for (const auto& line : p.lines) {
      for (const auto& point : line) {
        x_max = std::max(x_max, point.x());
        y_min = std::min(y_min, point.y());
        y_max = std::max(y_max, point.y());
      }
    }
    if (y_min > y_max) y_min = 0, y_max = 1;
    if (unit) y_min = 0, y_max = 1;
    if (p.title != kV && p.title != kInsideTitle) y_min = std::min(0.0, y_min);  // log10 norms are below 0
    const double pad = (y_max - y_min) * 0.05 + 1e-9;
    p.x->setRange(0, x_max);
    // Round ticks (0.2, 0.4…), not the data's own extremes (0.733986).
    p.x->applyNiceNumbers();
    setRoundRange(p.y, unit ? 0.0 : y_min - (y_min < 0 ? pad : 0), unit ? 1.0 : y_max + pad);
  }
}

}  // namespace gan::ui
