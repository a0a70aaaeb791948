#include "ui/data/folder_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

#include "core/data/image_folder.h"

namespace gan::ui {
namespace {

constexpr int kPreviewCount = 24;  // pictures in the preview, spread over the folder
constexpr int kPreviewColumns = 8;
constexpr int kPreviewCell = 64;   // pixels per picture on screen, whatever the training size

// Picture `index` of `set` as a QImage (its planes interleaved).
QImage picture(const gan::ImageSet& set, std::int64_t index) {
  const int side = static_cast<int>(set.rows);
  const std::size_t plane = static_cast<std::size_t>(side) * side;
  const std::uint8_t* pixels = set.pixels.data() + plane * set.channels * index;
  QImage image(side, side, set.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
  for (int y = 0; y < side; ++y) {
    std::uint8_t* row = image.scanLine(y);
    for (int x = 0; x < side; ++x) {
      for (int c = 0; c < set.channels; ++c) row[x * set.channels + c] = pixels[c * plane + y * side + x];
    }
  }
  return image;
}

}  // namespace

struct FolderDialog::Result {
  gan::FolderImages images;
  QString error;
  bool cancelled = false;
  bool cached = false;  // kAcceptWhenCached: the folder is cached as it is; nothing was read
};

FolderDialog::FolderDialog(const gan::DataConfig& dataset, QWidget* parent, Mode mode)
    : QDialog(parent),
      folder_(QString::fromStdString(dataset.path)),
      mode_(mode),
      cancel_(std::make_shared<std::atomic<bool>>(false)) {
  setWindowTitle(tr("Train on a folder of pictures"));
  auto* intro = new QLabel(tr("PNG and JPEG pictures of any size, gray or colour. <b>Subfolders are classes</b> (their "
                              "names become the labels of a conditional model and of the judge); a folder without "
                              "subfolders trains unconditional models. Each picture's shorter side is brought to the "
                              "size by area averaging and the longer side cropped about its centre. The folder is "
                              "decoded once and kept in the cache, so the next time it loads in about a second."),
                           this);
  intro->setWordWrap(true);
  path_ = new QLabel(this);
  path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* browse = new QPushButton(tr("&Choose…"), this);
  size_ = new QComboBox(this);
  for (const int side : {28, 32, 64}) size_->addItem(tr("%1 × %1").arg(side), side);
  if (size_->findData(static_cast<int>(dataset.size)) < 0) size_->addItem(tr("%1 × %1").arg(dataset.size), static_cast<int>(dataset.size));
  size_->setCurrentIndex(size_->findData(static_cast<int>(dataset.size)));
  channels_ = new QComboBox(this);
  channels_->addItem(tr("from the pictures"), 0);
  channels_->addItem(tr("gray"), 1);
  channels_->addItem(tr("colour (RGB)"), 3);
  channels_->setCurrentIndex(std::max(0, channels_->findData(static_cast<int>(dataset.channels))));
  progress_ = new QProgressBar(this);
  summary_ = new QLabel(this);
  summary_->setWordWrap(true);
  preview_ = new QLabel(this);
  preview_->setAlignment(Qt::AlignCenter);
  preview_->setMinimumSize(kPreviewColumns * (kPreviewCell + 4), 3 * (kPreviewCell + 4));
  skipped_ = new QListWidget(this);
  skipped_->setMaximumHeight(110);
  skipped_->setVisible(false);

  auto* folder_row = new QHBoxLayout;
  folder_row->addWidget(path_, 1);
  folder_row->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Folder:"), folder_row);
  form->addRow(tr("Image size:"), size_);
  form->addRow(tr("Channels:"), channels_);
  auto* buttons = new QDialogButtonBox(this);
  use_ = buttons->addButton(tr("&Use this folder"), QDialogButtonBox::AcceptRole);
  buttons->addButton(QDialogButtonBox::Cancel);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(progress_);
  layout->addWidget(summary_);
  layout->addWidget(preview_, 1);
  layout->addWidget(skipped_);
  layout->addWidget(buttons);
  connect(browse, &QPushButton::clicked, this, &FolderDialog::chooseFolder);
  connect(buttons, &QDialogButtonBox::accepted, this, &FolderDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &FolderDialog::reject);
  connect(size_, &QComboBox::currentIndexChanged, this, &FolderDialog::read);
  connect(channels_, &QComboBox::currentIndexChanged, this, &FolderDialog::read);
  setFolder(folder_);
}

FolderDialog::~FolderDialog() {
  if (worker_ != nullptr) {
    *cancel_ = true;
    worker_->wait();
  }
}

gan::DataConfig FolderDialog::dataConfig() const {
  gan::DataConfig dataset;
  dataset.dataset = "folder";
  dataset.path = folder_.toStdString();
  dataset.size = size_->currentData().toInt();
  dataset.channels = channels_->currentData().toInt();
  return dataset;
}

QString FolderDialog::summaryText() const { return summary_->text(); }

int FolderDialog::skippedCount() const { return skipped_->count(); }

void FolderDialog::chooseFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of pictures"), folder_);
  if (!folder.isEmpty()) setFolder(folder);
}

void FolderDialog::setFolder(const QString& folder) {
  folder_ = folder;
  path_->setText(folder.isEmpty() ? tr("(none chosen)") : folder);
  read();
}

void FolderDialog::read() {
  use_->setEnabled(false);
  preview_image_ = QImage();
  preview_->clear();
  skipped_->clear();
  skipped_->setVisible(false);
  if (folder_.isEmpty()) {
    summary_->setText(tr("Choose a folder of pictures."));
    progress_->setVisible(false);
    return;
  }
  if (worker_ != nullptr) {  // a read of other settings is under way: cancel it, then read again
    read_again_ = true;
    *cancel_ = true;
    return;
  }
  *cancel_ = false;
  summary_->setText(tr("Reading %1…").arg(folder_));
  progress_->setVisible(true);
  progress_->setRange(0, 0);
  const gan::DataConfig dataset = dataConfig();
  const bool check_cache = mode_ == Mode::kAcceptWhenCached;
  worker_ = QThread::create([this, dataset, check_cache, cancel = cancel_] {
    auto result = std::make_shared<Result>();
    try {
      gan::FolderOptions options;
      options.folder = dataset.path;
      options.size = static_cast<int>(dataset.size);
      options.channels = static_cast<int>(dataset.channels);
      std::int64_t last_percent = -1;
      // Listed here, never on the GUI thread: a folder of many thousand files takes seconds.
      if (check_cache && gan::image_folder_cached(options, [&](const gan::FolderProgress&) { return !*cancel; })) {
        result->cached = true;
        QMetaObject::invokeMethod(this, [this, result] { onFinished(result); }, Qt::QueuedConnection);
        return;
      }
      result->images = gan::read_image_folder(options, [&](const gan::FolderProgress& p) {
        const std::int64_t percent = p.total == 0 ? 0 : 100 * p.done / p.total;
        if (percent != last_percent) {  // only when the bar moves
          last_percent = percent;
          const qint64 done = p.done, total = p.total;
          QMetaObject::invokeMethod(this, [this, done, total] { onProgress(done, total); }, Qt::QueuedConnection);
        }
        return !*cancel;
      });
    } catch (const gan::FolderCancelled&) {
      result->cancelled = true;
    } catch (const std::exception& e) {
      result->error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [this, result] { onFinished(result); }, Qt::QueuedConnection);
  });
  worker_->start();
}

void FolderDialog::onProgress(qint64 done, qint64 total) {
  if (worker_ == nullptr || total <= 0) return;
  progress_->setRange(0, static_cast<int>(total));
  progress_->setValue(static_cast<int>(done));
  progress_->setFormat(tr("%1 of %2 pictures decoded").arg(done).arg(total));
}

void FolderDialog::onFinished(const std::shared_ptr<Result>& result) {
  worker_->wait();
  worker_->deleteLater();
  worker_ = nullptr;
  progress_->setVisible(false);
  if (read_again_) {
    read_again_ = false;
    read();
    return;
  }
  if (result->cached) {
    accept();
    return;
  }
  if (result->cancelled) {
    summary_->setText(tr("Reading was cancelled; nothing was cached."));
    emit readFinished(false);
    return;
  }
  if (!result->error.isEmpty()) {
    summary_->setText(tr("<span style='color:#b00020'>%1</span>").arg(result->error.toHtmlEscaped()));
    emit readFinished(false);
    return;
  }
  const gan::ImageSet& set = result->images.images;
  const auto classes = static_cast<int>(set.class_names.size());
  QStringList names;
  for (int i = 0; i < classes && i < 12; ++i) names << QString::fromStdString(set.class_names[static_cast<std::size_t>(i)]);
  if (classes > 12) names << QStringLiteral("…");
  // Plurals spelt out: the studio ships no translation files, which Qt's %n would need.
  QString text = (set.count == 1 ? tr("<b>1 picture</b>") : tr("<b>%1 pictures</b>").arg(set.count)) + ", " +
                 (classes > 0 ? (classes == 1 ? tr("1 class: %1") : tr("%1 classes: %2").arg(classes))
                                    .arg(names.join(", ").toHtmlEscaped())
                              : tr("no classes (no subfolders): for unconditional models"));
  text += ", " + tr("%1 × %1 %2").arg(set.rows).arg(set.channels == 3 ? tr("colour") : tr("gray"));
  const auto& skipped = result->images.skipped;
  if (!skipped.empty()) {
    text += ", " + (skipped.size() == 1 ? tr("<b>1 file skipped</b>") : tr("<b>%1 files skipped</b>").arg(skipped.size())) +
            tr(" (listed below)");
  }
  text += ". " + (result->images.from_cache ? tr("Loaded from the cache.")
                                            : result->images.not_cached.empty() ? tr("Decoded and cached.")
                                                                                  : tr("Not cached: %1.").arg(QString::fromStdString(result->images.not_cached)));
  summary_->setText(text);
  for (const gan::SkippedFile& file : skipped) {
    skipped_->addItem(QString::fromStdString(file.path + " — " + file.reason));
  }
  skipped_->setVisible(!skipped.empty());

  // The preview: pictures spread over the folder, enlarged by whole pixels.
  const auto shown = static_cast<int>(std::min<std::int64_t>(kPreviewCount, set.count));
  const int rows = (shown + kPreviewColumns - 1) / kPreviewColumns;
  preview_image_ = QImage(std::min(shown, kPreviewColumns) * (kPreviewCell + 4), rows * (kPreviewCell + 4), QImage::Format_RGB32);
  preview_image_.fill(Qt::black);
  QPainter painter(&preview_image_);
  for (int i = 0; i < shown; ++i) {
    const std::int64_t index = set.count * i / shown;
    const QRect cell((i % kPreviewColumns) * (kPreviewCell + 4) + 2, (i / kPreviewColumns) * (kPreviewCell + 4) + 2,
                     kPreviewCell, kPreviewCell);
    painter.drawImage(cell, picture(set, index));
  }
  painter.end();
  preview_->setPixmap(QPixmap::fromImage(preview_image_));
  use_->setEnabled(true);
  emit readFinished(true);
}

void FolderDialog::reject() {
  if (worker_ != nullptr) {
    read_again_ = false;
    *cancel_ = true;
    return;
  }
  QDialog::reject();
}

}  // namespace gan::ui
