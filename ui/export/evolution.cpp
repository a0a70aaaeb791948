#include "ui/export/evolution.h"

#include <gif_lib.h>

#include <QFileInfo>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/io/atomic_file.h"
#include "core/io/image.h"
#include "core/run/run_folder.h"
#include "ui/session/qt_types.h"

namespace gan::ui {
namespace {

constexpr int kCaption = 14;  // pixels of caption under each frame

QImage stamped(const QImage& grid, qint64 step, int scale) {
  QImage frame(grid.width() * scale, grid.height() * scale + kCaption, QImage::Format_RGB32);
  frame.fill(Qt::black);
  QPainter painter(&frame);
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(QRect(0, 0, grid.width() * scale, grid.height() * scale), grid);
  QFont font = painter.font();
  font.setPixelSize(kCaption - 3);
  painter.setFont(font);
  painter.setPen(Qt::white);
  painter.drawText(QRect(0, grid.height() * scale, frame.width(), kCaption), Qt::AlignCenter,
                   QObject::tr("step %1").arg(step));
  painter.end();
  return frame.convertToFormat(grid.isGrayscale() ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
}

struct FreeColorMap {
  void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};
using ColorMap = std::unique_ptr<ColorMapObject, FreeColorMap>;

// A colour frame as GIF wants it: 8-bit indices and a palette of its own (Qt's quantiser picks
// the frame's 256 colours; a sample grid has few more).
QImage indexed(const QImage& frame, ColorMap& palette) {
  const QImage indices = frame.convertToFormat(QImage::Format_Indexed8, Qt::DiffuseDither);
  GifColorType colours[256] = {};
  const QVector<QRgb> table = indices.colorTable();
  for (int i = 0; i < table.size() && i < 256; ++i) {
    colours[i] = {static_cast<GifByteType>(qRed(table[i])), static_cast<GifByteType>(qGreen(table[i])),
                  static_cast<GifByteType>(qBlue(table[i]))};
  }
  palette.reset(GifMakeMapObject(256, colours));
  return indices;
}

int write_to_file(GifFileType* gif, const GifByteType* data, int length) {
  return static_cast<int>(std::fwrite(data, 1, static_cast<std::size_t>(length), static_cast<std::FILE*>(gif->UserData)));
}

}  // namespace

QVector<QImage> evolutionFrames(const QString& run_folder, const QVector<qint64>& steps, qint64 every, int scale) {
  QVector<QImage> frames;
  qint64 next = 0;
  for (int i = 0; i < steps.size(); ++i) {
    const bool last = i + 1 == steps.size();
    if (steps[i] < next && !last) continue;
    next = (steps[i] / std::max<qint64>(every, 1) + 1) * std::max<qint64>(every, 1);
    try {
      const auto path = gan::RunFolder::sample_path(run_folder.toStdString(), steps[i]);
      frames.push_back(stamped(to_qimage(gan::read_png(path)), steps[i], scale));
    } catch (const std::exception&) {
      // A grid that vanished (a resumed run rewrote the tail) is simply not in the story.
    }
  }
  return frames;
}

QString writeAnimatedGif(const QVector<QImage>& frames, int delay_ms, const QString& path, Replace existing) {
  if (frames.isEmpty()) return QObject::tr("there are no sample grids to animate");
  const int width = frames.front().width();
  const int height = frames.front().height();
  try {
    gan::AtomicFile file(path.toStdString(),
                         existing == Replace::kAllowed ? gan::Replace::kAllowed : gan::Replace::kRefused);
    int error = 0;
    GifFileType* gif = EGifOpen(file.stream(), write_to_file, &error);
    if (gif == nullptr) return QObject::tr("%1: cannot start the GIF: %2").arg(path, GifErrorString(error));
    GifColorType gray[256];
    for (int i = 0; i < 256; ++i) gray[i] = {static_cast<GifByteType>(i), static_cast<GifByteType>(i), static_cast<GifByteType>(i)};
    ColorMapObject* palette = GifMakeMapObject(256, gray);
    auto fail = [&](const char* what) {
      // Read the reason before EGifCloseFile frees `gif`.
      const int reason = gif->Error;
      GifFreeMapObject(palette);
      EGifCloseFile(gif, &error);
      return QObject::tr("%1: %2 failed: %3").arg(path, what, GifErrorString(reason));
    };
    EGifSetGifVersion(gif, true);
    if (EGifPutScreenDesc(gif, width, height, 8, 0, palette) == GIF_ERROR) return fail("screen descriptor");
    // NETSCAPE2.0 application extension: loop forever.
    const GifByteType loop[] = {1, 0, 0};
    if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0") == GIF_ERROR || EGifPutExtensionBlock(gif, 3, loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(gif) == GIF_ERROR) {
      return fail("loop extension");
    }
    GraphicsControlBlock timing{};
    timing.DisposalMode = DISPOSAL_UNSPECIFIED;
    timing.DelayTime = std::max(1, delay_ms / 10);  // hundredths of a second
    timing.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType timing_bytes[4];
    EGifGCBToExtension(&timing, timing_bytes);
    for (const QImage& frame : frames) {
      if (frame.size() != QSize(width, height)) return fail("frame size");
      // Gray frames index the global gray palette directly; colour ones bring their own.
      ColorMap local;
      const QImage pixels = frame.format() == QImage::Format_Grayscale8 ? frame : indexed(frame, local);
      if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, timing_bytes) == GIF_ERROR ||
          EGifPutImageDesc(gif, 0, 0, width, height, false, local.get()) == GIF_ERROR) {
        return fail("frame header");
      }
      for (int y = 0; y < height; ++y) {
        if (EGifPutLine(gif, const_cast<GifPixelType*>(pixels.constScanLine(y)), width) == GIF_ERROR) return fail("pixels");
      }
    }
    GifFreeMapObject(palette);
    if (EGifCloseFile(gif, &error) == GIF_ERROR) return QObject::tr("%1: cannot finish the GIF: %2").arg(path, GifErrorString(error));
    file.commit();
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

QString writeContactSheet(const QVector<QImage>& frames, int columns, const QString& path, Replace existing) {
  if (frames.isEmpty()) return QObject::tr("there are no sample grids to lay out");
  constexpr int kGutter = 4;
  const int per_row = std::min<int>(columns, static_cast<int>(frames.size()));
  const int rows = (static_cast<int>(frames.size()) + per_row - 1) / per_row;
  const QSize cell = frames.front().size();
  const bool gray = std::all_of(frames.begin(), frames.end(), [](const QImage& f) { return f.format() == QImage::Format_Grayscale8; });
  QImage sheet(per_row * (cell.width() + kGutter) + kGutter, rows * (cell.height() + kGutter) + kGutter,
               gray ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
  sheet.fill(Qt::white);
  QPainter painter(&sheet);
  for (int i = 0; i < frames.size(); ++i) {
    painter.drawImage(kGutter + (i % per_row) * (cell.width() + kGutter), kGutter + (i / per_row) * (cell.height() + kGutter),
                      frames[i]);
  }
  painter.end();
  return exportGrid(sheet, path, existing);
}

}  // namespace gan::ui
