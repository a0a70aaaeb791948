#include "core/run/inside_csv.h"

#include <fstream>
#include <map>
#include <sstream>

#include "core/io/csv.h"
#include "core/io/number_text.h"

namespace gan {

const char* const kVerdictsFile = "verdicts.csv";
const char* const kLayersFile = "layers.csv";
const char* const kVerdictsHeader = "step,steps,side,output,low,high,min,max,counts\n";
const char* const kLayersHeader =
    "step,steps,network,parameter,gradient_norm,gradient_norm_max,weight_norm,update_ratio\n";

namespace {

std::string verdict_row(const InsideRecord& record, const char* side, const VerdictHistogram& h) {
  std::string counts;
  for (std::size_t i = 0; i < h.counts.size(); ++i) counts += (i > 0 ? ";" : "") + shortest_text(h.counts[i]);
  return csv_row({std::to_string(record.step), std::to_string(record.steps), side,
                  record.probabilities ? "probability" : "score", general_text(h.low, 6), general_text(h.high, 6),
                  general_text(h.min, 6), general_text(h.max, 6), counts});
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Numbers from fields[first, first + count); false when one is not a number.
bool parse_numbers(const std::vector<std::string>& fields, std::size_t first, std::initializer_list<double*> into) {
  std::size_t i = first;
  for (double* target : into) {
    const auto value = parse_double(fields[i++]);
    if (!value) return false;
    *target = *value;
  }
  return true;
}

}  // namespace

std::string verdicts_rows(const InsideRecord& record) {
  return verdict_row(record, "real", record.real) + verdict_row(record, "fake", record.fake);
}

std::string layers_rows(const InsideRecord& record) {
  std::string text;
  for (const ParameterFigures& p : record.parameters) {
    text += csv_row({std::to_string(record.step), std::to_string(record.steps), p.network, p.name,
                     general_text(p.gradient_norm, 6), general_text(p.gradient_norm_max, 6),
                     general_text(p.weight_norm, 6), general_text(p.update_ratio, 6)});
  }
  return text;
}

std::optional<std::int64_t> inside_row_step(std::string_view line) {
  const auto fields = parse_csv_row(line);
  if (!fields || fields->empty()) return std::nullopt;
  return parse_int((*fields)[0]);
}

std::vector<InsideRecord> read_inside(const std::filesystem::path& run) {
  struct Window {
    InsideRecord record;
    bool real = false;
    bool fake = false;
  };
  std::map<std::int64_t, Window> windows;
  for (const std::string& line : csv_records(read_all(run / kVerdictsFile))) {
    const auto fields = parse_csv_row(line);
    if (!fields || fields->size() != 9) continue;
    const auto step = parse_int((*fields)[0]);
    const auto steps = parse_int((*fields)[1]);
    const std::string& side = (*fields)[2];
    const auto counts = parse_number_list((*fields)[8]);
    VerdictHistogram h;
    if (!step || !steps || (side != "real" && side != "fake") || !counts || counts->empty() ||
        !parse_numbers(*fields, 4, {&h.low, &h.high, &h.min, &h.max})) {
      continue;
    }
    h.counts = *counts;
    Window& w = windows[*step];
    w.record.step = *step;
    w.record.steps = *steps;
    w.record.probabilities = (*fields)[3] == "probability";
    (side == "real" ? w.record.real : w.record.fake) = std::move(h);
    (side == "real" ? w.real : w.fake) = true;
  }
  for (const std::string& line : csv_records(read_all(run / kLayersFile))) {
    const auto fields = parse_csv_row(line);
    if (!fields || fields->size() != 8) continue;
    const auto step = parse_int((*fields)[0]);
    ParameterFigures p;
    if (!step || !parse_numbers(*fields, 4, {&p.gradient_norm, &p.gradient_norm_max, &p.weight_norm, &p.update_ratio})) {
      continue;
    }
    const auto window = windows.find(*step);
    if (window == windows.end()) continue;
    p.network = (*fields)[2];
    p.name = (*fields)[3];
    window->second.record.parameters.push_back(std::move(p));
  }
  std::vector<InsideRecord> records;
  for (auto& [step, w] : windows) {
    if (w.real && w.fake) records.push_back(std::move(w.record));
  }
  return records;
}

}  // namespace gan
