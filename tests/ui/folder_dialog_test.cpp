// Dataset ▸ Folder of pictures…: the dialog reads a folder on its worker thread and previews it
// (counts, classes, skipped files, the pictures at the training size, in colour); an empty folder
// says so and cannot be used; Start on a folder not read yet opens the dialog first, then trains on
// the pictures; a folder dropped on the window opens the dialog for it.
#include <QApplication>
#include <QComboBox>
#include <QDropEvent>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <functional>

#include "core/io/image.h"
#include "ui/data/folder_dialog.h"
#include "ui/config/hyperparameter_panel.h"
#include "ui/window/main_window.h"
#include "ui/charts/quality_charts.h"
#include "ui/samples/sample_view.h"
#include "ui_test_support.h"

using gan::ui::FolderDialog;

namespace {

// How long a test waits for a folder's read on the dialog's worker: a loaded CI machine's bound.
constexpr int kRead = 60000;

// `count` 8x8 pictures under `folder`/`name`, gray or in colour, each a little different.
void writePictures(const QString& folder, const QString& name, int count, bool colour) {
  QDir().mkpath(folder + "/" + name);  // name "": the pictures lie in the folder itself
  for (int i = 0; i < count; ++i) {
    gan::Image image;
    image.width = image.height = 8;
    image.channels = colour ? 3 : 1;
    for (int p = 0; p < 64 * image.channels; ++p) image.pixels.push_back(static_cast<std::uint8_t>((p * 37 + i * 11) % 256));
    gan::write_png(image, QString("%1/%2/%3.png").arg(folder, name).arg(i, 3, 10, QChar('0')).toStdString());
  }
}

gan::DataConfig folderData(const QString& path, int size) {
  gan::DataConfig data;
  data.dataset = "folder";
  data.path = path.toStdString();
  data.size = size;
  return data;
}

// Start on a folder not read yet opens the folder dialog, modal: from a timer its event loop runs,
// accept it once its read is done. `asked` says whether it was there.
void acceptTheFolderDialogOnceRead(bool* asked) {
  QTimer::singleShot(0, [asked] {
    auto* dialog = qobject_cast<FolderDialog*>(QApplication::activeModalWidget());
    if (asked != nullptr) *asked = dialog != nullptr;
    if (dialog == nullptr) return;
    QSignalSpy finished(dialog, &FolderDialog::readFinished);
    if (dialog->reading()) finished.wait(30000);
    dialog->accept();
  });
}

}  // namespace

class FolderDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void thePreviewShowsTheFolderAsTheModelSeesIt() {
    QTemporaryDir dir;
    writePictures(dir.path(), "circles", 5, false);
    writePictures(dir.path(), "squares", 4, true);
    QFile notes(dir.filePath("squares/notes.txt"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not a picture");
    notes.close();

    FolderDialog dialog(folderData(dir.path(), 28));
    dialog.show();
    QSignalSpy finished(&dialog, &FolderDialog::readFinished);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.front().front().toBool(), true);
    const QString summary = dialog.summaryText();
    QVERIFY2(summary.contains("9 pictures") && summary.contains("2 classes: circles, squares"), qPrintable(summary));
    QVERIFY2(summary.contains("28 × 28 colour"), qPrintable(summary));  // one class is in colour
    QVERIFY2(summary.contains("1 file skipped"), qPrintable(summary));
    QCOMPARE(dialog.skippedCount(), 1);
    QVERIFY(!dialog.preview().isNull());
    QVERIFY(!dialog.preview().isGrayscale());

    // Another size reads again; the answer is the dataset the config gets.
    auto* size = dialog.findChildren<QComboBox*>().at(0);
    size->setCurrentIndex(size->findData(32));
    QVERIFY(finished.wait(30000));
    QVERIFY2(dialog.summaryText().contains("32 × 32"), qPrintable(dialog.summaryText()));
    const gan::DataConfig data = dialog.dataConfig();
    QCOMPARE(QString::fromStdString(data.dataset), QString("folder"));
    QCOMPARE(QString::fromStdString(data.path), dir.path());
    QCOMPARE(data.size, std::int64_t{32});
  }

  void anEmptyFolderSaysSoAndCannotBeUsed() {
    QTemporaryDir dir;
    FolderDialog dialog(folderData(dir.path(), 28));
    QSignalSpy finished(&dialog, &FolderDialog::readFinished);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.front().front().toBool(), false);
    QVERIFY2(dialog.summaryText().contains("the folder is empty"), qPrintable(dialog.summaryText()));
    QPushButton* use = nullptr;
    for (auto* button : dialog.findChildren<QPushButton*>()) {
      if (button->text().contains("Use")) use = button;
    }
    QVERIFY(use != nullptr);
    QVERIFY(!use->isEnabled());
  }

  void startOnAFolderReadsItFirstThenTrainsOnIt() {
    QTemporaryDir dir;
    writePictures(dir.path(), "a", 40, true);
    writePictures(dir.path(), "b", 40, true);
    gan::ui::test::TinyData tiny;
    gan::Config config = gan::ui::test::tinyConfig(tiny);
    config.data = folderData(dir.path(), 8);
    config.sampling.interval = 1;
    config.quality.interval = 0;
    gan::ui::MainWindow window;
    window.panel()->setConfig(config);
    window.setMaxSteps(3);
    bool asked = false;
    acceptTheFolderDialogOnceRead(&asked);
    QSignalSpy done(&window, &gan::ui::MainWindow::runFinished);
    window.startTraining();
    QVERIFY(asked);
    QVERIFY(done.wait(120000));
    QVERIFY2(window.errorText().isEmpty(), qPrintable(window.errorText()));
    const gan::Config run = gan::load_config((window.runFolder() + "/config.yaml").toStdString());
    QCOMPARE(QString::fromStdString(run.data.dataset), QString("folder"));
    QCOMPARE(run.data.size, std::int64_t{8});
    // The run's sample grid is in colour.
    QVERIFY(!window.sampleView()->image().isGrayscale());
  }

  // Before a run (Start), the folder is listed and checked against its cache on the dialog's
  // worker, never on the GUI thread: a cached folder is accepted without asking, another is read
  // and shown for the user to decide.
  void beforeARunACachedFolderIsAcceptedWithoutAsking() {
    QTemporaryDir dir;
    writePictures(dir.path(), "", 30, false);
    {
      FolderDialog dialog(folderData(dir.path(), 8), nullptr, FolderDialog::Mode::kAcceptWhenCached);
      QSignalSpy read(&dialog, &FolderDialog::readFinished);
      dialog.open();
      QVERIFY(read.wait(kRead));
      QCOMPARE(read.front().front().toBool(), true);
      QCoreApplication::processEvents();
      QCOMPARE(dialog.result(), int{QDialog::Rejected});  // still open, showing the folder
      QVERIFY(dialog.isVisible());
      dialog.accept();
    }
    FolderDialog dialog(folderData(dir.path(), 8), nullptr, FolderDialog::Mode::kAcceptWhenCached);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QSignalSpy read(&dialog, &FolderDialog::readFinished);
    dialog.open();
    QVERIFY(accepted.wait(kRead));
    QCOMPARE(read.count(), 0);  // nothing was decoded or loaded: the cache is read by the run
    QCOMPARE(QString::fromStdString(dialog.dataConfig().path), dir.path());
  }

  // A folder without class subfolders has no labels: no judge, and the quality charts say why
  // instead of staying empty.
  void anUnclassedFolderRunSaysWhyItHasNoQualityFigures() {
    QTemporaryDir dir;
    writePictures(dir.path(), "", 80, false);
    gan::ui::test::TinyData tiny;
    gan::Config config = gan::ui::test::tinyConfig(tiny);
    config.data = folderData(dir.path(), 16);
    config.quality.interval = 2;
    config.quality.samples = 100;
    gan::ui::MainWindow window;
    window.panel()->setConfig(config);
    window.setMaxSteps(4);
    acceptTheFolderDialogOnceRead(nullptr);
    QSignalSpy done(&window, &gan::ui::MainWindow::runFinished);
    window.startTraining();
    QVERIFY(done.wait(120000));
    const QString why = window.qualityCharts()->unavailableText();
    QVERIFY2(why.contains("has no labels") && why.contains("one subfolder per class"), qPrintable(why));
  }

  void aFolderDroppedOnTheWindowOpensTheDialog() {
    QTemporaryDir dir;
    writePictures(dir.path(), "x", 3, false);
    gan::ui::MainWindow window;
    window.show();
    // The dialog is modal: look for it from a timer, which its own event loop runs.
    QString shown;
    bool handled = false;
    std::function<void()> poll = [&] {
      auto* dialog = qobject_cast<FolderDialog*>(QApplication::activeModalWidget());
      if (dialog == nullptr || dialog->reading()) {
        QTimer::singleShot(20, poll);
        return;
      }
      shown = QString::fromStdString(dialog->dataConfig().path);
      dialog->reject();
      handled = true;
    };
    QTimer::singleShot(20, poll);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(dir.path())});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QTRY_VERIFY_WITH_TIMEOUT(handled, 30000);
    QCOMPARE(shown, dir.path());
  }
};

QTEST_MAIN(FolderDialogTest)
#include "folder_dialog_test.moc"
