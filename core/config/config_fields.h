// The config's schema, written once: every key with its type, allowed values, unit, one-line help,
// whether the studio may change it while the run trains and whether a resumed or forked run may.
//
// The YAML reader (with its line-numbered errors and --set), validate(), to_yaml(), the studio's
// panel (widgets, ranges, tooltips, which fields stay editable), the rules for resuming and
// forking, and the docs' config table all walk this table. Adding a hyperparameter is its member
// in config.h and one row in config_fields.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config/config.h"

namespace gan {

enum class FieldType {
  kInteger,  // a whole number between min and max
  kNumber,   // a finite number between low and high, each end open or closed
  kBool,
  kText,     // free text (a folder)
  kChoice,   // one of `choices`
  kDevice,   // a train.device spelling (DeviceChoice::parse)
  kWidths,   // a list of 1 to 16 layer widths, each between min and max
};

/// Whether a run may differ in this field from the config its checkpoint was written with.
enum class ResumeRule {
  kFixed,     // never: the checkpoint's tensors or data order depend on it
  kOnFork,    // when forking into a new run (the optimisers, the schedule, what it writes)
  kOnResume,  // when resuming the same run too (where the data lives, the device, how it is watched)
};

/// Whether the studio's panel keeps a field editable while its run trains (sent as
/// LiveHyperparameters and picked up between steps).
enum class Live { kNo, kYes };

/// A field's value as the table moves it around: integers (the seed too), numbers, booleans,
/// texts (choices and devices as they are spelt) and width lists.
using FieldValue = std::variant<std::int64_t, double, bool, std::string, std::vector<std::int64_t>>;

struct ConfigField {
  std::string key;    // dotted path, as in YAML and --set: "optimizer.generator.lr"
  FieldType type = FieldType::kInteger;
  std::string label;  // the panel's short name: "G lr"
  std::string help;   // one line: what it does
  std::string unit;   // "steps", "digits", ...; empty for none
  /// kInteger, and each width of kWidths.
  std::int64_t min = 0;
  std::int64_t max = 0;
  /// kNumber: between low and high, an end excluded when it is open.
  double low = 0.0;
  double high = 0.0;
  bool low_open = false;
  bool high_open = false;
  /// kChoice: the spellings allowed.
  std::vector<std::string> choices;
  Live live = Live::kNo;
  ResumeRule resume = ResumeRule::kFixed;
  FieldValue (*get)(const Config&) = nullptr;
  /// Stores a value of the field's type that check() accepts (a choice must be one of `choices`).
  void (*set)(Config&, const FieldValue&) = nullptr;
  /// Whether the field acts in `config` (a DCGAN's channels do nothing for an MLP); null: always.
  /// The panel greys out the fields that do not, so that what is edited is what trains.
  bool (*acts)(const Config&) = nullptr;
  bool acts_in(const Config& config) const { return acts == nullptr || acts(config); }
  /// The help where it depends on the config (what G's batch norm is differs between an MLP and a
  /// DCGAN); null: `help` always.
  std::string (*help_by)(const Config&) = nullptr;
  std::string help_in(const Config& config) const { return help_by != nullptr ? help_by(config) : help; }

  /// What is allowed, for messages and tooltips: "between 1 and 4096", "in (0, 1]",
  /// "one of leaky_relu, relu". Empty for texts and booleans.
  std::string allowed() const;
  /// Why `value` is not allowed ("must be between 1 and 4096, found 0"); empty when it is.
  std::string check(const FieldValue& value) const;
  /// The value as YAML and the docs write it: "0.0002", "[128, 256]", "true", "cuda:1", "".
  std::string text(const Config& config) const;
};

/// A top-level section of the config ("optimizer") and the title the panel and docs give it.
struct ConfigSection {
  std::string key;
  std::string title;
};

/// Every field, in the order config files list them (a section's fields are adjacent).
const std::vector<ConfigField>& config_fields();
const std::vector<ConfigSection>& config_sections();
/// The field `key` names, or nullptr.
const ConfigField* find_config_field(std::string_view key);

/// The fields whose values are not the same in all of `configs` (in table order): what sets runs
/// apart, for the runs view's columns and a sweep's labels. Empty for fewer than two configs.
std::vector<const ConfigField*> differing_fields(const std::vector<Config>& configs);

/// Whether a run resumed (kResume) or forked (kFork) from a checkpoint may differ in `field`.
enum class ConfigChange { kResume, kFork };
bool may_change(const ConfigField& field, ConfigChange change);
/// The keys that may change, for messages: "data.path, train.device, train.step, quality.*, alarms.*"
/// (a section whose fields all may is written once, with *).
std::string keys_that_may_change(ConfigChange change);

/// The docs' config table (Markdown): key, default, allowed, unit, live, on resume, meaning.
std::string config_reference_markdown();

}  // namespace gan
