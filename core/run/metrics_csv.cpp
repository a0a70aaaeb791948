#include "core/run/metrics_csv.h"

#include <algorithm>

#include "core/io/csv.h"
#include "core/io/number_text.h"

namespace gan {

const char* const kMetricsHeader =
    "step,epoch,d_loss,g_loss,d_real,d_fake,seconds,inception_score,fid_mnist,mean_confidence,class_histogram,"
    "conditional_accuracy,class_confidence,memorised\n";

std::string metrics_row(const StepRecord& s, double seconds_offset, const QualityRecord* quality) {
  std::vector<std::string> fields = {std::to_string(s.step), std::to_string(s.epoch)};
  for (const float value : {s.d_loss, s.g_loss, s.d_real, s.d_fake}) fields.push_back(general_text(value, 6));
  fields.push_back(fixed_text(s.seconds + seconds_offset, 4));
  if (quality == nullptr) {
    fields.resize(14);
    return csv_row(fields);
  }
  auto shares = [](const std::vector<double>& values) {
    std::string text;
    for (std::size_t c = 0; c < values.size(); ++c) text += (c > 0 ? ";" : "") + fixed_text(values[c], 4);
    return text;
  };
  fields.push_back(fixed_text(quality->inception_score, 4));
  fields.push_back(fixed_text(quality->fid, 4));
  fields.push_back(fixed_text(quality->mean_confidence, 4));
  fields.push_back(shares(quality->class_histogram));
  fields.push_back(quality->conditional_accuracy ? fixed_text(*quality->conditional_accuracy, 4) : std::string());
  fields.push_back(shares(quality->class_confidence));
  fields.push_back(quality->memorised ? fixed_text(*quality->memorised, 4) : std::string());
  return csv_row(fields);
}

namespace {

// The quality columns (fields 7 on): 4 in files written before a conditional model's two, 6 in
// files written before the memorisation figure, else 7.
std::optional<QualityRecord> parse_quality(const std::vector<std::string>& fields, std::int64_t step) {
  if (fields.size() != 11 && fields.size() != 13 && fields.size() != 14) return std::nullopt;
  QualityRecord quality;
  quality.step = step;
  double* numbers[] = {&quality.inception_score, &quality.fid, &quality.mean_confidence};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto value = parse_double(fields[7 + i]);
    if (!value) return std::nullopt;
    *numbers[i] = *value;
  }
  auto histogram = parse_number_list(fields[10]);
  if (!histogram || histogram->empty()) return std::nullopt;
  quality.class_histogram = std::move(*histogram);
  if (fields.size() == 11) return quality;
  if (!fields[11].empty()) {
    const auto accuracy = parse_double(fields[11]);
    if (!accuracy) return std::nullopt;
    quality.conditional_accuracy = *accuracy;
  }
  auto confidence = parse_number_list(fields[12]);
  if (!confidence) return std::nullopt;
  quality.class_confidence = std::move(*confidence);
  if (fields.size() == 14 && !fields[13].empty()) {
    const auto memorised = parse_double(fields[13]);
    if (!memorised) return std::nullopt;
    quality.memorised = *memorised;
  }
  return quality;
}

}  // namespace

std::optional<MetricsRow> parse_metrics_row(std::string_view line) {
  const auto fields = parse_csv_row(line);
  if (!fields || fields->size() < 7) return std::nullopt;
  double numbers[7];
  for (std::size_t i = 0; i < 7; ++i) {
    const auto value = parse_double((*fields)[i]);
    if (!value) return std::nullopt;
    numbers[i] = *value;
  }
  // Step and epoch become integers: anything that is not a plausible count makes the row malformed
  // (a cast of 1e50 would be undefined; found by fuzz_run_folder).
  constexpr double kMaxCount = 1e15;
  for (const double count : {numbers[0], numbers[1]}) {
    if (!(count >= 0 && count <= kMaxCount)) return std::nullopt;
  }
  MetricsRow row;
  row.step.step = static_cast<std::int64_t>(numbers[0]);
  row.step.epoch = static_cast<std::int64_t>(numbers[1]);
  row.step.d_loss = static_cast<float>(numbers[2]);
  row.step.g_loss = static_cast<float>(numbers[3]);
  row.step.d_real = static_cast<float>(numbers[4]);
  row.step.d_fake = static_cast<float>(numbers[5]);
  row.step.seconds = numbers[6];
  if (fields->size() > 7) row.quality = parse_quality(*fields, row.step.step);
  return row;
}

}  // namespace gan
