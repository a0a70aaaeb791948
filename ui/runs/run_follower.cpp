#include "ui/runs/run_follower.h"

#include <QTimer>

#include <filesystem>
#include <memory>

#include "core/run/inside_csv.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
#include "ui/charts/metric_charts.h"
#include "ui/charts/quality_charts.h"
#include "ui/inside/inside_view.h"
#include "ui/samples/sample_panel.h"
#include "ui/session/training_session.h"
#include "ui/window/status_panel.h"

namespace gan::ui {

// One run's readers, each of which remembers where it stopped: the GUI thread reads with them
// when a run is opened, the reading thread on each poll after, never both at once.
struct RunFollower::Source {
  explicit Source(const std::filesystem::path& folder) : metrics(folder), inside(folder) {}
  gan::RunReader metrics;
  gan::InsideReader inside;
};

struct RunFollower::Read {
  gan::RunReader::Update metrics;
  gan::InsideReader::Update inside;
  std::vector<std::int64_t> sample_steps;
  gan::RunManifest manifest;  ///< read when there are new rows (the status line's)
};

RunFollower::Read RunFollower::readFrom(Source& source) {
  Read read;
  read.metrics = source.metrics.poll();
  read.inside = source.inside.poll();
  read.sample_steps = source.metrics.sample_steps();
  if (!read.metrics.steps.empty()) {
    try {
      read.manifest = source.metrics.manifest();
    } catch (const std::exception&) {
      // Runs from before manifests: no status beyond the rows.
    }
  }
  return read;
}

RunFollower::RunFollower(Views views, TrainingSession* session, QObject* parent)
    : QObject(parent), views_(views), session_(session), timer_(new QTimer(this)) {
  reading_context_ = new QObject;
  reading_context_->moveToThread(&reading_);
  connect(&reading_, &QThread::finished, reading_context_, &QObject::deleteLater);
  reading_.setObjectName("run reading");
  reading_.start();
  timer_->setInterval(1000);
  connect(timer_, &QTimer::timeout, this, [this] {
    if (!session_->isActive()) poll();
  });
}

RunFollower::~RunFollower() {
  // A poll being read ends first; what it posts back to this object is dropped with it.
  reading_.quit();
  reading_.wait();
}

void RunFollower::open(const QString& folder) {
  reload(folder);  // throws before anything changes when `folder` is not a run folder
  timer_->start();
}

void RunFollower::stop() {
  timer_->stop();
  source_.reset();
}

gan::Config RunFollower::config() const { return source_ ? source_->metrics.config() : gan::Config{}; }

QString RunFollower::preset() const {
  try {
    return source_ ? QString::fromStdString(source_->metrics.manifest().preset) : QString();
  } catch (const std::exception&) {
    return {};  // runs from before manifests existed
  }
}

void RunFollower::reload(const QString& folder) {
  // New readers, made first (they refuse a folder that is not a run's before a view changes); a
  // poll still being read with the old ones is dropped when it comes back.
  source_ = std::make_shared<Source>(folder.toStdString());
  folder_ = folder;
  views_.charts->clear();
  views_.quality->clear();
  try {
    if (const auto judge = source_->metrics.manifest().judge) views_.quality->setReference(*judge);
  } catch (const std::exception&) {
    // No manifest (an old run): the charts go without reference lines.
  }
  const gan::AlarmConfig& alarms = source_->metrics.config().alarms;
  views_.quality->setCollapseLimits(alarms.collapse_low, alarms.collapse_high, alarms.confidence_low);
  views_.charts->setLoss(source_->metrics.config().model.loss);
  views_.samples->clear();
  views_.samples->setRunFolder(folder_);
  views_.inside->clear();
  live_ = false;  // what is on disk now; rows arriving later show the writer is alive
  Read read = readFrom(*source_);
  if (read.manifest.status != "running") {
    // An ended run's last window of the inside figures may lack its parameters' rows: it is whole.
    for (gan::InsideRecord& record : source_->inside.poll_to_end().windows) read.inside.windows.push_back(std::move(record));
  }
  apply(read);
  live_ = true;
  views_.samples->setSteps(QVector<qint64>(read.sample_steps.begin(), read.sample_steps.end()));
}

void RunFollower::poll() {
  if (!source_ || poll_pending_) return;
  poll_pending_ = true;
  // Read on the reading thread, drawn here. `this` outlives the read (the destructor waits for
  // the reading thread), and an answer posted to it after it is gone is dropped by Qt.
  QMetaObject::invokeMethod(reading_context_, [this, source = source_] {
    auto read = std::make_shared<const Read>(readFrom(*source));
    QMetaObject::invokeMethod(this, [this, source, read] {
      poll_pending_ = false;
      if (source == source_) apply(*read);  // else another run was opened meanwhile
    });
  });
}

void RunFollower::apply(const Read& read) {
  if (read.metrics.reset) views_.charts->clear();
  for (const gan::QualityRecord& record : read.metrics.quality) views_.quality->addRecord(record);
  if (!read.metrics.steps.empty()) {
    views_.charts->addSteps(QVector<gan::StepRecord>(read.metrics.steps.begin(), read.metrics.steps.end()));
    if (!session_->isActive()) showProgress(read.metrics.steps, read.manifest);
    emit stepsRead(read.metrics.steps.back());
  }
  if (read.inside.reset) views_.inside->clear();  // resumed by its writer: cut back to a checkpoint
  for (const gan::InsideRecord& record : read.inside.windows) views_.inside->addRecord(record);
  if (read.sample_steps.size() != static_cast<std::size_t>(views_.samples->steps().size()) && !session_->isActive()) {
    views_.samples->setSteps(QVector<qint64>(read.sample_steps.begin(), read.sample_steps.end()));
  }
}

void RunFollower::showProgress(const std::vector<gan::StepRecord>& rows, const gan::RunManifest& manifest) {
  // The manifest says whether another process (gan-train, a cluster job) is still writing, where
  // it trains and how long the run is; the rows say how far it got and how fast.
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
