#include "ui/export/export_controller.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <QThread>

#include <algorithm>
#include <cstdint>

#include "ui/charts/metric_charts.h"
#include "ui/export/evolution.h"
#include "ui/export/exports.h"
#include "ui/samples/sample_panel.h"
#include "ui/samples/sample_view.h"
#include "ui/session/training_session.h"

namespace gan::ui {

ExportController::ExportController(QWidget* window, TrainingSession* session, SamplePanel* samples,
                                   MetricCharts* charts, std::function<QString()> run_folder,
                                   std::function<qint64()> sample_interval, std::function<bool()> conditional)
    : QObject(window),
      window_(window),
      session_(session),
      samples_(samples),
      charts_(charts),
      run_folder_(std::move(run_folder)),
      sample_interval_(std::move(sample_interval)),
      conditional_(std::move(conditional)) {
  connect(session_, &TrainingSession::interpolationReady, this, &ExportController::writeInterpolation);
  connect(session_, &TrainingSession::digitsReady, this, &ExportController::writeDigits);
  connect(session_, &TrainingSession::generatorExported, this, &ExportController::reportGenerator);
}

QString ExportController::exportGridTo(const QString& path, Replace existing) {
  return ui::exportGrid(samples_->view()->image(), path, existing);
}

QString ExportController::exportChartsTo(const QString& path, Replace existing) {
  return ui::exportImage(charts_->renderImage(), path, existing);
}

QString ExportController::exportMetricsTo(const QString& path, Replace existing) {
  const QString run = run_folder_();
  if (run.isEmpty()) return tr("there are no metrics yet: start a run first");
  return ui::exportCopy(QDir(run).filePath("metrics.csv"), path, existing);
}

QString ExportController::exportEvolutionTo(const QString& path, qint64 every, Replace existing) {
  const QString run = run_folder_();
  if (run.isEmpty()) return tr("there is no run yet: start or open one");
  return writeAnimatedGif(evolutionFrames(run, samples_->steps(), every), 250, path, existing);
}

QString ExportController::exportContactSheetTo(const QString& path, qint64 every, Replace existing) {
  const QString run = run_folder_();
  if (run.isEmpty()) return tr("there is no run yet: start or open one");
  return writeContactSheet(evolutionFrames(run, samples_->steps(), every), 8, path, existing);
}

void ExportController::exportInterpolationTo(const QString& png_path, int frames, quint64 seed, Replace existing) {
  if (!session_->hasModel()) {
    emit interpolationExported(tr("there is no generator yet: start a run or open one with checkpoints"));
    return;
  }
  pending_interpolation_path_ = png_path;
  pending_interpolation_existing_ = existing;
  session_->requestInterpolation(frames, seed);
}

void ExportController::exportDigitsTo(const QString& folder, int count, int digit) {
  if (!session_->hasModel()) {
    emit digitsExported(0, tr("there is no generator yet: start a run first"));
    return;
  }
  pending_digits_ = count;
  pending_digits_folder_ = folder;
  session_->requestDigits(count, digit);
}

ExportController::~ExportController() {
  if (checkpoint_export_ != nullptr) checkpoint_export_->wait();
}

void ExportController::exportGeneratorTo(const QString& folder, ExportFormat format, Replace existing) {
  if (session_->hasModel()) {
    session_->requestGeneratorExport(format, folder, existing, run_folder_());
    return;
  }
  const QString run = run_folder_();
  if (run.isEmpty()) {
    emit generatorExported(folder, tr("there is no generator yet: start a run, or open one with checkpoints"));
    return;
  }
  if (checkpoint_export_ != nullptr) {
    emit generatorExported(folder, tr("an export of this run's generator is still being written"));
    return;
  }
  // No model in the session (an opened run's data is elsewhere): its newest checkpoint needs none.
  checkpoint_export_ = QThread::create([this, run, folder, format, existing] {
    QStringList files;
    QString error;
    try {
      for (const auto& file : export_generator(run.toStdString(), format, folder.toStdString(), existing).files) {
        files << QString::fromStdString(file);
      }
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(this, [=] { reportGenerator(folder, files, error); }, Qt::QueuedConnection);
  });
  connect(checkpoint_export_, &QThread::finished, this, [this] {
    checkpoint_export_->deleteLater();
    checkpoint_export_ = nullptr;
  });
  checkpoint_export_->start();
}

void ExportController::reportGenerator(const QString& folder, const QStringList& files, const QString& error) {
  if (error.isEmpty()) {
    emit saved(tr("Generator exported to %1 (%2; its README.md says how to use it)").arg(folder, files.join(", ")));
  } else {
    emit failed(error);
  }
  emit generatorExported(folder, error);
}

void ExportController::writeInterpolation(const QVector<QImage>& frames) {
  if (pending_interpolation_path_.isEmpty()) return;
  const QString png = pending_interpolation_path_;
  pending_interpolation_path_.clear();
  QString error = writeContactSheet(frames, static_cast<int>(frames.size()), png, pending_interpolation_existing_);
  if (error.isEmpty()) {
    QVector<QImage> scaled;
    for (const QImage& frame : frames) scaled.push_back(frame.scaled(frame.size() * 4));  // nearest neighbour
    const QString gif = QFileInfo(png).path() + "/" + QFileInfo(png).completeBaseName() + ".gif";
    error = writeAnimatedGif(scaled, 120, gif, pending_interpolation_existing_);
  }
  if (error.isEmpty()) emit saved(tr("Saved %1 and its GIF").arg(png));
  else emit failed(error);
  emit interpolationExported(error);
}

void ExportController::writeDigits(const QVector<QImage>& digits) {
  if (pending_digits_ == 0) return;
  pending_digits_ = 0;
  int written = 0;
  const QString error = ui::exportDigits(digits, pending_digits_folder_, samples_->view()->step(), &written);
  if (error.isEmpty()) emit saved(tr("%1 digits written to %2").arg(written).arg(pending_digits_folder_));
  else emit failed(error);
  emit digitsExported(written, error);
}

void ExportController::report(const QString& path, const QString& error) {
  if (error.isEmpty()) emit saved(tr("Saved %1").arg(path));
  else emit failed(error);
}

QString ExportController::askSavePath(const QString& title, const QString& name, const QString& filter) {
  QSettings settings;
  const QString folder = settings.value("paths/export", QDir::homePath()).toString();
  // The dialog itself asks before replacing a file, so a confirmed path may be replaced.
  const QString path = QFileDialog::getSaveFileName(window_, title, QDir(folder).filePath(name), filter);
  if (!path.isEmpty()) settings.setValue("paths/export", QFileInfo(path).absolutePath());
  return path;
}

void ExportController::exportGrid() {
  const QString path = askSavePath(tr("Export sample grid"),
                                   QStringLiteral("samples_step_%1.png").arg(samples_->view()->step()),
                                   tr("PNG images (*.png)"));
  if (!path.isEmpty()) report(path, exportGridTo(path, Replace::kAllowed));
}

void ExportController::exportDigits() {
  bool ok = false;
  const int count = QInputDialog::getInt(window_, tr("Export digits"), tr("How many digits?"), 64, 1, 10000, 1, &ok);
  if (!ok) return;
  int digit = -1;
  if (conditional_()) {
    // A conditional model draws the digit it is asked for.
    QStringList choices{tr("Every digit, at random")};
    for (int d = 0; d <= 9; ++d) choices << tr("Digit %1").arg(d);
    const QString chosen = QInputDialog::getItem(window_, tr("Export digits"), tr("Which digit?"), choices, 0, false, &ok);
    if (!ok) return;
    digit = static_cast<int>(choices.indexOf(chosen)) - 1;
  }
  QSettings settings;
  const QString folder = QFileDialog::getExistingDirectory(window_, tr("Folder for the digits"),
                                                           settings.value("paths/export", QDir::homePath()).toString());
  if (folder.isEmpty()) return;
  settings.setValue("paths/export", folder);
  exportDigitsTo(folder, count, digit);
}

void ExportController::exportCharts() {
  const QString path = askSavePath(tr("Export charts"), QStringLiteral("charts.png"), tr("PNG images (*.png)"));
  if (!path.isEmpty()) report(path, exportChartsTo(path, Replace::kAllowed));
}

void ExportController::exportMetrics() {
  const QString path = askSavePath(tr("Export metrics"), QStringLiteral("metrics.csv"), tr("CSV files (*.csv)"));
  if (!path.isEmpty()) report(path, exportMetricsTo(path, Replace::kAllowed));
}

void ExportController::exportEvolution(bool animated) {
  const QVector<qint64>& steps = samples_->steps();
  if (steps.size() < 2) {
    emit failed(tr("The evolution needs at least two sample grids"));
    return;
  }
  // About 60 frames by default, on multiples of the sample interval.
  const qint64 interval = std::max<qint64>(sample_interval_(), 1);
  const qint64 suggested = std::max<qint64>(interval, (steps.back() / 60 + interval - 1) / interval * interval);
  bool ok = false;
  const int every = QInputDialog::getInt(window_, tr("Export evolution"), tr("One frame every how many steps?"),
                                         static_cast<int>(std::min<qint64>(suggested, INT32_MAX)), 1, INT32_MAX, 1, &ok);
  if (!ok) return;
  const QString path = animated ? askSavePath(tr("Export evolution"), "evolution.gif", tr("GIF images (*.gif)"))
                                : askSavePath(tr("Export contact sheet"), "evolution.png", tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  report(path, animated ? exportEvolutionTo(path, every, Replace::kAllowed)
                        : exportContactSheetTo(path, every, Replace::kAllowed));
}

void ExportController::exportInterpolation() {
  bool ok = false;
  const int frames = QInputDialog::getInt(window_, tr("Latent interpolation"), tr("How many frames?"), 12, 2, 200, 1, &ok);
  if (!ok) return;
  const QString path = askSavePath(tr("Export latent interpolation"), "interpolation.png", tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  exportInterpolationTo(path, frames, static_cast<quint64>(QDateTime::currentMSecsSinceEpoch()), Replace::kAllowed);
}

void ExportController::exportGenerator() {
  const ExportFormat formats[] = {ExportFormat::kPyTorch, ExportFormat::kOnnx, ExportFormat::kWeb};
  const QStringList labels{tr("PyTorch: generator.pt (a state dict) and generator.py"), tr("ONNX: generator.onnx"),
                           tr("Web page: draws in the browser (index.html, ONNX Runtime Web)")};
  bool ok = false;
  const QString chosen = QInputDialog::getItem(window_, tr("Export generator"),
                                               tr("Export the generator for use elsewhere, as:"), labels, 0, false, &ok);
  if (!ok) return;
  const ExportFormat format = formats[std::max<qsizetype>(labels.indexOf(chosen), 0)];
  QSettings settings;
  const QString name = QStringLiteral("generator-%1").arg(QString::fromLatin1(to_string(format)));
  const QString start = QDir(settings.value("paths/export", QDir::homePath()).toString()).filePath(name);
  // The export is a new folder: its name is asked as a file's would be, without the file dialog's
  // own replace question, which would speak of a file.
  const QString folder = QFileDialog::getSaveFileName(window_, tr("Export generator into the new folder"), start, QString(),
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
  if (folder.isEmpty()) return;
  settings.setValue("paths/export", QFileInfo(folder).absolutePath());
  Replace existing = Replace::kRefused;
  if (QFileInfo::exists(folder)) {
    const auto answer = QMessageBox::question(
        window_, tr("Export generator"),
        tr("%1 already exists. Replace it, and everything in it, with the export?").arg(folder),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) return;
    existing = Replace::kAllowed;
  }
  exportGeneratorTo(folder, format, existing);
}

}  // namespace gan::ui
