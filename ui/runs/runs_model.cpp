#include "ui/runs/runs_model.h"

#include <QColor>

#include "core/io/number_text.h"

namespace gan::ui {
namespace {

constexpr int kBeforeDiffering = 2;  // name, preset
constexpr int kAfterDiffering = 8;   // status ... best FID

QString number(double value, int decimals) { return QString::fromStdString(gan::fixed_text(value, decimals)); }

QColor status_colour(const std::string& status) {
  if (status == "running") return QColor(0x1f, 0x77, 0xb4);
  if (status == "failed" || status == "collapsed" || status == "d-wins") return QColor(0xc0, 0x39, 0x2b);
  if (status == "interrupted" || status == "stopped") return QColor(0x8a, 0x6d, 0x00);
  return {};
}

}  // namespace

RunsModel::RunsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsModel::setRuns(std::vector<gan::RunSummary> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  std::vector<gan::Config> configs;
  for (const auto& run : runs_) configs.push_back(run.config);
  differing_ = gan::differing_fields(configs);
  endResetModel();
}

void RunsModel::updateRuns(const std::vector<gan::RunSummary>& runs) {
  for (const auto& updated : runs) {
    const int row = rowOf(QString::fromStdString(updated.folder.string()));
    if (row < 0) continue;
    runs_[static_cast<std::size_t>(row)] = updated;
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
  }
}

int RunsModel::rowOf(const QString& folder) const {
  for (std::size_t i = 0; i < runs_.size(); ++i) {
    if (QString::fromStdString(runs_[i].folder.string()) == folder) return static_cast<int>(i);
  }
  return -1;
}

void RunsModel::setRankStep(qint64 step) {
  if (step == rank_step_) return;
  rank_step_ = step;
  emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
  emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

QStringList RunsModel::differingKeys() const {
  QStringList keys;
  for (const auto* field : differing_) keys << QString::fromStdString(field->key);
  return keys;
}

QString RunsModel::differenceLabel(int row) const {
  QStringList parts;
  for (const auto* field : differing_) {
    parts << QString::fromStdString(field->label + " " + field->text(run(row).config));
  }
  return parts.isEmpty() ? QString::fromStdString(run(row).name) : parts.join(", ");
}

int RunsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(runs_.size()); }

int RunsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kBeforeDiffering + static_cast<int>(differing_.size()) + kAfterDiffering;
}

RunsModel::Column RunsModel::columnKind(int column) const {
  if (column == 0) return Column::kName;
  if (column == 1) return Column::kPreset;
  const int after = column - kBeforeDiffering - static_cast<int>(differing_.size());
  if (after < 0) return Column::kDiffering;
  static constexpr Column kTail[kAfterDiffering] = {Column::kStatus,  Column::kSteps,     Column::kSpeed,  Column::kScoreAt,
                                                    Column::kFidAt, Column::kAccuracyAt, Column::kBestScore, Column::kBestFid};
  return kTail[after];
}

int RunsModel::columnOf(Column kind) const {
  for (int c = 0; c < columnCount(); ++c) {
    if (columnKind(c) == kind) return c;
  }
  return -1;
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  const Column kind = columnKind(section);
  const QString at = rank_step_ > 0 ? QString(" @ %1").arg(rank_step_) : QString();
  if (role == Qt::ToolTipRole) {
    if (kind == Column::kDiffering) {
      const auto* field = differing_[static_cast<std::size_t>(section - kBeforeDiffering)];
      return QString::fromStdString(field->key + ": " + field->help);
    }
    if (kind == Column::kScoreAt) return tr("Inception Score of the newest evaluation at or before the step (higher is better)");
    if (kind == Column::kFidAt) return tr("FID-MNIST of the newest evaluation at or before the step (lower is better)");
    if (kind == Column::kAccuracyAt) {
      return tr("A conditional model's conditional accuracy at that evaluation: the share of digits the judge takes for "
                "the digit asked for");
    }
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  switch (kind) {
    case Column::kName: return tr("Run");
    case Column::kPreset: return tr("Preset");
    case Column::kDiffering:
      return QString::fromStdString(differing_[static_cast<std::size_t>(section - kBeforeDiffering)]->label);
    case Column::kStatus: return tr("Status");
    case Column::kSteps: return tr("Steps");
    case Column::kSpeed: return tr("Steps/s");
    case Column::kScoreAt: return tr("IS") + at;
    case Column::kFidAt: return tr("FID") + at;
    case Column::kAccuracyAt: return tr("Cond. acc.") + at;
    case Column::kBestScore: return tr("Best IS");
    case Column::kBestFid: return tr("Best FID");
  }
  return {};
}

QVariant RunsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const gan::RunSummary& r = run(index.row());
  const Column kind = columnKind(index.column());
  const gan::ScoredStep* at = rank_step_ > 0 ? r.score_at(rank_step_) : r.latest_score();
  if (role == Qt::ForegroundRole && kind == Column::kStatus) {
    const QColor colour = status_colour(r.status);
    return colour.isValid() ? QVariant(colour) : QVariant();
  }
  if (role == Qt::TextAlignmentRole && kind != Column::kName && kind != Column::kPreset && kind != Column::kStatus) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole && kind == Column::kName) return QString::fromStdString(r.folder.string());
  if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
  const bool sort = role == Qt::UserRole;
  // Runs without a score sort below every scored one, whichever way the column is sorted by people.
  auto score = [&](const gan::ScoredStep* s, bool fid, int decimals) -> QVariant {
    if (s == nullptr) return sort ? QVariant(fid ? 1e300 : -1.0) : QVariant(QStringLiteral("–"));
    const double value = fid ? s->fid : s->inception_score;
    return sort ? QVariant(value) : QVariant(number(value, decimals));
  };
  switch (kind) {
    case Column::kName: return QString::fromStdString(r.name);
    case Column::kPreset: return QString::fromStdString(r.manifest.preset);
    case Column::kDiffering: {
      const auto* field = differing_[static_cast<std::size_t>(index.column() - kBeforeDiffering)];
      const gan::FieldValue value = field->get(r.config);
      if (sort) {
        if (const auto* d = std::get_if<double>(&value)) return *d;
        if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<qlonglong>(*i);
      }
      return QString::fromStdString(field->text(r.config));
    }
    case Column::kStatus: return QString::fromStdString(r.status);
    case Column::kSteps: return sort ? QVariant(static_cast<qlonglong>(r.steps)) : QVariant(QString::number(r.steps));
    case Column::kSpeed: return sort ? QVariant(r.steps_per_second) : QVariant(number(r.steps_per_second, 1));
    case Column::kScoreAt: return score(at, false, 2);
    case Column::kFidAt: return score(at, true, 1);
    case Column::kAccuracyAt:
      if (at == nullptr || !at->conditional_accuracy) return sort ? QVariant(-1.0) : QVariant(QStringLiteral("–"));
      return sort ? QVariant(*at->conditional_accuracy) : QVariant(number(*at->conditional_accuracy * 100, 1) + "%");
    case Column::kBestScore: return score(r.best_inception_score(), false, 2);
    case Column::kBestFid: return score(r.best_fid(), true, 1);
  }
  return {};
}

}  // namespace gan::ui
