// What File ▸ Export does: the sample grid, digits, charts, metrics, the evolution of the grids,
// latent interpolations and the generator itself (PyTorch, ONNX, a web page). Each export asks for a path (the save dialog confirms replacing a
// file), writes atomically (exports.h) and reports. Digits and interpolations are drawn by the
// training thread (TrainingSession): the controller keeps the request until they arrive.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

#include "core/export/generator_export.h"
#include "core/io/atomic_file.h"

class QThread;
class QWidget;

namespace gan::ui {

class MetricCharts;
class SamplePanel;
class TrainingSession;

class ExportController : public QObject {
  Q_OBJECT

 public:
  /// `window` parents the dialogs; `run_folder` says which run is shown (empty: none) and
  /// `sample_interval` its sampling.interval, read when an export starts.
  ExportController(QWidget* window, TrainingSession* session, SamplePanel* samples, MetricCharts* charts,
                   std::function<QString()> run_folder, std::function<qint64()> sample_interval,
                   std::function<bool()> conditional = [] { return false; });
  /// Waits for a generator export still being written from a checkpoint.
  ~ExportController() override;

  // Without dialogs: each returns an error message, or an empty string when the file is written.
  QString exportGridTo(const QString& path, Replace existing);
  QString exportChartsTo(const QString& path, Replace existing);
  QString exportMetricsTo(const QString& path, Replace existing);
  /// The run's grids, one per `every` steps, stamped with their step: an animated GIF / a sheet.
  QString exportEvolutionTo(const QString& path, qint64 every, Replace existing);
  QString exportContactSheetTo(const QString& path, qint64 every, Replace existing);
  /// Asynchronous: `frames` digits between two latent points from `seed`, written as a strip PNG
  /// at `png_path` and an animated GIF beside it (same name, .gif); interpolationExported reports.
  void exportInterpolationTo(const QString& png_path, int frames, quint64 seed, Replace existing);
  /// Asynchronous: digits come from the training thread; digitsExported reports the result.
  /// `digit` >= 0: a conditional model's digits, all asked for that digit.
  void exportDigitsTo(const QString& folder, int count, int digit = -1);
  /// Asynchronous: the generator as `format` into the new folder `folder`, written by the training
  /// thread; generatorExported reports. An opened run whose model could not be loaded (its data is
  /// not on this machine) exports from its newest checkpoint, which holds G whole.
  void exportGeneratorTo(const QString& folder, ExportFormat format, Replace existing);

  // The menu's actions: ask for the path and settings, then export.
  void exportGrid();
  void exportDigits();
  void exportCharts();
  void exportMetrics();
  void exportEvolution(bool animated);
  void exportInterpolation();
  void exportGenerator();

 signals:
  void digitsExported(int count, const QString& error);
  void interpolationExported(const QString& error);
  void generatorExported(const QString& folder, const QString& error);
  /// For the status bar: "Saved …".
  void saved(const QString& message);
  /// For the error banner.
  void failed(const QString& error);

 private:
  QString askSavePath(const QString& title, const QString& name, const QString& filter);
  void report(const QString& path, const QString& error);
  void writeInterpolation(const QVector<QImage>& frames);
  void writeDigits(const QVector<QImage>& digits);
  void reportGenerator(const QString& folder, const QStringList& files, const QString& error);

  QWidget* window_;
  TrainingSession* session_;
  SamplePanel* samples_;
  MetricCharts* charts_;
  std::function<QString()> run_folder_;
  std::function<qint64()> sample_interval_;
  std::function<bool()> conditional_;
  int pending_digits_ = 0;
  QString pending_digits_folder_;
  QString pending_interpolation_path_;
  Replace pending_interpolation_existing_ = Replace::kRefused;
  QThread* checkpoint_export_ = nullptr;  // an export from a checkpoint, off the GUI thread
};

}  // namespace gan::ui
