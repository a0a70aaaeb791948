// Several runs' curves overlaid, one colour per run: D and G losses (smoothed), D(x) (solid) and
// D(G(z)) (dashed), the distance each run's loss estimates (V + log 4 for bce;
// core/run/loss_estimate.h), Inception Score and FID-MNIST, and one of the inside figures (D's
// verdict spread, or one layer's gradient norm, chosen above its chart). The x axis is the step or the
// training time; hovering a line shows every run's value at that point.
#pragma once

#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

#include "core/run/observer.h"

class QChart;
class QComboBox;
class QLabel;
class QValueAxis;

namespace gan::ui {

class ChartView;

/// One run as the comparison draws it.
struct ComparedRun {
  QString label;  ///< the legend's: the run's name and what sets it apart
  QColor colour;
  gan::Loss loss = gan::Loss::kBce;  ///< what its D outputs and losses mean
  QVector<gan::StepRecord> steps;
  QVector<gan::QualityRecord> scores;
  std::vector<gan::InsideRecord> inside;  ///< its inside figures' windows (none in older runs)
};

/// The colour of the i-th compared run (distinct for the first ten, then repeating).
QColor compare_colour(int i);

class CompareCharts : public QWidget {
  Q_OBJECT

 public:
  enum class Axis { kStep, kTime };
  explicit CompareCharts(QWidget* parent = nullptr);

  void setRuns(const std::vector<ComparedRun>& runs);
  void setAxis(Axis axis);
  Axis axis() const { return axis_; }

  /// The chart titles, in order; and the points of `run` on the chart `title` (for tests).
  QStringList titles() const;
  QVector<QPointF> points(const QString& title, int run) const;
  /// "run: value" for each run at x on the chart `title`: what hovering shows.
  QString valuesAt(const QString& title, double x) const;
  /// The legend above the charts: each run's colour and label.
  QString legendText() const;

  /// The title of the chart of the inside figures, and the figures it can overlay: D's verdict
  /// spread on generated and on real digits, then the gradient norm of each parameter tensor
  /// the runs have ("G layers.0.weight").
  static const QString kInsideTitle;
  QStringList insideFigures() const;
  void setInsideFigure(const QString& figure);
  QString insideFigure() const;

 private:
  struct Panel {
    QString title;
    ChartView* view = nullptr;
    QChart* chart = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::vector<QVector<QPointF>> lines;  // per run (D(x) panel: the D(x) line)
  };
  void rebuild();
  Panel& panel(const QString& title);
  /// One run's line on the chart `title`, in its colour, hovered for every run's value there.
  void addRunLine(const QString& title, const ComparedRun& run, const QVector<QPointF>& points);

  QLabel* legend_ = nullptr;
  QComboBox* inside_figure_ = nullptr;
  std::vector<Panel> panels_;
  std::vector<ComparedRun> runs_;
  Axis axis_ = Axis::kStep;
};

}  // namespace gan::ui
