// The inside view (ui/inside_view.h): D's verdicts as a map over the windows, hovered for a
// window's histograms, and each tensor's figures as lines on a log scale.
#include <QSignalSpy>
#include <QTest>

#include "inside_window.h"
#include "ui/inside_view.h"
#include "ui/qt_types.h"

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
};

QTEST_MAIN(InsideViewTest)
#include "inside_view_test.moc"
