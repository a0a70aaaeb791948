#include "ui/config/config_files.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QWidget>

#include "core/config/config.h"
#include "core/io/paths.h"
#include "core/training/default_preset.h"
#include "ui/config/hyperparameter_panel.h"

namespace gan::ui {

ConfigFiles::ConfigFiles(QWidget* window, HyperparameterPanel* panel) : QObject(window), window_(window), panel_(panel) {}

bool ConfigFiles::load(const QString& path) {
  try {
    panel_->setConfig(gan::load_config(path.toStdString()));
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
    return false;
  }
  panel_->showPreset(QFileInfo(path).completeBaseName());
  QSettings().setValue("paths/config", QFileInfo(path).absoluteFilePath());
  emit loaded(QFileInfo(path).fileName());
  return true;
}

void ConfigFiles::open() {
  QSettings settings;
  const QString start = settings.value("paths/config", QString::fromStdString(gan::presets_folder().string())).toString();
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open config"), start, tr("YAML configs (*.yaml *.yml)"));
  if (!path.isEmpty()) load(path);
}

void ConfigFiles::saveAs() {
  if (!panel_->isValid()) {
    emit failed(tr("Cannot save: %1").arg(panel_->errorText()));
    return;
  }
  QSettings settings;
  const QString folder = QFileInfo(settings.value("paths/config", QDir::homePath()).toString()).absolutePath();
  const QString path = QFileDialog::getSaveFileName(window_, tr("Save config"), QDir(folder).filePath("config.yaml"),
                                                    tr("YAML configs (*.yaml *.yml)"));
  if (path.isEmpty()) return;
  try {
    gan::save_config(panel_->config(), path.toStdString(), gan::Replace::kAllowed);  // the dialog confirmed
    settings.setValue("paths/config", path);
    emit saved(tr("Saved %1").arg(path));
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
  }
}

void ConfigFiles::restoreLast() {
  const QString last = QSettings().value("config/last").toString();
  if (!last.isEmpty()) {
    try {
      panel_->setConfig(gan::parse_config(last.toStdString(), "last session's config"));
      return;
    } catch (const std::exception&) {
      // An older or damaged entry: start from the default preset.
    }
  }
  // A first start: the preset that suits this machine (the conditional DCGAN on a CPU, the course report on a GPU).
  const std::filesystem::path preset = gan::default_preset();
  try {
    panel_->setConfig(gan::load_config(preset));
    panel_->showPreset(QString::fromStdString(preset.stem().string()));
  } catch (const std::exception&) {
    // No presets installed: the built-in defaults stay.
  }
}

void ConfigFiles::rememberLast() {
  if (panel_->isValid()) QSettings().setValue("config/last", QString::fromStdString(gan::to_yaml(panel_->config())));
}

}  // namespace gan::ui
