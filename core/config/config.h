// Training configuration: plain structs loaded from YAML and validated once.
//
// Everything downstream (models, optimizers, trainer, UI) reads these structs and trusts them;
// all range checks live in validate() so that a bad value is reported once, with its key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/device_choice.h"
#include "core/io/atomic_file.h"

namespace gan {

/// A configuration error: names the offending key (dotted path) and, when it came from a YAML
/// file, the file and 1-based line.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, std::string message, std::string source = {}, int line = 0);

  const std::string& key() const { return key_; }
  /// The message without key and position ("must be between 1 and 100, found 0").
  const std::string& detail() const { return detail_; }
  const std::string& source() const { return source_; }
  int line() const { return line_; }

 private:
  std::string key_;
  std::string detail_;
  std::string source_;
  int line_;
};

enum class Activation { kLeakyRelu, kRelu };

/// The networks' shape (models.h): PyTorch-GAN's gan.py MLPs, or convolutional ones after dcgan.py
/// and pytorch/examples' C++ dcgan (transposed convolutions in G, strided convolutions in D).
enum class Architecture { kMlp, kDcgan };

/// What D learns to output and both networks minimise (losses.h). Each estimates a distance
/// between the data and G's distribution (divergence_estimate in core/run/loss_estimate.h).
enum class Loss {
  kBce,     ///< gan.py: D a probability, BCE; G the non-saturating -log D(G(z))
  kLsgan,   ///< least squares (lsgan.py): D scored against targets 1 and 0 by squared error
  kHinge,   ///< hinge: D a raw score pushed past +1 on data and below -1 on fakes; G raises it
  kWganGp,  ///< WGAN-GP: D a critic (no Sigmoid) with a gradient penalty; G raises its score
};

/// How each training step reaches the device (gan.h): "eager" launches every kernel from the host;
/// "graph" captures the whole step once as a CUDA graph and replays it (a CUDA device and a CUDA
/// LibTorch >= 2); "auto" takes the graph wherever it is possible.
enum class StepChoice { kAuto, kEager, kGraph };

struct DataConfig {
  /// "mnist", "fashion-mnist", "idx" (any folder of IDX files; needs `path`) or "folder" (PNG and
  /// JPEG pictures, subfolders as classes; needs `path`).
  std::string dataset = "mnist";
  /// Folder with the IDX files (raw or gzip) or the pictures. Empty: the dataset's default folder.
  std::string path;
  /// folder: side of the square training images the pictures are brought to, in pixels.
  std::int64_t size = 28;
  /// folder: 1 (gray) or 3 (RGB); 0: 3 when any picture is stored in colour, else 1.
  std::int64_t channels = 0;
};

struct GeneratorConfig {
  /// Widths of the hidden layers; the output layer (image size) is implied.
  std::vector<std::int64_t> hidden{128, 256, 512, 1024};
  /// BatchNorm1d after every hidden layer but the first, as PyTorch-GAN's gan.py.
  bool batch_norm = true;
  /// gan.py passes 0.8 as BatchNorm1d's second positional argument, which is eps (not momentum).
  double batch_norm_eps = 0.8;
  Activation activation = Activation::kLeakyRelu;
  /// Negative slope of LeakyReLU; ignored for ReLU.
  double slope = 0.2;
  /// dcgan: channels of G's feature maps from the smallest up; each transposed convolution doubles
  /// the side, so [64, 32] makes 7x7x64 -> 14x14x32 -> 28x28. Ignored by mlp.
  std::vector<std::int64_t> channels{64, 32};
};

struct DiscriminatorConfig {
  std::vector<std::int64_t> hidden{512, 256};
  Activation activation = Activation::kLeakyRelu;
  double slope = 0.2;
  /// Dropout probability after each hidden layer; 0 adds no dropout layer.
  double dropout = 0.0;
  /// dcgan: channels of D's strided convolutions, each halving the side. Ignored by mlp.
  std::vector<std::int64_t> channels{32, 64};
  /// dcgan: BatchNorm2d after every convolution but the first (dcgan.py). Not with wgan-gp, whose
  /// penalty is per sample and batch statistics couple the samples.
  bool batch_norm = true;
};

struct ModelConfig {
  std::int64_t latent_dim = 100;
  Architecture architecture = Architecture::kMlp;
  /// cgan.py: the digit's label, embedded, joins z in G and the image in D; samples are asked for
  /// a digit, and the sample grid's row i is digit i.
  bool conditional = false;
  Loss loss = Loss::kBce;
  /// WGAN-GP's gradient penalty weight (its paper's 10); ignored by the other losses.
  double gp_lambda = 10.0;
  GeneratorConfig generator;
  DiscriminatorConfig discriminator;
};

struct TrainConfig {
  std::int64_t epochs = 200;
  std::int64_t batch_size = 64;
  /// Discriminator updates per generator update.
  std::int64_t d_steps = 1;
  std::uint64_t seed = 0;
  DeviceChoice device = DeviceChoice::kAuto;
  StepChoice step = StepChoice::kAuto;
};

struct AdamConfig {
  double lr = 0.0002;
  double beta1 = 0.5;
  double beta2 = 0.999;
};

struct OptimizerConfig {
  AdamConfig generator;
  AdamConfig discriminator;
};

struct SamplingConfig {
  /// Steps between sample grids.
  std::int64_t interval = 400;
  /// The grid is grid x grid digits drawn from one fixed noise batch.
  std::int64_t grid = 5;
};

struct CheckpointConfig {
  /// Steps between checkpoints (one is also written when a run stops, ends or fails); 0: only then.
  std::int64_t interval = 2000;
  /// How many periodic checkpoints a run folder keeps (the newest); older ones are deleted.
  std::int64_t keep = 2;
};

struct QualityConfig {
  /// Steps between sample-quality evaluations by the judge (judge.h); 0 turns them off.
  std::int64_t interval = 1000;
  /// Generated images scored each time (from one fixed noise batch, so evaluations compare).
  std::int64_t samples = 2000;
};

/// The inside view's figures (observer.h InsideRecord): D's verdicts as histograms and every
/// parameter tensor's gradient, weight and update norms, accumulated on the device over windows of
/// `interval` steps and read back once per window.
struct InsideConfig {
  /// Steps per window; 0 turns the figures off (and their cost with them).
  std::int64_t interval = 20;
};

/// When the trainer pauses a run and says something is wrong (non-finite losses always do).
struct AlarmConfig {
  /// Steps before the discriminator and collapse alarms may fire: every GAN starts out lopsided.
  std::int64_t warmup = 2000;
  /// D wins outright: mean D(x) above `d_wins_real` and mean D(G(z)) below `d_wins_fake` on every
  /// step of `d_wins_steps` in a row (0 turns the alarm off).
  double d_wins_real = 0.98;
  double d_wins_fake = 0.02;
  std::int64_t d_wins_steps = 1000;
  /// Mode collapse: a class above `collapse_high` or any class below `collapse_low` of the samples
  /// in `collapse_checks` quality evaluations in a row (0 turns the alarm off).
  double collapse_high = 0.30;
  double collapse_low = 0.02;
  std::int64_t collapse_checks = 3;
  /// A conditional model instead: any digit the judge recognises, on average over the samples
  /// asked for it, with a probability below this. 0.1 is chance among ten digits: a label G
  /// ignores. (Higher fires on healthy runs: a cGAN's weakest digit was at 15 % after 3,000 steps
  /// and at 97 % drawn as asked later; docs/quality.md.)
  double confidence_low = 0.1;
};

struct Config {
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  OptimizerConfig optimizer;
  SamplingConfig sampling;
  CheckpointConfig checkpoint;
  QualityConfig quality;
  InsideConfig inside;
  AlarmConfig alarms;
};

/// Parses YAML text. Keys not given keep their defaults; unknown keys, wrong types and values out of
/// range throw ConfigError naming the key and line. `source` names the text in messages.
Config parse_config(const std::string& yaml_text, const std::string& source = "<config>");

/// Like parse_config, after applying `key.path=value` overrides (values are YAML scalars or flow
/// sequences such as [128, 256]). An override for an unknown key is an error.
Config parse_config(const std::string& yaml_text, const std::vector<std::string>& overrides,
                    const std::string& source = "<config>");

/// Reads and parses a YAML file; a missing or unreadable file throws ConfigError.
Config load_config(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// Checks every value against its allowed range; throws ConfigError for the first bad one.
void validate(const Config& config);

/// The complete config as YAML (every key, so that the file documents the run on its own).
std::string to_yaml(const Config& config);

/// Writes to_yaml(config) atomically. Refuses to replace an existing file unless `replace` allows it.
void save_config(const Config& config, const std::filesystem::path& path, Replace replace = Replace::kRefused);

const char* to_string(Activation activation);
/// "mlp" or "dcgan", as model.architecture spells it.
const char* to_string(Architecture architecture);
/// "bce", "lsgan", "hinge" or "wgan-gp", as model.loss spells it.
const char* to_string(Loss loss);
std::optional<Architecture> parse_architecture(std::string_view text);
std::optional<Loss> parse_loss(std::string_view text);
/// "auto", "eager" or "graph", as train.step spells it.
const char* to_string(StepChoice step);
/// The StepChoice `text` spells (as to_string writes it); nullopt for anything else.
std::optional<StepChoice> parse_step_choice(std::string_view text);

}  // namespace gan
