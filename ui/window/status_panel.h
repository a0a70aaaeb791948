// The run's status line: device (a GPU's name and memory in use, refreshed while it runs), epoch and
// step progress, speed, elapsed time and ETA.
#pragma once

#include <QTimer>
#include <QWidget>

#include "core/run/observer.h"

class QLabel;
class QProgressBar;

namespace gan::ui {

class StatusPanel : public QWidget {
  Q_OBJECT

 public:
  explicit StatusPanel(QWidget* parent = nullptr);

  void setRunInfo(const gan::RunInfo& info);
  void setDevice(const QString& device);
  QString deviceText() const;
  /// The step bar's text ("step 30 / 64  (6 / 8 in this epoch)").
  QString stepText() const;
  void setProgress(const gan::Progress& progress);
  /// The run ended: its speed and ETA are shown as unknown ("ETA –"), its progress stays.
  void runEnded();
  QString etaText() const;
  /// The steps now run in `mode` (a CUDA graph that fell back runs "uncaptured"): said beside the device.
  void setStepMode(const QString& mode);
  void setState(const QString& state);
  QString state() const;
  void reset();

 private:
  void refreshDevice();

  QString device_id_;   // "cpu" or "cuda:N" of the run shown
  QString device_name_;  // as setDevice last had it
  QString step_mode_;    // said beside the device once the steps run otherwise than asked
  QTimer device_timer_;  // a GPU's memory in use changes as the run goes
  QLabel* device_;
  QLabel* state_;
  QProgressBar* epoch_;
  QProgressBar* steps_;
  QLabel* speed_;
  QLabel* elapsed_;
  QLabel* eta_;
};

/// "1:02:03" or "02:03".
QString clockText(double seconds);

}  // namespace gan::ui
