#include "core/run/inside_csv.h"

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
  return InsideReader(run).poll_to_end().windows;
}

InsideReader::InsideReader(const std::filesystem::path& run) : verdicts_(run / kVerdictsFile), layers_(run / kLayersFile) {}

InsideReader::Update InsideReader::poll() { return read(/*to_end=*/false); }

InsideReader::Update InsideReader::poll_to_end() { return read(/*to_end=*/true); }

InsideReader::Update InsideReader::read(bool to_end) {
  Update update;
  FileTail::Lines verdicts = verdicts_.read();
  FileTail::Lines layers = layers_.read();
  if (verdicts.reset || layers.reset) {
    // A resume cut the files back to a checkpoint: everything again, from the start of both.
    update.reset = true;
    pending_.clear();
    handed_over_ = -1;
    verdicts_ = FileTail(verdicts_.path());
    layers_ = FileTail(layers_.path());
    verdicts = verdicts_.read();
    layers = layers_.read();
  }
  add_verdicts(verdicts.text);
  add_parameters(layers.text);
  // The newest step with its verdict rows: every window before it is written whole.
  std::int64_t newest = -1;
  for (const auto& [step, w] : pending_) {
    if (w.real || w.fake) newest = step;
  }
  for (auto it = pending_.begin(); it != pending_.end();) {
    const Window& w = it->second;
    const bool verdicts_whole = w.real && w.fake;
    if (!(verdicts_whole && (to_end || w.parameters || it->first < newest))) {
      if (it->first >= newest) break;  // windows are written in step order: the rest wait too
      ++it;  // one whose verdict rows never came whole: left out, as read_inside does
      continue;
    }
    handed_over_ = it->first;
    update.windows.push_back(std::move(it->second.record));
    it = pending_.erase(it);
  }
  // Rows of windows skipped for good (older than one handed over) go.
  pending_.erase(pending_.begin(), pending_.upper_bound(handed_over_));
  return update;
}

void InsideReader::add_verdicts(const std::string& text) {
  for (const std::string& line : csv_records(text)) {
    const auto fields = parse_csv_row(line);
    if (!fields || fields->size() != 9) continue;
    const auto step = parse_int((*fields)[0]);
    const auto steps = parse_int((*fields)[1]);
    const std::string& side = (*fields)[2];
    const auto counts = parse_number_list((*fields)[8]);
    VerdictHistogram h;
    if (!step || *step <= handed_over_ || !steps || (side != "real" && side != "fake") || !counts || counts->empty() ||
        !parse_numbers(*fields, 4, {&h.low, &h.high, &h.min, &h.max})) {
      continue;
    }
    h.counts = *counts;
    Window& w = pending_[*step];
    w.record.step = *step;
    w.record.steps = *steps;
    w.record.probabilities = (*fields)[3] == "probability";
    (side == "real" ? w.record.real : w.record.fake) = std::move(h);
    (side == "real" ? w.real : w.fake) = true;
  }
}

void InsideReader::add_parameters(const std::string& text) {
  for (const std::string& line : csv_records(text)) {
    const auto fields = parse_csv_row(line);
    if (!fields || fields->size() != 8) continue;
    const auto step = parse_int((*fields)[0]);
    ParameterFigures p;
    if (!step || *step <= handed_over_ ||
        !parse_numbers(*fields, 4, {&p.gradient_norm, &p.gradient_norm_max, &p.weight_norm, &p.update_ratio})) {
      continue;
    }
    p.network = (*fields)[2];
    p.name = (*fields)[3];
    Window& w = pending_[*step];
    w.record.step = *step;
    w.parameters = true;
    w.record.parameters.push_back(std::move(p));
  }
}

}  // namespace gan
