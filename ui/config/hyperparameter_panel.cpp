#include "ui/config/hyperparameter_panel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <variant>

#include "core/config/config_fields.h"
#include "core/io/number_text.h"
#include "core/model/device.h"

namespace gan::ui {
namespace {

// A field whose text could not be read: reported like a ConfigError from the core.
struct ParseError {
  QString key;
  QString message;
};

double read_double(const QLineEdit* edit, const QString& key) {
  bool ok = false;
  const double value = QLocale::c().toDouble(edit->text().trimmed(), &ok);
  if (!ok) throw ParseError{key, QObject::tr("expected a number such as 0.0002, found '%1'").arg(edit->text())};
  return value;
}

std::vector<std::int64_t> read_widths(const QLineEdit* edit, const QString& key) {
  std::vector<std::int64_t> widths;
  const QStringList parts = edit->text().split(QRegularExpression("[,\\s\\[\\]]+"), Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    bool ok = false;
    const qlonglong width = part.toLongLong(&ok);
    if (!ok) throw ParseError{key, QObject::tr("expected layer widths such as 128, 256; found '%1'").arg(part)};
    widths.push_back(width);
  }
  return widths;
}

QString widths_text(const std::vector<std::int64_t>& widths) {
  QStringList parts;
  for (auto width : widths) parts << QString::number(width);
  return parts.join(", ");
}

// The shortest text that reads back to exactly `value`: what is shown is what trains. With 12
// digits, a config value of more digits came back from the panel changed, and a fork from a
// checkpoint of that config refused it as "another model".
QString number_text(double value) { return QString::fromStdString(gan::shortest_text(value)); }

const QString kInvalidStyle = QStringLiteral("border: 2px solid #d62728; border-radius: 2px;");

}  // namespace

HyperparameterPanel::HyperparameterPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto group = [&](const QString& title) {
    auto* box = new QGroupBox(title, this);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addWidget(box);
    return form;
  };

  QFormLayout* preset = group(tr("Preset"));
  preset_ = new QComboBox(this);
  preset_->setToolTip(tr("Load one of the presets in resources/presets"));
  preset->addRow(tr("Preset"), preset_);
  connect(preset_, &QComboBox::activated, this, [this](int index) {
    const QString path = preset_->itemData(index).toString();
    if (path.isEmpty()) return;
    try {
      setConfig(gan::load_config(path.toStdString()));
    } catch (const std::exception& e) {
      emit presetLoadFailed(QString::fromStdString(e.what()));
    }
  });

  // One group per config section and one row per field, as the core's field table lists them.
  for (const gan::ConfigSection& section : gan::config_sections()) {
    std::vector<const gan::ConfigField*> fields;
    for (const gan::ConfigField& field : gan::config_fields()) {
      if (field.key.compare(0, section.key.size() + 1, section.key + ".") == 0) fields.push_back(&field);
    }
    const bool all_live = std::all_of(fields.begin(), fields.end(),
                                      [](const gan::ConfigField* field) { return field->live == gan::Live::kYes; });
    QFormLayout* form = group(QString::fromStdString(section.title) + (all_live ? tr(" (editable while training)") : QString()));
    for (const gan::ConfigField* field : fields) addField(form, *field);
  }
  layout->addStretch(1);
  setConfig(gan::Config{});
}

QString HyperparameterPanel::tooltip(const gan::ConfigField& field) {
  QString text = QString::fromStdString(field.help);
  const std::string allowed = field.allowed();
  if (!allowed.empty() && field.type != gan::FieldType::kChoice && field.type != gan::FieldType::kDevice) {
    text += QStringLiteral(" (%1)").arg(QString::fromStdString(allowed));
  }
  if (!field.unit.empty()) text += QStringLiteral("; %1").arg(QString::fromStdString(field.unit));
  if (field.live == gan::Live::kYes) text += tr("; editable while training");
  return text;
}

void HyperparameterPanel::addField(QFormLayout* form, const gan::ConfigField& field) {
  const QString key = QString::fromStdString(field.key);
  const QString label = QString::fromStdString(field.label);
  QWidget* widget = nullptr;
  QWidget* cell = nullptr;  // the form's field cell, where it is not the widget's parent
  switch (field.type) {
    case gan::FieldType::kInteger:
      // QSpinBox holds an int; wider ranges (the seed) are typed.
      if (field.max <= std::numeric_limits<int>::max()) {
        widget = addInteger(form, key, label, static_cast<int>(field.min), static_cast<int>(field.max));
      } else {
        widget = addText(form, key, label);
      }
      break;
    case gan::FieldType::kNumber:
    case gan::FieldType::kText:
    case gan::FieldType::kWidths:
      widget = addText(form, key, label);
      break;
    case gan::FieldType::kBool: {
      // The help beside the box, in a label that wraps: as the box's own text it set the panel's
      // least width (a whole sentence on one line), and the panel then scrolled sideways.
      auto* check = new QCheckBox(this);
      auto* help = new QLabel(QString::fromStdString(field.help), this);
      help->setWordWrap(true);
      help->setBuddy(check);
      auto* shown = new QWidget(this);
      auto* row = new QHBoxLayout(shown);
      row->setContentsMargins(0, 0, 0, 0);
      row->addWidget(check, 0, Qt::AlignTop);
      row->addWidget(help, 1);
      helps_.insert(key, help);
      cell = addRow(form, key, label, check, shown);
      connect(check, &QCheckBox::toggled, this, &HyperparameterPanel::revalidate);
      widget = check;
      break;
    }
    case gan::FieldType::kChoice: {
      QStringList items;
      for (const std::string& choice : field.choices) items << QString::fromStdString(choice);
      widget = addChoice(form, key, label, items);
      break;
    }
    case gan::FieldType::kDevice:
      widget = addDeviceChoice(form, key, label);
      break;
  }
  widget->setToolTip(tooltip(field));
  // A right click on the label offers a sweep over this field (not over a folder or a device).
  if (field.type != gan::FieldType::kText && field.type != gan::FieldType::kDevice) {
    if (auto* label_widget = qobject_cast<QLabel*>(form->labelForField(cell ? cell : widget->parentWidget()))) {
      auto* sweep = new QAction(tr("Sweep this field…"), label_widget);
      connect(sweep, &QAction::triggered, this, [this, key] { emit sweepRequested(key); });
      label_widget->addAction(sweep);
      label_widget->setContextMenuPolicy(Qt::ActionsContextMenu);
      label_widget->setToolTip(tr("Right-click to sweep this field: one run per value, compared in the runs view"));
    }
  }
}

QWidget* HyperparameterPanel::addRow(QFormLayout* form, const QString& key, const QString& label, QWidget* widget,
                                     QWidget* shown) {
  auto* error = new QLabel(this);
  error->setWordWrap(true);
  error->setStyleSheet("color: #d62728;");
  error->hide();
  auto* column = new QWidget(this);
  auto* column_layout = new QVBoxLayout(column);
  column_layout->setContentsMargins(0, 0, 0, 0);
  column_layout->setSpacing(1);
  column_layout->addWidget(shown ? shown : widget);
  column_layout->addWidget(error);
  form->addRow(label, column);
  widget->setObjectName(key);
  fields_.insert(key, widget);
  errors_.insert(key, error);
  return column;
}

QString HyperparameterPanel::helpText(const QString& key) const {
  const QLabel* help = helps_.value(key);
  return help ? help->text() : QString();
}

QLineEdit* HyperparameterPanel::addText(QFormLayout* form, const QString& key, const QString& label) {
  auto* edit = new QLineEdit(this);
  addRow(form, key, label, edit);
  connect(edit, &QLineEdit::textChanged, this, &HyperparameterPanel::revalidate);
  // Live values go to the trainer when editing is done, not at every keystroke.
  connect(edit, &QLineEdit::editingFinished, this, &HyperparameterPanel::emitLiveIfChanged);
  return edit;
}

QSpinBox* HyperparameterPanel::addInteger(QFormLayout* form, const QString& key, const QString& label, int low, int high) {
  auto* spin = new QSpinBox(this);
  spin->setRange(low, high);
  spin->setKeyboardTracking(false);
  addRow(form, key, label, spin);
  connect(spin, &QSpinBox::valueChanged, this, [this] {
    revalidate();
    emitLiveIfChanged();
  });
  return spin;
}

QComboBox* HyperparameterPanel::addDeviceChoice(QFormLayout* form, const QString& key, const QString& label) {
  // Each device by name, its id ("cpu", "cuda:0") as the item's data: what train.device says.
  QComboBox* combo = addChoice(form, key, label, {});
  combo->addItem(tr("auto (the first GPU, else the CPU)"), QStringLiteral("auto"));
  for (const gan::DeviceInfo& device : gan::available_devices()) {
    // As the run's manifest names it: "CPU (2 cores)", "cuda:0 NVIDIA H200 (139.8 GiB)".
    const QString description = QString::fromStdString(gan::device_description(device.id));
    const QString id = QString::fromStdString(device.id);
    combo->addItem(description.startsWith(id) ? description : id + QStringLiteral(" — ") + description, id);
  }
  return combo;
}

void HyperparameterPanel::selectDevice(QComboBox* combo, const QString& id) {
  int index = combo->findData(id);
  if (index < 0) {
    // A config written on another machine ("cuda", "cuda:3"): kept as it is, and refused with the
    // reason when the run starts.
    combo->addItem(tr("%1 (not on this machine)").arg(id), id);
    index = combo->count() - 1;
  }
  combo->setCurrentIndex(index);
}

QComboBox* HyperparameterPanel::addChoice(QFormLayout* form, const QString& key, const QString& label,
                                          const QStringList& items) {
  auto* combo = new QComboBox(this);
  combo->addItems(items);
  addRow(form, key, label, combo);
  connect(combo, &QComboBox::currentIndexChanged, this, &HyperparameterPanel::revalidate);
  return combo;
}

void HyperparameterPanel::setPresetFolder(const QString& folder) {
  preset_folder_ = folder;
  preset_->clear();
  preset_->addItem(tr("custom"), QString());
  const QDir dir(folder);
  for (const QString& name : dir.entryList({"*.yaml"}, QDir::Files, QDir::Name)) {
    preset_->addItem(QFileInfo(name).completeBaseName(), dir.filePath(name));
  }
}

void HyperparameterPanel::showPreset(const QString& name) {
  const int index = preset_->findText(name);
  preset_->setCurrentIndex(index > 0 ? index : 0);
}

QString HyperparameterPanel::presetName() const { return preset_->currentIndex() > 0 ? preset_->currentText() : "custom"; }

void HyperparameterPanel::setConfig(const gan::Config& config) {
  loading_ = true;
  for (const gan::ConfigField& field : gan::config_fields()) {
    QWidget* widget = fields_.value(QString::fromStdString(field.key));
    const gan::FieldValue value = field.get(config);
    if (auto* spin = qobject_cast<QSpinBox*>(widget)) {
      spin->setValue(static_cast<int>(std::get<std::int64_t>(value)));
    } else if (auto* check = qobject_cast<QCheckBox*>(widget)) {
      check->setChecked(std::get<bool>(value));
    } else if (auto* combo = qobject_cast<QComboBox*>(widget)) {
      const QString text = QString::fromStdString(std::get<std::string>(value));
      if (field.type == gan::FieldType::kDevice) selectDevice(combo, text);
      else combo->setCurrentText(text);
    } else if (auto* edit = qobject_cast<QLineEdit*>(widget)) {
      switch (field.type) {
        case gan::FieldType::kNumber: edit->setText(number_text(std::get<double>(value))); break;
        case gan::FieldType::kWidths: edit->setText(widths_text(std::get<std::vector<std::int64_t>>(value))); break;
        case gan::FieldType::kInteger: edit->setText(QString::number(std::get<std::int64_t>(value))); break;
        default: edit->setText(QString::fromStdString(std::get<std::string>(value))); break;
      }
    }
  }
  loading_ = false;
  revalidate();
  last_live_.reset();
  if (isValid()) last_live_ = gan::LiveHyperparameters{config_.optimizer.generator, config_.optimizer.discriminator,
                                                        config_.train.d_steps};
}

gan::FieldValue HyperparameterPanel::readField(const gan::ConfigField& field) const {
  const QString key = QString::fromStdString(field.key);
  QWidget* widget = fields_.value(key);
  if (auto* spin = qobject_cast<QSpinBox*>(widget)) return static_cast<std::int64_t>(spin->value());
  if (auto* check = qobject_cast<QCheckBox*>(widget)) return check->isChecked();
  if (auto* combo = qobject_cast<QComboBox*>(widget)) {
    // The device box keeps each id as the item's data; the others show their spelling.
    const QVariant item = combo->currentData();
    return (item.isValid() ? item.toString() : combo->currentText()).toStdString();
  }
  const auto* edit = static_cast<QLineEdit*>(widget);
  switch (field.type) {
    case gan::FieldType::kNumber: return read_double(edit, key);
    case gan::FieldType::kWidths: return read_widths(edit, key);
    case gan::FieldType::kInteger: {
      bool ok = false;
      const qlonglong value = edit->text().trimmed().toLongLong(&ok);
      if (!ok) throw ParseError{key, tr("expected a whole number %1").arg(QString::fromStdString(field.allowed()))};
      return static_cast<std::int64_t>(value);
    }
    default: return edit->text().trimmed().toStdString();
  }
}

void HyperparameterPanel::revalidate() {
  if (loading_) return;
  const bool was_valid = isValid();
  gan::Config c;
  try {
    for (const gan::ConfigField& field : gan::config_fields()) {
      const gan::FieldValue value = readField(field);
      // Choices and devices are checked before they are stored (set() trusts its spelling).
      const std::string problem = field.check(value);
      if (!problem.empty()) throw gan::ConfigError(field.key, problem);
      field.set(c, value);
    }
    gan::validate(c);
    config_ = c;
    showError({}, {});
    updateEnabled();
  } catch (const ParseError& e) {
    showError(e.key, e.message);
  } catch (const gan::ConfigError& e) {
    showError(QString::fromStdString(e.key()), QString::fromStdString(e.detail()));
  }
  if (was_valid != isValid()) emit validityChanged(isValid());
}

void HyperparameterPanel::showError(const QString& key, const QString& message) {
  if (!error_key_.isEmpty() && fields_.contains(error_key_)) {
    fields_[error_key_]->setStyleSheet({});
    errors_[error_key_]->hide();
  }
  error_key_ = key;
  error_text_ = key.isEmpty() ? QString() : key + ": " + message;
  if (key.isEmpty()) return;
  if (!fields_.contains(key)) return;  // cannot happen: every validated key has a field
  fields_[key]->setStyleSheet(kInvalidStyle);
  errors_[key]->setText(message);
  errors_[key]->show();
}

void HyperparameterPanel::setRunActive(bool active) {
  run_active_ = active;
  preset_->setEnabled(!active);
  updateEnabled();
  if (active && isValid()) {
    last_live_ = gan::LiveHyperparameters{config_.optimizer.generator, config_.optimizer.discriminator, config_.train.d_steps};
  }
}

void HyperparameterPanel::updateEnabled() {
  // While a run exists only the live fields may change; and a field that does nothing in this
  // config (a DCGAN's channels for an MLP) is greyed out, with its value kept.
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    const gan::ConfigField* field = gan::find_config_field(it.key().toStdString());
    const bool editable = !run_active_ || (field && field->live == gan::Live::kYes);
    it.value()->setEnabled(editable && (field == nullptr || field->acts_in(config_)));
    if (QLabel* help = helps_.value(it.key())) help->setEnabled(it.value()->isEnabled());
    if (field != nullptr && field->help_by != nullptr) {
      // What the field does depends on the config (G's batch norm in an MLP or a DCGAN).
      if (QLabel* help = helps_.value(it.key())) help->setText(QString::fromStdString(field->help_in(config_)));
    }
  }
}

void HyperparameterPanel::emitLiveIfChanged() {
  if (loading_ || !run_active_ || !isValid()) return;
  const gan::LiveHyperparameters live{config_.optimizer.generator, config_.optimizer.discriminator, config_.train.d_steps};
  if (last_live_ && *last_live_ == live) return;
  last_live_ = live;
  emit liveHyperparametersChanged(live);
}

}  // namespace gan::ui
