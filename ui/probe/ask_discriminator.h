// Ask D (a dock, View ▸ Ask the discriminator): a pad to draw a digit on — a grid of the dataset's
// size shown large, drawn with the mouse or a pen (the right button erases), with Clear and Undo —
// or a PNG dropped on it, or a digit dragged from the sample grid; beside it what the current model
// says of it: D's verdict (one bar per label for a conditional D: which digit D takes it for a real
// example of) and the judge's class probabilities. The window asks again whenever the digit or the
// model changes.
#pragma once

#include <QImage>
#include <QVector>
#include <QWidget>

#include <optional>
#include <vector>

#include "core/io/image.h"
#include "core/model/probe.h"

class QLabel;
class QPushButton;

namespace gan::ui {

/// The drawing itself: white strokes on black, as MNIST's digits, kept at 10x the dataset's size
/// and averaged down, so strokes come out anti-aliased as the scanned digits are.
class DrawPad : public QWidget {
  Q_OBJECT

 public:
  explicit DrawPad(QWidget* parent = nullptr);

  /// The grid's size (the model's images); clears the drawing.
  void setImageSize(int width, int height);
  /// The drawing at the dataset's size, 0..255.
  gan::Image digit() const;
  /// Puts `image` on the pad (scaled to it, as gray); what a drop does. Undo brings back the drawing before.
  void setImage(const QImage& image);
  void clear();
  bool undo();
  /// Strokes drawn with the left button add white; with the right button, or while erasing, black.
  void setErasing(bool erasing) { erasing_ = erasing; }
  bool erasing() const { return erasing_; }
  /// Draws a stroke through `points` (pad coordinates), as a drag of the mouse would.
  void stroke(const QVector<QPointF>& points, bool erase = false);

  QSize sizeHint() const override { return {280, 280}; }
  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;

 signals:
  /// The digit changed (a stroke ended, a drop, clear, undo).
  void changed();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  QRectF grid() const;  // where the digit is drawn in the widget
  QPointF toCanvas(const QPointF& point) const;
  void line(const QPointF& from, const QPointF& to, bool erase);
  void remember();

  int width_ = 28, height_ = 28;
  QImage canvas_;               // 10x the dataset's size, Grayscale8
  std::vector<QImage> undo_;    // canvases before each change, newest last
  bool erasing_ = false;
  bool drawing_ = false;
  bool erase_stroke_ = false;
  QPointF last_;
};

/// D's outputs and the judge's probabilities as labelled bars.
class VerdictBars : public QWidget {
  Q_OBJECT

 public:
  explicit VerdictBars(QWidget* parent = nullptr);
  void setVerdict(const std::optional<gan::Verdict>& verdict);
  void setJudge(const std::vector<double>& probabilities, bool opening = false);
  const std::optional<gan::Verdict>& verdict() const { return verdict_; }
  const std::vector<double>& judge() const { return judge_; }
  QSize sizeHint() const override { return {320, 280}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::optional<gan::Verdict> verdict_;
  std::vector<double> judge_;
  bool judge_opening_ = false;
};

class AskDiscriminator : public QWidget {
  Q_OBJECT

 public:
  explicit AskDiscriminator(QWidget* parent = nullptr);

  DrawPad* pad() const { return pad_; }
  VerdictBars* bars() const { return bars_; }
  /// The model's image size (a run's config); clears the pad when it differs.
  void setImageSize(int width, int height);
  /// Answers to the questions asked (askRequested), each about `digit`: an answer about a digit
  /// the pad no longer holds (it changed while the answer was on its way) is left out.
  void setVerdict(const gan::Verdict& verdict, const gan::Image& digit);
  void setJudge(const gan::JudgeView& view, const gan::Image& digit);
  /// Without a model nothing can be asked: says so.
  void setNoModel(const QString& why);

 signals:
  /// The digit to ask about: the caller asks D and the judge, and answers with setVerdict and
  /// setJudge. Also asked again, every 2 s, while the judge is being opened.
  void askRequested(const gan::Image& digit);

 private:
  DrawPad* pad_;
  VerdictBars* bars_;
  QLabel* note_;
};

}  // namespace gan::ui
