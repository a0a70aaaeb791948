// The judge's charts: the latest histogram, bars outside the collapse limits marked, lines with
// their reference, a click on a bar asking for that class's digits, and the window that shows them.
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>

#include <cmath>

#include "ui/charts/axis_range.h"
#include "ui/samples/class_digits_dialog.h"
#include "ui/charts/metric_charts.h"
#include "ui/session/qt_types.h"
#include "ui/charts/quality_charts.h"
#include "ui/charts/series_buffer.h"

using gan::ui::QualityCharts;

namespace {

gan::QualityRecord record(qint64 step, std::vector<double> histogram, double score) {
  gan::QualityRecord r;
  r.step = step;
  r.samples = 2000;
  r.inception_score = score;
  r.fid = 1000.0 / static_cast<double>(step);
  r.mean_confidence = 0.9;
  r.class_histogram = std::move(histogram);
  return r;
}

}  // namespace

class QualityChartsTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { gan::ui::register_meta_types(); }

  void axisLabelsReadZeroWhereTheyMeanZero() {
    // Ranges whose tick at 0 Qt computes an ulp below it (-0.1 + 1·0.6/6 = -1.4e-17, …): plain,
    // they label it "-0.00" (or "-2.77556e-17" with "%g", as the V + log 4 axis did).
    const std::pair<double, double> ranges[] = {{-0.1, 0.5}, {-0.2, 0.5}, {-0.3, 0.2}, {-0.3, 0.4}, {-0.6, 0.4}, {-1.2, 0.8}};
    auto negative_zero = [](const QStringList& labels) {
      for (const QString& label : labels) {
        if (label.startsWith("-0") && label.toDouble() == 0.0) return true;
      }
      return false;
    };
    int plain_wrong = 0;
    for (const auto& [low, high] : ranges) {
      QValueAxis plain;
      plain.setRange(low, high);
      plain.applyNiceNumbers();
      if (negative_zero(gan::ui::tickLabels(plain))) ++plain_wrong;
      QValueAxis axis;
      gan::ui::setRoundRange(&axis, low, high);
      const QStringList labels = gan::ui::tickLabels(axis);
      QVERIFY2(!negative_zero(labels), qPrintable(labels.join(' ')));
      QVERIFY2(labels.contains(QString::number(0.0, 'f', labels.front().section('.', 1).size())), qPrintable(labels.join(' ')));
      // Lifted by a trillionth of the range: every label reads as the plain axis's would.
      QVERIFY(std::abs(axis.min() - plain.min()) < 1e-9 && std::abs(axis.max() - plain.max()) < 1e-9);
    }
    QVERIFY2(plain_wrong > 0, "none of these ranges shows the problem any more: pick others");
  }

  void showsTheLatestHistogramAndMarksBarsOutsideTheLimits() {
    QualityCharts charts;
    gan::JudgeReference reference;
    reference.inception_score = 9.8;
    reference.fid = 4.6;
    reference.classes = 10;
    charts.setReference(reference);
    charts.addRecord(record(1000, std::vector<double>(10, 0.1), 5.0));
    std::vector<double> collapsed(10, 0.05);
    collapsed[3] = 0.55;
    collapsed[7] = 0.0;
    charts.addRecord(record(2000, collapsed, 2.0));
    QCOMPARE(charts.evaluations(), 2);
    const QVector<double> shown = charts.histogram();
    QCOMPARE(shown.size(), 10);
    QCOMPARE(shown[3], 0.55);
    QBarSet* bars = charts.histogramBars();
    QVERIFY(bars->isBarSelected(3));
    QVERIFY(bars->isBarSelected(7));
    QVERIFY(!bars->isBarSelected(0));

    // A resumed run scores from its checkpoint again: later points are replaced, not duplicated.
    charts.addRecord(record(1500, std::vector<double>(10, 0.1), 6.0));
    QCOMPARE(charts.evaluations(), 2);
    QVERIFY(!charts.histogramBars()->isBarSelected(3));
  }

  // A folder's or Fashion-MNIST's judge makes an FID of its own: the charts do not call it FID-MNIST,
  // and its real images are not digits; no judge at all is said in words above the charts.
  void theChartsNameTheJudgeTheyAreMeasuredWith() {
    auto titles = [](const QualityCharts& charts) {
      QStringList all;
      for (const QChartView* view : charts.findChildren<QChartView*>()) all << view->chart()->title();
      return all.join(" | ");
    };
    QualityCharts mnist;
    gan::JudgeReference reference;
    reference.dataset = "mnist";
    reference.classes = 10;
    mnist.setReference(reference);
    mnist.addRecord(record(1000, std::vector<double>(10, 0.1), 5.0));
    QVERIFY2(titles(mnist).contains("FID-MNIST") && titles(mnist).contains("real digits"), qPrintable(titles(mnist)));

    QualityCharts folder;
    reference.dataset = "folder";
    folder.setReference(reference);
    folder.addRecord(record(1000, std::vector<double>(10, 0.1), 5.0));
    QVERIFY2(!titles(folder).contains("FID-MNIST") && titles(folder).contains("FID in the folder judge's features") &&
                 titles(folder).contains("real images"),
             qPrintable(titles(folder)));

    QualityCharts none;
    QVERIFY(none.unavailableText().isEmpty());
    none.setJudgeUnavailable("folder x has no labels");
    QVERIFY2(none.unavailableText().contains("folder x has no labels"), qPrintable(none.unavailableText()));
    none.clear();
    QVERIFY(none.unavailableText().isEmpty());
  }

  // A picture folder's judge knows as many classes as the folder has subfolders: one bar each.
  void theHistogramHasABarPerClassOfTheJudge() {
    QualityCharts charts;
    QCOMPARE(charts.classLabels().size(), 10);
    gan::JudgeReference reference;
    reference.dataset = "folder";
    reference.classes = 3;
    charts.setReference(reference);
    QCOMPARE(charts.classLabels(), (QStringList{"0", "1", "2"}));
    charts.addRecord(record(1000, {0.5, 0.3, 0.2}, 2.0));
    QCOMPARE(charts.histogram().size(), 3);
    QualityCharts wide;  // an opened run's records, before any reference: the records' own width
    wide.addRecord(record(1000, std::vector<double>(20, 0.05), 12.0));
    QCOMPARE(wide.classLabels().size(), 20);
    QCOMPARE(wide.classLabels().back(), QString("19"));
  }

  void clickingABarAsksForThatClass() {
    QualityCharts charts;
    charts.addRecord(record(1000, std::vector<double>(10, 0.1), 5.0));
    QSignalSpy clicked(&charts, &QualityCharts::classClicked);
    emit charts.histogramBars()->clicked(4);
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().at(0).toInt(), 4);
  }

  void lossChartsIgnoreStepsAlreadyShown() {
    // A resumed run's first rows may be read from disk and then arrive live as well.
    gan::ui::MetricCharts charts;
    auto steps = [](qint64 from, qint64 to) {
      QVector<gan::StepRecord> records;
      for (qint64 s = from; s <= to; ++s) records.push_back(gan::StepRecord{s, 0, 0.5f, 0.9f, 0.7f, 0.3f, 0.0});
      return records;
    };
    charts.addSteps(steps(1, 5));
    charts.addSteps(steps(3, 7));
    QCOMPARE(charts.buffer("D loss")->points().size(), 7);
    charts.clear();
    charts.addSteps(steps(1, 3));
    QCOMPARE(charts.buffer("D loss")->points().size(), 3);
  }

  void aConditionalModelShowsEachDigitsConfidenceAndItsAccuracy() {
    QualityCharts charts;
    charts.setCollapseLimits(0.02, 0.3, 0.5);
    gan::QualityRecord r = record(1000, std::vector<double>(10, 0.1), 8.0);
    r.conditional_accuracy = 0.9;
    r.class_confidence.assign(10, 0.95);
    r.class_confidence[7] = 0.25;
    charts.addRecord(r);
    r.step = 2000;
    r.conditional_accuracy = 0.97;
    charts.addRecord(r);
    // The bars are the judge's confidence per digit asked for; the weak one is marked.
    const QVector<double> shown = charts.histogram();
    QCOMPARE(shown.size(), 10);
    QCOMPARE(shown[0], 0.95);
    QCOMPARE(shown[7], 0.25);
    QVERIFY(charts.histogramBars()->isBarSelected(7));
    QVERIFY(!charts.histogramBars()->isBarSelected(0));
    const QList<QPointF> accuracy = charts.accuracy();
    QCOMPARE(accuracy.size(), 2);
    QCOMPARE(accuracy[1], QPointF(2000, 97.0));
    // An unconditional record has no accuracy point.
    charts.clear();
    charts.addRecord(record(1000, std::vector<double>(10, 0.1), 5.0));
    QVERIFY(charts.accuracy().isEmpty());
  }

  void eachLossChartsItsOwnEstimateAndOutputAxis() {
    gan::ui::MetricCharts charts;
    charts.resize(600, 600);
    charts.setLoss(gan::Loss::kWganGp);
    QVector<gan::StepRecord> steps;
    for (qint64 s = 1; s <= 5; ++s) steps.push_back(gan::StepRecord{s, 0, -1.5f, 0.5f, 3.0f, -2.0f, 0.0});
    charts.addSteps(steps);
    QVERIFY(charts.buffer("V + log 4") == nullptr);
    const auto* estimate = charts.buffer("Wasserstein estimate (raw)");
    QVERIFY(estimate != nullptr);
    QCOMPARE(estimate->points().back().y(), 5.0);  // mean D(x) - mean D(G(z))
    // A critic's scores get their own axis, not 0..1.
    QTRY_VERIFY(charts.outputRange().second >= 3.0 && charts.outputRange().first <= -2.0);
    charts.clear();
    charts.setLoss(gan::Loss::kBce);
    charts.addSteps({gan::StepRecord{1, 0, 0.5f, 0.9f, 0.7f, 0.3f, 0.0}});
    QCOMPARE(charts.buffer("V + log 4 (raw)")->points().back().y(), std::log(4.0) - 2 * 0.5);
    QTRY_COMPARE(charts.outputRange(), qMakePair(0.0, 1.0));
  }

  void classDigitsWindowShowsTheDigitsOrSaysThereAreNone() {
    gan::ui::ClassDigitsDialog dialog;
    QVector<QImage> digits;
    for (int i = 0; i < 10; ++i) {
      QImage digit(28, 28, QImage::Format_Grayscale8);
      digit.fill(i * 20);
      digits.push_back(digit);
    }
    dialog.showDigits(3, digits, 0.125);
    QCOMPARE(dialog.label(), 3);
    QCOMPARE(dialog.digitCount(), 10);
    QVERIFY(dialog.windowTitle().contains("3"));
    const auto labels = dialog.findChildren<QLabel*>();
    bool caption = false, grid = false;
    for (QLabel* label : labels) {
      caption |= label->text().contains("12.5% of the evaluation batch look like a 3");
      grid |= !label->pixmap().isNull() && label->pixmap().width() == 8 * (84 + 2) + 2;
    }
    QVERIFY(caption);
    QVERIFY(grid);
    dialog.showDigits(5, {}, 0.0);
    QCOMPARE(dialog.digitCount(), 0);
    // A conditional model's digits were asked for.
    dialog.showDigits(6, digits, 0.9, /*asked=*/true);
    QVERIFY(dialog.windowTitle().contains("Digit 6, as asked"));
    bool asked = false;
    for (QLabel* label : dialog.findChildren<QLabel*>()) {
      asked |= label->text().contains("when asked for a 6; the judge takes 90.0% of them");
    }
    QVERIFY(asked);
  }
};

QTEST_MAIN(QualityChartsTest)
#include "quality_charts_test.moc"
