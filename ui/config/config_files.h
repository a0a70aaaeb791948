// The panel's config as files: File ▸ Open config and Save config as (YAML; the save dialog
// confirms replacing a file), and the config a window starts from (the last session's, else the
// preset that suits this machine). The folder last used is remembered (QSettings paths/config).
#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace gan::ui {

class HyperparameterPanel;

class ConfigFiles : public QObject {
  Q_OBJECT

 public:
  /// `window` parents the dialogs; `panel` is what is loaded and saved.
  ConfigFiles(QWidget* window, HyperparameterPanel* panel);

  /// Loads `path` into the panel: loaded(), or failed() with the reason and false.
  bool load(const QString& path);
  /// Asks for a config file, then loads it.
  void open();
  /// Asks where, then writes the panel's config.
  void saveAs();
  /// The panel gets the last session's config, else the default preset (default_preset.h).
  void restoreLast();
  /// Remembers the panel's config for the next session (when it is valid).
  void rememberLast();

 signals:
  void loaded(const QString& file_name);
  /// For the status bar: "Saved …".
  void saved(const QString& message);
  /// For the error banner.
  void failed(const QString& error);

 private:
  QWidget* window_;
  HyperparameterPanel* panel_;
};

}  // namespace gan::ui
