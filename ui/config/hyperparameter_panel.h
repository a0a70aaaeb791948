// Edits a Config: one row per field of the core's field table (config_fields.h: its label, range,
// tooltip and whether it stays editable while training), a preset picker, and validation by the
// core's own rules (gan::validate), so the panel and gan-train agree on what is allowed. An invalid
// field is outlined in red with the reason and allowed range beside it.
//
// While a run exists only the fields the table marks live (the learning rates, betas and d_steps)
// stay editable; their changes are announced through liveHyperparametersChanged.
#pragma once

#include <QMap>
#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

#include "core/config/config.h"
#include "core/config/config_fields.h"
#include "core/run/observer.h"
#include "ui/session/qt_types.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace gan::ui {

class HyperparameterPanel : public QWidget {
  Q_OBJECT

 public:
  explicit HyperparameterPanel(QWidget* parent = nullptr);

  void setConfig(const gan::Config& config);
  /// The edited config; only meaningful while isValid().
  const gan::Config& config() const { return config_; }
  bool isValid() const { return error_key_.isEmpty(); }
  /// The first problem as "key: reason", or empty.
  QString errorText() const { return error_text_; }

  /// Locks the fields that shape the model and data while a run exists.
  void setRunActive(bool active);

  /// Fills the preset picker from the *.yaml files of `folder`.
  void setPresetFolder(const QString& folder);
  /// The preset name shown in the picker ("pytorch-gan"), or "custom".
  QString presetName() const;
  /// Shows `name` in the picker when it is one of the presets, else "custom".
  void showPreset(const QString& name);

  /// The field editing `key` (e.g. "optimizer.generator.lr"); for tests and focus.
  QWidget* field(const QString& key) const { return fields_.value(key); }
  /// What a check box field does, as shown beside it ("" for other fields).
  QString helpText(const QString& key) const;

 signals:
  void validityChanged(bool valid);
  void liveHyperparametersChanged(const gan::LiveHyperparameters& values);
  void presetLoadFailed(const QString& message);
  /// "Sweep this field…" from a field's label (right click): try several values of `key`.
  void sweepRequested(const QString& key);

 private:
  void addField(QFormLayout* form, const gan::ConfigField& field);
  static QString tooltip(const gan::ConfigField& field);
  QLineEdit* addText(QFormLayout* form, const QString& key, const QString& label);
  QSpinBox* addInteger(QFormLayout* form, const QString& key, const QString& label, int low, int high);
  QComboBox* addChoice(QFormLayout* form, const QString& key, const QString& label, const QStringList& items);
  QComboBox* addDeviceChoice(QFormLayout* form, const QString& key, const QString& label);
  void selectDevice(QComboBox* combo, const QString& id);
  /// Adds `widget` as `key`'s field under `label`, in `shown` when given (the widget with what goes
  /// beside it); returns the form's field cell, the widget its label is for.
  QWidget* addRow(QFormLayout* form, const QString& key, const QString& label, QWidget* widget, QWidget* shown = nullptr);
  /// The field's widget read back as the table's value type; throws ParseError for unreadable text.
  gan::FieldValue readField(const gan::ConfigField& field) const;
  void revalidate();
  void showError(const QString& key, const QString& message);
  void emitLiveIfChanged();
  void updateEnabled();

  gan::Config config_;
  bool loading_ = false;
  bool run_active_ = false;
  QString error_key_;
  QString error_text_;
  std::optional<gan::LiveHyperparameters> last_live_;
  QMap<QString, QWidget*> fields_;
  QMap<QString, QLabel*> errors_;
  QMap<QString, QLabel*> helps_;  ///< a check box's help, beside it: a label wraps where a check box's text cannot
  QComboBox* preset_ = nullptr;
  QString preset_folder_;
};

}  // namespace gan::ui
