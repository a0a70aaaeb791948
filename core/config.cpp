#include "core/config.h"

#include "core/number_text.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "core/atomic_file.h"

namespace gan {
namespace {

std::string describe(const std::string& key, const std::string& message, const std::string& source, int line) {
  std::string where = source;
  if (line > 0) where += ":" + std::to_string(line);
  if (!where.empty()) where += ": ";
  return where + (key.empty() ? "" : key + ": ") + message;
}

// Levenshtein distance, for "did you mean" hints on misspelt keys.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Walks one YAML map: each get() reads a known key; finish() rejects any key that was not read.
// Lines of the keys read are recorded so that later range checks can point at the file.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string prefix, const std::string& source, std::map<std::string, int>& lines)
      : node_(node), prefix_(std::move(prefix)), source_(source), lines_(lines) {
    if (node_ && !node_.IsNull() && !node_.IsMap()) fail(prefix_.empty() ? "<root>" : prefix_, node_, "expected a mapping of keys");
  }

  template <typename T>
  void get(const std::string& name, T& value) {
    known_.push_back(name);
    if (!node_ || !node_.IsMap()) return;
    const YAML::Node child = node_[name];
    if (!child) return;
    const std::string key = path(name);
    lines_[key] = line_of(child);
    read(key, child, value);
  }

  MapReader map(const std::string& name) {
    known_.push_back(name);
    YAML::Node child = (node_ && node_.IsMap()) ? node_[name] : YAML::Node();
    return MapReader(child, path(name), source_, lines_);
  }

  void finish() const {
    if (!node_ || !node_.IsMap()) return;
    for (const auto& entry : node_) {
      // YAML allows a list or a map as a key ("? [a, b]: 1"); no config key is one (found by fuzz_config).
      if (!entry.first.IsScalar()) fail(prefix_.empty() ? "<root>" : prefix_, entry.first, "expected a plain key, found a structure");
      const std::string name = entry.first.Scalar();
      if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
      std::string message = "unknown key";
      const auto best = std::min_element(known_.begin(), known_.end(), [&](const auto& a, const auto& b) {
        return edit_distance(a, name) < edit_distance(b, name);
      });
      if (best != known_.end() && edit_distance(*best, name) <= 2) message += " (did you mean '" + path(*best) + "'?)";
      std::string allowed;
      for (const auto& k : known_) allowed += (allowed.empty() ? "" : ", ") + k;
      message += "; allowed here: " + allowed;
      fail(path(name), entry.first, message);
    }
  }

 private:
  std::string path(const std::string& name) const { return prefix_.empty() ? name : prefix_ + "." + name; }

  static int line_of(const YAML::Node& node) {
    const int line = node.Mark().line;
    return line >= 0 ? line + 1 : 0;
  }

  [[noreturn]] void fail(const std::string& key, const YAML::Node& node, const std::string& message) const {
    const int line = line_of(node);
    // Nodes built from --set overrides carry no position.
    throw ConfigError(key, message, line > 0 ? source_ : std::string("--set"), line);
  }

  void expect_scalar(const std::string& key, const YAML::Node& node, const char* what) const {
    if (!node.IsScalar()) fail(key, node, std::string("expected ") + what);
  }

  void read(const std::string& key, const YAML::Node& node, std::int64_t& value) const {
    expect_scalar(key, node, "an integer");
    try {
      value = node.as<std::int64_t>();
    } catch (const YAML::Exception&) {
      fail(key, node, "expected an integer, found '" + node.Scalar() + "'");
    }
  }

  void read(const std::string& key, const YAML::Node& node, std::uint64_t& value) const {
    std::int64_t signed_value = 0;
    read(key, node, signed_value);
    if (signed_value < 0) fail(key, node, "expected a non-negative integer, found " + node.Scalar());
    value = static_cast<std::uint64_t>(signed_value);
  }

  void read(const std::string& key, const YAML::Node& node, double& value) const {
    expect_scalar(key, node, "a number");
    try {
      value = node.as<double>();
    } catch (const YAML::Exception&) {
      fail(key, node, "expected a number, found '" + node.Scalar() + "'");
    }
  }

  void read(const std::string& key, const YAML::Node& node, bool& value) const {
    expect_scalar(key, node, "true or false");
    try {
      value = node.as<bool>();
    } catch (const YAML::Exception&) {
      fail(key, node, "expected true or false, found '" + node.Scalar() + "'");
    }
  }

  void read(const std::string& key, const YAML::Node& node, std::string& value) const {
    if (node.IsNull()) {
      value.clear();
      return;
    }
    expect_scalar(key, node, "a string");
    value = node.Scalar();
  }

  void read(const std::string& key, const YAML::Node& node, std::vector<std::int64_t>& value) const {
    if (!node.IsSequence()) fail(key, node, "expected a list of integers such as [128, 256]");
    value.clear();
    for (std::size_t i = 0; i < node.size(); ++i) {
      std::int64_t width = 0;
      read(key + "[" + std::to_string(i) + "]", node[i], width);
      value.push_back(width);
    }
  }

  void read(const std::string& key, const YAML::Node& node, Activation& value) const {
    std::string name;
    read(key, node, name);
    if (name == "leaky_relu") value = Activation::kLeakyRelu;
    else if (name == "relu") value = Activation::kRelu;
    else fail(key, node, "expected one of leaky_relu, relu; found '" + name + "'");
  }

  void read(const std::string& key, const YAML::Node& node, StepChoice& value) const {
    std::string name;
    read(key, node, name);
    const std::optional<StepChoice> choice = parse_step_choice(name);
    if (!choice) fail(key, node, "expected one of auto, eager, graph; found '" + name + "'");
    value = *choice;
  }

  void read(const std::string& key, const YAML::Node& node, DeviceChoice& value) const {
    std::string name;
    read(key, node, name);
    const std::optional<DeviceChoice> choice = DeviceChoice::parse(name);
    if (!choice) fail(key, node, std::string("expected ") + kDeviceSpellings + "; found '" + name + "'");
    value = *choice;
  }

  YAML::Node node_;
  std::string prefix_;
  const std::string& source_;
  std::map<std::string, int>& lines_;
  std::vector<std::string> known_;
};

void read_adam(MapReader reader, AdamConfig& adam) {
  reader.get("lr", adam.lr);
  reader.get("beta1", adam.beta1);
  reader.get("beta2", adam.beta2);
  reader.finish();
}

Config read_config(const YAML::Node& root, const std::string& source, std::map<std::string, int>& lines) {
  Config config;
  MapReader top(root, "", source, lines);

  MapReader data = top.map("data");
  data.get("dataset", config.data.dataset);
  data.get("path", config.data.path);
  data.finish();

  MapReader model = top.map("model");
  model.get("latent_dim", config.model.latent_dim);
  MapReader generator = model.map("generator");
  generator.get("hidden", config.model.generator.hidden);
  generator.get("batch_norm", config.model.generator.batch_norm);
  generator.get("batch_norm_eps", config.model.generator.batch_norm_eps);
  generator.get("activation", config.model.generator.activation);
  generator.get("slope", config.model.generator.slope);
  generator.finish();
  MapReader discriminator = model.map("discriminator");
  discriminator.get("hidden", config.model.discriminator.hidden);
  discriminator.get("activation", config.model.discriminator.activation);
  discriminator.get("slope", config.model.discriminator.slope);
  discriminator.get("dropout", config.model.discriminator.dropout);
  discriminator.finish();
  model.finish();

  MapReader train = top.map("train");
  train.get("epochs", config.train.epochs);
  train.get("batch_size", config.train.batch_size);
  train.get("d_steps", config.train.d_steps);
  train.get("seed", config.train.seed);
  train.get("device", config.train.device);
  train.get("step", config.train.step);
  train.finish();

  MapReader optimizer = top.map("optimizer");
  read_adam(optimizer.map("generator"), config.optimizer.generator);
  read_adam(optimizer.map("discriminator"), config.optimizer.discriminator);
  optimizer.finish();

  MapReader sampling = top.map("sampling");
  sampling.get("interval", config.sampling.interval);
  sampling.get("grid", config.sampling.grid);
  sampling.finish();

  MapReader checkpoint = top.map("checkpoint");
  checkpoint.get("interval", config.checkpoint.interval);
  checkpoint.get("keep", config.checkpoint.keep);
  checkpoint.finish();

  MapReader quality = top.map("quality");
  quality.get("interval", config.quality.interval);
  quality.get("samples", config.quality.samples);
  quality.finish();

  MapReader alarms = top.map("alarms");
  alarms.get("warmup", config.alarms.warmup);
  alarms.get("d_wins_real", config.alarms.d_wins_real);
  alarms.get("d_wins_fake", config.alarms.d_wins_fake);
  alarms.get("d_wins_steps", config.alarms.d_wins_steps);
  alarms.get("collapse_high", config.alarms.collapse_high);
  alarms.get("collapse_low", config.alarms.collapse_low);
  alarms.get("collapse_checks", config.alarms.collapse_checks);
  alarms.finish();

  top.finish();
  return config;
}

// Sets root[a][b][c] = value for an override "a.b.c=value", creating maps on the way.
void apply_override(YAML::Node& root, const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw ConfigError(assignment, "expected key.path=value", "--set");
  }
  const std::string key = assignment.substr(0, equals);
  const std::string text = assignment.substr(equals + 1);
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(key, "cannot parse value '" + text + "': " + e.msg, "--set");
  }
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  std::vector<std::string> parts;
  std::stringstream stream(key);
  for (std::string part; std::getline(stream, part, '.');) {
    if (part.empty()) throw ConfigError(key, "empty component in key path", "--set");
    parts.push_back(part);
  }
  // yaml-cpp nodes are handles: reassigning `node` below must not overwrite the parent's value,
  // so walk with reset() rather than assignment.
  if (!root.IsMap()) throw ConfigError(key, "the config is not a mapping of keys", "--set");
  YAML::Node node;
  node.reset(root);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!node.IsMap()) throw ConfigError(key, "'" + parts[i - 1] + "' is not a mapping", "--set");
    YAML::Node child = node[parts[i]];
    if (!child || child.IsNull()) {
      node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      child = node[parts[i]];
    }
    node.reset(child);
  }
  if (!node.IsMap()) throw ConfigError(key, "parent of '" + parts.back() + "' is not a mapping", "--set");
  // A node loaded from the value text would carry that text's position (line 1); clone drops
  // nothing, so rebuild scalars and sequences without marks.
  YAML::Node plain;
  if (value.IsSequence()) {
    plain = YAML::Node(YAML::NodeType::Sequence);
    for (const auto& item : value) plain.push_back(item.IsScalar() ? YAML::Node(item.Scalar()) : YAML::Node(item));
  } else if (value.IsScalar()) {
    plain = YAML::Node(value.Scalar());
  } else {
    plain = value;
  }
  node[parts.back()] = plain;
}

bool in_range(double value, double low, double high) { return std::isfinite(value) && value >= low && value <= high; }

std::string format_double(double value) {
  // Shortest text that reads back to the same double, so that saved configs round-trip exactly.
  std::string text = shortest_text(value);
  // Keep it a float in YAML's eyes.
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

ConfigError::ConfigError(std::string key, std::string message, std::string source, int line)
    : std::runtime_error(describe(key, message, source, line)),
      key_(std::move(key)),
      detail_(std::move(message)),
      source_(std::move(source)),
      line_(line) {}

const char* to_string(StepChoice step) {
  switch (step) {
    case StepChoice::kEager: return "eager";
    case StepChoice::kGraph: return "graph";
    case StepChoice::kAuto: break;
  }
  return "auto";
}

std::optional<StepChoice> parse_step_choice(std::string_view text) {
  for (const StepChoice step : {StepChoice::kAuto, StepChoice::kEager, StepChoice::kGraph}) {
    if (text == to_string(step)) return step;
  }
  return std::nullopt;
}

const char* to_string(Activation activation) {
  return activation == Activation::kRelu ? "relu" : "leaky_relu";
}

void validate(const Config& config) {
  auto require = [](bool ok, const char* key, const std::string& message) {
    if (!ok) throw ConfigError(key, message);
  };
  auto range = [&](double value, double low, double high, const char* key, const char* allowed) {
    std::ostringstream found;
    found << value;
    require(in_range(value, low, high), key, std::string("must be ") + allowed + ", found " + found.str());
  };
  auto int_range = [&](std::int64_t value, std::int64_t low, std::int64_t high, const char* key) {
    require(value >= low && value <= high, key,
            "must be between " + std::to_string(low) + " and " + std::to_string(high) + ", found " + std::to_string(value));
  };
  auto widths = [&](const std::vector<std::int64_t>& hidden, const char* key) {
    require(!hidden.empty() && hidden.size() <= 16, key,
            "must list 1 to 16 layer widths, found " + std::to_string(hidden.size()));
    // Wide limits: whether a size fits is the memory check's call (memory.h), made with the
    // machine's figures when training starts.
    for (const auto width : hidden) {
      require(width >= 1 && width <= 16777216, key,
              "each width must be between 1 and 16777216, found " + std::to_string(width));
    }
  };

  const auto& d = config.data.dataset;
  require(d == "mnist" || d == "fashion-mnist" || d == "idx", "data.dataset",
          "must be one of mnist, fashion-mnist, idx; found '" + d + "'");
  require(d != "idx" || !config.data.path.empty(), "data.path", "is required when data.dataset is idx");

  int_range(config.model.latent_dim, 1, 4096, "model.latent_dim");
  const auto& g = config.model.generator;
  widths(g.hidden, "model.generator.hidden");
  range(g.batch_norm_eps, 1e-12, 10.0, "model.generator.batch_norm_eps", "in (0, 10]");
  range(g.slope, 0.0, 1.0, "model.generator.slope", "in [0, 1]");
  const auto& disc = config.model.discriminator;
  widths(disc.hidden, "model.discriminator.hidden");
  range(disc.slope, 0.0, 1.0, "model.discriminator.slope", "in [0, 1]");
  range(disc.dropout, 0.0, 0.99, "model.discriminator.dropout", "in [0, 0.99]");

  int_range(config.train.epochs, 1, 1000000, "train.epochs");
  int_range(config.train.batch_size, 1, 65536, "train.batch_size");
  int_range(config.train.d_steps, 1, 100, "train.d_steps");
  require(config.train.seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()), "train.seed",
          "must be between 0 and 2^63-1");

  for (const auto& [name, adam] : {std::pair{"generator", config.optimizer.generator},
                                   std::pair{"discriminator", config.optimizer.discriminator}}) {
    const std::string prefix = std::string("optimizer.") + name + ".";
    range(adam.lr, 1e-12, 1.0, (prefix + "lr").c_str(), "in (0, 1]");
    range(adam.beta1, 0.0, 0.999999, (prefix + "beta1").c_str(), "in [0, 1)");
    range(adam.beta2, 0.0, 0.999999, (prefix + "beta2").c_str(), "in [0, 1)");
  }

  int_range(config.sampling.interval, 1, 1000000000, "sampling.interval");
  int_range(config.sampling.grid, 1, 32, "sampling.grid");
  int_range(config.checkpoint.interval, 0, 1000000000, "checkpoint.interval");
  int_range(config.checkpoint.keep, 1, 1000, "checkpoint.keep");
  int_range(config.quality.interval, 0, 1000000000, "quality.interval");
  int_range(config.quality.samples, 100, 100000, "quality.samples");

  const auto& a = config.alarms;
  int_range(a.warmup, 0, 1000000000, "alarms.warmup");
  range(a.d_wins_real, 0.0, 1.0, "alarms.d_wins_real", "in [0, 1]");
  range(a.d_wins_fake, 0.0, 1.0, "alarms.d_wins_fake", "in [0, 1]");
  int_range(a.d_wins_steps, 0, 1000000000, "alarms.d_wins_steps");
  range(a.collapse_high, 0.0, 1.0, "alarms.collapse_high", "in [0, 1]");
  range(a.collapse_low, 0.0, 1.0, "alarms.collapse_low", "in [0, 1]");
  require(a.collapse_low < a.collapse_high, "alarms.collapse_low", "must be below alarms.collapse_high");
  int_range(a.collapse_checks, 0, 1000000, "alarms.collapse_checks");
}

Config parse_config(const std::string& yaml_text, const std::vector<std::string>& overrides, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError("", "YAML syntax error: " + e.msg + " (column " + std::to_string(e.mark.column + 1) + ")",
                      source, e.mark.line + 1);
  }
  for (const auto& assignment : overrides) apply_override(root, assignment);

  std::map<std::string, int> lines;
  Config config;
  try {
    config = read_config(root, source, lines);
  } catch (const YAML::Exception& e) {
    // The readers check types before converting; this is the net under them.
    throw ConfigError("", "unreadable YAML: " + e.msg, source, e.mark.line + 1);
  }
  try {
    validate(config);
  } catch (const ConfigError& e) {
    // Point range errors at the line the value came from (or at the --set that gave it).
    const auto found = lines.find(e.key());
    const std::string& message = e.detail();
    if (found == lines.end()) throw ConfigError(e.key(), message, source, 0);
    if (found->second == 0) throw ConfigError(e.key(), message, "--set", 0);
    throw ConfigError(e.key(), message, source, found->second);
  }
  return config;
}

Config parse_config(const std::string& yaml_text, const std::string& source) {
  return parse_config(yaml_text, std::vector<std::string>{}, source);
}

Config load_config(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw ConfigError("", "cannot open config file", path.string());
  std::ostringstream text;
  text << file.rdbuf();
  if (!file.good() && !file.eof()) throw ConfigError("", "cannot read config file", path.string());
  return parse_config(text.str(), overrides, path.string());
}

std::string to_yaml(const Config& config) {
  YAML::Emitter out;
  auto number = [](double value) { return format_double(value); };
  auto widths = [&](const std::vector<std::int64_t>& hidden) {
    out << YAML::Flow << YAML::BeginSeq;
    for (auto width : hidden) out << width;
    out << YAML::EndSeq;
  };
  auto adam = [&](const AdamConfig& a) {
    out << YAML::BeginMap << YAML::Key << "lr" << YAML::Value << number(a.lr) << YAML::Key << "beta1" << YAML::Value
        << number(a.beta1) << YAML::Key << "beta2" << YAML::Value << number(a.beta2) << YAML::EndMap;
  };

  out << YAML::BeginMap;
  out << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "dataset" << YAML::Value << config.data.dataset;
  out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << config.data.path;
  out << YAML::EndMap;

  const auto& g = config.model.generator;
  const auto& d = config.model.discriminator;
  out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "latent_dim" << YAML::Value << config.model.latent_dim;
  out << YAML::Key << "generator" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "hidden" << YAML::Value;
  widths(g.hidden);
  out << YAML::Key << "batch_norm" << YAML::Value << g.batch_norm;
  out << YAML::Key << "batch_norm_eps" << YAML::Value << number(g.batch_norm_eps);
  out << YAML::Key << "activation" << YAML::Value << to_string(g.activation);
  out << YAML::Key << "slope" << YAML::Value << number(g.slope);
  out << YAML::EndMap;
  out << YAML::Key << "discriminator" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "hidden" << YAML::Value;
  widths(d.hidden);
  out << YAML::Key << "activation" << YAML::Value << to_string(d.activation);
  out << YAML::Key << "slope" << YAML::Value << number(d.slope);
  out << YAML::Key << "dropout" << YAML::Value << number(d.dropout);
  out << YAML::EndMap;
  out << YAML::EndMap;

  out << YAML::Key << "train" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "epochs" << YAML::Value << config.train.epochs;
  out << YAML::Key << "batch_size" << YAML::Value << config.train.batch_size;
  out << YAML::Key << "d_steps" << YAML::Value << config.train.d_steps;
  out << YAML::Key << "seed" << YAML::Value << config.train.seed;
  out << YAML::Key << "device" << YAML::Value << config.train.device.text();
  out << YAML::Key << "step" << YAML::Value << to_string(config.train.step);
  out << YAML::EndMap;

  out << YAML::Key << "optimizer" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "generator" << YAML::Value;
  adam(config.optimizer.generator);
  out << YAML::Key << "discriminator" << YAML::Value;
  adam(config.optimizer.discriminator);
  out << YAML::EndMap;

  out << YAML::Key << "sampling" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << config.sampling.interval;
  out << YAML::Key << "grid" << YAML::Value << config.sampling.grid;
  out << YAML::EndMap;

  out << YAML::Key << "checkpoint" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << config.checkpoint.interval;
  out << YAML::Key << "keep" << YAML::Value << config.checkpoint.keep;
  out << YAML::EndMap;

  out << YAML::Key << "quality" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "interval" << YAML::Value << config.quality.interval;
  out << YAML::Key << "samples" << YAML::Value << config.quality.samples;
  out << YAML::EndMap;

  const auto& a = config.alarms;
  out << YAML::Key << "alarms" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "warmup" << YAML::Value << a.warmup;
  out << YAML::Key << "d_wins_real" << YAML::Value << number(a.d_wins_real);
  out << YAML::Key << "d_wins_fake" << YAML::Value << number(a.d_wins_fake);
  out << YAML::Key << "d_wins_steps" << YAML::Value << a.d_wins_steps;
  out << YAML::Key << "collapse_high" << YAML::Value << number(a.collapse_high);
  out << YAML::Key << "collapse_low" << YAML::Value << number(a.collapse_low);
  out << YAML::Key << "collapse_checks" << YAML::Value << a.collapse_checks;
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void save_config(const Config& config, const std::filesystem::path& path, Overwrite overwrite) {
  write_file_atomically(path, to_yaml(config), overwrite == Overwrite::kReplace ? Replace::kAllowed : Replace::kRefused);
}

}  // namespace gan
