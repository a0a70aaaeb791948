#include "ui/export/exports.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "core/io/image.h"
#include "ui/session/qt_types.h"

namespace gan::ui {
namespace {

QString refuse_existing(const QString& path, Replace existing) {
  if (existing == Replace::kRefused && QFileInfo::exists(path)) {
    return QObject::tr("%1 already exists; not overwritten").arg(path);
  }
  return {};
}

}  // namespace

QString exportGrid(const QImage& grid, const QString& path, Replace existing) {
  if (grid.isNull()) return QObject::tr("there is no sample grid yet");
  try {
    gan::write_png(to_image(grid), path.toStdString(),
                   existing == Replace::kAllowed ? gan::Replace::kAllowed : gan::Replace::kRefused);
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

QString exportDigits(const QVector<QImage>& digits, const QString& folder, qint64 step, int* written) {
  if (written) *written = 0;
  const QDir dir(folder);
  if (!dir.exists()) return QObject::tr("%1: folder not found").arg(folder);
  QStringList paths;
  for (int i = 0; i < digits.size(); ++i) {
    paths << dir.filePath(QStringLiteral("digit_%1_%2.png").arg(step, 7, 10, QChar('0')).arg(i + 1, 4, 10, QChar('0')));
    if (QFileInfo::exists(paths.back())) {
      return QObject::tr("%1 already exists; no digits were written (choose another folder)").arg(paths.back());
    }
  }
  for (int i = 0; i < digits.size(); ++i) {
    try {
      gan::write_png(to_image(digits[i]), paths[i].toStdString());
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
    if (written) ++*written;
  }
  return {};
}

QString exportImage(const QImage& image, const QString& path, Replace existing) {
  if (QString refused = refuse_existing(path, existing); !refused.isEmpty()) return refused;
  QSaveFile file(path);  // writes a temporary file and renames it on commit
  if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
    return QObject::tr("%1: cannot write: %2").arg(path, file.errorString());
  }
  return {};
}

QString exportCopy(const QString& source, const QString& path, Replace existing) {
  if (QString refused = refuse_existing(path, existing); !refused.isEmpty()) return refused;
  QFile in(source);
  if (!in.open(QIODevice::ReadOnly)) return QObject::tr("%1: cannot read: %2").arg(source, in.errorString());
  QSaveFile out(path);
  if (!out.open(QIODevice::WriteOnly) || out.write(in.readAll()) < 0 || !out.commit()) {
    return QObject::tr("%1: cannot write: %2").arg(path, out.errorString());
  }
  return {};
}

}  // namespace gan::ui
