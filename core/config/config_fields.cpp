#include "core/config/config_fields.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/io/number_text.h"

namespace gan {
namespace {

// A member's value to and from the table's FieldValue. Enums travel as their spelling, so that the
// panel, YAML and the docs see the same words.
FieldValue value_of(std::int64_t value) { return value; }
FieldValue value_of(std::uint64_t value) { return static_cast<std::int64_t>(value); }
FieldValue value_of(double value) { return value; }
FieldValue value_of(bool value) { return value; }
FieldValue value_of(const std::string& value) { return value; }
FieldValue value_of(const std::vector<std::int64_t>& value) { return value; }
FieldValue value_of(Activation value) { return std::string(to_string(value)); }
FieldValue value_of(Architecture value) { return std::string(to_string(value)); }
FieldValue value_of(Loss value) { return std::string(to_string(value)); }
FieldValue value_of(StepChoice value) { return std::string(to_string(value)); }
FieldValue value_of(const DeviceChoice& value) { return value.text(); }

void assign(std::int64_t& member, const FieldValue& value) { member = std::get<std::int64_t>(value); }
// validate() keeps the seed within 0..2^63-1, so the int64 round trip is exact.
void assign(std::uint64_t& member, const FieldValue& value) {
  member = static_cast<std::uint64_t>(std::get<std::int64_t>(value));
}
void assign(double& member, const FieldValue& value) { member = std::get<double>(value); }
void assign(bool& member, const FieldValue& value) { member = std::get<bool>(value); }
void assign(std::string& member, const FieldValue& value) { member = std::get<std::string>(value); }
void assign(std::vector<std::int64_t>& member, const FieldValue& value) {
  member = std::get<std::vector<std::int64_t>>(value);
}
void assign(Activation& member, const FieldValue& value) {
  member = std::get<std::string>(value) == "relu" ? Activation::kRelu : Activation::kLeakyRelu;
}
void assign(Architecture& member, const FieldValue& value) {
  member = parse_architecture(std::get<std::string>(value)).value_or(Architecture::kMlp);
}
void assign(Loss& member, const FieldValue& value) {
  member = parse_loss(std::get<std::string>(value)).value_or(Loss::kBce);
}
void assign(StepChoice& member, const FieldValue& value) {
  member = parse_step_choice(std::get<std::string>(value)).value_or(StepChoice::kAuto);
}
void assign(DeviceChoice& member, const FieldValue& value) {
  member = DeviceChoice::parse(std::get<std::string>(value)).value_or(DeviceChoice::kAuto);
}

// The getter and setter of one Config member, from its path: FIELD_MEMBER(train.epochs).
#define FIELD_MEMBER(path)                                                  \
  [](const Config& config) -> FieldValue { return value_of(config.path); }, \
      [](Config& config, const FieldValue& value) { assign(config.path, value); }

using Getter = FieldValue (*)(const Config&);
using Setter = void (*)(Config&, const FieldValue&);

// Row builders: the type and its limits, then the words, then the rules.
struct Row {
  ConfigField field;

  Row& label(std::string text) { field.label = std::move(text); return *this; }
  Row& help(std::string text) { field.help = std::move(text); return *this; }
  Row& unit(std::string text) { field.unit = std::move(text); return *this; }
  Row& live() { field.live = Live::kYes; return *this; }
  Row& resume(ResumeRule rule) { field.resume = rule; return *this; }
  Row& acts(bool (*when)(const Config&)) { field.acts = when; return *this; }
  Row& help_by(std::string (*text)(const Config&)) { field.help_by = text; return *this; }
  operator ConfigField() const { return field; }  // NOLINT: a row reads as the field it builds
};

Row row(std::string key, FieldType type, Getter get, Setter set) {
  Row r;
  r.field.key = std::move(key);
  r.field.type = type;
  r.field.get = get;
  r.field.set = set;
  return r;
}
Row integer(std::string key, std::int64_t min, std::int64_t max, Getter get, Setter set) {
  Row r = row(std::move(key), FieldType::kInteger, get, set);
  r.field.min = min;
  r.field.max = max;
  return r;
}
enum class Ends { kClosed, kOpenLow, kOpenHigh };
Row number(std::string key, double low, double high, Ends ends, Getter get, Setter set) {
  Row r = row(std::move(key), FieldType::kNumber, get, set);
  r.field.low = low;
  r.field.high = high;
  r.field.low_open = ends == Ends::kOpenLow;
  r.field.high_open = ends == Ends::kOpenHigh;
  return r;
}
Row choice(std::string key, std::vector<std::string> choices, Getter get, Setter set) {
  Row r = row(std::move(key), FieldType::kChoice, get, set);
  r.field.choices = std::move(choices);
  return r;
}
Row widths(std::string key, Getter get, Setter set) {
  Row r = row(std::move(key), FieldType::kWidths, get, set);
  // Wide limits: whether a size fits is the memory check's call (memory.h), made with the
  // machine's figures when training starts.
  r.field.min = 1;
  r.field.max = 16777216;
  return r;
}

// When a field acts (ConfigField::acts).
bool picture_folder(const Config& c) { return c.data.dataset == "folder"; }
bool mlp(const Config& c) { return c.model.architecture == Architecture::kMlp; }
bool dcgan(const Config& c) { return c.model.architecture == Architecture::kDcgan; }
std::string generator_batch_norm_help(const Config& c) {
  return dcgan(c) ? "BatchNorm2d after G's first layer and each transposed convolution but the last (dcgan.py)"
                  : "BatchNorm1d from the 2nd hidden layer on (gan.py)";
}
bool wgan_gp(const Config& c) { return c.model.loss == Loss::kWganGp; }
bool probabilities(const Config& c) { return c.model.loss == Loss::kBce || c.model.loss == Loss::kLsgan; }
bool conditional(const Config& c) { return c.model.conditional; }
bool unconditional(const Config& c) { return !c.model.conditional; }

constexpr std::int64_t kForever = 1000000000;  // "any number of steps"
constexpr std::size_t kMaxLayers = 16;

std::vector<ConfigField> make_fields() {
  using R = ResumeRule;
  const std::vector<std::string> activations{"leaky_relu", "relu"};
  std::vector<ConfigField> fields{
      choice("data.dataset", {"mnist", "fashion-mnist", "idx", "folder"}, FIELD_MEMBER(data.dataset))
          .label("Dataset")
          .help("Which images: MNIST digits, Fashion-MNIST, any folder of IDX files (idx), or a folder of PNG and "
                "JPEG pictures, subfolders as classes (folder); idx and folder need data.path"),
      row("data.path", FieldType::kText, FIELD_MEMBER(data.path))
          .label("Folder")
          .help("Folder with the IDX files (raw or gzip) or the pictures; empty: the dataset's default folder")
          .resume(R::kOnResume),
      integer("data.size", 8, 256, FIELD_MEMBER(data.size))
          .label("Image size")
          .unit("px")
          .help("folder: side the pictures are brought to (shorter side scaled by area averaging, longer side "
                "centre-cropped); 28, 32 and 64 are the presets' sizes")
          .acts(picture_folder),
      integer("data.channels", 0, 3, FIELD_MEMBER(data.channels))
          .label("Channels")
          .help("folder: 1 gray, 3 colour (RGB); 0 takes colour when any picture is stored in colour")
          .acts(picture_folder),

      integer("model.latent_dim", 1, 4096, FIELD_MEMBER(model.latent_dim))
          .label("Latent size")
          .help("Length of the noise vector z"),
      choice("model.architecture", {"mlp", "dcgan"}, FIELD_MEMBER(model.architecture))
          .label("Architecture")
          .help("mlp: gan.py's fully connected networks; dcgan: transposed convolutions in G, strided ones in D"),
      row("model.conditional", FieldType::kBool, FIELD_MEMBER(model.conditional))
          .label("Conditional")
          .help("cGAN (cgan.py): the digit's label joins z in G and the image in D; grid row i is digit i"),
      choice("model.loss", {"bce", "lsgan", "hinge", "wgan-gp"}, FIELD_MEMBER(model.loss))
          .label("Loss")
          .help("bce: gan.py's; lsgan: least squares; hinge; wgan-gp: a critic with a gradient penalty "
                "(with train.d_steps 5 and Adam betas 0/0.9)"),
      number("model.gp_lambda", 0.0, 1000.0, Ends::kClosed, FIELD_MEMBER(model.gp_lambda))
          .label("GP weight λ")
          .help("WGAN-GP's gradient penalty weight (its paper: 10); ignored by the other losses")
          .acts(wgan_gp),
      widths("model.generator.hidden", FIELD_MEMBER(model.generator.hidden))
          .label("G layers")
          .help("Hidden layer widths of the generator; the output layer (one value per pixel and channel: 784 for MNIST) is implied")
          .acts(mlp),
      row("model.generator.batch_norm", FieldType::kBool, FIELD_MEMBER(model.generator.batch_norm))
          .label("G batch norm")
          .help("BatchNorm1d from the 2nd hidden layer on (gan.py)")
          .help_by(generator_batch_norm_help),
      number("model.generator.batch_norm_eps", 0.0, 10.0, Ends::kOpenLow, FIELD_MEMBER(model.generator.batch_norm_eps))
          .label("G BN eps")
          .help("G's batch-norm eps; gan.py passes 0.8 (its second positional argument is eps, not momentum)"),
      choice("model.generator.activation", activations, FIELD_MEMBER(model.generator.activation))
          .label("G activation")
          .help("Activation after each hidden layer of G"),
      number("model.generator.slope", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(model.generator.slope))
          .label("G slope")
          .help("LeakyReLU's negative slope in G; ignored for relu"),
      widths("model.generator.channels", FIELD_MEMBER(model.generator.channels))
          .label("G channels")
          .help("dcgan: G's feature maps from the smallest up, each doubling the side ([64, 32]: 7×7 → 14×14 → 28×28)")
          .acts(dcgan),
      widths("model.discriminator.hidden", FIELD_MEMBER(model.discriminator.hidden))
          .label("D layers")
          .help("Hidden layer widths of the discriminator; the output (one score) is implied")
          .acts(mlp),
      choice("model.discriminator.activation", activations, FIELD_MEMBER(model.discriminator.activation))
          .label("D activation")
          .help("Activation after each hidden layer of D"),
      number("model.discriminator.slope", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(model.discriminator.slope))
          .label("D slope")
          .help("LeakyReLU's negative slope in D; ignored for relu"),
      number("model.discriminator.dropout", 0.0, 0.99, Ends::kClosed, FIELD_MEMBER(model.discriminator.dropout))
          .label("D dropout")
          .help("Dropout after each hidden layer of D; 0 adds none"),
      widths("model.discriminator.channels", FIELD_MEMBER(model.discriminator.channels))
          .label("D channels")
          .help("dcgan: D's strided convolutions, each halving the side")
          .acts(dcgan),
      row("model.discriminator.batch_norm", FieldType::kBool, FIELD_MEMBER(model.discriminator.batch_norm))
          .label("D batch norm")
          .help("dcgan: BatchNorm2d after D's convolutions but the first (dcgan.py); off for wgan-gp")
          .acts(dcgan),

      integer("train.epochs", 1, 1000000, FIELD_MEMBER(train.epochs))
          .label("Epochs")
          .unit("passes over the data")
          .help("How long the run trains")
          .resume(R::kOnFork),
      integer("train.batch_size", 1, 65536, FIELD_MEMBER(train.batch_size))
          .label("Batch size")
          .unit("images")
          .help("Real images (and as many fakes) per step"),
      integer("train.d_steps", 1, 100, FIELD_MEMBER(train.d_steps))
          .label("D steps")
          .help("Discriminator updates per generator update")
          .live()
          .resume(R::kOnFork),
      integer("train.seed", 0, std::numeric_limits<std::int64_t>::max(), FIELD_MEMBER(train.seed))
          .label("Seed")
          .help("Seed of LibTorch's RNG: the same seed on the CPU gives the same run")
          .resume(R::kOnFork),
      row("train.device", FieldType::kDevice, FIELD_MEMBER(train.device))
          .label("Device")
          .help("Where training runs: auto is the first GPU, else the CPU")
          .resume(R::kOnResume),
      choice("train.step", {"auto", "eager", "graph"}, FIELD_MEMBER(train.step))
          .label("Step")
          .help("graph: each step captured once as a CUDA graph and replayed (CUDA only, much faster there); "
                "eager: kernels launched one by one; auto: the graph wherever it is possible")
          .resume(R::kOnResume),

      number("optimizer.generator.lr", 0.0, 1.0, Ends::kOpenLow, FIELD_MEMBER(optimizer.generator.lr))
          .label("G lr")
          .help("Adam's learning rate for G")
          .live()
          .resume(R::kOnFork),
      number("optimizer.generator.beta1", 0.0, 1.0, Ends::kOpenHigh, FIELD_MEMBER(optimizer.generator.beta1))
          .label("G beta1")
          .help("Adam's first-moment decay for G (gan.py: 0.5)")
          .live()
          .resume(R::kOnFork),
      number("optimizer.generator.beta2", 0.0, 1.0, Ends::kOpenHigh, FIELD_MEMBER(optimizer.generator.beta2))
          .label("G beta2")
          .help("Adam's second-moment decay for G (gan.py: 0.999)")
          .live()
          .resume(R::kOnFork),
      number("optimizer.discriminator.lr", 0.0, 1.0, Ends::kOpenLow, FIELD_MEMBER(optimizer.discriminator.lr))
          .label("D lr")
          .help("Adam's learning rate for D")
          .live()
          .resume(R::kOnFork),
      number("optimizer.discriminator.beta1", 0.0, 1.0, Ends::kOpenHigh, FIELD_MEMBER(optimizer.discriminator.beta1))
          .label("D beta1")
          .help("Adam's first-moment decay for D (gan.py: 0.5)")
          .live()
          .resume(R::kOnFork),
      number("optimizer.discriminator.beta2", 0.0, 1.0, Ends::kOpenHigh, FIELD_MEMBER(optimizer.discriminator.beta2))
          .label("D beta2")
          .help("Adam's second-moment decay for D (gan.py: 0.999)")
          .live()
          .resume(R::kOnFork),

      integer("sampling.interval", 1, kForever, FIELD_MEMBER(sampling.interval))
          .label("Interval")
          .unit("steps")
          .help("Steps between sample grids")
          .resume(R::kOnFork),
      integer("sampling.grid", 1, 32, FIELD_MEMBER(sampling.grid))
          .label("Grid")
          .unit("digits a side")
          .help("The grid shows grid × grid digits drawn from one fixed noise batch")
          .resume(R::kOnFork),

      integer("checkpoint.interval", 0, kForever, FIELD_MEMBER(checkpoint.interval))
          .label("Interval")
          .unit("steps")
          .help("Steps between checkpoints; one is also written when a run stops, ends or fails (0: only then)")
          .resume(R::kOnFork),
      integer("checkpoint.keep", 1, 1000, FIELD_MEMBER(checkpoint.keep))
          .label("Keep")
          .unit("checkpoints")
          .help("Periodic checkpoints kept in the run folder (the newest); older ones are deleted")
          .resume(R::kOnFork),

      integer("quality.interval", 0, kForever, FIELD_MEMBER(quality.interval))
          .label("Interval")
          .unit("steps")
          .help("Steps between evaluations of generated digits by the judge (0: none)")
          .resume(R::kOnResume),
      integer("quality.samples", 100, 100000, FIELD_MEMBER(quality.samples))
          .label("Samples")
          .unit("digits")
          .help("Generated digits scored each time, from one fixed noise batch")
          .resume(R::kOnResume),

      integer("inside.interval", 0, kForever, FIELD_MEMBER(inside.interval))
          .label("Window")
          .unit("steps")
          .help("Steps per window of the inside figures: D's verdicts as histograms, each layer's gradient, "
                "weight and update norms (0: none)")
          .resume(R::kOnResume),

      integer("alarms.warmup", 0, kForever, FIELD_MEMBER(alarms.warmup))
          .label("Warm-up")
          .unit("steps")
          .help("Steps before the discriminator and collapse alarms may fire: every GAN starts out lopsided")
          .resume(R::kOnResume),
      number("alarms.d_wins_real", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(alarms.d_wins_real))
          .label("D wins: D(x) >")
          .help("The D-wins alarm (bce and lsgan): mean D(x) above this, with D(G(z)) below d_wins_fake")
          .resume(R::kOnResume)
          .acts(probabilities),
      number("alarms.d_wins_fake", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(alarms.d_wins_fake))
          .label("and D(G(z)) <")
          .help("The D-wins alarm: mean D(G(z)) below this, with D(x) above d_wins_real")
          .resume(R::kOnResume)
          .acts(probabilities),
      integer("alarms.d_wins_steps", 0, kForever, FIELD_MEMBER(alarms.d_wins_steps))
          .label("for steps")
          .unit("steps")
          .help("The D-wins alarm fires after this many such steps in a row (0: off)")
          .resume(R::kOnResume)
          .acts(probabilities),
      number("alarms.collapse_high", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(alarms.collapse_high))
          .label("Collapse: class >")
          .unit("share of samples")
          .help("The collapse alarm: one class above this share of the judged samples")
          .resume(R::kOnResume)
          .acts(unconditional),
      number("alarms.collapse_low", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(alarms.collapse_low))
          .label("or class <")
          .unit("share of samples")
          .help("The collapse alarm: or any class below this share (below collapse_high)")
          .resume(R::kOnResume)
          .acts(unconditional),
      integer("alarms.collapse_checks", 0, 1000000, FIELD_MEMBER(alarms.collapse_checks))
          .label("for evaluations")
          .unit("evaluations")
          .help("The collapse alarm fires after this many such evaluations in a row (0: off)")
          .resume(R::kOnResume),
      number("alarms.confidence_low", 0.0, 1.0, Ends::kClosed, FIELD_MEMBER(alarms.confidence_low))
          .label("Conditional: digit sure <")
          .unit("probability")
          .help("A conditional model's collapse alarm: a digit the judge recognises as the one asked for with a mean "
                "probability below this (0.1: no better than chance, a label G ignores)")
          .resume(R::kOnResume)
          .acts(conditional),
  };
  return fields;
}

#undef FIELD_MEMBER

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// A range's end as people write it: "10", not shortest_text's "1e+01".
std::string bound_text(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<std::int64_t>(value));
  return shortest_text(value);
}

std::string section_of(const std::string& key) { return key.substr(0, key.find('.')); }

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = make_fields();
  return fields;
}

const std::vector<ConfigSection>& config_sections() {
  static const std::vector<ConfigSection> sections{
      {"data", "Data"},
      {"model", "Model"},
      {"train", "Training"},
      {"optimizer", "Adam"},
      {"sampling", "Samples"},
      {"checkpoint", "Checkpoints"},
      {"quality", "Sample quality (the MNIST judge)"},
      {"inside", "Inside the networks"},
      {"alarms", "Alarms (pause the run)"},
  };
  return sections;
}

const ConfigField* find_config_field(std::string_view key) {
  for (const ConfigField& field : config_fields()) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::string ConfigField::allowed() const {
  switch (type) {
    case FieldType::kInteger:
    case FieldType::kWidths:
      return "between " + std::to_string(min) + " and " + std::to_string(max);
    case FieldType::kNumber:
      return std::string("in ") + (low_open ? "(" : "[") + bound_text(low) + ", " + bound_text(high) +
             (high_open ? ")" : "]");
    case FieldType::kChoice:
      return "one of " + join(choices, ", ");
    case FieldType::kDevice:
      return kDeviceSpellings;
    case FieldType::kBool:
    case FieldType::kText:
      break;
  }
  return {};
}

std::string ConfigField::check(const FieldValue& value) const {
  switch (type) {
    case FieldType::kInteger: {
      const std::int64_t v = std::get<std::int64_t>(value);
      if (v < min || v > max) return "must be " + allowed() + ", found " + std::to_string(v);
      return {};
    }
    case FieldType::kNumber: {
      const double v = std::get<double>(value);
      const bool inside = std::isfinite(v) && (low_open ? v > low : v >= low) && (high_open ? v < high : v <= high);
      if (!inside) return "must be " + allowed() + ", found " + shortest_text(v);
      return {};
    }
    case FieldType::kWidths: {
      const auto& widths = std::get<std::vector<std::int64_t>>(value);
      if (widths.empty() || widths.size() > kMaxLayers) {
        return "must list 1 to " + std::to_string(kMaxLayers) + " layer widths, found " + std::to_string(widths.size());
      }
      for (const std::int64_t width : widths) {
        if (width < min || width > max) return "each width must be " + allowed() + ", found " + std::to_string(width);
      }
      return {};
    }
    case FieldType::kChoice: {
      const auto& v = std::get<std::string>(value);
      if (std::find(choices.begin(), choices.end(), v) == choices.end()) return "must be " + allowed() + "; found '" + v + "'";
      return {};
    }
    case FieldType::kDevice: {
      const auto& v = std::get<std::string>(value);
      if (!DeviceChoice::parse(v)) return std::string("must be ") + kDeviceSpellings + "; found '" + v + "'";
      return {};
    }
    case FieldType::kBool:
    case FieldType::kText:
      break;
  }
  return {};
}

std::string ConfigField::text(const Config& config) const {
  const FieldValue value = get(config);
  switch (type) {
    case FieldType::kInteger: return std::to_string(std::get<std::int64_t>(value));
    case FieldType::kNumber: return shortest_text(std::get<double>(value));
    case FieldType::kBool: return std::get<bool>(value) ? "true" : "false";
    case FieldType::kWidths: {
      std::vector<std::string> parts;
      for (const std::int64_t width : std::get<std::vector<std::int64_t>>(value)) parts.push_back(std::to_string(width));
      return "[" + join(parts, ", ") + "]";
    }
    case FieldType::kText:
    case FieldType::kChoice:
    case FieldType::kDevice:
      break;
  }
  return std::get<std::string>(value);
}

std::vector<const ConfigField*> differing_fields(const std::vector<Config>& configs) {
  std::vector<const ConfigField*> fields;
  if (configs.size() < 2) return fields;
  for (const ConfigField& field : config_fields()) {
    const FieldValue first = field.get(configs.front());
    for (std::size_t i = 1; i < configs.size(); ++i) {
      if (!(field.get(configs[i]) == first)) {
        fields.push_back(&field);
        break;
      }
    }
  }
  return fields;
}

bool may_change(const ConfigField& field, ConfigChange change) {
  switch (field.resume) {
    case ResumeRule::kOnResume: return true;
    case ResumeRule::kOnFork: return change == ConfigChange::kFork;
    case ResumeRule::kFixed: break;
  }
  return false;
}

std::string keys_that_may_change(ConfigChange change) {
  std::vector<std::string> keys;
  for (const ConfigSection& section : config_sections()) {
    std::vector<std::string> in_section;
    bool all = true;
    for (const ConfigField& field : config_fields()) {
      if (section_of(field.key) != section.key) continue;
      if (may_change(field, change)) in_section.push_back(field.key);
      else all = false;
    }
    if (all && !in_section.empty()) keys.push_back(section.key + ".*");
    else keys.insert(keys.end(), in_section.begin(), in_section.end());
  }
  return join(keys, ", ");
}

std::string config_reference_markdown() {
  const Config defaults;
  std::string text =
      "| Key | Default | Allowed | Unit | Live | Resume | Meaning |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const ConfigField& field : config_fields()) {
    std::string value = field.text(defaults);
    if (value.empty()) value = "\"\"";
    const char* resume = field.resume == ResumeRule::kOnResume ? "resume, fork"
                         : field.resume == ResumeRule::kOnFork ? "fork"
                                                               : "";
    std::string allowed = field.allowed();
    if (field.type == FieldType::kWidths) allowed = "1 to 16 widths, each " + allowed;
    text += "| `" + field.key + "` | `" + value + "` | " + allowed + " | " + field.unit + " | " +
            (field.live == Live::kYes ? "yes" : "") + " | " + resume + " | " + field.help + " |\n";
  }
  return text;
}

}  // namespace gan
