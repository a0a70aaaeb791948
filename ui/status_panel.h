// The run's status line: device, epoch and step progress, speed, elapsed time and ETA.
#pragma once

#include <QWidget>

#include "core/observer.h"

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
  void setState(const QString& state);
  QString state() const;
  void reset();

 private:
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
