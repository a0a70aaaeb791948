// The evolution GIF when writing fails: a full disk (a file-size limit in a child process, as the
// core's disk-full tests do) or a frame of the wrong size. The error names the file and the step
// that failed, the old file is untouched, and nothing is read after giflib freed it (the sanitizer
// build runs this test: the failure path once read gif->Error after EGifCloseFile).
#include <gif_lib.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/file_size_limit.h"
#include "ui/export/evolution.h"

using gan::Replace;

namespace {

QVector<QImage> noisyFrames(int count, QSize size) {
  QVector<QImage> frames;
  quint32 state = 12345;
  for (int f = 0; f < count; ++f) {
    QImage frame(size, QImage::Format_Grayscale8);
    for (int y = 0; y < size.height(); ++y) {
      uchar* line = frame.scanLine(y);
      for (int x = 0; x < size.width(); ++x) {
        state = state * 1664525u + 1013904223u;  // noise compresses badly: the file gets big
        line[x] = static_cast<uchar>(state >> 24);
      }
    }
    frames.push_back(frame);
  }
  return frames;
}

QByteArray contents(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class EvolutionTest : public QObject {
  Q_OBJECT

 private slots:
  void aGifThatCannotBeWrittenSaysWhyAndKeepsTheOldFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath("evolution.gif");
    QVERIFY(gan::ui::writeAnimatedGif(noisyFrames(2, {8, 8}), 100, path, Replace::kRefused).isEmpty());
    const QByteArray before = contents(path);
    QVERIFY(!before.isEmpty());

    const QVector<QImage> frames = noisyFrames(8, {256, 256});  // about 500 kB of GIF
    const int code = gan::test::with_file_size_limit(32 * 1024, [&] {
      const QString error = gan::ui::writeAnimatedGif(frames, 100, path, Replace::kAllowed);
      if (error.isEmpty()) return 1;                    // it claimed success
      if (!error.contains(path)) return 2;              // the file is not named
      if (!error.contains("failed") && !error.contains("cannot")) return 3;  // no reason given
      return 0;
    });
    QCOMPARE(code, 0);
    QCOMPARE(contents(path), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temporary left
  }

  // A colour run's frames keep their colours: each frame carries its own palette, and a pure red
  // frame reads back red. The contact sheet is in colour too.
  void colourFramesKeepTheirColours() {
    QTemporaryDir dir;
    QImage red(6, 4, QImage::Format_RGB888);
    red.fill(QColor(255, 0, 0));
    QImage blue(6, 4, QImage::Format_RGB888);
    blue.fill(QColor(0, 0, 255));
    const QString path = dir.filePath("colour.gif");
    QVERIFY(gan::ui::writeAnimatedGif({red, blue}, 100, path, Replace::kRefused).isEmpty());
    int error = 0;
    GifFileType* gif = DGifOpenFileName(path.toLocal8Bit().constData(), &error);
    QVERIFY(gif != nullptr);
    QCOMPARE(DGifSlurp(gif), GIF_OK);
    QCOMPARE(gif->ImageCount, 2);
    for (int f = 0; f < 2; ++f) {
      const SavedImage& frame = gif->SavedImages[f];
      QVERIFY(frame.ImageDesc.ColorMap != nullptr);
      const GifColorType colour = frame.ImageDesc.ColorMap->Colors[frame.RasterBits[0]];
      QCOMPARE(int(colour.Red), f == 0 ? 255 : 0);
      QCOMPARE(int(colour.Blue), f == 0 ? 0 : 255);
    }
    DGifCloseFile(gif, &error);

    const QString sheet = dir.filePath("sheet.png");
    QVERIFY(gan::ui::writeContactSheet({red, blue}, 2, sheet, Replace::kRefused).isEmpty());
    const QImage back(sheet);
    QCOMPARE(back.pixelColor(5, 5), QColor(255, 0, 0));
    QCOMPARE(back.pixelColor(4 + 6 + 4 + 1, 5), QColor(0, 0, 255));
  }

  void aFrameOfAnotherSizeIsRefusedByName() {
    QTemporaryDir dir;
    QVector<QImage> frames = noisyFrames(2, {16, 16});
    frames.push_back(noisyFrames(1, {8, 8}).front());
    const QString path = dir.filePath("mixed.gif");
    const QString error = gan::ui::writeAnimatedGif(frames, 100, path, Replace::kRefused);
    QVERIFY2(error.contains("mixed.gif") && error.contains("frame size"), qPrintable(error));
    QVERIFY(!QFile::exists(path));
  }
};

QTEST_MAIN(EvolutionTest)
#include "evolution_test.moc"
