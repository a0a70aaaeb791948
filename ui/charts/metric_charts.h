// The live charts of a run: D and G losses (raw, faint, and smoothed), D(x) and D(G(z)) with the
// equilibrium the theory predicts (0.5 for bce's probabilities; raw scores on their own axis for
// the other losses), and the distance the loss estimates (bce: V(D,G) + log 4 = log 4 - 2 * d_loss,
// which is 2 * JSD(p_data || p_g) when D is optimal; core/run/loss_estimate.h) with its zero line. New steps only fill bounded buffers;
// a timer redraws at most 25 times a second, so the training rate never sets the repaint rate.
// Repaints also stay within a time budget (2% of the wall clock): on a 2-core machine the GUI
// thread competes with training for the same cores, so a slow software renderer redraws less often.
#pragma once

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <array>
#include <vector>

#include "core/run/observer.h"
#include "ui/charts/series_buffer.h"

class QChart;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QGraphicsSimpleTextItem;

namespace gan::ui {

class ChartView;

class MetricCharts : public QWidget {
  Q_OBJECT

 public:
  explicit MetricCharts(QWidget* parent = nullptr);

  void clear();
  /// What the run's loss makes of its numbers: titles, the D-output axis, the estimate plotted.
  /// Call before its steps arrive (clear() keeps it).
  void setLoss(gan::Loss loss);
  gan::Loss loss() const { return loss_; }
  /// Appends steps after the last one shown; steps at or before it are ignored (see clear()).
  void addSteps(const QVector<gan::StepRecord>& steps);
  /// The run this one was forked from, drawn in grey under the live lines (smoothed).
  void setParentRun(const QVector<gan::StepRecord>& steps);
  /// A vertical marker at `step` on every chart, labelled on the loss chart (hyperparameter changes).
  void addMarker(qint64 step, const QString& label);
  /// The markers' labels, oldest first (for tests: a state to wait for, where the status bar's
  /// message is replaced by the next one).
  QStringList markerLabels() const;

  /// The charts as one image, for export.
  QImage renderImage();
  /// How many times the charts were redrawn (the timer coalesces many batches into one redraw).
  int redrawCount() const { return redraws_; }
  /// The D-output chart's y range as fitted (0..1 for probabilities); for tests.
  QPair<double, double> outputRange() const;
  /// Points currently held by the buffer behind a series, e.g. "D loss"; for tests.
  const SeriesBuffer* buffer(const QString& series) const;
  /// The marks of the steps `side` took alone (x: step, y: that side's loss); for tests.
  const QList<QPointF>& oneSidedMarks(gan::StepSide side) const {
    return one_sided_[side == gan::StepSide::kDiscriminator ? 0 : 1].points;
  }

 private:
  struct Line {
    QLineSeries* series = nullptr;
    SeriesBuffer buffer;
  };
  struct Panel {
    ChartView* view = nullptr;
    QChart* chart = nullptr;
    QValueAxis* x = nullptr;
    QValueAxis* y = nullptr;
    std::vector<Line> lines;
    std::vector<Line> parent;  // the parent run of a fork
    QLineSeries* reference = nullptr;  // the horizontal line the theory predicts
    double reference_value = 0;
    double y_floor = 0;                // lowest y shown when following (losses never go below 0)
    bool floor_fixed = false;
    bool unit_range = false;           // probabilities: always 0..1
    std::vector<QLineSeries*> markers;
    std::vector<QGraphicsSimpleTextItem*> labels;
  };

  Panel& makePanel(const QString& title, const QString& y_title);
  Line& addLine(Panel& panel, const QString& name, const QColor& color, bool faint);
  QLineSeries* makeSeries(Panel& panel, const QString& name, const QPen& pen);
  void setReference(Panel& panel, double value, const QString& name);
  void redraw();
  void fitAxes(Panel& panel);

  std::vector<Panel> panels_;
  QTimer redraw_timer_;
  int redraws_ = 0;
  qint64 frame_nanoseconds_ = 0;  // paint time of the charts since the last redraw
  qint64 first_step_ = -1;
  qint64 last_step_ = 0;
  // The five plotted quantities of a step, raw and as exponential moving averages.
  enum Quantity { kDLoss, kGLoss, kDReal, kDFake, kValue };
  struct Smoother {
    gan::Loss loss = gan::Loss::kBce;
    std::array<double, 5> raw{};
    std::array<double, 5> smooth{};
    bool started = false;
    Smoother& add(const gan::StepRecord& step);
  };
  gan::Loss loss_ = gan::Loss::kBce;
  Smoother smooth_;
  struct Marker {
    qint64 step;
    QString label;
  };
  QList<Marker> markers_;
  struct OneSided {
    QScatterSeries* series = nullptr;
    QList<QPointF> points;
    bool changed = false;
  };
  std::array<OneSided, 2> one_sided_;  // D alone, G alone
};

}  // namespace gan::ui
