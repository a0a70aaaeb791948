// The live sample grid: digits from the fixed noise batch, scaled by whole pixels with no
// smoothing so every generated pixel stays crisp, captioned with the step it came from. A digit
// can be dragged out (to Ask D's pad) or clicked.
#pragma once

#include <QImage>
#include <QWidget>

namespace gan::ui {

class SampleView : public QWidget {
  Q_OBJECT

 public:
  explicit SampleView(QWidget* parent = nullptr);

  void setImage(const QImage& image, qint64 step);
  void clear();
  const QImage& image() const { return image_; }
  qint64 step() const { return step_; }

  /// The grid's digits a row (sampling.grid): where one digit ends and the next begins.
  void setColumns(int columns) { columns_ = columns; }
  /// The digit `index` (row by row) of the grid shown, at the dataset's size; null when there is none.
  QImage digit(int index) const;
  /// The digit under `point` (widget coordinates), or -1.
  int digitAt(const QPoint& point) const;
  int digitCount() const;
  /// Where the grid is drawn, in widget coordinates: the view's whole area at a whole-number zoom
  /// where that fills most of it.
  QRect drawnRect() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  /// A digit was clicked (pressed and released on it, not dragged).
  void digitClicked(int index, const QImage& digit);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  int digitSide() const;  // 0 when the grid's layout is not known
  QImage image_;
  qint64 step_ = -1;
  int columns_ = 0;
  int press_ = -1;        // the digit a press began on
  QPoint press_at_;
};

}  // namespace gan::ui
