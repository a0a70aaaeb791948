// What G copied (the "Picked digit" dock's first tab): a digit clicked on the sample grid beside its
// eight nearest training images, in the judge's features or in pixels, each with its index in the
// training set and its distance. A generated digit whose nearest image is a near copy (a distance
// far below its neighbours') is one G memorised.
#pragma once

#include <QVector>
#include <QWidget>

#include "core/io/image.h"
#include "core/model/probe.h"

class QComboBox;
class QLabel;
class QTimer;

namespace gan::ui {

class NeighbourPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kNeighbours = 8;

  explicit NeighbourPanel(QWidget* parent = nullptr);

  /// The digit to search for (a click on the sample grid); asks for its neighbours.
  void setDigit(const gan::Image& digit);
  const gan::Image& digit() const { return digit_; }
  gan::NeighbourSpace space() const;
  void setSpace(gan::NeighbourSpace space);
  /// The answer to neighboursRequested; one about another digit or space than shown now (they
  /// changed while it was on its way) is left out. While the judge is being opened, asks again every 2 s.
  void setNeighbours(const gan::NeighbourView& view, const gan::Image& digit, gan::NeighbourSpace space);
  /// Without a model (no run, nothing opened) there is no judge to ask: says so.
  void setNoModel(const QString& why);
  /// The neighbours on display; for tests.
  const gan::NeighbourView& shown() const { return shown_; }
  QString note() const;

 signals:
  void neighboursRequested(const gan::Image& digit, gan::NeighbourSpace space);

 private:
  void ask();
  void showNeighbours();

  QLabel* picked_;
  QComboBox* space_;
  QVector<QLabel*> images_;
  QVector<QLabel*> captions_;
  QLabel* note_;
  QTimer* retry_;
  gan::Image digit_;
  gan::NeighbourView shown_;
};

}  // namespace gan::ui
