#include "ui/probe/neighbour_panel.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/session/qt_types.h"

namespace gan::ui {
namespace {

constexpr int kThumbnailScale = 3;  // 84 px for MNIST: big enough to compare strokes
constexpr int kPickedScale = 5;

QPixmap enlarged(const gan::Image& image, int scale) {
  // Nearest-neighbour scaling: the pixels the distances are about stay visible as pixels.
  return QPixmap::fromImage(to_qimage(image).scaled(image.width * scale, image.height * scale, Qt::KeepAspectRatio,
                                                    Qt::FastTransformation));
}

}  // namespace

NeighbourPanel::NeighbourPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  auto* left = new QVBoxLayout();
  picked_ = new QLabel(tr("Click a digit\nof the sample grid"), this);
  picked_->setObjectName("pickedDigit");
  picked_->setAlignment(Qt::AlignCenter);
  picked_->setFixedSize(28 * kPickedScale, 28 * kPickedScale);
  picked_->setStyleSheet("QLabel { background: black; color: #bbb; }");
  left->addWidget(picked_);
  space_ = new QComboBox(this);
  space_->setObjectName("neighbourSpace");
  space_->addItem(tr("Near in the judge's features"), static_cast<int>(gan::NeighbourSpace::kFeatures));
  space_->addItem(tr("Near in pixels"), static_cast<int>(gan::NeighbourSpace::kPixels));
  space_->setToolTip(tr("Features: the judge's reading (the same digit drawn alike). Pixels: the same picture."));
  connect(space_, &QComboBox::currentIndexChanged, this, [this] { ask(); });
  left->addWidget(space_);
  left->addStretch(1);
  layout->addLayout(left);

  auto* right = new QVBoxLayout();
  auto* grid = new QGridLayout();
  grid->setSpacing(6);
  for (int i = 0; i < kNeighbours; ++i) {
    auto* image = new QLabel(this);
    image->setFixedSize(28 * kThumbnailScale, 28 * kThumbnailScale);
    image->setAlignment(Qt::AlignCenter);
    image->setStyleSheet("QLabel { background: #222; }");
    auto* caption = new QLabel(this);
    caption->setAlignment(Qt::AlignCenter);
    grid->addWidget(image, (i / 4) * 2, i % 4, Qt::AlignCenter);
    grid->addWidget(caption, (i / 4) * 2 + 1, i % 4, Qt::AlignCenter);
    images_.push_back(image);
    captions_.push_back(caption);
  }
  right->addLayout(grid);
  note_ = new QLabel(this);
  note_->setObjectName("neighbourNote");
  note_->setWordWrap(true);
  right->addWidget(note_);
  right->addStretch(1);
  layout->addLayout(right, 1);

  retry_ = new QTimer(this);
  retry_->setSingleShot(true);
  retry_->setInterval(2000);
  connect(retry_, &QTimer::timeout, this, [this] { ask(); });
  showNeighbours();
}

gan::NeighbourSpace NeighbourPanel::space() const {
  return static_cast<gan::NeighbourSpace>(space_->currentData().toInt());
}

void NeighbourPanel::setSpace(gan::NeighbourSpace space) { space_->setCurrentIndex(space_->findData(static_cast<int>(space))); }

QString NeighbourPanel::note() const { return note_->text(); }

void NeighbourPanel::setDigit(const gan::Image& digit) {
  digit_ = digit;
  picked_->setPixmap(enlarged(digit, kPickedScale));
  shown_ = {};
  showNeighbours();
  ask();
}

void NeighbourPanel::ask() {
  if (digit_.pixels.empty()) return;
  note_->setText(tr("Searching the training set…"));
  emit neighboursRequested(digit_, space());
}

void NeighbourPanel::setNeighbours(const gan::NeighbourView& view, const gan::Image& digit, gan::NeighbourSpace space) {
  if (digit.pixels != digit_.pixels || space != this->space()) return;  // about a question no longer asked
  shown_ = view;
  showNeighbours();
  if (view.opening) {
    note_->setText(tr("The judge is being opened (trained on first use: a minute or two); its features and the "
                      "training set follow."));
    retry_->start();
  } else if (view.indices.empty()) {
    note_->setText(tr("No neighbours: there is no judge for this dataset (it has no labels), or the digit is not "
                      "of the training images' size."));
  } else {
    const double nearest = view.distances.front();
    const double next = view.distances.size() > 1 ? view.distances[1] : nearest;
    note_->setText(nearest < 0.5 * next
                       ? tr("The nearest is much nearer than the rest (%1 vs %2): close to a copy of training "
                            "image %3.")
                             .arg(nearest, 0, 'f', 2)
                             .arg(next, 0, 'f', 2)
                             .arg(view.indices.front())
                       : tr("Nearest first, distances in the %1 space: no training image stands out as a copy.")
                             .arg(space == gan::NeighbourSpace::kFeatures ? tr("judge's feature") : tr("pixel")));
  }
}

void NeighbourPanel::setNoModel(const QString& why) {
  shown_ = {};
  showNeighbours();
  note_->setText(why);
}

void NeighbourPanel::showNeighbours() {
  for (int i = 0; i < kNeighbours; ++i) {
    const bool has = i < static_cast<int>(shown_.images.size());
    images_[i]->setPixmap(has ? enlarged(shown_.images[static_cast<std::size_t>(i)], kThumbnailScale) : QPixmap());
    captions_[i]->setText(has ? tr("#%1\nd = %2")
                                    .arg(shown_.indices[static_cast<std::size_t>(i)])
                                    .arg(shown_.distances[static_cast<std::size_t>(i)], 0, 'f', 2)
                              : QString());
  }
}

}  // namespace gan::ui
