#include "ui/hyperparameter_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

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

QString number_text(double value) { return QLocale::c().toString(value, 'g', 12); }

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

  QFormLayout* data_form = group(tr("Data"));
  addChoice(data_form, "data.dataset", tr("Dataset"), {"mnist", "fashion-mnist", "idx"});
  addText(data_form, "data.path", tr("Folder"), tr("Folder with the IDX files; empty: the dataset's default folder"));

  QFormLayout* model = group(tr("Model"));
  addInteger(model, "model.latent_dim", tr("Latent size"), 1, 4096, tr("Length of the noise vector z"));
  addText(model, "model.generator.hidden", tr("G layers"), tr("Hidden layer widths of the generator, e.g. 128, 256, 512, 1024"));
  auto* batch_norm = new QCheckBox(tr("BatchNorm from the 2nd layer"), this);
  addRow(model, "model.generator.batch_norm", tr("G batch norm"), batch_norm);
  connect(batch_norm, &QCheckBox::toggled, this, &HyperparameterPanel::revalidate);
  addText(model, "model.generator.batch_norm_eps", tr("G BN eps"), tr("BatchNorm1d eps; gan.py passes 0.8"));
  addChoice(model, "model.generator.activation", tr("G activation"), {"leaky_relu", "relu"});
  addText(model, "model.generator.slope", tr("G slope"), tr("LeakyReLU negative slope, in [0, 1]"));
  addText(model, "model.discriminator.hidden", tr("D layers"), tr("Hidden layer widths of the discriminator, e.g. 512, 256"));
  addChoice(model, "model.discriminator.activation", tr("D activation"), {"leaky_relu", "relu"});
  addText(model, "model.discriminator.slope", tr("D slope"), tr("LeakyReLU negative slope, in [0, 1]"));
  addText(model, "model.discriminator.dropout", tr("D dropout"), tr("Dropout after each hidden layer of D, in [0, 0.99]"));

  QFormLayout* train = group(tr("Training"));
  addInteger(train, "train.epochs", tr("Epochs"), 1, 1000000, {});
  addInteger(train, "train.batch_size", tr("Batch size"), 1, 65536, {});
  addInteger(train, "train.d_steps", tr("D steps"), 1, 100, tr("Discriminator updates per generator update (live)"));
  addText(train, "train.seed", tr("Seed"), tr("Seed of LibTorch's RNG: the same seed on CPU gives the same run"));
  addDeviceChoice(train);
  addChoice(train, "train.step", tr("Step"), {"auto", "eager", "graph"})
      ->setToolTip(tr("graph: each step captured once as a CUDA graph and replayed (CUDA only, much faster "
                      "there); eager: kernels launched one by one; auto: the graph wherever it is possible"));

  QFormLayout* optimizer = group(tr("Adam (editable while training)"));
  addText(optimizer, "optimizer.generator.lr", tr("G lr"), tr("in (0, 1]"));
  addText(optimizer, "optimizer.generator.beta1", tr("G beta1"), tr("in [0, 1)"));
  addText(optimizer, "optimizer.generator.beta2", tr("G beta2"), tr("in [0, 1)"));
  addText(optimizer, "optimizer.discriminator.lr", tr("D lr"), tr("in (0, 1]"));
  addText(optimizer, "optimizer.discriminator.beta1", tr("D beta1"), tr("in [0, 1)"));
  addText(optimizer, "optimizer.discriminator.beta2", tr("D beta2"), tr("in [0, 1)"));

  QFormLayout* sampling = group(tr("Samples"));
  addInteger(sampling, "sampling.interval", tr("Interval"), 1, 1000000000, tr("Steps between sample grids"));
  addInteger(sampling, "sampling.grid", tr("Grid"), 1, 32, tr("The grid shows grid × grid digits"));

  QFormLayout* checkpoints = group(tr("Checkpoints"));
  addInteger(checkpoints, "checkpoint.interval", tr("Interval"), 0, 1000000000,
             tr("Steps between checkpoints; one is also written when a run stops or ends (0: only then)"));
  addInteger(checkpoints, "checkpoint.keep", tr("Keep"), 1, 1000, tr("Periodic checkpoints kept in the run folder"));

  QFormLayout* quality = group(tr("Sample quality (the MNIST judge)"));
  addInteger(quality, "quality.interval", tr("Interval"), 0, 1000000000,
             tr("Steps between evaluations of generated digits by the judge (0: none)"));
  addInteger(quality, "quality.samples", tr("Samples"), 100, 100000, tr("Generated digits scored each time"));

  QFormLayout* alarms = group(tr("Alarms (pause the run)"));
  addInteger(alarms, "alarms.warmup", tr("Warm-up"), 0, 1000000000,
             tr("Steps before the discriminator and collapse alarms may fire"));
  addText(alarms, "alarms.d_wins_real", tr("D wins: D(x) >"), tr("in [0, 1]"));
  addText(alarms, "alarms.d_wins_fake", tr("and D(G(z)) <"), tr("in [0, 1]"));
  addInteger(alarms, "alarms.d_wins_steps", tr("for steps"), 0, 1000000000,
             tr("Steps in a row before the alarm fires (0: off)"));
  addText(alarms, "alarms.collapse_high", tr("Collapse: class >"), tr("share of samples, in [0, 1]"));
  addText(alarms, "alarms.collapse_low", tr("or class <"), tr("share of samples, in [0, 1]"));
  addInteger(alarms, "alarms.collapse_checks", tr("for evaluations"), 0, 1000000,
             tr("Evaluations in a row before the alarm fires (0: off)"));
  layout->addStretch(1);

  live_keys_ = {"optimizer.generator.lr",    "optimizer.generator.beta1",    "optimizer.generator.beta2",
                "optimizer.discriminator.lr", "optimizer.discriminator.beta1", "optimizer.discriminator.beta2",
                "train.d_steps"};
  setConfig(gan::Config{});
}

void HyperparameterPanel::addRow(QFormLayout* form, const QString& key, const QString& label, QWidget* widget) {
  auto* error = new QLabel(this);
  error->setWordWrap(true);
  error->setStyleSheet("color: #d62728;");
  error->hide();
  auto* column = new QWidget(this);
  auto* column_layout = new QVBoxLayout(column);
  column_layout->setContentsMargins(0, 0, 0, 0);
  column_layout->setSpacing(1);
  column_layout->addWidget(widget);
  column_layout->addWidget(error);
  form->addRow(label, column);
  widget->setObjectName(key);
  fields_.insert(key, widget);
  errors_.insert(key, error);
}

QLineEdit* HyperparameterPanel::addText(QFormLayout* form, const QString& key, const QString& label, const QString& help) {
  auto* edit = new QLineEdit(this);
  edit->setToolTip(help);
  addRow(form, key, label, edit);
  connect(edit, &QLineEdit::textChanged, this, &HyperparameterPanel::revalidate);
  // Live values go to the trainer when editing is done, not at every keystroke.
  connect(edit, &QLineEdit::editingFinished, this, &HyperparameterPanel::emitLiveIfChanged);
  return edit;
}

QSpinBox* HyperparameterPanel::addInteger(QFormLayout* form, const QString& key, const QString& label, int low, int high,
                                          const QString& help) {
  auto* spin = new QSpinBox(this);
  spin->setRange(low, high);
  spin->setKeyboardTracking(false);
  spin->setToolTip(help.isEmpty() ? tr("between %1 and %2").arg(low).arg(high) : help + tr(" (%1 to %2)").arg(low).arg(high));
  addRow(form, key, label, spin);
  connect(spin, &QSpinBox::valueChanged, this, [this] {
    revalidate();
    emitLiveIfChanged();
  });
  return spin;
}

void HyperparameterPanel::addDeviceChoice(QFormLayout* form) {
  // Each device by name, its id ("cpu", "cuda:0") as the item's data: what train.device says.
  QComboBox* combo = addChoice(form, "train.device", tr("Device"), {});
  combo->addItem(tr("auto (the first GPU, else the CPU)"), QStringLiteral("auto"));
  for (const gan::DeviceInfo& device : gan::available_devices()) {
    // As the run's manifest names it: "CPU (2 cores)", "cuda:0 NVIDIA H200 (139.8 GiB)".
    const QString description = QString::fromStdString(gan::device_description(device.id));
    const QString id = QString::fromStdString(device.id);
    combo->addItem(description.startsWith(id) ? description : id + QStringLiteral(" — ") + description, id);
  }
  combo->setToolTip(tr("Where training runs (train.device). The GPUs listed are the ones this machine has."));
}

void HyperparameterPanel::selectDevice(const QString& id) {
  auto* combo = static_cast<QComboBox*>(fields_["train.device"]);
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
  auto text = [&](const char* key, const QString& value) { static_cast<QLineEdit*>(fields_[key])->setText(value); };
  auto integer = [&](const char* key, std::int64_t value) {
    static_cast<QSpinBox*>(fields_[key])->setValue(static_cast<int>(value));
  };
  auto choice = [&](const char* key, const QString& value) {
    static_cast<QComboBox*>(fields_[key])->setCurrentText(value);
  };
  choice("data.dataset", QString::fromStdString(config.data.dataset));
  text("data.path", QString::fromStdString(config.data.path));
  integer("model.latent_dim", config.model.latent_dim);
  const auto& g = config.model.generator;
  const auto& d = config.model.discriminator;
  text("model.generator.hidden", widths_text(g.hidden));
  static_cast<QCheckBox*>(fields_["model.generator.batch_norm"])->setChecked(g.batch_norm);
  text("model.generator.batch_norm_eps", number_text(g.batch_norm_eps));
  choice("model.generator.activation", gan::to_string(g.activation));
  text("model.generator.slope", number_text(g.slope));
  text("model.discriminator.hidden", widths_text(d.hidden));
  choice("model.discriminator.activation", gan::to_string(d.activation));
  text("model.discriminator.slope", number_text(d.slope));
  text("model.discriminator.dropout", number_text(d.dropout));
  integer("train.epochs", config.train.epochs);
  integer("train.batch_size", config.train.batch_size);
  integer("train.d_steps", config.train.d_steps);
  text("train.seed", QString::number(config.train.seed));
  selectDevice(QString::fromStdString(config.train.device.text()));
  choice("train.step", QString::fromUtf8(gan::to_string(config.train.step)));
  text("optimizer.generator.lr", number_text(config.optimizer.generator.lr));
  text("optimizer.generator.beta1", number_text(config.optimizer.generator.beta1));
  text("optimizer.generator.beta2", number_text(config.optimizer.generator.beta2));
  text("optimizer.discriminator.lr", number_text(config.optimizer.discriminator.lr));
  text("optimizer.discriminator.beta1", number_text(config.optimizer.discriminator.beta1));
  text("optimizer.discriminator.beta2", number_text(config.optimizer.discriminator.beta2));
  integer("sampling.interval", config.sampling.interval);
  integer("sampling.grid", config.sampling.grid);
  integer("checkpoint.interval", config.checkpoint.interval);
  integer("checkpoint.keep", config.checkpoint.keep);
  integer("quality.interval", config.quality.interval);
  integer("quality.samples", config.quality.samples);
  integer("alarms.warmup", config.alarms.warmup);
  text("alarms.d_wins_real", number_text(config.alarms.d_wins_real));
  text("alarms.d_wins_fake", number_text(config.alarms.d_wins_fake));
  integer("alarms.d_wins_steps", config.alarms.d_wins_steps);
  text("alarms.collapse_high", number_text(config.alarms.collapse_high));
  text("alarms.collapse_low", number_text(config.alarms.collapse_low));
  integer("alarms.collapse_checks", config.alarms.collapse_checks);
  loading_ = false;
  revalidate();
  last_live_.reset();
  if (isValid()) last_live_ = gan::LiveHyperparameters{config_.optimizer.generator, config_.optimizer.discriminator,
                                                        config_.train.d_steps};
}

void HyperparameterPanel::revalidate() {
  if (loading_) return;
  const bool was_valid = isValid();
  auto line = [&](const char* key) { return static_cast<QLineEdit*>(fields_[key]); };
  auto integer = [&](const char* key) { return static_cast<std::int64_t>(static_cast<QSpinBox*>(fields_[key])->value()); };
  auto choice = [&](const char* key) { return static_cast<QComboBox*>(fields_[key])->currentText(); };
  gan::Config c;
  try {
    c.data.dataset = choice("data.dataset").toStdString();
    c.data.path = line("data.path")->text().trimmed().toStdString();
    c.model.latent_dim = integer("model.latent_dim");
    c.model.generator.hidden = read_widths(line("model.generator.hidden"), "model.generator.hidden");
    c.model.generator.batch_norm = static_cast<QCheckBox*>(fields_["model.generator.batch_norm"])->isChecked();
    c.model.generator.batch_norm_eps = read_double(line("model.generator.batch_norm_eps"), "model.generator.batch_norm_eps");
    c.model.generator.activation =
        choice("model.generator.activation") == "relu" ? gan::Activation::kRelu : gan::Activation::kLeakyRelu;
    c.model.generator.slope = read_double(line("model.generator.slope"), "model.generator.slope");
    c.model.discriminator.hidden = read_widths(line("model.discriminator.hidden"), "model.discriminator.hidden");
    c.model.discriminator.activation =
        choice("model.discriminator.activation") == "relu" ? gan::Activation::kRelu : gan::Activation::kLeakyRelu;
    c.model.discriminator.slope = read_double(line("model.discriminator.slope"), "model.discriminator.slope");
    c.model.discriminator.dropout = read_double(line("model.discriminator.dropout"), "model.discriminator.dropout");
    c.train.epochs = integer("train.epochs");
    c.train.batch_size = integer("train.batch_size");
    c.train.d_steps = integer("train.d_steps");
    bool seed_ok = false;
    c.train.seed = line("train.seed")->text().trimmed().toULongLong(&seed_ok);
    if (!seed_ok) throw ParseError{"train.seed", tr("expected a whole number between 0 and 2^63-1")};
    const QString device = static_cast<QComboBox*>(fields_["train.device"])->currentData().toString();
    const std::optional<gan::DeviceChoice> parsed = gan::DeviceChoice::parse(device.toStdString());
    if (!parsed) throw ParseError{"train.device", tr("expected %1").arg(QString::fromUtf8(gan::kDeviceSpellings))};
    c.train.device = *parsed;
    c.train.step = gan::parse_step_choice(choice("train.step").toStdString()).value_or(gan::StepChoice::kAuto);
    c.optimizer.generator.lr = read_double(line("optimizer.generator.lr"), "optimizer.generator.lr");
    c.optimizer.generator.beta1 = read_double(line("optimizer.generator.beta1"), "optimizer.generator.beta1");
    c.optimizer.generator.beta2 = read_double(line("optimizer.generator.beta2"), "optimizer.generator.beta2");
    c.optimizer.discriminator.lr = read_double(line("optimizer.discriminator.lr"), "optimizer.discriminator.lr");
    c.optimizer.discriminator.beta1 = read_double(line("optimizer.discriminator.beta1"), "optimizer.discriminator.beta1");
    c.optimizer.discriminator.beta2 = read_double(line("optimizer.discriminator.beta2"), "optimizer.discriminator.beta2");
    c.sampling.interval = integer("sampling.interval");
    c.sampling.grid = integer("sampling.grid");
    c.checkpoint.interval = integer("checkpoint.interval");
    c.checkpoint.keep = integer("checkpoint.keep");
    c.quality.interval = integer("quality.interval");
    c.quality.samples = integer("quality.samples");
    c.alarms.warmup = integer("alarms.warmup");
    c.alarms.d_wins_real = read_double(line("alarms.d_wins_real"), "alarms.d_wins_real");
    c.alarms.d_wins_fake = read_double(line("alarms.d_wins_fake"), "alarms.d_wins_fake");
    c.alarms.d_wins_steps = integer("alarms.d_wins_steps");
    c.alarms.collapse_high = read_double(line("alarms.collapse_high"), "alarms.collapse_high");
    c.alarms.collapse_low = read_double(line("alarms.collapse_low"), "alarms.collapse_low");
    c.alarms.collapse_checks = integer("alarms.collapse_checks");
    gan::validate(c);
    config_ = c;
    showError({}, {});
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
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    it.value()->setEnabled(!active || live_keys_.contains(it.key()));
  }
  if (active && isValid()) {
    last_live_ = gan::LiveHyperparameters{config_.optimizer.generator, config_.optimizer.discriminator, config_.train.d_steps};
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
