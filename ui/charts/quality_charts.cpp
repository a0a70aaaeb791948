#include "ui/charts/quality_charts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QProgressBar>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/charts/chart_view.h"

namespace gan::ui {
namespace {

// What the scores are measured with. FID-MNIST is the Fréchet distance in the MNIST judge's
// features; another dataset's judge (Fashion-MNIST's, a picture folder's) makes an FID of its own,
// comparable only between runs on that dataset, and its "real" are not digits.
bool mnistJudge(const gan::JudgeReference& reference, bool known) {
  return !known || reference.dataset.empty() || reference.dataset == "mnist";
}
QString fidName(const gan::JudgeReference& reference, bool known) {
  return mnistJudge(reference, known) ? QObject::tr("FID-MNIST")
                                      : QObject::tr("FID in the %1 judge's features").arg(QString::fromStdString(reference.dataset));
}
QString realName(const gan::JudgeReference& reference, bool known) {
  return mnistJudge(reference, known) ? QObject::tr("real digits") : QObject::tr("real images");
}

QChart* makeChart(const QString& title) {
  auto* chart = new QChart();
  chart->setTitle(title);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setMargins(QMargins(4, 2, 4, 2));
  chart->legend()->setAlignment(Qt::AlignTop);
  return chart;
}

QChartView* makeView(QChart* chart, QWidget* parent) {
  auto* view = new QChartView(chart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(kLeastChartHeight);  // three labelled ticks a side (chart_view.h)
  return view;
}

QLineSeries* makeLine(QChart* chart, const QString& name, const QPen& pen) {
  auto* series = new QLineSeries();
  series->setName(name);
  series->setPen(pen);
  series->setPointsVisible(true);
  chart->addSeries(series);
  return series;
}

// Upper end of a step axis: the last step rounded up to a readable number.
double stepAxisEnd(double last) {
  if (last <= 0) return 1000;
  const double magnitude = std::pow(10.0, std::floor(std::log10(last)));
  for (const double factor : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
    if (factor * magnitude >= last) return factor * magnitude;
  }
  return last;
}

}  // namespace

QualityCharts::QualityCharts(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);

  // While the judge trains beside the run (the first run on a machine), its progress stands where
  // its charts will be.
  judge_training_ = new QWidget(this);
  auto* training_layout = new QHBoxLayout(judge_training_);
  training_layout->setContentsMargins(6, 2, 6, 2);
  judge_training_label_ = new QLabel(judge_training_);
  judge_training_bar_ = new QProgressBar(judge_training_);
  judge_training_bar_->setRange(0, 100);
  training_layout->addWidget(judge_training_label_);
  training_layout->addWidget(judge_training_bar_, 1);
  judge_training_->setToolTip(tr("A classifier trained once on the dataset's labelled digits scores the samples: "
                                 "Inception Score, FID and the class histogram. It is cached for every later run."));
  judge_training_->hide();
  layout->addWidget(judge_training_);
  // Without a judge the charts stay empty: this line says why, where they would fill.
  unavailable_ = new QLabel(this);
  unavailable_->setWordWrap(true);
  unavailable_->setContentsMargins(6, 2, 6, 2);
  unavailable_->hide();
  layout->addWidget(unavailable_);
  // The four charts two by two: in one column each was too short for its axis's labels.
  auto* grid = new QGridLayout;
  grid->setSpacing(2);
  layout->addLayout(grid, 1);

  histogram_chart_ = makeChart(tr("Digits the judge sees (click a bar)"));
  shares_ = new QBarSet(tr("share of samples"));
  shares_->setColor(QColor(0x1f, 0x77, 0xb4));
  shares_->setSelectedColor(QColor(0xd6, 0x27, 0x28));
  bars_ = new QBarSeries();
  bars_->append(shares_);
  bars_->setBarWidth(0.8);
  histogram_chart_->addSeries(bars_);
  class_axis_ = new QBarCategoryAxis();
  auto* classes = class_axis_;
  setClassCount(10);
  share_axis_ = new QValueAxis();
  share_axis_->setRange(0, 30);
  share_axis_->setLabelFormat("%d%%");
  share_axis_->setTickCount(4);
  histogram_chart_->addAxis(classes, Qt::AlignBottom);
  histogram_chart_->addAxis(share_axis_, Qt::AlignLeft);
  bars_->attachAxis(classes);
  bars_->attachAxis(share_axis_);
  histogram_chart_->legend()->hide();
  connect(shares_, &QBarSet::clicked, this, &QualityCharts::classClicked);
  grid->addWidget(makeView(histogram_chart_, this), 0, 0);

  const QPen reference_pen(Qt::gray, 1.0, Qt::DashLine);
  score_chart_ = makeChart(tr("Inception Score (MNIST judge)"));
  score_ = makeLine(score_chart_, tr("generated"), QPen(QColor(0x2c, 0xa0, 0x2c), 2.0));
  score_reference_ = makeLine(score_chart_, tr("real digits"), reference_pen);
  score_reference_->setPointsVisible(false);
  score_x_ = new QValueAxis();
  score_x_->setLabelFormat("%d");
  score_x_->setTickCount(3);
  score_y_ = new QValueAxis();
  score_y_->setRange(1, 10);
  score_y_->setTickCount(4);
  score_y_->setLabelFormat("%.0f");
  score_chart_->addAxis(score_x_, Qt::AlignBottom);
  score_chart_->addAxis(score_y_, Qt::AlignLeft);
  for (auto* series : {score_, score_reference_}) {
    series->attachAxis(score_x_);
    series->attachAxis(score_y_);
  }
  accuracy_ = makeLine(score_chart_, tr("conditional accuracy"), QPen(QColor(0xd6, 0x27, 0x28), 2.0));
  accuracy_axis_ = new QValueAxis();
  accuracy_axis_->setRange(0, 100);
  accuracy_axis_->setTickCount(3);
  accuracy_axis_->setLabelFormat("%.0f%%");
  accuracy_axis_->setLabelsColor(QColor(0xd6, 0x27, 0x28));
  score_chart_->addAxis(accuracy_axis_, Qt::AlignRight);
  accuracy_->attachAxis(score_x_);
  accuracy_->attachAxis(accuracy_axis_);
  accuracy_axis_->hide();
  grid->addWidget(makeView(score_chart_, this), 0, 1);

  fid_chart_ = makeChart(tr("FID-MNIST (lower is better)"));
  fid_ = makeLine(fid_chart_, tr("generated"), QPen(QColor(0x94, 0x67, 0xbd), 2.0));
  fid_reference_ = makeLine(fid_chart_, tr("real vs real"), reference_pen);
  fid_reference_->setPointsVisible(false);
  fid_x_ = new QValueAxis();
  fid_x_->setLabelFormat("%d");
  fid_x_->setTickCount(3);
  fid_y_ = new QLogValueAxis();
  fid_y_->setBase(10);
  fid_y_->setLabelFormat("%g");
  fid_y_->setRange(1, 1000);
  fid_chart_->addAxis(fid_x_, Qt::AlignBottom);
  fid_chart_->addAxis(fid_y_, Qt::AlignLeft);
  for (auto* series : {fid_, fid_reference_}) {
    series->attachAxis(fid_x_);
    series->attachAxis(fid_y_);
  }
  grid->addWidget(makeView(fid_chart_, this), 1, 0);

  // Did G copy? The share of samples nearer a training digit than unseen real digits are (about
  // one half for those, the dashed line; near 1 for a generator that copies).
  memorised_chart_ = makeChart(tr("Memorised (share nearer a training digit than real unseen digits)"));
  memorised_ = makeLine(memorised_chart_, tr("generated"), QPen(QColor(0xff, 0x7f, 0x0e), 2.0));
  memorised_reference_ = makeLine(memorised_chart_, tr("unseen real digits"), reference_pen);
  memorised_reference_->setPointsVisible(false);
  memorised_x_ = new QValueAxis();
  memorised_x_->setLabelFormat("%d");
  memorised_x_->setTickCount(3);
  auto* memorised_y = new QValueAxis();
  memorised_y->setRange(0, 100);
  memorised_y->setTickCount(3);
  memorised_y->setLabelFormat("%.0f%%");
  memorised_chart_->addAxis(memorised_x_, Qt::AlignBottom);
  memorised_chart_->addAxis(memorised_y, Qt::AlignLeft);
  for (auto* series : {memorised_, memorised_reference_}) {
    series->attachAxis(memorised_x_);
    series->attachAxis(memorised_y);
  }
  memorised_chart_->legend()->hide();
  grid->addWidget(makeView(memorised_chart_, this), 1, 1);
  // Small charts: the titles name the lines (the reference is the dashed one), no legends.
  score_chart_->legend()->hide();
  fid_chart_->legend()->hide();
  clear();
}

void QualityCharts::clear() {
  records_.clear();
  has_reference_ = false;
  judge_training_->hide();
  unavailable_->hide();
  updateHistogram();
  updateLines();
}

void QualityCharts::setJudgeTraining(const QString& dataset, double fraction) {
  judge_training_label_->setText(tr("Training the %1 judge beside the run").arg(dataset));
  judge_training_bar_->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 100)));
  judge_training_->show();
}

void QualityCharts::setJudgeUnavailable(const QString& reason) {
  judge_training_->hide();
  unavailable_->setText(tr("<b>No sample-quality figures for this run:</b> %1").arg(reason.toHtmlEscaped()));
  unavailable_->show();
}

QString QualityCharts::unavailableText() const { return unavailable_->isHidden() ? QString() : unavailable_->text(); }

void QualityCharts::setReference(const gan::JudgeReference& reference) {
  reference_ = reference;
  has_reference_ = true;
  judge_training_->hide();
  unavailable_->hide();
  score_y_->setRange(1, std::max<double>(10, static_cast<double>(reference.classes)));
  if (reference.classes > 0) setClassCount(static_cast<int>(reference.classes));
  updateLines();
}

void QualityCharts::setCollapseLimits(double low, double high, double confidence_low) {
  low_ = low;
  high_ = high;
  confidence_low_ = confidence_low;
  updateHistogram();
}

void QualityCharts::addRecord(const gan::QualityRecord& record) {
  // A resumed run scores again from its checkpoint: newer records replace what came after.
  while (!records_.isEmpty() && records_.back().step >= record.step) records_.pop_back();
  records_.push_back(record);
  updateHistogram();
  updateLines();
}

QList<QPointF> QualityCharts::accuracy() const { return accuracy_->points(); }
QList<QPointF> QualityCharts::memorised() const { return memorised_->points(); }
QList<QPointF> QualityCharts::memorisedReference() const { return memorised_reference_->points(); }

QStringList QualityCharts::classLabels() const { return class_axis_->categories(); }

QVector<double> QualityCharts::histogram() const {
  QVector<double> shares;
  for (int c = 0; c < shares_->count(); ++c) shares.push_back(shares_->at(c) / 100.0);
  return shares;
}

void QualityCharts::setClassCount(int count) {
  if (class_axis_->count() == count) return;
  // One category per class the judge knows (a picture folder has as many as it has subfolders),
  // numbered in the folders' name order as the labels are.
  QStringList names;
  for (int c = 0; c < count; ++c) names << QString::number(c);
  class_axis_->clear();
  class_axis_->append(names);
}

void QualityCharts::updateHistogram() {
  shares_->remove(0, shares_->count());
  if (records_.isEmpty()) {
    histogram_chart_->setTitle(tr("Digits the judge sees (after the first evaluation)"));
    return;
  }
  const gan::QualityRecord& latest = records_.back();
  if (const auto classes = std::max(latest.class_histogram.size(), latest.class_confidence.size()); classes > 0) {
    setClassCount(static_cast<int>(classes));
  }
  if (latest.conditional_accuracy && !latest.class_confidence.empty()) {
    // Asked for every digit alike, a conditional model's shares say little; how sure the judge is
    // that each asked-for digit is that digit is what its collapse alarm watches.
    for (std::size_t c = 0; c < latest.class_confidence.size(); ++c) {
      shares_->append(latest.class_confidence[c] * 100.0);
      if (latest.class_confidence[c] < confidence_low_) shares_->selectBar(static_cast<int>(c));
    }
    share_axis_->setRange(0, 100);
    histogram_chart_->setTitle(tr("Asked for each digit, the judge's confidence · step %1 · conditional accuracy %2% "
                                  "(click a bar)")
                                   .arg(latest.step)
                                   .arg(*latest.conditional_accuracy * 100, 0, 'f', 1));
    return;
  }
  double highest = 0;
  for (std::size_t c = 0; c < latest.class_histogram.size(); ++c) {
    const double share = latest.class_histogram[c];
    shares_->append(share * 100.0);
    highest = std::max(highest, share);
    if (share > high_ || share < low_) shares_->selectBar(static_cast<int>(c));
  }
  share_axis_->setRange(0, highest > 0.3 ? std::ceil(highest * 10) * 10 : 30);
  histogram_chart_->setTitle(tr("Digits the judge sees at step %1 · confidence %2 (click a bar)")
                                 .arg(latest.step)
                                 .arg(latest.mean_confidence, 0, 'f', 2));
}

void QualityCharts::updateLines() {
  QList<QPointF> scores, fids, accuracies, memorised;
  double last = 0, worst_fid = 10;
  for (const gan::QualityRecord& r : records_) {
    const double x = static_cast<double>(r.step);
    scores.append(QPointF(x, r.inception_score));
    if (r.conditional_accuracy) accuracies.append(QPointF(x, *r.conditional_accuracy * 100));
    if (r.memorised) memorised.append(QPointF(x, *r.memorised * 100));
    if (r.fid > 0 && std::isfinite(r.fid)) {
      fids.append(QPointF(x, r.fid));
      worst_fid = std::max(worst_fid, r.fid);
    }
    last = x;
  }
  const double end = stepAxisEnd(last);
  score_->replace(scores);
  fid_->replace(fids);
  accuracy_->replace(accuracies);
  memorised_->replace(memorised);
  accuracy_axis_->setVisible(!accuracies.isEmpty());
  score_x_->setRange(0, end);
  fid_x_->setRange(0, end);
  memorised_x_->setRange(0, end);
  if (has_reference_ && reference_.memorised >= 0) {
    memorised_reference_->replace({QPointF(0, reference_.memorised * 100), QPointF(end, reference_.memorised * 100)});
  } else {
    memorised_reference_->clear();
  }
  if (!memorised.isEmpty()) {
    memorised_chart_->setTitle(tr("Memorised %1% · unseen real digits %2% (dashed) · near 100%: G copies")
                                   .arg(memorised.back().y(), 0, 'f', 1)
                                   .arg(has_reference_ && reference_.memorised >= 0 ? reference_.memorised * 100 : 0.0, 0,
                                        'f', 1));
  } else {
    memorised_chart_->setTitle(has_reference_ && reference_.memorised < 0
                                   ? tr("Memorised: this run's files hold no memorisation figure (written before it existed)")
                                   : tr("Memorised (from the first evaluation on)"));
  }
  if (has_reference_) {
    score_reference_->replace({QPointF(0, reference_.inception_score), QPointF(end, reference_.inception_score)});
    fid_reference_->replace({QPointF(0, reference_.fid), QPointF(end, reference_.fid)});
    score_reference_->setName(tr("%1 %2").arg(realName(reference_, true)).arg(reference_.inception_score, 0, 'f', 2));
    fid_reference_->setName(tr("real vs real %1").arg(reference_.fid, 0, 'f', 1));
  } else {
    score_reference_->clear();
    fid_reference_->clear();
  }
  const double floor = has_reference_ ? std::min(1.0, reference_.fid) : 1.0;
  fid_y_->setRange(std::pow(10.0, std::floor(std::log10(std::max(floor, 1e-3)))),
                   std::pow(10.0, std::ceil(std::log10(worst_fid))));
  if (!records_.isEmpty()) {
    // A conditional model's accuracy leads: the title is cut where the chart is narrow.
    const auto& accuracy = records_.back().conditional_accuracy;
    const QString real = realName(reference_, has_reference_);
    score_chart_->setTitle(accuracy ? tr("Conditional accuracy %1% (red, right) · Inception Score %2 · %3 %4")
                                          .arg(*accuracy * 100, 0, 'f', 1)
                                          .arg(records_.back().inception_score, 0, 'f', 2)
                                          .arg(real)
                                          .arg(has_reference_ ? reference_.inception_score : 0.0, 0, 'f', 2)
                                    : tr("Inception Score %1 · %2 %3 (dashed)")
                                          .arg(records_.back().inception_score, 0, 'f', 2)
                                          .arg(real)
                                          .arg(has_reference_ ? reference_.inception_score : 0.0, 0, 'f', 2));
    fid_chart_->setTitle(tr("%1 %2 · real vs real %3 (dashed) · lower is better")
                             .arg(fidName(reference_, has_reference_))
                             .arg(records_.back().fid, 0, 'f', 1)
                             .arg(has_reference_ ? reference_.fid : 0.0, 0, 'f', 1));
  } else {
    score_chart_->setTitle(tr("Inception Score (from the first evaluation on)"));
    fid_chart_->setTitle(tr("%1 (lower is better)").arg(fidName(reference_, has_reference_)));
  }
}

}  // namespace gan::ui
