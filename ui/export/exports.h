// Writing what the user exports: the sample grid, single digits, the charts and the metrics.
// Every write is atomic, and an existing file is replaced only when the user said so (the save
// dialog asks); otherwise the export is refused with a message naming the file.
#pragma once

#include <QImage>
#include <QString>
#include <QVector>

#include "core/io/atomic_file.h"

namespace gan::ui {

/// The grid as an 8-bit grayscale PNG. Returns an error message, or an empty string on success.
QString exportGrid(const QImage& grid, const QString& path, Replace existing);

/// Each digit as `digit_<step>_<NNNN>.png` in `folder`; refuses (writing nothing) if any of those
/// names is taken. On success `written` gets the number of files.
QString exportDigits(const QVector<QImage>& digits, const QString& folder, qint64 step, int* written = nullptr);

/// Any image (the charts) as PNG.
QString exportImage(const QImage& image, const QString& path, Replace existing);

/// A copy of `source` (the run's metrics.csv) at `path`.
QString exportCopy(const QString& source, const QString& path, Replace existing);

}  // namespace gan::ui
