// The inside view (ui/inside/inside_view.h): D's verdicts as a map over the windows, hovered for a
// window's histograms, and each tensor's figures as lines on a log scale; the model diagram
// (ui/inside/model_diagram.h); the runs view's overlay of the runs' inside figures (ui/runs/compare_charts.h).
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "inside_window.h"
#include "ui/runs/compare_charts.h"
#include "ui/inside/inside_view.h"
#include "ui/inside/model_diagram.h"
#include "ui/session/qt_types.h"

using gan::ui::InsideView;
using gan::ui::VerdictMap;

namespace {

// A window of 20 steps ending at `step`: real verdicts at `real`, fake at `fake`, and a tensor in
// each network whose gradient grows with the step (D's did not move: no update on a log axis).
gan::InsideRecord window(qint64 step, double real = 0.75, double fake = 0.25) {
  const double gradient = 0.001 * static_cast<double>(step);
  return gan::test::inside_window(step, real, fake, {gradient, 2 * gradient, 0.001, 10}, {gradient, 2 * gradient, 0.0, 10});
}

}  // namespace

class InsideViewTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { gan::ui::register_meta_types(); }

  void aWindowIsAColumnAndHoveringItSaysWhereTheVerdictsLie() {
    InsideView view;
    view.resize(1000, 300);
    view.show();
    for (qint64 step = 20; step <= 200; step += 20) view.addRecord(window(step));
    VerdictMap* map = view.verdicts();
    QCOMPARE(map->windows(), 10);
    QCOMPARE(map->outputRange(), qMakePair(0.0, 1.0));
    // 0.75 lies in bin 24 (0.75 to 0.78125): its centre is the window's mean.
    QCOMPARE(map->describe(9), QString("steps 181–200: real 0.766 (0.75 to 0.75), fake 0.266 (0.25 to 0.25)"));
    QCOMPARE(map->describe(10), QString());
    // The map's columns span its plot from left to right: the last column is the last window.
    QCOMPARE(map->windowAt(map->width() - 13), 9);
    QCOMPARE(map->windowAt(0), -1);
    QTest::mouseMove(map, QPoint(map->width() - 13, map->height() / 2));
    QTRY_COMPARE(map->toolTip(), map->describe(9));
    // A window already shown (a resumed run's rows read from disk) is not added twice.
    view.addRecord(window(200));
    QCOMPARE(map->windows(), 10);
  }

  void rawScoresSpanEveryWindowsBins() {
    VerdictMap map;
    gan::InsideRecord a = window(20), b = window(40);
    for (gan::InsideRecord* r : {&a, &b}) r->probabilities = false;
    a.real.low = a.fake.low = -3;
    a.real.high = a.fake.high = 1;
    b.real.low = b.fake.low = -1;
    b.real.high = b.fake.high = 4;
    map.addRecord(a);
    map.addRecord(b);
    QCOMPARE(map.outputRange(), qMakePair(-3.0, 4.0));
  }

  void aLongRunKeepsEveryOtherWindowAndSaysSo() {
    VerdictMap map;
    for (qint64 i = 1; i <= VerdictMap::kColumns + 1; ++i) map.addRecord(window(20 * i));
    QCOMPARE(map.stride(), 2);
    QCOMPARE(map.windows(), VerdictMap::kColumns / 2 + 1);
    map.addRecord(window(20 * (VerdictMap::kColumns + 2)));  // let go: the column before stands for it
    QCOMPARE(map.windows(), VerdictMap::kColumns / 2 + 1);
    map.addRecord(window(20 * (VerdictMap::kColumns + 3)));
    QCOMPARE(map.windows(), VerdictMap::kColumns / 2 + 2);
  }

  void eachTensorIsALineInTheFigureChosen() {
    InsideView view;
    std::vector<gan::InsideRecord> records;
    for (qint64 step = 20; step <= 100; step += 20) records.push_back(window(step));
    view.setRecords(records);
    QCOMPARE(view.lineNames(), QStringList({"G layers.0.weight", "D layers.0.weight"}));
    QList<QPointF> g = view.linePoints("G layers.0.weight");
    QCOMPARE(g.size(), 5);
    QCOMPARE(g.last(), QPointF(100, 0.1));
    view.setFigure(InsideView::Figure::kUpdateRatio);
    QCOMPARE(view.linePoints("G layers.0.weight").last(), QPointF(100, 0.001));
    QCOMPARE(view.linePoints("D layers.0.weight").size(), 0);  // zeros have no place on a log axis
    view.setFigure(InsideView::Figure::kWeightNorm);
    QCOMPARE(view.linePoints("D layers.0.weight").last(), QPointF(100, 10));
    view.clear();
    QVERIFY(view.lineNames().isEmpty());
    QCOMPARE(view.verdicts()->windows(), 0);
    QCOMPARE(view.lastStep(), 0);
  }

  // A conditional D's first block is its label embedding; G's digits (and the real ones) go into
  // its first layer, and the arrow from "fake" says so.
  void theFakeDigitsFeedDsFirstLayerNotItsLabelEmbedding() {
    gan::ModelSummary summary;
    summary.latent_dim = 8;
    summary.batch = 4;
    for (const auto& [network, blocks] : {std::pair{"G", &summary.generator}, std::pair{"D", &summary.discriminator}}) {
      for (const char* name : {"label_embedding", "layers.0", "layers.2"}) {
        gan::BlockSummary block;
        block.network = network;
        block.name = name;
        block.modules = {std::string(name) == "label_embedding" ? "Embedding" : "Linear"};
        block.output_shape = {16};
        blocks->push_back(block);
      }
    }
    gan::ui::ModelDiagram diagram;
    diagram.resize(1000, 420);
    diagram.setSummary(summary);
    const QImage drawn = diagram.grab().toImage();
    // Just above a box's top centre: the arrow's last pixels, dark, or the background.
    auto arrowInto = [&](int index) {
      const QRect box = diagram.blockRect("D", index);
      return qGray(drawn.pixel(box.center().x(), box.top() - 3)) < 0xa0;
    };
    QVERIFY(arrowInto(1));
    QVERIFY(!arrowInto(0));
  }

  void theModelDiagramColoursEachBlockByItsGradientNormAndAClickSelectsIt() {
    gan::ModelSummary summary;
    summary.step = 40;
    summary.latent_dim = 8;
    summary.batch = 4;
    for (const auto& [network, blocks] : {std::pair{"G", &summary.generator}, std::pair{"D", &summary.discriminator}}) {
      gan::BlockSummary first;
      first.network = network;
      first.name = "layers.0";
      first.modules = {"Linear", "LeakyReLU"};
      first.weight = "layers.0.weight";
      first.parameters = {"layers.0.weight", "layers.0.bias"};
      first.output_shape = {16};
      first.parameter_count = 144;
      first.dead_share = 0.25;
      first.weight_counts.assign(gan::kWeightBins, 1.0);
      first.weight_low = -0.5;
      first.weight_high = 0.5;
      gan::BlockSummary second = first;
      second.name = "layers.2";
      second.modules = {"Linear", "Tanh"};
      second.weight = "layers.2.weight";
      second.dead_share = -1;
      blocks->push_back(first);
      blocks->push_back(second);
    }
    gan::ui::ModelDiagram diagram;
    diagram.resize(1000, 420);
    diagram.show();
    QVERIFY(!diagram.hasSummary());
    diagram.setSummary(summary);
    // The window's figures: G's layers.0.weight has a gradient norm of 0.04, D's 1e-9.
    diagram.setInside(window(40));
    gan::InsideRecord record = window(40);
    record.parameters[1].gradient_norm = 1e-9;
    diagram.setInside(record);
    QCOMPARE(diagram.gradientNorm(summary.generator[0]).value(), 0.04);
    QCOMPARE(diagram.gradientNorm(summary.discriminator[0]).value(), 1e-9);
    QVERIFY(!diagram.gradientNorm(summary.generator[1]).has_value());  // not in the window
    // Colours: grey without a figure; a vanishing gradient pale; a large one red.
    QCOMPARE(gan::ui::ModelDiagram::gradientColor(std::nullopt), QColor(0xe0, 0xe0, 0xe0));
    QCOMPARE(gan::ui::ModelDiagram::gradientColor(1e-9), QColor(0xee, 0xf3, 0xfa));
    QCOMPARE(gan::ui::ModelDiagram::gradientColor(100.0), QColor(0xd7, 0x30, 0x27));
    QVERIFY(gan::ui::ModelDiagram::gradientColor(0.04) != gan::ui::ModelDiagram::gradientColor(1e-9));
    // The boxes lie in two rows, G above D, and a click selects one and asks for fresh figures.
    const QRect g1 = diagram.blockRect("G", 1), d0 = diagram.blockRect("D", 0);
    QVERIFY(!g1.isEmpty() && !d0.isEmpty());
    QVERIFY(g1.bottom() < d0.top());
    QVERIFY(diagram.blockRect("G", 2).isEmpty());
    QSignalSpy selected(&diagram, &gan::ui::ModelDiagram::blockSelected);
    QTest::mouseClick(&diagram, Qt::LeftButton, {}, d0.center());
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.first().at(0).toString(), QString("D"));
    QCOMPARE(selected.first().at(1).toInt(), 0);
    QCOMPARE(diagram.selectedBlock()->network, std::string("D"));
    // A new summary keeps the selection; one without the block lets it go.
    diagram.setSummary(summary);
    QVERIFY(diagram.selectedBlock() != nullptr);
    summary.discriminator.clear();
    diagram.setSummary(summary);
    QVERIFY(diagram.selectedBlock() == nullptr);
    QVERIFY(diagram.grab().save("model-diagram-widget.png"));
  }

  void theComparisonOverlaysTheRunsInsideFigures() {
    gan::ui::CompareCharts charts;
    charts.resize(1000, 800);
    gan::ui::ComparedRun narrow, wide, old;
    narrow.label = "narrow";
    wide.label = "wide";
    old.label = "old";  // written before the inside figures: no windows
    for (qint64 step = 20; step <= 100; step += 20) {
      gan::StepRecord s{step, 0, 0.7f, 0.7f, 0.6f, 0.4f, static_cast<double>(step)};
      for (auto* run : {&narrow, &wide, &old}) run->steps.append(s);
      narrow.inside.push_back(window(step));  // every fake verdict in one bin: no spread
      gan::InsideRecord spread = window(step);
      spread.fake.counts.assign(32, 0.0);
      spread.fake.counts[0] = spread.fake.counts[31] = 640;  // half at each end
      wide.inside.push_back(spread);
    }
    charts.setRuns({narrow, wide, old});
    const QString title = gan::ui::CompareCharts::kInsideTitle;
    QVERIFY(charts.titles().contains(title));
    QCOMPARE(charts.insideFigure(), QString("D's verdict spread on generated digits"));
    QCOMPARE(charts.points(title, 0).size(), 5);
    QCOMPARE(charts.points(title, 0).front().y(), 0.0);
    QVERIFY(std::abs(charts.points(title, 1).front().y() - (31.0 / 32.0) / 2) < 1e-9);  // bin centres 1/64 and 63/64
    QVERIFY(charts.points(title, 2).isEmpty());
    // Every tensor of the runs can be chosen; a gradient norm is drawn as its log10.
    const QStringList figures = charts.insideFigures();
    QVERIFY2(figures.contains("gradient norm · G layers.0.weight"), qPrintable(figures.join(", ")));
    charts.setInsideFigure("gradient norm · G layers.0.weight");
    QCOMPARE(charts.points(title, 0).size(), 5);
    QVERIFY(std::abs(charts.points(title, 0).back().y() - std::log10(0.1)) < 1e-9);  // 0.001 x step 100
    // The choice stays when the runs are read again.
    charts.setRuns({narrow, wide, old});
    QCOMPARE(charts.insideFigure(), QString("gradient norm · G layers.0.weight"));
  }
};

QTEST_MAIN(InsideViewTest)
#include "inside_view_test.moc"
