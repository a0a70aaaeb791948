#include "ui/run_follower.h"

#include <QTimer>

#include <filesystem>

#include "core/run/inside_csv.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
#include "ui/inside_view.h"
#include "ui/metric_charts.h"
#include "ui/quality_charts.h"
#include "ui/sample_panel.h"
#include "ui/status_panel.h"
#include "ui/training_session.h"

namespace gan::ui {

RunFollower::RunFollower(Views views, TrainingSession* session, QObject* parent)
    : QObject(parent), views_(views), session_(session), timer_(new QTimer(this)) {
  timer_->setInterval(1000);
  connect(timer_, &QTimer::timeout, this, [this] {
    if (!session_->isActive()) poll();
  });
}

RunFollower::~RunFollower() = default;

void RunFollower::open(const QString& folder) {
  gan::RunReader check(folder.toStdString());  // throws before anything changes
  reload(folder);
  timer_->start();
}

void RunFollower::stop() {
  timer_->stop();
  reader_.reset();
}

gan::Config RunFollower::config() const { return reader_ ? reader_->config() : gan::Config{}; }

QString RunFollower::preset() const {
  try {
    return reader_ ? QString::fromStdString(reader_->manifest().preset) : QString();
  } catch (const std::exception&) {
    return {};  // runs from before manifests existed
  }
}

void RunFollower::reload(const QString& folder) {
  folder_ = folder;
  reader_ = std::make_unique<gan::RunReader>(folder_.toStdString());
  views_.charts->clear();
  views_.quality->clear();
  try {
    if (const auto judge = reader_->manifest().judge) views_.quality->setReference(*judge);
  } catch (const std::exception&) {
    // No manifest (an old run): the charts go without reference lines.
  }
  const gan::AlarmConfig& alarms = reader_->config().alarms;
  views_.quality->setCollapseLimits(alarms.collapse_low, alarms.collapse_high, alarms.confidence_low);
  views_.charts->setLoss(reader_->config().model.loss);
  views_.samples->clear();
  views_.samples->setRunFolder(folder_);
  views_.inside->clear();
  inside_bytes_ = 0;
  live_ = false;  // what is on disk now; rows arriving later show the writer is alive
  poll();
  live_ = true;
  const auto steps = reader_->sample_steps();
  views_.samples->setSteps(QVector<qint64>(steps.begin(), steps.end()));
}

void RunFollower::poll() {
  if (!reader_) return;
  gan::RunReader::Update update = reader_->poll();
  if (update.reset) views_.charts->clear();
  for (const gan::QualityRecord& record : update.quality) views_.quality->addRecord(record);
  if (!update.steps.empty()) {
    views_.charts->addSteps(QVector<gan::StepRecord>(update.steps.begin(), update.steps.end()));
    if (!session_->isActive()) showProgress(update.steps);
    emit stepsRead(update.steps.back());
  }
  pollInside();
  const auto steps = reader_->sample_steps();
  if (steps.size() != static_cast<std::size_t>(views_.samples->steps().size()) && !session_->isActive()) {
    views_.samples->setSteps(QVector<qint64>(steps.begin(), steps.end()));
  }
}

void RunFollower::pollInside() {
  // Read again only when the file grew: a long run's layers.csv is megabytes.
  std::error_code error;
  const std::uintmax_t bytes = std::filesystem::file_size(std::filesystem::path(folder_.toStdString()) / gan::kVerdictsFile, error);
  if (error || bytes == inside_bytes_) return;
  if (bytes < inside_bytes_) views_.inside->clear();  // resumed by its writer: cut back to a checkpoint
  inside_bytes_ = bytes;
  for (const gan::InsideRecord& record : gan::read_inside(folder_.toStdString())) views_.inside->addRecord(record);
}

void RunFollower::showProgress(const std::vector<gan::StepRecord>& rows) {
  // The manifest says whether another process (gan-train, a cluster job) is still writing, where
  // it trains and how long the run is; the rows say how far it got and how fast.
  gan::RunManifest manifest;
  try {
    manifest = reader_->manifest();
  } catch (const std::exception&) {
  }
  const gan::StepRecord& last = rows.back();
  // A writer killed outright leaves "running" behind: only new rows prove it is still training.
  const bool running = manifest.status == "running";
  views_.status->setState(running && live_ ? tr("following: step %1, still training").arg(last.step)
                          : running        ? tr("opened: step %1 (marked running; following)").arg(last.step)
                                           : tr("opened: step %1").arg(last.step));
  if (!manifest.device.empty()) views_.status->setDevice(QString::fromStdString(manifest.device));
  if (manifest.steps_per_epoch <= 0 || manifest.total_steps <= 0) return;  // written before runs recorded them
  gan::Progress progress;
  progress.step = last.step;
  progress.epoch = last.epoch;
  progress.total_steps = manifest.total_steps;
  progress.steps_per_epoch = manifest.steps_per_epoch;
  progress.elapsed_seconds = last.seconds;
  const gan::StepRecord& first = rows.front();
  if (running && live_ && last.seconds > first.seconds) {
    progress.steps_per_second = static_cast<double>(last.step - first.step) / (last.seconds - first.seconds);
  }
  views_.status->setProgress(progress);
}

}  // namespace gan::ui
