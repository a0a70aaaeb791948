#include "ui/window/status_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>
#include <cmath>

#include "core/model/device.h"

namespace gan::ui {

QString clockText(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("--:--");
  const qint64 total = qRound64(seconds);
  if (total >= 3600) {
    return QStringLiteral("%1:%2:%3").arg(total / 3600).arg(total / 60 % 60, 2, 10, QChar('0')).arg(total % 60, 2, 10, QChar('0'));
  }
  return QStringLiteral("%1:%2").arg(total / 60, 2, 10, QChar('0')).arg(total % 60, 2, 10, QChar('0'));
}

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  device_ = new QLabel(this);
  state_ = new QLabel(this);
  epoch_ = new QProgressBar(this);
  steps_ = new QProgressBar(this);
  speed_ = new QLabel(this);
  elapsed_ = new QLabel(this);
  eta_ = new QLabel(this);
  epoch_->setTextVisible(true);
  steps_->setTextVisible(true);
  epoch_->setMinimumWidth(160);
  steps_->setMinimumWidth(220);
  state_->setMinimumWidth(70);
  speed_->setMinimumWidth(110);
  layout->addWidget(device_);
  layout->addWidget(state_);
  layout->addWidget(epoch_);
  layout->addWidget(steps_, 1);
  layout->addWidget(speed_);
  layout->addWidget(elapsed_);
  layout->addWidget(eta_);
  device_timer_.setInterval(2000);
  connect(&device_timer_, &QTimer::timeout, this, &StatusPanel::refreshDevice);
  reset();
}

void StatusPanel::refreshDevice() {
  // A driver query (core/model/device.h), never a sync of the training stream.
  setDevice(device_id_ + QLatin1Char(' ') + QString::fromStdString(gan::device_status(device_id_.toStdString())));
}

void StatusPanel::reset() {
  device_timer_.stop();
  device_id_.clear();
  step_mode_.clear();
  device_name_ = QStringLiteral("–");
  device_->setText(tr("Device: –"));
  state_->setText(tr("idle"));
  epoch_->setRange(0, 1);
  epoch_->setValue(0);
  epoch_->setFormat(tr("epoch –"));
  steps_->setRange(0, 1);
  steps_->setValue(0);
  steps_->setFormat(tr("step –"));
  speed_->setText(tr("– steps/s"));
  elapsed_->setText(tr("elapsed –"));
  eta_->setText(tr("ETA –"));
}

void StatusPanel::setDevice(const QString& device) {
  device_name_ = device;
  const QString mode = step_mode_.isEmpty() ? QString() : tr(" · steps %1").arg(step_mode_);
  device_->setText(tr("Device: %1").arg(device) + mode);
}

QString StatusPanel::deviceText() const { return device_->text(); }

QString StatusPanel::stepText() const { return steps_->format(); }

void StatusPanel::setRunInfo(const gan::RunInfo& info) {
  setDevice(QString::fromStdString(info.device));
  device_id_ = QString::fromStdString(info.device_id);
  if (device_id_.startsWith(QLatin1String("cuda"))) device_timer_.start();
  else device_timer_.stop();
  steps_->setRange(0, static_cast<int>(std::min<std::int64_t>(info.steps_per_epoch, INT32_MAX)));
  steps_->setValue(0);
  steps_->setFormat(tr("step 0 / %1").arg(info.total_steps));
  const std::int64_t epochs = (info.total_steps + info.steps_per_epoch - 1) / info.steps_per_epoch;
  epoch_->setRange(0, static_cast<int>(std::min<std::int64_t>(info.total_steps, INT32_MAX)));
  epoch_->setValue(0);
  epoch_->setFormat(tr("epoch 1 / %1").arg(epochs));
}

void StatusPanel::setProgress(const gan::Progress& p) {
  const std::int64_t epochs = (p.total_steps + p.steps_per_epoch - 1) / p.steps_per_epoch;
  const auto clamp_int = [](std::int64_t v) { return static_cast<int>(std::min<std::int64_t>(v, INT32_MAX)); };
  // The epoch bar shows the whole run; the step bar the current epoch.
  epoch_->setRange(0, clamp_int(p.total_steps));
  epoch_->setValue(clamp_int(p.step));
  epoch_->setFormat(tr("epoch %1 / %2").arg(std::min(p.epoch + 1, epochs)).arg(epochs));
  const std::int64_t in_epoch = p.step - p.epoch * p.steps_per_epoch;
  steps_->setRange(0, clamp_int(p.steps_per_epoch));
  steps_->setValue(clamp_int(in_epoch));
  steps_->setFormat(tr("step %1 / %2  (%3 / %4 in this epoch)").arg(p.step).arg(p.total_steps).arg(in_epoch).arg(p.steps_per_epoch));
  elapsed_->setText(tr("elapsed %1").arg(clockText(p.elapsed_seconds)));
  if (p.steps_per_second <= 0) {  // not measured yet, or a run that is not moving
    speed_->setText(tr("– steps/s"));
    eta_->setText(tr("ETA –"));
    return;
  }
  speed_->setText(tr("%1 steps/s").arg(p.steps_per_second, 0, 'f', p.steps_per_second < 10 ? 2 : 1));
  eta_->setText(tr("ETA %1").arg(clockText(p.eta_seconds())));
}

void StatusPanel::runEnded() {
  speed_->setText(tr("– steps/s"));
  eta_->setText(tr("ETA –"));
}

QString StatusPanel::etaText() const { return eta_->text(); }

void StatusPanel::setStepMode(const QString& mode) {
  step_mode_ = mode;
  setDevice(device_name_);
}

void StatusPanel::setState(const QString& state) { state_->setText(state); }

QString StatusPanel::state() const { return state_->text(); }

}  // namespace gan::ui
