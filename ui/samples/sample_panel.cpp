#include "ui/samples/sample_panel.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>

#include "core/io/image.h"
#include "core/run/run_folder.h"
#include "ui/samples/sample_view.h"
#include "ui/session/qt_types.h"

namespace gan::ui {

SamplePanel::SamplePanel(QWidget* parent) : QWidget(parent) {
  view_ = new SampleView(this);
  timeline_ = new QSlider(Qt::Horizontal, this);
  timeline_->setToolTip(tr("Scrub through every sample grid of the run"));
  timeline_->setEnabled(false);
  position_ = new QLabel(this);
  position_->setMinimumWidth(120);
  auto* bar = new QHBoxLayout;
  bar->addWidget(timeline_, 1);
  bar->addWidget(position_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_, 1);
  layout->addLayout(bar);
  connect(timeline_, &QSlider::valueChanged, this, &SamplePanel::showIndex);
}

bool SamplePanel::following() const { return steps_.isEmpty() || timeline_->value() == timeline_->maximum(); }

void SamplePanel::clear() {
  steps_.clear();
  live_step_ = -1;
  live_image_ = QImage();
  view_->clear();
  timeline_->setRange(0, 0);
  timeline_->setEnabled(false);
  position_->clear();
}

void SamplePanel::setRunFolder(const QString& folder) { folder_ = folder; }

void SamplePanel::setSteps(const QVector<qint64>& steps) {
  steps_ = steps;
  timeline_->setRange(0, std::max<int>(0, static_cast<int>(steps_.size()) - 1));
  timeline_->setEnabled(steps_.size() > 1);
  if (steps_.isEmpty()) {
    view_->clear();
    return;
  }
  timeline_->setValue(timeline_->maximum());
  showIndex(timeline_->maximum());
}

void SamplePanel::addSample(qint64 step, const QImage& grid) {
  const bool follow = following();
  if (steps_.isEmpty() || steps_.back() < step) steps_.push_back(step);
  live_step_ = step;
  live_image_ = grid;
  timeline_->setRange(0, static_cast<int>(steps_.size()) - 1);
  timeline_->setEnabled(steps_.size() > 1);
  if (follow) {
    timeline_->setValue(timeline_->maximum());
    showIndex(timeline_->maximum());
  } else {
    position_->setText(tr("step %1 of %2").arg(steps_[timeline_->value()]).arg(steps_.back()));
  }
}

void SamplePanel::showStep(qint64 step) {
  if (steps_.isEmpty()) return;
  const auto it = std::upper_bound(steps_.begin(), steps_.end(), step);
  timeline_->setValue(std::max<int>(0, static_cast<int>(it - steps_.begin()) - 1));
  showIndex(timeline_->value());
}

void SamplePanel::showIndex(int index) {
  if (index < 0 || index >= steps_.size()) return;
  const qint64 step = steps_[index];
  position_->setText(tr("step %1 of %2").arg(step).arg(steps_.back()));
  emit stepShown(step);
  if (step == live_step_ && !live_image_.isNull()) {
    view_->setImage(live_image_, step);
    return;
  }
  if (folder_.isEmpty()) return;
  try {
    const auto path = gan::RunFolder::sample_path(folder_.toStdString(), step);
    view_->setImage(to_qimage(gan::read_png(path)), step);
  } catch (const std::exception&) {
    // The grid was removed (a resumed run drops grids after its checkpoint): keep what is shown.
  }
}

}  // namespace gan::ui
