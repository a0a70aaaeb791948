// The inside of the networks, window by window (observer.h InsideRecord, inside.interval steps each):
//   - D's verdicts as a map: x the windows in step order, y D's output, colour where the window's
//     verdicts fell (real blue, fake orange, each scaled to its own densest bin; where both fall the
//     colours mix). The two humps pull apart when D wins and meet at 0.5 at equilibrium; fakes piled
//     into one bin show as a thin bright line that a mean hides. Hovering a window shows its two
//     histograms and its steps.
//   - Each parameter tensor of G and D as a line on a log scale: its gradient norm, its weight norm
//     or its update-to-weight ratio (chosen), G's solid and D's dashed.
// Fed by the trainer (addRecord) or from a run folder (setRecords); repaints at most five times a
// second however fast windows arrive.
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "core/run/observer.h"
#include "ui/charts/series_buffer.h"

class QChart;
class QComboBox;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace gan::ui {

class ChartView;

class VerdictMap : public QWidget {
  Q_OBJECT

 public:
  explicit VerdictMap(QWidget* parent = nullptr);

  void setRecords(const std::vector<gan::InsideRecord>& records);
  void addRecord(const gan::InsideRecord& record);
  void clear();
  int windows() const { return static_cast<int>(columns_.size()); }
  /// The window drawn at widget column `x`; -1 for none.
  int windowAt(int x) const;
  /// How many of the run's windows each column stands for: 1, or 2, 4... once a long run has more
  /// windows than the map keeps (kColumns), every other one is let go.
  int stride() const { return stride_; }
  static constexpr int kColumns = 2000;
  /// What hovering window `index` says: its steps and where real and fake verdicts lie.
  QString describe(int index) const;
  /// The range of D's outputs the map spans (0..1 for probabilities).
  QPair<double, double> outputRange() const { return {low_, high_}; }
  QSize sizeHint() const override { return {640, 260}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  struct Column {
    qint64 step = 0;
    qint64 steps = 0;
    gan::VerdictHistogram real;
    gan::VerdictHistogram fake;
  };
  QRect plotRect() const;
  void fitRange();
  void paintHistograms(QPainter& painter, const Column& column, const QRect& box) const;

  std::vector<Column> columns_;
  bool probabilities_ = true;
  int stride_ = 1;
  int skipped_ = 0;  // windows let go since the last one kept (stride > 1)
  double low_ = 0;
  double high_ = 1;
  int hovered_ = -1;
};

class InsideView : public QWidget {
  Q_OBJECT

 public:
  explicit InsideView(QWidget* parent = nullptr);

  enum class Figure { kGradientNorm, kUpdateRatio, kWeightNorm };
  void setFigure(Figure figure);
  Figure figure() const { return figure_; }

  void clear();
  void setRecords(const std::vector<gan::InsideRecord>& records);
  void addRecord(const gan::InsideRecord& record);

  VerdictMap* verdicts() const { return map_; }
  /// The lines of the layer chart, one per parameter tensor, named "G layers.0.weight".
  QStringList lineNames() const;
  /// The points of the line `name` as drawn (for tests).
  QList<QPointF> linePoints(const QString& name) const;
  /// The last window's step, 0 before any.
  qint64 lastStep() const { return last_step_; }
  /// The last window shown (live or read from a run folder); empty before any.
  const std::optional<gan::InsideRecord>& latestRecord() const { return latest_; }

 signals:
  /// A window was added, or the windows were replaced or cleared: latestRecord() changed.
  void latestChanged();

 private:
  struct Line {
    QString name;
    QLineSeries* series = nullptr;
    SeriesBuffer figures[3];  // by Figure
  };
  void append(const gan::InsideRecord& record);
  Line& line(const gan::ParameterFigures& parameter);
  void redraw();

  VerdictMap* map_;
  QComboBox* figure_box_;
  ChartView* view_;
  QChart* chart_;
  QValueAxis* x_;
  QLogValueAxis* y_;
  std::vector<std::unique_ptr<Line>> lines_;
  Figure figure_ = Figure::kGradientNorm;
  qint64 last_step_ = 0;
  std::optional<gan::InsideRecord> latest_;
  QTimer redraw_timer_;
};

}  // namespace gan::ui
