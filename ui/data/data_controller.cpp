#include "ui/data/data_controller.h"

#include <QDialog>
#include <QFileDialog>
#include <QWidget>

#include "core/data/dataset.h"
#include "core/data/dataset_fetch.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/data/dataset_dialog.h"
#include "ui/data/folder_dialog.h"
#include "ui/session/training_session.h"

namespace gan::ui {

DataController::DataController(HyperparameterPanel* panel, TrainingSession* session, QWidget* window,
                               std::function<void(const QString&)> note, std::function<void(const QString&)> fail)
    : QObject(window), panel_(panel), session_(session), window_(window), note_(std::move(note)), fail_(std::move(fail)) {}

void DataController::chooseImageFolder(const QString& folder) {
  if (session_->isActive()) {
    fail_(tr("A run is training on its dataset; stop it or start a new one before choosing another folder"));
    return;
  }
  gan::DataConfig dataset = panel_->config().data;
  if (!folder.isEmpty()) {
    dataset.path = folder.toStdString();
  } else if (dataset.dataset != "folder") {
    const QString chosen = QFileDialog::getExistingDirectory(window_, tr("Folder of pictures"));
    if (chosen.isEmpty()) return;
    dataset.path = chosen.toStdString();
  }
  FolderDialog dialog(dataset, window_);
  if (dialog.exec() != QDialog::Accepted) return;
  gan::Config config = panel_->config();
  config.data = dialog.dataConfig();
  panel_->setConfig(config);
  note_(tr("Training on the pictures of %1").arg(QString::fromStdString(config.data.path)));
}

bool DataController::ensureDataset() {
  const gan::DataConfig& dataset = panel_->config().data;
  if (dataset.dataset == "folder") {
    // Cached as it is: accepted by itself once its worker has listed it. Else read and shown.
    FolderDialog dialog(dataset, window_, FolderDialog::Mode::kAcceptWhenCached);
    if (dialog.exec() != QDialog::Accepted) return false;
    gan::Config config = panel_->config();
    config.data = dialog.dataConfig();
    panel_->setConfig(config);
    return true;
  }
  if (!gan::mnist_needs_fetch(dataset)) return true;
  DatasetDialog dialog(QString::fromStdString(gan::resolve_data_folder(dataset).string()),
                       QString::fromStdString(gan::mnist_source_url()), window_);
  if (dialog.exec() != QDialog::Accepted) return false;
  if (!dialog.chosenFolder().isEmpty()) {
    gan::Config config = panel_->config();
    config.data.path = dialog.chosenFolder().toStdString();
    panel_->setConfig(config);
  }
  return true;
}

}  // namespace gan::ui
