#include "ui/probe/latent_explorer.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/export/evolution.h"
#include "ui/export/exports.h"
#include "ui/session/qt_types.h"

namespace gan::ui {
namespace {

constexpr int kSliderSteps = 100;  // slider units per unit of z
constexpr int kDigitSide = 168;  // the digit on display, in pixels: 6x for MNIST
constexpr int kGifScale = 4;
constexpr int kGifDelayMs = 80;
constexpr qint64 kLostRedrawMs = 2000;

bool samePoint(const gan::LatentPoint& a, const gan::LatentPoint& b) {
  return a.z == b.z && a.label == b.label && a.morph_to == b.morph_to && a.morph == b.morph &&
         a.grid_index == b.grid_index;
}

}  // namespace

LatentExplorer::LatentExplorer(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  auto* left = new QVBoxLayout();
  digit_label_ = new QLabel(tr("Click a digit\nof the sample grid"), this);
  digit_label_->setObjectName("explorerDigit");
  digit_label_->setAlignment(Qt::AlignCenter);
  digit_label_->setFixedSize(kDigitSide, kDigitSide);
  digit_label_->setStyleSheet("QLabel { background: black; color: #bbb; }");
  left->addWidget(digit_label_);
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);
  caption_->setMaximumWidth(kDigitSide + 40);
  left->addWidget(caption_);
  left->addStretch(1);
  layout->addLayout(left);

  // The actions in one row under the sliders: the dock stays low.
  auto* actions = new QHBoxLayout();
  reset_ = new QPushButton(tr("Back to the picked digit"), this);
  connect(reset_, &QPushButton::clicked, this, [this] { setPick(pick_); });
  save_png_ = new QPushButton(tr("Save digit as PNG…"), this);
  connect(save_png_, &QPushButton::clicked, this, &LatentExplorer::saveDigit);
  save_gif_ = new QPushButton(tr("Save sweep as GIF…"), this);
  save_gif_->setToolTip(tr("The digit as the chosen slider goes from -3 to 3, the others where they are"));
  connect(save_gif_, &QPushButton::clicked, this, &LatentExplorer::saveSweep);
  sweep_slider_ = new QSpinBox(this);
  sweep_slider_->setRange(1, kSliders);
  sweep_slider_->setPrefix(tr("along direction "));
  actions->addWidget(reset_);
  actions->addWidget(save_png_);
  actions->addWidget(save_gif_);
  actions->addWidget(sweep_slider_);
  actions->addStretch(1);

  auto* form = new QFormLayout();
  directions_ = new QComboBox(this);
  directions_->setObjectName("explorerDirections");
  directions_->addItem(tr("where the digit changes most"), static_cast<int>(gan::LatentDirections::kSensitive));
  directions_->addItem(tr("random, orthonormal"), static_cast<int>(gan::LatentDirections::kRandom));
  directions_->setToolTip(tr("Most sensitive: the top singular vectors of G's Jacobian at the picked z, measured "
                             "anew for each pick; the figure beside a slider is how far the picture moves per unit."));
  connect(directions_, &QComboBox::currentIndexChanged, this, [this] {
    if (!updating_ && grid_index_ >= 0) pick(grid_index_);
  });
  form->addRow(tr("Directions"), directions_);
  for (int i = 0; i < kSliders; ++i) {
    auto* row = new QHBoxLayout();
    auto* slider = new QSlider(Qt::Horizontal, this);
    slider->setObjectName(QString("explorerSlider%1").arg(i + 1));
    slider->setRange(static_cast<int>(-kSliderReach * kSliderSteps), static_cast<int>(kSliderReach * kSliderSteps));
    connect(slider, &QSlider::valueChanged, this, [this] {
      updateLabels();
      if (!updating_) redraw();
    });
    auto* value = new QLabel(this);
    value->setMinimumWidth(110);
    row->addWidget(slider, 1);
    row->addWidget(value);
    form->addRow(tr("Direction %1").arg(i + 1), row);
    sliders_.push_back(slider);
    slider_labels_.push_back(value);
  }
  auto* truncation_row = new QHBoxLayout();
  truncation_ = new QSlider(Qt::Horizontal, this);
  truncation_->setObjectName("explorerTruncation");
  truncation_->setRange(0, 2 * kSliderSteps);
  truncation_->setValue(kSliderSteps);
  truncation_->setToolTip(tr("Scales z: below 1 the digit moves towards G's average one (the truncation trick), "
                             "above 1 away from it"));
  connect(truncation_, &QSlider::valueChanged, this, [this] {
    updateLabels();
    if (!updating_) redraw();
  });
  truncation_label_ = new QLabel(this);
  truncation_label_->setMinimumWidth(110);
  truncation_row->addWidget(truncation_, 1);
  truncation_row->addWidget(truncation_label_);
  form->addRow(tr("Truncation"), truncation_row);

  conditional_ = new QWidget(this);
  auto* labels = new QHBoxLayout(conditional_);
  labels->setContentsMargins(0, 0, 0, 0);
  label_ = new QComboBox(conditional_);
  label_->setObjectName("explorerLabel");
  morph_to_ = new QComboBox(conditional_);
  morph_to_->setObjectName("explorerMorphTo");
  morph_ = new QSlider(Qt::Horizontal, conditional_);
  morph_->setObjectName("explorerMorph");
  morph_->setRange(0, kSliderSteps);
  morph_->setToolTip(tr("Mixes the two digits' label embeddings: the same z (the same style) written as one digit, "
                        "the other, or in between"));
  for (QWidget* control : std::initializer_list<QWidget*>{label_, morph_to_}) {
    connect(static_cast<QComboBox*>(control), &QComboBox::currentIndexChanged, this, [this] {
      if (!updating_) redraw();
    });
  }
  connect(morph_, &QSlider::valueChanged, this, [this] {
    if (!updating_) redraw();
  });
  labels->addWidget(new QLabel(tr("digit"), conditional_));
  labels->addWidget(label_);
  labels->addWidget(new QLabel(tr("morph to"), conditional_));
  labels->addWidget(morph_to_);
  labels->addWidget(morph_, 1);
  form->addRow(tr("Label"), conditional_);
  form->addRow(actions);
  layout->addLayout(form, 1);
  setNoModel(tr("Click a digit of the sample grid to walk the latent space around it."));
}

void LatentExplorer::pick(int grid_index) {
  grid_index_ = grid_index;
  caption_->setText(tr("Finding directions…"));
  // Random directions from a seed of the cell: picking it again gives the same sliders.
  emit pickRequested(grid_index, kSliders, static_cast<gan::LatentDirections>(directions_->currentData().toInt()),
                     static_cast<quint64>(grid_index) + 1);
}

void LatentExplorer::setPick(const gan::LatentPick& pick) {
  if (pick.point.z.empty()) {
    setNoModel(tr("That digit could not be picked (the model changed): click it again."));
    return;
  }
  pick_ = pick;
  grid_index_ = static_cast<int>(pick.point.grid_index);
  updating_ = true;
  for (QSlider* slider : sliders_) slider->setValue(0);
  truncation_->setValue(kSliderSteps);
  label_->clear();
  morph_to_->clear();
  morph_to_->addItem(tr("none"), -1);
  for (int c = 0; c < pick.classes; ++c) {
    label_->addItem(QString::number(c), c);
    morph_to_->addItem(QString::number(c), c);
  }
  label_->setCurrentIndex(label_->findData(static_cast<int>(pick.point.label)));
  morph_->setValue(0);
  conditional_->setEnabled(pick.classes > 0);
  conditional_->setToolTip(pick.classes > 0 ? QString() : tr("An unconditional model draws no chosen digit"));
  for (int i = 0; i < kSliders; ++i) sliders_[i]->setEnabled(i < static_cast<int>(pick.directions.size()));
  for (QWidget* w : std::initializer_list<QWidget*>{truncation_, reset_, save_png_, save_gif_, directions_}) w->setEnabled(true);
  updating_ = false;
  updateLabels();
  digit_ = to_qimage(pick.digit);
  showDigit();
  caption_->setText(tr("Grid digit %1, as the model draws it now").arg(grid_index_ + 1));
}

void LatentExplorer::setNoModel(const QString& why) {
  pick_ = {};
  digit_ = {};
  drawing_ = dirty_ = false;
  caption_->setText(why);
  for (QWidget* w : std::initializer_list<QWidget*>{truncation_, reset_, save_png_, save_gif_, conditional_}) w->setEnabled(false);
  for (QSlider* slider : sliders_) slider->setEnabled(false);
  updateLabels();
}

gan::LatentPoint LatentExplorer::currentPoint() const {
  std::vector<double> steps;
  for (const QSlider* slider : sliders_) steps.push_back(slider->value() / static_cast<double>(kSliderSteps));
  gan::LatentPoint point = gan::move_latent(pick_.point, pick_.directions, steps, truncation_->value() / double(kSliderSteps));
  if (pick_.classes > 0) {
    point.label = label_->currentData().isValid() ? label_->currentData().toInt() : pick_.point.label;
    point.morph_to = morph_to_->currentData().isValid() ? morph_to_->currentData().toInt() : -1;
    point.morph = point.morph_to >= 0 ? morph_->value() / static_cast<double>(kSliderSteps) : 0.0;
  }
  return point;
}

void LatentExplorer::redraw() {
  if (pick_.point.z.empty()) return;
  if (drawing_ && asked_.elapsed() < kLostRedrawMs) {
    dirty_ = true;  // one at a time: the newest position goes out when this one is back
    return;
  }
  drawing_ = true;
  dirty_ = false;
  asked_.start();
  emit drawRequested({currentPoint()}, kRedraw);
}

void LatentExplorer::setDrawn(const std::vector<gan::LatentPoint>& points, const QVector<QImage>& digits, int purpose) {
  if (purpose == kSweep) {
    const QString path = sweep_path_;
    sweep_path_.clear();
    if (path.isEmpty()) return;
    if (digits.isEmpty()) {
      emit exported(path, tr("the model could not draw the sweep"));
      return;
    }
    QVector<QImage> frames;
    for (const QImage& digit : digits) {
      frames.push_back(digit.scaled(digit.size() * kGifScale, Qt::KeepAspectRatio, Qt::FastTransformation));
    }
    // The file dialog asked before replacing a file.
    const QString error = writeAnimatedGif(frames, kGifDelayMs, path, Replace::kAllowed);
    emit exported(path, error);
    return;
  }
  drawing_ = false;
  if (!digits.isEmpty() && points.size() == 1 && samePoint(points.front(), currentPoint())) {
    digit_ = digits.front();
    showDigit();
  }
  if (dirty_ || (points.size() == 1 && !samePoint(points.front(), currentPoint()))) redraw();
}

void LatentExplorer::showDigit() {
  // Whole multiples, nearest neighbour: the model's pixels stay square.
  const int scale = std::max(1, kDigitSide / std::max(digit_.width(), digit_.height()));
  digit_label_->setPixmap(QPixmap::fromImage(digit_.scaled(digit_.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation)));
}

void LatentExplorer::setSlider(int index, double value) {
  if (index >= 0 && index < sliders_.size()) sliders_[index]->setValue(static_cast<int>(std::lround(value * kSliderSteps)));
}

void LatentExplorer::setTruncation(double value) { truncation_->setValue(static_cast<int>(std::lround(value * kSliderSteps))); }

void LatentExplorer::setLabels(int label, int morph_to, double morph) {
  updating_ = true;
  label_->setCurrentIndex(label_->findData(label));
  morph_to_->setCurrentIndex(morph_to_->findData(morph_to));
  updating_ = false;
  morph_->setValue(static_cast<int>(std::lround(morph * kSliderSteps)));
  redraw();
}

void LatentExplorer::setDirections(gan::LatentDirections kind) {
  directions_->setCurrentIndex(directions_->findData(static_cast<int>(kind)));
}

void LatentExplorer::updateLabels() {
  for (int i = 0; i < sliders_.size(); ++i) {
    const bool has = i < static_cast<int>(pick_.directions.size());
    slider_labels_[i]->setText(has ? tr("%1 · %2/unit")
                                         .arg(sliders_[i]->value() / static_cast<double>(kSliderSteps), 0, 'f', 2)
                                         .arg(pick_.directions[static_cast<std::size_t>(i)].sensitivity, 0, 'f', 2)
                                   : QString());
  }
  truncation_label_->setText(tr("× %1").arg(truncation_->value() / static_cast<double>(kSliderSteps), 0, 'f', 2));
}

QString LatentExplorer::exportPng(const QString& path) {
  if (digit_.isNull()) return tr("there is no digit to save: pick one on the sample grid");
  return exportImage(digit_, path, Replace::kAllowed);  // the file dialog asked before replacing a file
}

void LatentExplorer::exportSweep(const QString& path, int slider) {
  if (pick_.point.z.empty() || slider < 0 || slider >= static_cast<int>(pick_.directions.size())) {
    emit exported(path, tr("there is no digit to sweep: pick one on the sample grid"));
    return;
  }
  std::vector<double> steps;
  for (const QSlider* s : sliders_) steps.push_back(s->value() / static_cast<double>(kSliderSteps));
  const gan::LatentPoint now = currentPoint();
  std::vector<gan::LatentPoint> frames;
  for (int f = 0; f < kSweepFrames; ++f) {
    steps[static_cast<std::size_t>(slider)] = -kSliderReach + 2 * kSliderReach * f / (kSweepFrames - 1);
    gan::LatentPoint point = gan::move_latent(pick_.point, pick_.directions, steps, truncation_->value() / double(kSliderSteps));
    point.label = now.label;
    point.morph_to = now.morph_to;
    point.morph = now.morph;
    frames.push_back(point);
  }
  sweep_path_ = path;
  emit drawRequested(frames, kSweep);
}

void LatentExplorer::saveDigit() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save digit"), QString("digit-%1.png").arg(grid_index_ + 1),
                                                    tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  const QString error = exportPng(path);
  emit exported(path, error);
}

void LatentExplorer::saveSweep() {
  const int slider = sweep_slider_->value() - 1;
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save sweep"), QString("digit-%1-direction-%2.gif").arg(grid_index_ + 1).arg(slider + 1),
      tr("GIF animations (*.gif)"));
  if (!path.isEmpty()) exportSweep(path, slider);
}

}  // namespace gan::ui
