// metrics.csv, the one file both the writer (run_folder.h) and every reader (run_reader.h, a
// resume) agree on; its columns are named here only.
//   step,epoch,d_loss,g_loss,d_real,d_fake,seconds,inception_score,fid_mnist,mean_confidence,class_histogram,
//   conditional_accuracy,class_confidence
// One row per training step. The quality columns are empty except on rows whose step was scored by
// the judge; class_histogram (and class_confidence) are per-class numbers joined by ';'. The last
// two are a conditional model's, empty for the others; files written before them have 11 columns
// and read the same. d_loss .. d_fake mean what model.loss makes of them (core/run/loss_estimate.h). Numbers always use '.'
// (number_text.h), whatever the locale.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/run/observer.h"

namespace gan {

/// The header line, with its newline.
extern const char* const kMetricsHeader;

/// The row of `step` (with its newline); `seconds_offset` is added to step.seconds (the training
/// time before a resume); `quality`, when given, fills the quality columns.
std::string metrics_row(const StepRecord& step, double seconds_offset, const QualityRecord* quality);

/// One parsed row: the step's numbers, and its quality when the row has it.
struct MetricsRow {
  StepRecord step;
  std::optional<QualityRecord> quality;
};

/// Parses one line (without its newline); nullopt for the header or a malformed row.
std::optional<MetricsRow> parse_metrics_row(std::string_view line);

}  // namespace gan
