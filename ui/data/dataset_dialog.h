// The first run without MNIST: offers to fetch it (core/data/dataset_fetch.h; 11.5 MB, with progress and
// a Cancel button, on a worker thread so the window stays responsive) or to use a folder that
// already holds the four IDX files.
#pragma once

#include <QDialog>

#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QThread;

namespace gan::ui {

class DatasetDialog : public QDialog {
  Q_OBJECT

 public:
  /// `folder`: where MNIST goes (the default MNIST folder); `url`: where it is fetched from.
  DatasetDialog(const QString& folder, const QString& url, QWidget* parent = nullptr);
  ~DatasetDialog() override;

  /// After the dialog is accepted: the folder the user picked instead, or empty when MNIST was
  /// fetched into the default folder.
  QString chosenFolder() const { return chosen_; }
  /// The last error shown (empty when none).
  QString errorText() const;
  bool fetching() const { return worker_ != nullptr; }

 public slots:
  /// Starts the download; the dialog is accepted when the files are in place.
  void download();
  /// Uses `folder` if it holds the four files, otherwise says which are missing.
  void useFolder(const QString& folder);
  /// Cancels a running download, or closes the dialog.
  void reject() override;

 private:
  void chooseFolder();
  void onProgress(qint64 received, qint64 total);
  void onFinished(const QString& error, bool cancelled);
  void setBusy(bool busy);

  QString folder_;
  QString url_;
  QString chosen_;
  QLabel* status_;
  QProgressBar* progress_;
  QPushButton* download_;
  QPushButton* browse_;
  QThread* worker_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace gan::ui
