// The runs view's table: one row per run folder (core/run/run_summary.h) with its name, preset, the
// hyperparameters that differ between the listed runs (only those, one column each), status, steps,
// speed, and the judge's latest, best and "at step N" scores. Sorting uses the numbers, not their
// text (Qt::UserRole).
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

#include "core/config/config_fields.h"
#include "core/run/run_summary.h"

namespace gan::ui {

class RunsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit RunsModel(QObject* parent = nullptr);

  /// Replaces the rows (the differing columns are worked out again).
  void setRuns(std::vector<gan::RunSummary> runs);
  /// Updates the rows whose folders are in `runs` (a live run's steps and scores), keeping the rest.
  void updateRuns(const std::vector<gan::RunSummary>& runs);
  const std::vector<gan::RunSummary>& runs() const { return runs_; }
  const gan::RunSummary& run(int row) const { return runs_.at(static_cast<std::size_t>(row)); }
  int rowOf(const QString& folder) const;

  /// The step count the "IS @ step" and "FID @ step" columns compare runs at (0: each run's latest).
  void setRankStep(qint64 step);
  qint64 rankStep() const { return rank_step_; }

  /// The config keys with a column of their own (those that differ).
  QStringList differingKeys() const;
  /// "g_lr 0.0004, d_lr 0.0001": what sets `row` apart, for captions and legends.
  QString differenceLabel(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  /// Fixed columns around the differing ones.
  enum class Column { kName, kPreset, kDiffering, kStatus, kSteps, kSpeed, kScoreAt, kFidAt, kAccuracyAt, kBestScore, kBestFid };
  Column columnKind(int column) const;
  int columnOf(Column kind) const;

 private:
  std::vector<gan::RunSummary> runs_;
  std::vector<const gan::ConfigField*> differing_;
  qint64 rank_step_ = 0;
};

}  // namespace gan::ui
