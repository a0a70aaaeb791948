// The judge's view of a run (judge.h): the class histogram of the latest evaluation (bars you can
// click to see digits of that class; bars outside the collapse alarm's limits in red), the
// Inception Score, the FID-MNIST and the memorisation figure over the run, each with real data's own
// as the line to reach. Evaluations come every thousand steps or so, so the charts update directly.
#pragma once

#include <QVector>
#include <QWidget>

#include "core/run/observer.h"

class QBarSet;
class QLabel;
class QProgressBar;
class QBarSeries;
class QBarCategoryAxis;
class QChart;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace gan::ui {

class QualityCharts : public QWidget {
  Q_OBJECT

 public:
  explicit QualityCharts(QWidget* parent = nullptr);

  void clear();
  /// The judge trains beside the run: a progress bar above the charts until setReference().
  void setJudgeTraining(const QString& dataset, double fraction);
  /// True while that progress bar shows; for tests.
  bool showsJudgeTraining() const { return !judge_training_->isHidden(); }
  /// There is no judge for this run: a line above the charts says why (until clear() or setReference()).
  void setJudgeUnavailable(const QString& reason);
  /// That line's text while it shows, else empty; for tests.
  QString unavailableText() const;
  /// Real data's scores: the reference lines, and the number of classes; hides the progress bar.
  void setReference(const gan::JudgeReference& reference);
  /// The collapse alarm's limits, to colour the bars that break them (a conditional model's bars
  /// are each digit's confidence, coloured below `confidence_low`).
  void setCollapseLimits(double low, double high, double confidence_low = 0.1);
  void addRecord(const gan::QualityRecord& record);

  /// The histogram on display (shares), and how many evaluations the line charts hold; for tests.
  QVector<double> histogram() const;
  int evaluations() const { return static_cast<int>(records_.size()); }
  QBarSet* histogramBars() const { return shares_; }
  /// The histogram's category labels (one per class); for tests.
  QStringList classLabels() const;
  /// A conditional model's conditional accuracy line (percent by step); for tests.
  QList<QPointF> accuracy() const;
  /// The memorisation line (percent by step) and its dashed reference; for tests.
  QList<QPointF> memorised() const;
  QList<QPointF> memorisedReference() const;

 signals:
  /// A histogram bar was clicked: show digits of class `label`.
  void classClicked(int label);

 private:
  void updateHistogram();
  void updateLines();
  /// The histogram's categories: 0 .. count-1.
  void setClassCount(int count);

  QWidget* judge_training_;
  QLabel* unavailable_;
  QLabel* judge_training_label_;
  QProgressBar* judge_training_bar_;
  QChart* histogram_chart_;
  QBarSeries* bars_;
  QBarSet* shares_;
  QBarCategoryAxis* class_axis_;
  QValueAxis* share_axis_;
  QChart* score_chart_;
  QLineSeries* score_;
  QLineSeries* score_reference_;
  QLineSeries* accuracy_;     // a conditional model's conditional accuracy, on its own 0..100 % axis
  QValueAxis* accuracy_axis_;
  QValueAxis* score_x_;
  QValueAxis* score_y_;
  QChart* fid_chart_;
  QLineSeries* fid_;
  QLineSeries* fid_reference_;
  QValueAxis* fid_x_;
  QLogValueAxis* fid_y_;
  QChart* memorised_chart_;
  QLineSeries* memorised_;
  QLineSeries* memorised_reference_;
  QValueAxis* memorised_x_;

  QVector<gan::QualityRecord> records_;
  gan::JudgeReference reference_;
  bool has_reference_ = false;
  double low_ = 0.02;
  double high_ = 0.30;
  double confidence_low_ = 0.1;
};

}  // namespace gan::ui
