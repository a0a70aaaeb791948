// The studio's "sweep this field": writes a one-key grid sweep over the panel's config and runs
// gan-sweep on it in the background, into a new folder under ~/.local/share/gan-studio/sweeps that
// the runs view follows. The sweep is a process of its own (as on the command line): stopping it
// or closing the studio sends it SIGTERM, its runs stop with a checkpoint, and `gan-sweep FOLDER`
// continues it later.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

#include "core/config/config.h"

namespace gan::ui {

class SweepLauncher : public QObject {
  Q_OBJECT

 public:
  explicit SweepLauncher(QObject* parent = nullptr);
  ~SweepLauncher() override;

  /// The gan-sweep to run (default: the one beside this program).
  void setProgram(const QString& program) { program_ = program; }

  /// Starts a sweep of `key` over `values` (as the config reader takes them) on `config`, saved as
  /// `preset`.yaml so that the runs record the preset's name. Returns the sweep's folder. Throws
  /// std::exception with the reason (a bad value: the key and what is allowed) and starts nothing;
  /// also when a sweep is still running.
  QString start(const gan::Config& config, const QString& preset, const QString& key, const QStringList& values,
                qint64 max_steps, int parallel);
  bool running() const;
  /// Asks the sweep to stop (its runs finish their step and checkpoint).
  void stop();
  QString folder() const { return folder_; }

 signals:
  /// A line gan-sweep printed ("[2/3] 01-g_lr-0.0004: training …").
  void output(const QString& line);
  void finished(int exit_code);

 private:
  QString program_;
  QString folder_;
  std::unique_ptr<QTemporaryDir> staging_;  // the sweep file and base until gan-sweep copied them
  QProcess process_;
  QByteArray pending_;
};

}  // namespace gan::ui
