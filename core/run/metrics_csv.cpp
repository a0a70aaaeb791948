#include "core/run/metrics_csv.h"

#include "core/io/number_text.h"

namespace gan {

const char* const kMetricsHeader =
    "step,epoch,d_loss,g_loss,d_real,d_fake,seconds,inception_score,fid_mnist,mean_confidence,class_histogram,"
    "conditional_accuracy,class_confidence\n";

std::string metrics_row(const StepRecord& s, double seconds_offset, const QualityRecord* quality) {
  std::string row = std::to_string(s.step) + ',' + std::to_string(s.epoch);
  for (const float value : {s.d_loss, s.g_loss, s.d_real, s.d_fake}) row += ',' + general_text(value, 6);
  row += ',' + fixed_text(s.seconds + seconds_offset, 4);
  if (quality == nullptr) return row + ",,,,,,\n";
  auto shares = [](const std::vector<double>& values) {
    std::string text;
    for (std::size_t c = 0; c < values.size(); ++c) text += (c > 0 ? ";" : "") + fixed_text(values[c], 4);
    return text;
  };
  row += ',' + fixed_text(quality->inception_score, 4) + ',' + fixed_text(quality->fid, 4) + ',' +
         fixed_text(quality->mean_confidence, 4) + ',' + shares(quality->class_histogram) + ',';
  if (quality->conditional_accuracy) row += fixed_text(*quality->conditional_accuracy, 4);
  return row + ',' + shares(quality->class_confidence) + '\n';
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

// Numbers joined by ';' up to the next ',' or the end; false when one is not a number.
bool take_list(std::string_view& text, std::vector<double>& values) {
  while (!text.empty() && text.front() != ',') {
    const auto value = take_double(text);
    if (!value) return false;
    values.push_back(*value);
    if (text.empty() || text.front() == ',') break;
    if (text.front() != ';') return false;
    text.remove_prefix(1);
  }
  return true;
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
  if (!take_list(text, quality.class_histogram) || quality.class_histogram.empty()) return std::nullopt;
  // A conditional model's two columns (absent from files written before them; empty for others).
  if (text.empty()) return quality;
  if (text.front() != ',') return std::nullopt;
  text.remove_prefix(1);
  if (!text.empty() && text.front() != ',') {
    const auto accuracy = take_double(text);
    if (!accuracy) return std::nullopt;
    quality.conditional_accuracy = *accuracy;
  }
  if (text.empty()) return quality;
  if (text.front() != ',') return std::nullopt;
  text.remove_prefix(1);
  if (!take_list(text, quality.class_confidence) || !text.empty()) return std::nullopt;
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
