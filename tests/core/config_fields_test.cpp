// The field table (config_fields.h) is the config's one schema: these tests hold it to what it
// drives (reading, validation, emitting, resume rules, the docs).
#include "core/config/config_fields.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/run/observer.h"

namespace gan {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string section_of(const std::string& key) { return key.substr(0, key.find('.')); }

ConfigError set_error(const std::string& assignment) {
  try {
    parse_config("", {assignment}, "test.yaml");
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no ConfigError for --set " << assignment;
  return ConfigError("", "");
}

TEST(ConfigFields, EveryRowIsComplete) {
  const Config defaults;
  std::set<std::string> keys;
  std::set<std::string> sections;
  for (const ConfigSection& section : config_sections()) sections.insert(section.key);
  for (const ConfigField& field : config_fields()) {
    EXPECT_TRUE(keys.insert(field.key).second) << "twice: " << field.key;
    EXPECT_EQ(sections.count(section_of(field.key)), 1u) << field.key << " is in no section";
    EXPECT_FALSE(field.label.empty()) << field.key;
    EXPECT_FALSE(field.help.empty()) << field.key;
    ASSERT_TRUE(field.get && field.set) << field.key;
    EXPECT_EQ(field.check(field.get(defaults)), "") << "the default of " << field.key << " is not allowed";
    EXPECT_EQ(find_config_field(field.key), &field);
    // Each spelling a choice allows is one its member can hold (an enum's to_string agrees).
    for (const std::string& choice : field.choices) {
      Config config;
      field.set(config, choice);
      EXPECT_EQ(field.text(config), choice) << field.key;
    }
  }
  EXPECT_EQ(find_config_field("model.generator"), nullptr);  // a section, not a field
}

TEST(ConfigFields, ASectionsFieldsAreAdjacent) {
  // to_yaml() writes one map per section by walking the table in order.
  std::vector<std::string> seen;
  for (const ConfigField& field : config_fields()) {
    const std::string parent = field.key.substr(0, field.key.rfind('.'));
    if (!seen.empty() && seen.back() == parent) continue;
    for (const std::string& earlier : seen) EXPECT_NE(earlier, parent) << field.key << " is apart from its section";
    seen.push_back(parent);
  }
}

TEST(ConfigFields, EmittingListsEveryKeyOnceAndReadsBack) {
  const std::string yaml = to_yaml(Config{});
  for (const ConfigField& field : config_fields()) {
    const std::string name = field.key.substr(field.key.rfind('.') + 1);
    EXPECT_NE(yaml.find(name + ":"), std::string::npos) << field.key;
  }
  // Every field set to a value other than its default survives the trip through YAML.
  Config changed;
  for (const ConfigField& field : config_fields()) {
    FieldValue value = field.get(changed);
    if (auto* integer = std::get_if<std::int64_t>(&value)) *integer = *integer == field.max ? field.min : field.max;
    if (auto* number = std::get_if<double>(&value)) *number = field.low + (field.high - field.low) * 0.37;
    if (auto* flag = std::get_if<bool>(&value)) *flag = !*flag;
    if (auto* widths = std::get_if<std::vector<std::int64_t>>(&value)) *widths = {3, 5, 7};
    if (auto* text = std::get_if<std::string>(&value)) {
      if (field.type == FieldType::kChoice) *text = field.choices.back();
      else if (field.type == FieldType::kDevice) *text = "cuda:2";
      else *text = "/data/a folder";
    }
    ASSERT_EQ(field.check(value), "") << field.key;
    field.set(changed, value);
  }
  changed.alarms.collapse_low = 0.1;  // the one rule between fields: below collapse_high (0.37)
  const Config again = parse_config(to_yaml(changed));
  for (const ConfigField& field : config_fields()) {
    EXPECT_EQ(field.text(again), field.text(changed)) << field.key;
    EXPECT_NE(field.text(again), field.text(Config{})) << field.key << " kept its default";
  }
}

TEST(ConfigFields, OutOfRangeValuesAreRefusedWithTheTablesRange) {
  for (const ConfigField& field : config_fields()) {
    std::string too_big;
    if (field.type == FieldType::kInteger && field.max < std::numeric_limits<std::int64_t>::max()) {
      too_big = std::to_string(field.max + 1);
    } else if (field.type == FieldType::kNumber) {
      too_big = field.high_open ? std::to_string(field.high) : std::to_string(field.high + 1.0);
    } else if (field.type == FieldType::kChoice) {
      too_big = "no-such-choice";
    } else {
      continue;
    }
    const ConfigError e = set_error(field.key + "=" + too_big);
    EXPECT_EQ(e.key(), field.key);
    EXPECT_NE(e.detail().find(field.allowed()), std::string::npos) << e.what();
    EXPECT_EQ(e.source(), "--set") << e.what();
  }
}

TEST(ConfigFields, LiveFieldsAreTheLiveHyperparameters) {
  // The panel keeps these editable during a run; the trainer takes them as LiveHyperparameters.
  std::set<std::string> live;
  for (const ConfigField& field : config_fields()) {
    if (field.live == Live::kYes) live.insert(field.key);
  }
  EXPECT_EQ(live, (std::set<std::string>{"optimizer.generator.lr", "optimizer.generator.beta1",
                                         "optimizer.generator.beta2", "optimizer.discriminator.lr",
                                         "optimizer.discriminator.beta1", "optimizer.discriminator.beta2",
                                         "train.d_steps"}));
}

TEST(ConfigFields, ResumeRulesNameWhatMayChange) {
  EXPECT_EQ(keys_that_may_change(ConfigChange::kResume),
            "data.path, train.device, train.step, quality.*, inside.*, alarms.*");
  EXPECT_EQ(keys_that_may_change(ConfigChange::kFork),
            "data.path, train.epochs, train.d_steps, train.seed, train.device, train.step, optimizer.*, sampling.*, "
            "checkpoint.*, quality.*, inside.*, alarms.*");
  // What shapes the tensors in a checkpoint never changes.
  for (const char* key : {"model.latent_dim", "model.generator.hidden", "train.batch_size", "data.dataset"}) {
    EXPECT_FALSE(may_change(*find_config_field(key), ConfigChange::kFork)) << key;
  }
}

TEST(ConfigDocs, GuideTableMatchesTheFieldTable) {
  const std::filesystem::path guide = std::filesystem::path(GAN_SOURCE_DIR_FOR_TESTS) / "docs" / "guide.md";
  std::string text = read_text(guide);
  const std::string begin = "<!-- config-table: generated by config_reference_markdown(); do not edit by hand -->\n";
  const std::string end = "<!-- config-table end -->";
  const auto from = text.find(begin);
  const auto to = text.find(end);
  ASSERT_NE(from, std::string::npos) << guide;
  ASSERT_NE(to, std::string::npos) << guide;
  const std::string table = config_reference_markdown();
  const std::string written = text.substr(from + begin.size(), to - from - begin.size());
  // GAN_UPDATE_DOCS=1 rewrites the table after a change to the field table.
  if (std::getenv("GAN_UPDATE_DOCS") && written != table) {
    text.replace(from + begin.size(), written.size(), table);
    std::ofstream(guide, std::ios::binary) << text;
    return;
  }
  EXPECT_EQ(written, table)
      << "docs/guide.md's config table is out of date: run GAN_UPDATE_DOCS=1 build/tests/core/base_tests "
         "--gtest_filter=ConfigDocs.*";
}

TEST(ConfigDocs, ReadmeExampleShowsTheDefaults) {
  // The README's config block lists every key with its default: it must read as exactly Config{}.
  const std::string readme = read_text(std::filesystem::path(GAN_SOURCE_DIR_FOR_TESTS) / "README.md");
  const auto heading = readme.find("## Configs");
  ASSERT_NE(heading, std::string::npos);
  const auto from = readme.find("```yaml\n", heading);
  const auto to = readme.find("```", from + 8);
  ASSERT_NE(from, std::string::npos);
  const std::string block = readme.substr(from + 8, to - from - 8);
  EXPECT_EQ(to_yaml(parse_config(block, "README.md")), to_yaml(Config{}));
  for (const ConfigField& field : config_fields()) {
    const std::string name = field.key.substr(field.key.rfind('.') + 1);
    EXPECT_NE(block.find(name + ":"), std::string::npos) << "README.md's config block lacks " << field.key;
  }
}

}  // namespace
}  // namespace gan
