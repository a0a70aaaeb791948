#include "ui/probe/ask_discriminator.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace gan::ui {
namespace {

constexpr int kCanvasScale = 10;               // the canvas is 10x the dataset's size
constexpr double kStrokeWidth = 0.09;    // of the digit's width: about 2.5 pixels at 28, as MNIST's strokes
constexpr std::size_t kUndoSteps = 50;

QString output_text(const gan::Verdict& verdict, double value) {
  return QString::number(value, 'f', verdict.probabilities ? 3 : 2);
}

}  // namespace

DrawPad::DrawPad(QWidget* parent) : QWidget(parent) {
  setAcceptDrops(true);
  setMinimumSize(140, 140);
  setCursor(Qt::CrossCursor);
  setToolTip(tr("Draw a digit (right button: erase), or drop a PNG or a digit from the sample grid here"));
  setImageSize(28, 28);
}

void DrawPad::setImageSize(int width, int height) {
  width_ = std::max(width, 1);
  height_ = std::max(height, 1);
  canvas_ = QImage(width_ * kCanvasScale, height_ * kCanvasScale, QImage::Format_Grayscale8);
  canvas_.fill(0);
  undo_.clear();
  update();
}

int DrawPad::heightForWidth(int width) const { return width * height_ / width_; }

gan::Image DrawPad::digit() const {
  // Averaged down from the canvas: an anti-aliased stroke, as the scanned digits have.
  const QImage small = canvas_.scaled(width_, height_, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                           .convertToFormat(QImage::Format_Grayscale8);
  gan::Image image;
  image.width = width_;
  image.height = height_;
  image.pixels.reserve(static_cast<std::size_t>(width_ * height_));
  for (int y = 0; y < height_; ++y) {
    const uchar* row = small.constScanLine(y);
    image.pixels.insert(image.pixels.end(), row, row + width_);
  }
  return image;
}

void DrawPad::remember() {
  undo_.push_back(canvas_);
  if (undo_.size() > kUndoSteps) undo_.erase(undo_.begin());
}

void DrawPad::setImage(const QImage& image) {
  if (image.isNull()) return;
  remember();
  // Kept whole (its aspect ratio), centred on black, in gray. An image of the dataset's size (a
  // digit from the sample grid) is enlarged by whole pixels, so that the pad gives it back exactly.
  const bool exact = image.size() == QSize(width_, height_);
  const QImage gray = image.convertToFormat(QImage::Format_Grayscale8)
                          .scaled(canvas_.size(), Qt::KeepAspectRatio,
                                  exact ? Qt::FastTransformation : Qt::SmoothTransformation);
  canvas_.fill(0);
  QPainter painter(&canvas_);
  painter.drawImage((canvas_.width() - gray.width()) / 2, (canvas_.height() - gray.height()) / 2, gray);
  painter.end();
  update();
  emit changed();
}

void DrawPad::clear() {
  remember();
  canvas_.fill(0);
  update();
  emit changed();
}

bool DrawPad::undo() {
  if (undo_.empty()) return false;
  canvas_ = undo_.back();
  undo_.pop_back();
  update();
  emit changed();
  return true;
}

QRectF DrawPad::grid() const {
  const double scale = std::min(static_cast<double>(width()) / width_, static_cast<double>(height()) / height_);
  const QSizeF size(width_ * scale, height_ * scale);
  return QRectF(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
}

QPointF DrawPad::toCanvas(const QPointF& point) const {
  const QRectF g = grid();
  return QPointF((point.x() - g.left()) / g.width() * canvas_.width(), (point.y() - g.top()) / g.height() * canvas_.height());
}

void DrawPad::line(const QPointF& from, const QPointF& to, bool erase) {
  QPainter painter(&canvas_);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(erase ? Qt::black : Qt::white, kStrokeWidth * canvas_.width() * (erase ? 2 : 1), Qt::SolidLine,
                      Qt::RoundCap, Qt::RoundJoin));
  painter.drawLine(toCanvas(from), toCanvas(to));
  update();
}

void DrawPad::stroke(const QVector<QPointF>& points, bool erase) {
  if (points.isEmpty()) return;
  remember();
  QPointF previous = points.front();
  for (const QPointF& point : points) {
    line(previous, point, erase);
    previous = point;
  }
  emit changed();
}

void DrawPad::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton && event->button() != Qt::RightButton) return;
  remember();
  drawing_ = true;
  erase_stroke_ = erasing_ || event->button() == Qt::RightButton;
  last_ = event->position();
  line(last_, last_, erase_stroke_);  // a click is a dot
}

void DrawPad::mouseMoveEvent(QMouseEvent* event) {
  if (!drawing_) return;
  line(last_, event->position(), erase_stroke_);
  last_ = event->position();
}

void DrawPad::mouseReleaseEvent(QMouseEvent* /*event*/) {
  if (!drawing_) return;
  drawing_ = false;
  emit changed();
}

void DrawPad::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasImage() || event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void DrawPad::dropEvent(QDropEvent* event) {
  const QMimeData* mime = event->mimeData();
  QImage image;
  if (mime->hasImage()) {
    image = qvariant_cast<QImage>(mime->imageData());
  } else if (mime->hasUrls() && !mime->urls().isEmpty()) {
    image.load(mime->urls().front().toLocalFile());
  }
  if (image.isNull()) return;
  setImage(image);
  event->acceptProposedAction();
}

void DrawPad::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());
  const QRectF g = grid();
  const gan::Image image = digit();
  const QImage shown(image.pixels.data(), image.width, image.height, image.width, QImage::Format_Grayscale8);
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(g, shown);  // whole pixels, large: what the model will see
  // The dataset's pixel grid, faint.
  painter.setPen(QColor(255, 255, 255, 28));
  for (int x = 1; x < width_; ++x) {
    const double at = g.left() + g.width() * x / width_;
    painter.drawLine(QPointF(at, g.top()), QPointF(at, g.bottom()));
  }
  for (int y = 1; y < height_; ++y) {
    const double at = g.top() + g.height() * y / height_;
    painter.drawLine(QPointF(g.left(), at), QPointF(g.right(), at));
  }
  painter.setPen(QColor(0x88, 0x88, 0x88));
  painter.drawRect(g);
}

VerdictBars::VerdictBars(QWidget* parent) : QWidget(parent) { setMinimumSize(260, 220); }

void VerdictBars::setVerdict(const std::optional<gan::Verdict>& verdict) {
  verdict_ = verdict;
  update();
}

void VerdictBars::setJudge(const std::vector<double>& probabilities, bool opening) {
  judge_ = probabilities;
  judge_opening_ = opening;
  update();
}

void VerdictBars::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), palette().base());
  const QFontMetrics metrics(font());
  const int line = metrics.height();
  const QRect area = rect().adjusted(8, 6, -8, -6);
  // Bars for `values` in `box`, labelled 0.. below, each value above; `low`..`high` is the scale.
  auto bars = [&](const QRect& box, const std::vector<double>& values, double low, double high, const QColor& colour,
                  std::size_t highlight) {
    const double width = static_cast<double>(box.width()) / static_cast<double>(std::max<std::size_t>(values.size(), 1));
    const double zero = box.bottom() - line - (0 - low) / (high - low) * (box.height() - 2 * line);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double v = std::clamp(values[i], low, high);
      const double top = box.bottom() - line - (v - low) / (high - low) * (box.height() - 2 * line);
      const QRectF bar(box.left() + width * static_cast<double>(i) + 3, std::min(top, zero), width - 6, std::abs(zero - top));
      painter.fillRect(bar, i == highlight ? colour : colour.lighter(150));
      painter.setPen(QColor(0x22, 0x22, 0x22));
      painter.drawText(QRectF(box.left() + width * static_cast<double>(i), box.bottom() - line, width, line),
                       Qt::AlignCenter, QString::number(i));
    }
    painter.setPen(QColor(0x99, 0x99, 0x99));
    painter.drawLine(QPointF(box.left(), zero), QPointF(box.right(), zero));
  };
  painter.setPen(QColor(0x22, 0x22, 0x22));
  QFont bold = font();
  bold.setBold(true);
  const int half = area.height() / 2;
  const QRect top(area.left(), area.top(), area.width(), half - 6);
  const QRect bottom(area.left(), area.top() + half + 6, area.width(), area.height() - half - 6);

  // D's verdict.
  painter.setFont(bold);
  painter.drawText(QRect(top.left(), top.top(), top.width(), line), Qt::AlignLeft, tr("D's verdict"));
  painter.setFont(font());
  if (!verdict_ || verdict_->outputs.empty()) {
    painter.drawText(top.adjusted(0, line + 4, 0, 0), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                     tr("Draw a digit, or drop one here, and D says how real it looks."));
  } else if (verdict_->outputs.size() == 1) {
    const double value = verdict_->outputs.front();
    QString text = verdict_->probabilities
                       ? tr("D(x) = %1: %2 real").arg(output_text(*verdict_, value)).arg(value >= 0.5 ? tr("taken for") : tr("not taken for"))
                       : tr("D's score %1 (higher: more real)").arg(output_text(*verdict_, value));
    painter.drawText(QRect(top.left(), top.top() + line + 2, top.width(), line), Qt::AlignLeft, text);
    if (verdict_->probabilities) {
      const QRectF track(top.left(), top.top() + 2 * line + 10, top.width(), 18);
      painter.fillRect(track, QColor(0xee, 0xee, 0xee));
      painter.fillRect(QRectF(track.left(), track.top(), track.width() * std::clamp(value, 0.0, 1.0), track.height()),
                       QColor(0x2c, 0xa0, 0x2c));
      painter.setPen(QPen(QColor(0x55, 0x55, 0x55), 1, Qt::DashLine));
      painter.drawLine(QPointF(track.center().x(), track.top() - 3), QPointF(track.center().x(), track.bottom() + 3));
    }
    painter.setPen(QColor(0x55, 0x55, 0x55));
    painter.drawText(QRect(top.left(), top.top() + 3 * line + 20, top.width(), line), Qt::AlignLeft,
                     tr("model of step %1").arg(verdict_->step));
  } else {
    // A conditional D: how real the image looks as each digit.
    const auto& v = verdict_->outputs;
    const std::size_t best = static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
    double low = 0, high = 1;
    if (!verdict_->probabilities) {
      low = std::min(0.0, *std::min_element(v.begin(), v.end()));
      high = std::max(0.0, *std::max_element(v.begin(), v.end()));
      if (high - low < 1e-9) high = low + 1;
    }
    painter.drawText(QRect(top.left(), top.top() + line + 2, top.width(), line), Qt::AlignLeft,
                     tr("as a real %1 most of all (%2), model of step %3")
                         .arg(best).arg(output_text(*verdict_, v[best])).arg(verdict_->step));
    bars(QRect(top.left(), top.top() + 2 * line + 4, top.width(), top.height() - 2 * line - 4), v, low, high,
         QColor(0x2c, 0xa0, 0x2c), best);
  }

  // The judge.
  painter.setFont(bold);
  painter.setPen(QColor(0x22, 0x22, 0x22));
  painter.drawText(QRect(bottom.left(), bottom.top(), bottom.width(), line), Qt::AlignLeft, tr("The judge's classes"));
  painter.setFont(font());
  if (judge_.empty()) {
    painter.drawText(bottom.adjusted(0, line + 4, 0, 0), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                     judge_opening_ ? tr("The judge is being opened (trained on first use: a minute or two)…")
                                    : tr("No judge for this data (it needs labelled images of at least 16 x 16 pixels)."));
    return;
  }
  const std::size_t best = static_cast<std::size_t>(std::max_element(judge_.begin(), judge_.end()) - judge_.begin());
  painter.drawText(QRect(bottom.left(), bottom.top() + line + 2, bottom.width(), line), Qt::AlignLeft,
                   tr("reads it as %1 (%2 %)").arg(best).arg(100.0 * judge_[best], 0, 'f', 1));
  bars(QRect(bottom.left(), bottom.top() + 2 * line + 4, bottom.width(), bottom.height() - 2 * line - 4), judge_, 0.0, 1.0,
       QColor(0x1f, 0x77, 0xb4), best);
}

AskDiscriminator::AskDiscriminator(QWidget* parent) : QWidget(parent) {
  pad_ = new DrawPad(this);
  pad_->setObjectName("drawPad");
  bars_ = new VerdictBars(this);
  note_ = new QLabel(this);
  note_->setWordWrap(true);
  auto* clear = new QPushButton(tr("Clear"), this);
  auto* undo = new QPushButton(tr("Undo"), this);
  auto* eraser = new QPushButton(tr("Eraser"), this);
  eraser->setCheckable(true);
  eraser->setToolTip(tr("Strokes erase (the right mouse button always does)"));
  connect(clear, &QPushButton::clicked, pad_, &DrawPad::clear);
  connect(undo, &QPushButton::clicked, pad_, &DrawPad::undo);
  connect(eraser, &QPushButton::toggled, pad_, &DrawPad::setErasing);
  connect(pad_, &DrawPad::changed, this, [this] {
    // What was said was of the digit before: the bars wait for the answer about this one.
    bars_->setVerdict(std::nullopt);
    bars_->setJudge({});
    emit askRequested(pad_->digit());
  });

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(clear);
  buttons->addWidget(undo);
  buttons->addWidget(eraser);
  buttons->addStretch(1);
  auto* left = new QVBoxLayout;
  left->addWidget(pad_, 1);
  left->addLayout(buttons);
  auto* right = new QVBoxLayout;
  right->addWidget(bars_, 1);
  right->addWidget(note_);
  auto* layout = new QHBoxLayout(this);
  layout->addLayout(left, 1);
  layout->addLayout(right, 1);
}

void AskDiscriminator::setImageSize(int width, int height) {
  const gan::Image now = pad_->digit();
  if (now.width == width && now.height == height) return;
  pad_->setImageSize(width, height);
  bars_->setVerdict(std::nullopt);
  bars_->setJudge({});
}

void AskDiscriminator::setVerdict(const gan::Verdict& verdict, const gan::Image& digit) {
  if (digit.pixels != pad_->digit().pixels) return;
  if (verdict.error.empty()) {
    note_->clear();
  } else {
    note_->setText(tr("D could not answer: %1").arg(QString::fromStdString(verdict.error)));
  }
  bars_->setVerdict(verdict.outputs.empty() ? std::nullopt : std::optional<gan::Verdict>(verdict));
}

void AskDiscriminator::setJudge(const gan::JudgeView& view, const gan::Image& digit) {
  if (digit.pixels != pad_->digit().pixels) return;
  bars_->setJudge(view.probabilities, view.opening);
  // While it is being opened, ask again: its answer comes once it is ready.
  if (view.opening) QTimer::singleShot(2000, this, [this] {
      if (isVisible()) emit askRequested(pad_->digit());
    });
}

void AskDiscriminator::setNoModel(const QString& why) {
  bars_->setVerdict(std::nullopt);
  note_->setText(why);
}

}  // namespace gan::ui
