#include "ui/runs/compare_samples.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>

#include "core/run/run_folder.h"

namespace gan::ui {

CompareSamples::CompareSamples(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* grids = new QWidget;
  grid_ = new QGridLayout(grids);
  layout->addWidget(grids, 1);
  auto* timeline = new QHBoxLayout;
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setToolTip(tr("One timeline for every run: each shows its newest grid at or before this step"));
  step_label_ = new QLabel;
  step_label_->setMinimumWidth(110);
  timeline->addWidget(new QLabel(tr("Step")));
  timeline->addWidget(slider_, 1);
  timeline->addWidget(step_label_);
  layout->addLayout(timeline);
  connect(slider_, &QSlider::valueChanged, this, [this] { showStep(); });
}

void CompareSamples::setRuns(const std::vector<Run>& runs) {
  const qint64 keep = step();
  for (auto& s : shown_) {
    delete s.image;
    delete s.caption;
  }
  shown_.clear();
  all_steps_.clear();
  const int columns = std::max(1, std::min(4, static_cast<int>(runs.size())));
  for (std::size_t i = 0; i < runs.size(); ++i) {
    Shown s;
    s.run = runs[i];
    for (const std::int64_t step : gan::RunFolder::sample_steps(runs[i].folder.toStdString())) s.steps.append(step);
    all_steps_ += s.steps;
    s.image = new QLabel;
    s.image->setAlignment(Qt::AlignCenter);
    s.image->setMinimumSize(140, 140);
    s.caption = new QLabel;
    s.caption->setAlignment(Qt::AlignCenter);
    s.caption->setWordWrap(true);
    s.caption->setStyleSheet(QString("color: %1; font-weight: bold").arg(runs[i].colour.name()));
    const int row = static_cast<int>(i) / columns * 2, column = static_cast<int>(i) % columns;
    grid_->addWidget(s.image, row, column);
    grid_->addWidget(s.caption, row + 1, column);
    shown_.push_back(std::move(s));
  }
  std::sort(all_steps_.begin(), all_steps_.end());
  all_steps_.erase(std::unique(all_steps_.begin(), all_steps_.end()), all_steps_.end());
  const QSignalBlocker block(slider_);
  slider_->setRange(0, std::max<int>(0, static_cast<int>(all_steps_.size()) - 1));
  slider_->setEnabled(!all_steps_.isEmpty());
  setStep(keep >= 0 && !all_steps_.isEmpty() ? keep : (all_steps_.isEmpty() ? 0 : all_steps_.back()));
}

qint64 CompareSamples::step() const {
  if (all_steps_.isEmpty()) return -1;
  return all_steps_[std::clamp(slider_->value(), 0, static_cast<int>(all_steps_.size()) - 1)];
}

void CompareSamples::setStep(qint64 step) {
  const auto it = std::upper_bound(all_steps_.begin(), all_steps_.end(), step);
  const int position = std::max(0, static_cast<int>(it - all_steps_.begin()) - 1);
  const QSignalBlocker block(slider_);
  slider_->setValue(position);
  showStep();
}

qint64 CompareSamples::shownStep(int i) const {
  return i >= 0 && static_cast<std::size_t>(i) < shown_.size() ? shown_[static_cast<std::size_t>(i)].shown : -1;
}

void CompareSamples::showStep() {
  const qint64 at = step();
  step_label_->setText(at >= 0 ? QString::number(at) : tr("no samples"));
  for (auto& s : shown_) {
    const auto it = std::upper_bound(s.steps.begin(), s.steps.end(), at);
    const qint64 step = it == s.steps.begin() ? -1 : *(it - 1);
    if (step != s.shown) {
      s.shown = step;
      if (step < 0) {
        s.image->setText(tr("no grid yet"));
      } else {
        const QPixmap grid(QString::fromStdString(gan::RunFolder::sample_path(s.run.folder.toStdString(), step).string()));
        // Whole pixels: a digit grid scaled by a fraction blurs.
        const int scale = std::max(1, std::min(6, 220 / std::max(1, grid.width())));
        s.image->setPixmap(grid.scaled(grid.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation));
      }
    }
    s.caption->setText(s.run.label + (s.shown >= 0 ? QString("\n(step %1)").arg(s.shown) : QString()));
  }
}

}  // namespace gan::ui
