#include "core/config/config.h"

#include "core/io/number_text.h"

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

#include "core/config/config_fields.h"
#include "core/io/atomic_file.h"

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

int line_of(const YAML::Node& node) {
  const int line = node.Mark().line;
  return line >= 0 ? line + 1 : 0;
}

// Reads a YAML tree into a Config, field by field as config_fields() lists them. Every key must be
// a field or a section holding fields; the lines of the keys read are recorded so that later range
// checks can point at the file.
class ConfigReader {
 public:
  ConfigReader(const std::string& source, std::map<std::string, int>& lines) : source_(source), lines_(lines) {}

  void read_map(const YAML::Node& node, const std::string& prefix, Config& config) const {
    if (!node || node.IsNull()) return;
    if (!node.IsMap()) fail(prefix.empty() ? "<root>" : prefix, node, "expected a mapping of keys");
    const std::vector<std::string> known = children(prefix);
    for (const auto& entry : node) {
      // YAML allows a list or a map as a key ("? [a, b]: 1"); no config key is one (found by fuzz_config).
      if (!entry.first.IsScalar()) fail(prefix.empty() ? "<root>" : prefix, entry.first, "expected a plain key, found a structure");
      const std::string name = entry.first.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      if (std::find(known.begin(), known.end(), name) == known.end()) unknown(prefix, name, known, entry.first);
      if (const ConfigField* field = find_config_field(key)) {
        lines_[key] = line_of(entry.second);
        field->set(config, read(*field, key, entry.second));
      } else {
        read_map(entry.second, key, config);
      }
    }
  }

 private:
  // The names one level below `prefix` ("model" -> latent_dim, generator, discriminator), in table order.
  static std::vector<std::string> children(const std::string& prefix) {
    std::vector<std::string> names;
    const std::string start = prefix.empty() ? "" : prefix + ".";
    for (const ConfigField& field : config_fields()) {
      if (field.key.compare(0, start.size(), start) != 0) continue;
      const std::string rest = field.key.substr(start.size());
      const std::string name = rest.substr(0, rest.find('.'));
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
  }

  [[noreturn]] void unknown(const std::string& prefix, const std::string& name, const std::vector<std::string>& known,
                            const YAML::Node& node) const {
    auto path = [&](const std::string& n) { return prefix.empty() ? n : prefix + "." + n; };
    std::string message = "unknown key";
    const auto best = std::min_element(known.begin(), known.end(), [&](const auto& a, const auto& b) {
      return edit_distance(a, name) < edit_distance(b, name);
    });
    if (best != known.end() && edit_distance(*best, name) <= 2) message += " (did you mean '" + path(*best) + "'?)";
    std::string allowed;
    for (const auto& k : known) allowed += (allowed.empty() ? "" : ", ") + k;
    fail(path(name), node, message + "; allowed here: " + allowed);
  }

  [[noreturn]] void fail(const std::string& key, const YAML::Node& node, const std::string& message) const {
    const int line = line_of(node);
    // Nodes built from --set overrides carry no position.
    throw ConfigError(key, message, line > 0 ? source_ : std::string("--set"), line);
  }

  void expect_scalar(const std::string& key, const YAML::Node& node, const char* what) const {
    if (!node.IsScalar()) fail(key, node, std::string("expected ") + what);
  }

  std::int64_t integer(const std::string& key, const YAML::Node& node) const {
    expect_scalar(key, node, "an integer");
    try {
      return node.as<std::int64_t>();
    } catch (const YAML::Exception&) {
      fail(key, node, "expected an integer, found '" + node.Scalar() + "'");
    }
  }

  std::string text(const std::string& key, const YAML::Node& node) const {
    if (node.IsNull()) return {};
    expect_scalar(key, node, "a string");
    return node.Scalar();
  }

  // The node's value in the field's type; a choice must be one of its spellings. Ranges are
  // validate()'s: the panel builds configs without YAML and needs the same checks.
  FieldValue read(const ConfigField& field, const std::string& key, const YAML::Node& node) const {
    switch (field.type) {
      case FieldType::kInteger:
        return integer(key, node);
      case FieldType::kNumber:
        expect_scalar(key, node, "a number");
        try {
          return node.as<double>();
        } catch (const YAML::Exception&) {
          fail(key, node, "expected a number, found '" + node.Scalar() + "'");
        }
      case FieldType::kBool:
        expect_scalar(key, node, "true or false");
        try {
          return node.as<bool>();
        } catch (const YAML::Exception&) {
          fail(key, node, "expected true or false, found '" + node.Scalar() + "'");
        }
      case FieldType::kWidths: {
        if (!node.IsSequence()) fail(key, node, "expected a list of integers such as [128, 256]");
        std::vector<std::int64_t> widths;
        for (std::size_t i = 0; i < node.size(); ++i) widths.push_back(integer(key + "[" + std::to_string(i) + "]", node[i]));
        return widths;
      }
      case FieldType::kChoice:
      case FieldType::kDevice: {
        const std::string name = text(key, node);
        const std::string problem = field.check(name);
        if (!problem.empty()) fail(key, node, problem);
        return name;
      }
      case FieldType::kText:
        break;
    }
    return text(key, node);
  }

  const std::string& source_;
  std::map<std::string, int>& lines_;
};

Config read_config(const YAML::Node& root, const std::string& source, std::map<std::string, int>& lines) {
  Config config;
  ConfigReader(source, lines).read_map(root, "", config);
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

const char* to_string(Architecture architecture) {
  return architecture == Architecture::kDcgan ? "dcgan" : "mlp";
}

const char* to_string(Loss loss) {
  switch (loss) {
    case Loss::kLsgan: return "lsgan";
    case Loss::kHinge: return "hinge";
    case Loss::kWganGp: return "wgan-gp";
    case Loss::kBce: break;
  }
  return "bce";
}

std::optional<Architecture> parse_architecture(std::string_view text) {
  for (const Architecture a : {Architecture::kMlp, Architecture::kDcgan}) {
    if (text == to_string(a)) return a;
  }
  return std::nullopt;
}

std::optional<Loss> parse_loss(std::string_view text) {
  for (const Loss loss : {Loss::kBce, Loss::kLsgan, Loss::kHinge, Loss::kWganGp}) {
    if (text == to_string(loss)) return loss;
  }
  return std::nullopt;
}

void validate(const Config& config) {
  for (const ConfigField& field : config_fields()) {
    const std::string problem = field.check(field.get(config));
    if (!problem.empty()) throw ConfigError(field.key, problem);
  }
  // What one field's row cannot say: rules between fields.
  // A picture folder's path may stay empty until data is loaded: the colour presets name no folder,
  // and the studio asks for one when such a run starts (load_dataset says so to gan-train).
  if (config.data.dataset == "idx" && config.data.path.empty()) {
    throw ConfigError("data.path", "is required when data.dataset is idx");
  }
  if (config.data.channels == 2) {
    throw ConfigError("data.channels", "is 2; it must be 0 (from the pictures), 1 (gray) or 3 (colour)");
  }
  const ModelConfig& model = config.model;
  if (model.architecture == Architecture::kDcgan && model.loss == Loss::kWganGp && model.discriminator.batch_norm) {
    throw ConfigError("model.discriminator.batch_norm",
                      "must be false with model.loss wgan-gp: the gradient penalty is taken per sample, and batch "
                      "norm makes each sample's score depend on the others in its batch");
  }
  if (!(config.alarms.collapse_low < config.alarms.collapse_high)) {
    throw ConfigError("alarms.collapse_low", "must be below alarms.collapse_high");
  }
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
  out << YAML::BeginMap;
  // The sections open now, outermost first; the table lists a section's fields together.
  std::vector<std::string> open;
  for (const ConfigField& field : config_fields()) {
    std::vector<std::string> path;
    std::stringstream parts(field.key);
    for (std::string part; std::getline(parts, part, '.');) path.push_back(part);
    const std::string name = path.back();
    path.pop_back();
    std::size_t shared = 0;
    while (shared < open.size() && shared < path.size() && open[shared] == path[shared]) ++shared;
    for (; open.size() > shared; open.pop_back()) out << YAML::EndMap;
    for (; open.size() < path.size(); open.push_back(path[open.size()])) {
      out << YAML::Key << path[open.size()] << YAML::Value << YAML::BeginMap;
    }
    out << YAML::Key << name << YAML::Value;
    const FieldValue value = field.get(config);
    switch (field.type) {
      case FieldType::kInteger: out << std::get<std::int64_t>(value); break;
      case FieldType::kNumber: out << format_double(std::get<double>(value)); break;
      case FieldType::kBool: out << std::get<bool>(value); break;
      case FieldType::kWidths:
        out << YAML::Flow << YAML::BeginSeq;
        for (const std::int64_t width : std::get<std::vector<std::int64_t>>(value)) out << width;
        out << YAML::EndSeq;
        break;
      // Quoted, so that a folder named "null", "yes" or "" reads back as that text.
      case FieldType::kText: out << YAML::DoubleQuoted << std::get<std::string>(value); break;
      case FieldType::kChoice:
      case FieldType::kDevice: out << std::get<std::string>(value); break;
    }
  }
  for (; !open.empty(); open.pop_back()) out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void save_config(const Config& config, const std::filesystem::path& path, Replace replace) {
  write_file_atomically(path, to_yaml(config), replace);
}

}  // namespace gan
