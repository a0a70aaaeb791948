#include "ui/runs/sweep_launcher.h"

#include <QDir>

#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/paths.h"
#include "core/sweep/sweep_spec.h"

namespace gan::ui {

SweepLauncher::SweepLauncher(QObject* parent)
    : QObject(parent), program_(QString::fromStdString((gan::program_folder() / "gan-sweep").string())) {
  process_.setProcessChannelMode(QProcess::MergedChannels);
  connect(&process_, &QProcess::readyRead, this, [this] {
    pending_ += process_.readAll();
    for (int end = pending_.indexOf('\n'); end >= 0; end = pending_.indexOf('\n')) {
      emit output(QString::fromUtf8(pending_.left(end)));
      pending_.remove(0, end + 1);
    }
  });
  connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    staging_.reset();
    emit finished(status == QProcess::NormalExit ? code : -1);
  });
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) {
      emit output(tr("cannot start %1: %2").arg(program_, process_.errorString()));
      emit finished(-1);
    }
  });
}

SweepLauncher::~SweepLauncher() {
  if (!running()) return;
  stop();
  // Its runs write a checkpoint before they end: give them the time a step and a save take.
  if (!process_.waitForFinished(30000)) process_.kill();
}

bool SweepLauncher::running() const { return process_.state() != QProcess::NotRunning; }

void SweepLauncher::stop() {
  if (running()) process_.terminate();  // SIGTERM: gan-sweep passes it on to its runs
}

QString SweepLauncher::start(const gan::Config& config, const QString& preset, const QString& key,
                             const QStringList& values, qint64 max_steps, int parallel) {
  if (running()) throw std::runtime_error("a sweep is still running; stop it first");
  auto staging = std::make_unique<QTemporaryDir>();
  if (!staging->isValid()) throw gan::FileError("cannot create a temporary folder for the sweep file");
  const std::filesystem::path base = std::filesystem::path(staging->path().toStdString()) / (preset.toStdString() + ".yaml");
  gan::save_config(config, base);
  std::vector<std::string> texts;
  for (const QString& value : values) texts.push_back(value.trimmed().toStdString());
  const std::filesystem::path sweep = std::filesystem::path(staging->path().toStdString()) / "sweep.yaml";
  gan::write_file_atomically(sweep, gan::grid_sweep_text(base.string(), {{key.toStdString(), texts}}, max_steps));
  gan::load_sweep(sweep);  // every value checked as the config reader checks it; throws ConfigError

  const std::string label = preset.toStdString() + "-" + key.section('.', -2).replace('.', '-').toStdString();
  const auto folder = gan::new_run_folder(gan::user_data_folder() / "sweeps", label);
  std::filesystem::create_directories(folder);  // so that the runs view can follow it from the start
  folder_ = QString::fromStdString(folder.string());
  staging_ = std::move(staging);
  pending_.clear();
  QStringList arguments{QString::fromStdString(sweep.string()), "--out", folder_, "--parallel", QString::number(parallel)};
  if (max_steps > 0) arguments << "--max-steps" << QString::number(max_steps);
  process_.start(program_, arguments);
  return folder_;
}

}  // namespace gan::ui
