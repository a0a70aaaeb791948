// The data's wiring: what the panel's config trains on, made ready before a run (the first-run
// dialog for MNIST, the folder dialog for a picture folder not cached yet) and chosen by hand
// (Dataset ▸ Folder of pictures, a folder dropped on the window). Nothing here reads a file on the
// GUI thread: a folder is listed and checked against its cache by the folder dialog's worker.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QWidget;

namespace gan::ui {

class HyperparameterPanel;
class TrainingSession;

class DataController : public QObject {
  Q_OBJECT

 public:
  /// Dialogs open over `window`; `note` shows a short message, `fail` an error.
  DataController(HyperparameterPanel* panel, TrainingSession* session, QWidget* window,
                 std::function<void(const QString&)> note, std::function<void(const QString&)> fail);

  /// The folder dialog reading `folder`, or the config's folder, or one asked for; accepted, the
  /// config trains on that folder.
  void chooseImageFolder(const QString& folder = {});
  /// Before a run: the dataset the panel names is there, or made so by a dialog. False: cancelled.
  bool ensureDataset();

 private:
  HyperparameterPanel* panel_;
  TrainingSession* session_;
  QWidget* window_;
  std::function<void(const QString&)> note_;
  std::function<void(const QString&)> fail_;
};

}  // namespace gan::ui
