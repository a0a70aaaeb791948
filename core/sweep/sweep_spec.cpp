#include "core/sweep/sweep_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "core/config/config.h"
#include "core/config/config_fields.h"
#include "core/io/number_text.h"
#include "core/io/paths.h"

namespace gan {
namespace {

constexpr const char* kTopKeys[] = {"base",  "set",       "method",     "count",     "random_seed",
                                    "seeds", "max_steps", "early_stop", "parameters"};

int line_of(const YAML::Node& node) {
  const int line = node.Mark().line;
  return line >= 0 ? line + 1 : 0;
}

// A YAML value as --set takes it: scalars as written, sequences in flow style ("[128, 256]").
std::string yaml_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

std::string integer_value(double value) {
  // Within long long's range before rounding (train.seed's allowed range reaches its end).
  constexpr double kLimit = 9.2e18;
  return std::to_string(std::llround(std::clamp(value, -kLimit, kLimit)));
}

// A point of the range [low, high] as --set text: 6 significant digits where they keep it inside the
// range and apart from the values already `taken`, more where they do not, up to the shortest text
// that reads back exactly. (Rounded to 6 digits after the bounds were checked, [0.99, 0.9999999]
// for a beta2 expanded to "1", which the field refuses, and nearby grid points merged into one run.)
std::string real_value(double value, double low, double high, const std::vector<std::string>& taken = {}) {
  value = std::clamp(value, low, high);  // exp(log(high)) may land a hair outside
  for (int digits = 6; digits < 17; ++digits) {
    std::string text = general_text(value, digits);
    const double back = parse_double(text).value_or(value);
    if (back >= low && back <= high && std::find(taken.begin(), taken.end(), text) == taken.end()) return text;
  }
  return shortest_text(value);
}

// Reads the sweep file, keeping its path and line numbers for messages.
class SweepReader {
 public:
  explicit SweepReader(std::filesystem::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& key, const YAML::Node& node, const std::string& message) const {
    throw ConfigError(key, message, file_.string(), node ? line_of(node) : 0);
  }

  template <typename T>
  T read(const YAML::Node& node, const std::string& key, const char* what) const {
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(key, node, std::string("must be ") + what + ", found '" + yaml_text(node) + "'");
    }
  }

  std::filesystem::path base_file(const YAML::Node& node) const {
    const std::string name = read<std::string>(node, "base", "a preset's name or a config file");
    if (name.empty()) fail("base", node, "is empty; name a preset (laptop, pytorch-gan, course-report) or a config file");
    std::filesystem::path path = name;
    const bool preset_name = name.find('/') == std::string::npos && path.extension() != ".yaml" && path.extension() != ".yml";
    if (preset_name) {
      path = presets_folder() / (name + ".yaml");
      if (!std::filesystem::is_regular_file(path)) {
        fail("base", node, "no preset '" + name + "' in " + presets_folder().string() + " (give a preset's name or a .yaml file)");
      }
      return path;
    }
    if (path.is_relative()) path = file_.parent_path() / path;
    if (!std::filesystem::is_regular_file(path)) fail("base", node, "no config file " + path.string());
    return path.lexically_normal();
  }

  // Checks that the base config takes `assignments` (the fixed ones plus `extra`), as --set would.
  void check(const SweepSpec& spec, const std::string& extra, const std::string& key, const YAML::Node& where) const {
    std::vector<std::string> overrides = spec.fixed;
    if (!extra.empty()) overrides.push_back(extra);
    try {
      load_config(spec.base, overrides);
    } catch (const ConfigError& e) {
      // A problem in the base file itself is the base file's, with its own position.
      if (e.source() == spec.base.string() && e.line() > 0) throw;
      const std::string detail = e.key() == key || e.key().empty() ? e.detail() : e.key() + " " + e.detail();
      fail(key, where, detail);
    }
  }

  std::vector<std::int64_t> seeds(const YAML::Node& node) const {
    std::vector<std::int64_t> seeds;
    if (node.IsScalar()) {
      const auto count = read<std::int64_t>(node, "seeds", "a list of seeds or a count");
      if (count < 1 || count > 100) fail("seeds", node, "a count of seeds must be between 1 and 100, found " + std::to_string(count));
      for (std::int64_t i = 0; i < count; ++i) seeds.push_back(i);
      return seeds;
    }
    if (!node.IsSequence() || node.size() == 0) fail("seeds", node, "must be a non-empty list of seeds or a count");
    for (const auto& seed : node) {
      seeds.push_back(read<std::int64_t>(seed, "seeds", "a whole number"));
      if (seeds.back() < 0) fail("seeds", seed, "a seed must be 0 or more, found " + std::to_string(seeds.back()));
    }
    return seeds;
  }

  SweepParameter parameter(const SweepSpec& spec, const std::string& key, const YAML::Node& node) const {
    SweepParameter p;
    p.key = key;
    p.line = line_of(node);
    if (node.IsSequence()) {
      if (node.size() == 0) fail(key, node, "an empty list; give at least one value");
      for (const auto& value : node) {
        p.values.push_back(yaml_text(value));
        check(spec, key + "=" + p.values.back(), key, value);
      }
      return p;
    }
    if (!node.IsMap()) {
      fail(key, node, "must be a list of values, {range: [low, high], count: N} or {log_range: [low, high], count: N}");
    }
    const ConfigField* field = find_config_field(key);
    if (field == nullptr) check(spec, key + "=0", key, node);  // unknown: the reader's message, with its hint
    if (field == nullptr || (field->type != FieldType::kInteger && field->type != FieldType::kNumber)) {
      fail(key, node, "a range needs a number; give this key a list of values");
    }
    p.integer = field->type == FieldType::kInteger;
    YAML::Node range;  // reset(), not =: assigning a Node writes through to the node it refers to
    bool has_range = false;
    for (const auto& entry : node) {
      const std::string name = entry.first.as<std::string>();
      if (name == "range" || name == "log_range") {
        if (has_range) fail(key, entry.first, "give either range or log_range, not both");
        has_range = true;
        range.reset(entry.second);
        p.kind = name == "range" ? SweepParameter::Kind::kRange : SweepParameter::Kind::kLogRange;
      } else if (name == "count") {
        p.count = read<std::int64_t>(entry.second, key + ".count", "a whole number");
        if (p.count < 1 || p.count > static_cast<std::int64_t>(kMaxSweepRuns)) {
          fail(key + ".count", entry.second, "must be between 1 and " + std::to_string(kMaxSweepRuns) + ", found " + std::to_string(p.count));
        }
      } else {
        fail(key + "." + name, entry.first, "unknown; a range has range (or log_range) and count");
      }
    }
    if (!has_range) fail(key, node, "has no range: [low, high] or log_range: [low, high]");
    if (!range.IsSequence() || range.size() != 2) fail(key, range, "a range is [low, high]");
    p.low = read<double>(range[0], key, "a number");
    p.high = read<double>(range[1], key, "a number");
    if (!std::isfinite(p.low) || !std::isfinite(p.high) || !(p.low <= p.high)) {
      fail(key, range, "an invalid range [" + shortest_text(p.low) + ", " + shortest_text(p.high) + "]: low must not exceed high");
    }
    if (p.integer && (p.low < static_cast<double>(field->min) || p.high > static_cast<double>(field->max))) {
      fail(key, range, "a range of whole numbers must lie " + field->allowed());
    }
    if (p.kind == SweepParameter::Kind::kLogRange && p.low <= 0) {
      fail(key, range, "a log_range must be above 0, found " + shortest_text(p.low));
    }
    // Both ends must be values the key takes.
    for (const double end : {p.low, p.high}) {
      const std::string text = p.integer ? integer_value(end) : shortest_text(end);
      check(spec, key + "=" + text, key, range);
    }
    if (spec.method == SweepSpec::Method::kGrid && p.count == 0) {
      fail(key, node, "a grid sweep needs a count of points in the range");
    }
    return p;
  }

 private:
  std::filesystem::path file_;
};


// The values a grid visits for one parameter.
std::vector<std::string> grid_values(const SweepParameter& p) {
  if (p.kind == SweepParameter::Kind::kList) return p.values;
  std::vector<std::string> values;
  const bool log = p.kind == SweepParameter::Kind::kLogRange;
  const double a = log ? std::log(p.low) : p.low;
  const double b = log ? std::log(p.high) : p.high;
  for (std::int64_t i = 0; i < p.count; ++i) {
    const double t = p.count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(p.count - 1);
    const double x = a + (b - a) * t;
    std::string value = p.integer ? integer_value(log ? std::exp(x) : x) : real_value(log ? std::exp(x) : x, p.low, p.high, values);
    if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(std::move(value));
  }
  return values;
}

// Uniform in [0, 1) from the generator's raw bits: mt19937_64's output is fixed by the standard,
// the distributions' are not, so a sweep draws the same runs with every standard library.
double uniform(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

std::string draw(const SweepParameter& p, std::mt19937_64& random) {
  switch (p.kind) {
    case SweepParameter::Kind::kList: return p.values[random() % p.values.size()];
    case SweepParameter::Kind::kRange:
      if (p.integer) {  // in doubles: high - low + 1 may not fit a long long (train.seed's range)
        const double low = std::round(p.low), high = std::round(p.high);
        return integer_value(std::min(high, low + std::floor(uniform(random) * (high - low + 1))));
      }
      return real_value(p.low + (p.high - p.low) * uniform(random), p.low, p.high);
    case SweepParameter::Kind::kLogRange:
    {
      const double value = std::exp(std::log(p.low) + (std::log(p.high) - std::log(p.low)) * uniform(random));
      return p.integer ? integer_value(value) : real_value(value, p.low, p.high);
    }
  }
  return {};
}

// "G lr" -> "g_lr", "[256, 512]" -> "256x512": names that read well in a folder listing.
std::string slug(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == ',') {
      out += 'x';
    } else if (c == ' ' || c == '_') {
      if (!out.empty() && out.back() != '_' && out.back() != 'x') out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string run_label(const std::vector<std::pair<std::string, std::string>>& values) {
  std::string label;
  for (const auto& [key, value] : values) {
    const ConfigField* field = find_config_field(key);
    const std::string name = key == "train.seed" ? "seed" : field != nullptr ? field->label : key;
    if (!label.empty()) label += '-';
    label += slug(name) + '-' + slug(value);
  }
  if (label.size() > 80) label.resize(80);
  return label;
}

}  // namespace

std::vector<std::string> SweepRun::overrides(const SweepSpec& spec) const {
  std::vector<std::string> all = spec.fixed;
  for (const auto& [key, value] : values) all.push_back(key + "=" + value);
  return all;
}

namespace {

SweepSpec read_sweep(const YAML::Node& root, const std::filesystem::path& file, const std::filesystem::path& base_override);

}  // namespace

SweepSpec load_sweep(const std::filesystem::path& file, const std::filesystem::path& base_override) {
  std::ifstream in(file);
  if (!in) throw ConfigError("", "cannot open sweep file", file.string());
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    throw ConfigError("", "YAML syntax error: " + e.msg, file.string(), e.mark.line + 1);
  }
  try {
    return read_sweep(root, file, base_override);
  } catch (const YAML::Exception& e) {
    // A structure the reader did not expect where it reads a scalar (a mapping as a key...).
    throw ConfigError("", "unreadable sweep file: " + e.msg, file.string(), e.mark.line >= 0 ? e.mark.line + 1 : 0);
  }
}

namespace {

SweepSpec read_sweep(const YAML::Node& root, const std::filesystem::path& file, const std::filesystem::path& base_override) {
  SweepReader reader(file);
  if (!root.IsMap()) reader.fail("", root, "a sweep file is a mapping: base, parameters, ...");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (std::find(std::begin(kTopKeys), std::end(kTopKeys), key) == std::end(kTopKeys)) {
      std::string allowed;
      for (const char* k : kTopKeys) allowed += std::string(allowed.empty() ? "" : ", ") + k;
      reader.fail(key, entry.first, "unknown key in a sweep file; allowed: " + allowed);
    }
  }

  SweepSpec spec;
  spec.file = file;
  if (!base_override.empty()) {
    spec.base = base_override;
  } else if (root["base"]) {
    spec.base = reader.base_file(root["base"]);
  } else {
    reader.fail("base", root, "is missing: name a preset (laptop, pytorch-gan, course-report) or a config file");
  }
  load_config(spec.base);  // a bad base is reported as its own file and line

  if (const YAML::Node method = root["method"]) {
    const std::string name = reader.read<std::string>(method, "method", "grid or random");
    if (name == "grid") {
      spec.method = SweepSpec::Method::kGrid;
    } else if (name == "random") {
      spec.method = SweepSpec::Method::kRandom;
    } else {
      reader.fail("method", method, "must be one of grid, random; found '" + name + "'");
    }
  }
  if (const YAML::Node count = root["count"]) {
    if (spec.method != SweepSpec::Method::kRandom) reader.fail("count", count, "is for random sweeps (method: random)");
    spec.count = reader.read<std::int64_t>(count, "count", "a whole number");
    if (spec.count < 1 || spec.count > static_cast<std::int64_t>(kMaxSweepRuns)) {
      reader.fail("count", count, "must be between 1 and " + std::to_string(kMaxSweepRuns) + ", found " + std::to_string(spec.count));
    }
  } else if (spec.method == SweepSpec::Method::kRandom) {
    reader.fail("count", root, "is missing: a random sweep draws `count` runs");
  }
  if (const YAML::Node seed = root["random_seed"]) {
    spec.random_seed = reader.read<std::uint64_t>(seed, "random_seed", "a whole number, 0 or more");
  }
  if (const YAML::Node steps = root["max_steps"]) {
    spec.max_steps = reader.read<std::int64_t>(steps, "max_steps", "a whole number");
    if (spec.max_steps < 0) reader.fail("max_steps", steps, "must be 0 (the config's epochs) or more, found " + std::to_string(spec.max_steps));
  }
  if (const YAML::Node stop = root["early_stop"]) spec.early_stop = reader.read<bool>(stop, "early_stop", "true or false");

  if (const YAML::Node set = root["set"]) {
    if (!set.IsMap()) reader.fail("set", set, "must be a mapping of config keys to values");
    for (const auto& entry : set) {
      const std::string key = entry.first.as<std::string>();
      const std::string assignment = key + "=" + yaml_text(entry.second);
      reader.check(spec, assignment, key, entry.first);
      spec.fixed.push_back(assignment);
    }
  }
  if (const YAML::Node seeds = root["seeds"]) spec.seeds = reader.seeds(seeds);

  const YAML::Node parameters = root["parameters"];
  if (!parameters || !parameters.IsMap() || parameters.size() == 0) {
    reader.fail("parameters", parameters ? parameters : root, "must map at least one config key to its values");
  }
  for (const auto& entry : parameters) {
    const std::string key = entry.first.as<std::string>();
    for (const auto& earlier : spec.parameters) {
      if (earlier.key == key) reader.fail(key, entry.first, "is listed twice");
    }
    for (const auto& fixed : spec.fixed) {
      if (fixed.compare(0, key.size() + 1, key + "=") == 0) reader.fail(key, entry.first, "is both in set and in parameters");
    }
    if (key == "train.seed" && !spec.seeds.empty()) reader.fail(key, entry.first, "is both swept and given by seeds");
    spec.parameters.push_back(reader.parameter(spec, key, entry.second));
  }

  if (spec.method == SweepSpec::Method::kGrid) {
    std::size_t runs = std::max<std::size_t>(spec.seeds.size(), 1);
    for (const auto& p : spec.parameters) {
      runs *= grid_values(p).size();
      if (runs > kMaxSweepRuns) {
        reader.fail("parameters", parameters, "the grid has more than " + std::to_string(kMaxSweepRuns) + " runs; sweep fewer values or use method: random");
      }
    }
  } else if (static_cast<std::size_t>(spec.count) * std::max<std::size_t>(spec.seeds.size(), 1) > kMaxSweepRuns) {
    reader.fail("count", root["count"], "count x seeds is more than " + std::to_string(kMaxSweepRuns) + " runs");
  }
  return spec;
}

}  // namespace

std::string grid_sweep_text(const std::string& base,
                            const std::vector<std::pair<std::string, std::vector<std::string>>>& parameters,
                            std::int64_t max_steps) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "base" << YAML::Value << base;
  out << YAML::Key << "method" << YAML::Value << "grid";
  if (max_steps > 0) out << YAML::Key << "max_steps" << YAML::Value << max_steps;
  out << YAML::Key << "early_stop" << YAML::Value << true;
  out << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, values] : parameters) {
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    // Each value as the config reader takes it after "key=": a width list stays a list.
    for (const auto& value : values) out << YAML::Load(value);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::vector<std::string> swept_keys(const SweepSpec& spec) {
  std::vector<std::string> keys;
  for (const auto& p : spec.parameters) keys.push_back(p.key);
  if (spec.seeds.size() > 1) keys.push_back("train.seed");
  return keys;
}

std::vector<SweepRun> expand_sweep(const SweepSpec& spec) {
  using Values = std::vector<std::pair<std::string, std::string>>;
  std::vector<Values> combinations;
  if (spec.method == SweepSpec::Method::kGrid) {
    combinations.emplace_back();
    for (const auto& p : spec.parameters) {  // the first key changes slowest
      std::vector<Values> next;
      const auto values = grid_values(p);
      for (const auto& partial : combinations) {
        for (const auto& value : values) {
          next.push_back(partial);
          next.back().emplace_back(p.key, value);
        }
      }
      combinations = std::move(next);
    }
  } else {
    std::mt19937_64 random(spec.random_seed);
    for (std::int64_t i = 0; i < spec.count; ++i) {
      Values values;
      for (const auto& p : spec.parameters) values.emplace_back(p.key, draw(p, random));
      combinations.push_back(std::move(values));
    }
  }

  std::vector<SweepRun> runs;
  for (const auto& combination : combinations) {
    if (spec.seeds.empty()) {
      runs.push_back({{}, combination});
      continue;
    }
    for (const std::int64_t seed : spec.seeds) {
      runs.push_back({{}, combination});
      runs.back().values.emplace_back("train.seed", std::to_string(seed));
    }
  }
  const std::size_t digits = std::max<std::size_t>(2, std::to_string(runs.empty() ? 0 : runs.size() - 1).size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::string index = std::to_string(i);
    index.insert(0, digits - index.size(), '0');
    // One seed only: the seed is the base's, the same in every run, and needs no place in the name.
    auto named = runs[i].values;
    if (spec.seeds.size() == 1) named.pop_back();
    const std::string label = run_label(named);
    runs[i].name = label.empty() ? index : index + "-" + label;
    try {
      load_config(spec.base, runs[i].overrides(spec));
    } catch (const ConfigError& e) {
      throw ConfigError(e.key(), e.detail() + " (run " + runs[i].name + ")", spec.file.string(), 0);
    }
  }
  return runs;
}

}  // namespace gan
