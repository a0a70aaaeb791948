// A sweep file: a base config, the keys to vary and how, and how long each run trains.
//
//   base: laptop                  # a preset's name, or a config file (relative to this file)
//   set: {quality.interval: 1000} # the same for every run (optional)
//   method: grid                  # grid: every combination; random: `count` draws
//   count: 12                     # random only
//   random_seed: 0                # random only: the draws (the same file gives the same runs)
//   seeds: [0, 1]                 # each combination once per train.seed (or a count: 3 = 0, 1, 2)
//   max_steps: 5000               # each run's length (0 or absent: the config's epochs)
//   early_stop: true              # end a run when its collapse or D-wins alarm fires
//   parameters:
//     optimizer.generator.lr: [0.0001, 0.0002, 0.0004]          # a list
//     model.discriminator.dropout: {range: [0.0, 0.5], count: 3} # evenly spaced, ends included
//     optimizer.discriminator.lr: {log_range: [1e-5, 1e-3], count: 3}  # evenly spaced in log
//
// In a random sweep a list is drawn from, a range uniformly and a log_range log-uniformly (their
// counts unused). Every value is checked as the config reader checks a --set of it; a bad one is
// refused naming the sweep file, line and key. Torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gan {

struct SweepParameter {
  enum class Kind { kList, kRange, kLogRange };
  std::string key;  ///< a config key: "optimizer.generator.lr"
  int line = 0;     ///< in the sweep file
  Kind kind = Kind::kList;
  std::vector<std::string> values;  ///< kList: each value as YAML text
  double low = 0;
  double high = 0;
  std::int64_t count = 0;  ///< grid points of a range
  bool integer = false;    ///< the field takes whole numbers (ranges round)
};

struct SweepSpec {
  enum class Method { kGrid, kRandom };
  std::filesystem::path file;
  std::filesystem::path base;  ///< the base config file
  std::vector<std::string> fixed;  ///< "key=value" for every run
  Method method = Method::kGrid;
  std::int64_t count = 0;  ///< random: runs to draw
  std::uint64_t random_seed = 0;
  std::vector<std::int64_t> seeds;  ///< empty: the base's train.seed
  std::int64_t max_steps = 0;
  bool early_stop = true;
  std::vector<SweepParameter> parameters;
};

/// One run of a sweep: its folder's name and the values it sets.
struct SweepRun {
  std::string name;  ///< "03-g_lr-0.0004-d_lr-0.0002"
  std::vector<std::pair<std::string, std::string>> values;  ///< key, value as YAML text

  /// The run's --set overrides: the sweep's fixed ones, then its own values.
  std::vector<std::string> overrides(const SweepSpec& spec) const;
};

/// The most runs one sweep file may describe.
constexpr std::size_t kMaxSweepRuns = 1000;

/// Reads and checks a sweep file. `base_override`, when given, replaces the file's `base` (a
/// sweep folder keeps the base it started with in base/). Throws ConfigError naming the file,
/// line and key.
SweepSpec load_sweep(const std::filesystem::path& file, const std::filesystem::path& base_override = {});

/// The runs the sweep describes, in order; every run's config is checked (ConfigError naming the
/// run). The same spec always gives the same runs.
std::vector<SweepRun> expand_sweep(const SweepSpec& spec);

/// The text of a grid sweep file over `base` (a preset's name or a config file) trying each key's
/// values, `max_steps` steps a run (0: the epochs): what the studio's "sweep this field" writes.
std::string grid_sweep_text(const std::string& base,
                            const std::vector<std::pair<std::string, std::vector<std::string>>>& parameters,
                            std::int64_t max_steps);

/// The keys the runs differ in, in the file's order (train.seed last, with more than one seed).
std::vector<std::string> swept_keys(const SweepSpec& spec);

}  // namespace gan
