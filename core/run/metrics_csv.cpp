#include "core/run/metrics_csv.h"

#include "core/io/number_text.h"

namespace gan {

const char* const kMetricsHeader =
    "step,epoch,d_loss,g_loss,d_real,d_fake,seconds,inception_score,fid_mnist,mean_confidence,class_histogram\n";

std::string metrics_row(const StepRecord& s, double seconds_offset, const QualityRecord* quality) {
  std::string row = std::to_string(s.step) + ',' + std::to_string(s.epoch);
  for (const float value : {s.d_loss, s.g_loss, s.d_real, s.d_fake}) row += ',' + general_text(value, 6);
  row += ',' + fixed_text(s.seconds + seconds_offset, 4);
  if (quality == nullptr) return row + ",,,,\n";
  row += ',' + fixed_text(quality->inception_score, 4) + ',' + fixed_text(quality->fid, 4) + ',' +
         fixed_text(quality->mean_confidence, 4) + ',';
  for (std::size_t c = 0; c < quality->class_histogram.size(); ++c) {
    if (c > 0) row += ';';
    row += fixed_text(quality->class_histogram[c], 4);
  }
  return row + '\n';
}

namespace {

// Takes the number at the front of `text` and the separator after it (if `separator` is not 0).
std::optional<double> take_field(std::string_view& text, char separator) {
  std::string_view rest = text;
  const auto value = take_double(rest);
  if (!value) return std::nullopt;
  if (separator != 0) {
    if (rest.empty() || rest.front() != separator) return std::nullopt;
    rest.remove_prefix(1);
  }
  text = rest;
  return value;
}

// ,inception_score,fid_mnist,mean_confidence,share;share;... after the seventh field.
std::optional<QualityRecord> parse_quality(std::string_view text, std::int64_t step) {
  QualityRecord quality;
  quality.step = step;
  double* fields[] = {&quality.inception_score, &quality.fid, &quality.mean_confidence};
  for (double* field : fields) {
    const auto value = take_field(text, ',');
    if (!value) return std::nullopt;
    *field = *value;
  }
  while (!text.empty()) {
    const auto share = take_double(text);
    if (!share) return std::nullopt;
    quality.class_histogram.push_back(*share);
    if (text.empty()) break;
    if (text.front() != ';') return std::nullopt;
    text.remove_prefix(1);
  }
  if (quality.class_histogram.empty()) return std::nullopt;
  return quality;
}

}  // namespace

std::optional<MetricsRow> parse_metrics_row(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  double fields[7];
  for (int i = 0; i < 7; ++i) {
    const auto value = take_field(line, i < 6 ? ',' : 0);
    if (!value) return std::nullopt;
    fields[i] = *value;
  }
  // Step and epoch become integers: anything that is not a plausible count makes the row malformed
  // (a cast of 1e50 would be undefined; found by fuzz_run_folder).
  constexpr double kMaxCount = 1e15;
  for (const double count : {fields[0], fields[1]}) {
    if (!(count >= 0 && count <= kMaxCount)) return std::nullopt;
  }
  MetricsRow row;
  row.step.step = static_cast<std::int64_t>(fields[0]);
  row.step.epoch = static_cast<std::int64_t>(fields[1]);
  row.step.d_loss = static_cast<float>(fields[2]);
  row.step.g_loss = static_cast<float>(fields[3]);
  row.step.d_real = static_cast<float>(fields[4]);
  row.step.d_fake = static_cast<float>(fields[5]);
  row.step.seconds = fields[6];
  if (!line.empty() && line.front() == ',') {
    line.remove_prefix(1);
    row.quality = parse_quality(line, row.step.step);
  }
  return row;
}

}  // namespace gan
