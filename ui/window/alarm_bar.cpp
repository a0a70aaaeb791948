#include "ui/window/alarm_bar.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace gan::ui {

AlarmBar::AlarmBar(QWidget* parent) : QFrame(parent) {
  setObjectName("alarmBar");
  setStyleSheet("#alarmBar { background: #fff4e5; border: 1px solid #e08a00; } QLabel { color: #663c00; }");
  text_ = new QLabel(this);
  text_->setWordWrap(true);
  text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  rollback_ = new QPushButton(tr("Roll back"), this);
  continue_ = new QPushButton(tr("Keep training"), this);
  dismiss_ = new QPushButton(tr("Close"), this);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 4, 8, 4);
  layout->addWidget(text_, 1);
  layout->addWidget(rollback_);
  layout->addWidget(continue_);
  layout->addWidget(dismiss_);
  connect(rollback_, &QPushButton::clicked, this, [this] {
    hide();
    emit rollbackRequested(checkpoint_);
  });
  connect(continue_, &QPushButton::clicked, this, [this] {
    hide();
    emit continueRequested();
  });
  connect(dismiss_, &QPushButton::clicked, this, &QWidget::hide);
  hide();
}

void AlarmBar::showAlarm(const gan::Alarm& alarm, bool can_continue) {
  checkpoint_ = QString::fromStdString(alarm.rollback_checkpoint);
  QString text = tr("<b>Alarm at step %1 — %2.</b> %3")
                     .arg(alarm.step)
                     .arg(QString::fromLatin1(gan::to_string(alarm.kind)))
                     .arg(QString::fromStdString(alarm.message).toHtmlEscaped());
  if (can_continue) text += tr(" The run is paused.");
  if (checkpoint_.isEmpty()) text += tr(" No checkpoint predates the trouble, so there is nothing to roll back to.");
  text_->setText(text);
  const QString name = QFileInfo(checkpoint_).completeBaseName();  // step_0004000
  const qlonglong step = name.mid(5).toLongLong();
  rollback_->setText(tr("Roll back to step %1").arg(step));
  rollback_->setToolTip(tr("Continue this run from %1; later checkpoints move to checkpoints/abandoned").arg(checkpoint_));
  rollback_->setVisible(!checkpoint_.isEmpty());
  continue_->setVisible(can_continue);
  show();
}

QString AlarmBar::text() const { return isHidden() ? QString() : text_->text(); }

}  // namespace gan::ui
