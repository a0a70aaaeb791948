// A hyperparameter against the score, one point per run in the run's colour: what a sweep says
// about a key at a glance. Numeric keys only (a log axis when the values span a decade or more).
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QChart;
class QComboBox;
class QLabel;

namespace gan::ui {

class ChartView;

class ScoreScatter : public QWidget {
  Q_OBJECT

 public:
  struct Point {
    QString run;
    QColor colour;
    std::vector<std::pair<QString, double>> values;  // key, value: the numeric differing keys
    double score = 0;
    bool scored = false;
  };
  explicit ScoreScatter(QWidget* parent = nullptr);

  /// Shows these runs; `score_name` is the y axis ("IS @ 5000").
  void setPoints(const std::vector<Point>& points, const QString& score_name);
  /// The keys offered on the x axis, and the one shown.
  QStringList keys() const;
  void setKey(const QString& key);
  QString key() const;
  /// The plotted points (x, y), for tests.
  QList<QPointF> plotted() const;

 private:
  void redraw();

  std::vector<Point> points_;
  QString score_name_;
  QComboBox* key_ = nullptr;
  QLabel* note_ = nullptr;
  QChart* chart_ = nullptr;
  ChartView* view_ = nullptr;
  QList<QPointF> plotted_;
};

}  // namespace gan::ui
