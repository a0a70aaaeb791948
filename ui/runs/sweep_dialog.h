// "Sweep this field": the values to try for one field of the panel, the steps each run trains and
// how many run at once; the values start as a sensible spread around the current one (half,
// same, double for a rate; both for a switch; every choice for a choice).
#pragma once

#include <QDialog>
#include <QStringList>

#include "core/config/config.h"
#include "core/config/config_fields.h"

class QLabel;
class QLineEdit;
class QSpinBox;

namespace gan::ui {

class SweepDialog : public QDialog {
  Q_OBJECT

 public:
  SweepDialog(const gan::ConfigField& field, const gan::Config& config, QWidget* parent = nullptr);

  /// The values as the config reader takes them ("0.0001", "[128, 256]").
  QStringList values() const;
  void setValues(const QString& text);
  qint64 maxSteps() const;
  int parallel() const;
  /// Shows why the sweep could not start (the dialog stays open).
  void showError(const QString& message);

  /// The starting spread for `field` around its value in `config`.
  static QStringList suggestedValues(const gan::ConfigField& field, const gan::Config& config);

 private:
  void updateSummary();

  const gan::ConfigField& field_;
  QLineEdit* values_ = nullptr;
  QSpinBox* steps_ = nullptr;
  QSpinBox* parallel_ = nullptr;
  QLabel* summary_ = nullptr;
  QLabel* error_ = nullptr;
};

}  // namespace gan::ui
