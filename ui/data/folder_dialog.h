// Dataset ▸ Folder…: a folder of one's own pictures as the dataset. The folder is read on a worker
// thread (core/data/image_folder.h: decoded once, then cached), with progress and Cancel; then the
// dialog shows what the model will see — a few pictures after resizing, the picture and class
// counts, and each skipped file with its reason — before the folder is used. Changing the size or
// the channels reads it again (from the cache when it was read that way before).
#pragma once

#include <QDialog>
#include <QImage>

#include <atomic>
#include <memory>

#include "core/config/config.h"

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QThread;

namespace gan::ui {

class FolderDialog : public QDialog {
  Q_OBJECT

 public:
  enum class Mode {
    kChoose,           // show what the folder holds, and let the user decide
    kAcceptWhenCached  // before a run: accepted by itself when the folder is cached as it is now
  };
  /// Starts reading `data.path` at once (on a worker thread), at `data.size` with `data.channels`.
  explicit FolderDialog(const gan::DataConfig& data, QWidget* parent = nullptr, Mode mode = Mode::kChoose);
  ~FolderDialog() override;

  /// The dataset to train on once accepted: folder, its path, size and channels.
  gan::DataConfig dataConfig() const;
  /// What the summary line says (counts, or the error); for tests.
  QString summaryText() const;
  /// The preview as shown (empty until a read succeeded).
  QImage preview() const { return preview_image_; }
  int skippedCount() const;
  bool reading() const { return worker_ != nullptr; }

 public slots:
  void chooseFolder();
  void setFolder(const QString& folder);
  /// Cancels a read in progress, or closes the dialog.
  void reject() override;

 signals:
  /// A read ended (for tests): `ok` when the folder holds pictures.
  void readFinished(bool ok);

 private:
  void read();
  void onProgress(qint64 done, qint64 total);
  struct Result;
  void onFinished(const std::shared_ptr<Result>& result);

  QString folder_;
  QLabel* path_ = nullptr;
  QComboBox* size_ = nullptr;
  QComboBox* channels_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* summary_ = nullptr;
  QLabel* preview_ = nullptr;
  QListWidget* skipped_ = nullptr;
  QPushButton* use_ = nullptr;
  QImage preview_image_;
  QThread* worker_ = nullptr;
  bool read_again_ = false;
  Mode mode_;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace gan::ui
