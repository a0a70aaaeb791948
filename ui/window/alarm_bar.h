// The bar above the charts that says an alarm fired (alarms.h): what happened, what to try, and the
// choices — roll back to the last good checkpoint, keep training, or just close the bar.
#pragma once

#include <QFrame>
#include <QString>

#include "core/run/observer.h"

class QLabel;
class QPushButton;

namespace gan::ui {

class AlarmBar : public QFrame {
  Q_OBJECT

 public:
  explicit AlarmBar(QWidget* parent = nullptr);

  /// Shows `alarm`. `can_continue`: the run is paused and may go on as it is (not after a
  /// non-finite loss, which ends it).
  void showAlarm(const gan::Alarm& alarm, bool can_continue);
  QString text() const;
  /// The checkpoint "Roll back" would continue from; empty when none predates the trouble.
  const QString& rollbackCheckpoint() const { return checkpoint_; }
  QPushButton* rollbackButton() const { return rollback_; }
  QPushButton* continueButton() const { return continue_; }

 signals:
  void rollbackRequested(const QString& checkpoint);
  void continueRequested();

 private:
  QLabel* text_;
  QPushButton* rollback_;
  QPushButton* continue_;
  QPushButton* dismiss_;
  QString checkpoint_;
};

}  // namespace gan::ui
