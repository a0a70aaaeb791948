// A run's sample history as a story: frames stamped with their step, written as an animated GIF
// (giflib) or laid out as one contact-sheet PNG.
#pragma once

#include <QImage>
#include <QString>
#include <QVector>

#include "ui/export/exports.h"

namespace gan::ui {

/// The grids of `run_folder`/samples at `steps` (ascending), one frame per `every` steps (the
/// first grid at or after each multiple; the last grid always included), each scaled by `scale`
/// without smoothing and stamped "step N" beneath. Grayscale8 images of equal size.
QVector<QImage> evolutionFrames(const QString& run_folder, const QVector<qint64>& steps, qint64 every, int scale = 2);

/// An animated, looping GIF of `frames` (Grayscale8, equal sizes), `delay_ms` per frame.
/// Returns an error message, or an empty string on success.
QString writeAnimatedGif(const QVector<QImage>& frames, int delay_ms, const QString& path, Replace existing);

/// The frames in rows of `columns`, separated by a white gutter, as one grayscale PNG.
QString writeContactSheet(const QVector<QImage>& frames, int columns, const QString& path, Replace existing);

}  // namespace gan::ui
