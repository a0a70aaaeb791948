// The live sample grid: digits from the fixed noise batch, scaled by whole pixels with no
// smoothing so every generated pixel stays crisp, captioned with the step it came from.
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

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage image_;
  qint64 step_ = -1;
};

}  // namespace gan::ui
