#include <QTest>

#include <cmath>
#include <limits>

#include "ui/charts/series_buffer.h"

using gan::ui::SeriesBuffer;

class SeriesBufferTest : public QObject {
  Q_OBJECT

 private slots:
  void keepsEveryPointUntilFull() {
    SeriesBuffer buffer(100);
    for (int i = 1; i <= 99; ++i) buffer.append(i, i * 2.0);
    QCOMPARE(buffer.points().size(), 99);
    QCOMPARE(buffer.stride(), 1);
    QCOMPARE(buffer.points().front(), QPointF(1, 2));
  }

  void staysBoundedOverALongRun() {
    SeriesBuffer buffer(1000);
    for (int i = 1; i <= 200000; ++i) buffer.append(i, 1.0);
    QVERIFY(buffer.points().size() <= 1000);
    QVERIFY(buffer.points().size() >= 400);
    QVERIFY(buffer.stride() >= 256);
    // Still spans the whole run, oldest first.
    QVERIFY(buffer.points().front().x() < 1000);
    QVERIFY(buffer.points().back().x() > 199000);
    for (int i = 1; i < buffer.points().size(); ++i) QVERIFY(buffer.points()[i].x() > buffer.points()[i - 1].x());
  }

  void decimationAveragesValues() {
    SeriesBuffer buffer(4);
    for (int i = 1; i <= 4; ++i) buffer.append(i, i);  // full at 4: pairs merge to (2, 1.5), (4, 3.5)
    QCOMPARE(buffer.points().size(), 2);
    QCOMPARE(buffer.points()[0], QPointF(2, 1.5));
    QCOMPARE(buffer.points()[1], QPointF(4, 3.5));
    buffer.append(5, 10);
    buffer.append(6, 20);  // stride 2: one point, the mean of both
    QCOMPARE(buffer.points().size(), 3);
    QCOMPARE(buffer.points()[2], QPointF(6, 15));
  }

  void neverStoresNonFiniteValues() {
    SeriesBuffer buffer(10);
    buffer.append(1, std::numeric_limits<double>::quiet_NaN());
    buffer.append(2, std::numeric_limits<double>::infinity());
    buffer.append(3, 0.5);
    QCOMPARE(buffer.points().size(), 1);
    QCOMPARE(buffer.points()[0], QPointF(3, 0.5));
  }
};

QTEST_GUILESS_MAIN(SeriesBufferTest)
#include "series_buffer_test.moc"
