#include "core/config/config.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gan {
namespace {

// Expects parse_config(text, overrides) to throw a ConfigError whose message contains `fragment`.
ConfigError parse_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_config(text, overrides, "test.yaml");
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no ConfigError for:\n" << text;
  return ConfigError("", "");
}

TEST(Config, DefaultsFollowTheReference) {
  const Config config = parse_config("");
  EXPECT_EQ(config.model.latent_dim, 100);
  EXPECT_EQ(config.model.generator.hidden, (std::vector<std::int64_t>{128, 256, 512, 1024}));
  EXPECT_DOUBLE_EQ(config.model.generator.batch_norm_eps, 0.8);
  EXPECT_EQ(config.model.discriminator.hidden, (std::vector<std::int64_t>{512, 256}));
  EXPECT_EQ(config.train.batch_size, 64);
  for (const AdamConfig& adam : {config.optimizer.generator, config.optimizer.discriminator}) {
    EXPECT_DOUBLE_EQ(adam.lr, 0.0002);
    EXPECT_DOUBLE_EQ(adam.beta1, 0.5);
    EXPECT_DOUBLE_EQ(adam.beta2, 0.999);  // not 0.5: see pytorch/examples' dcgan history
  }
}

TEST(Config, PresetsLoad) {
  const Config classic = test::preset("pytorch-gan");
  EXPECT_EQ(classic.model.discriminator.activation, Activation::kLeakyRelu);
  EXPECT_EQ(classic.sampling.interval, 400);
  const Config report = test::preset("course-report");
  EXPECT_EQ(report.model.generator.hidden, (std::vector<std::int64_t>{128, 256, 512, 1024, 2048, 4096}));
  EXPECT_EQ(report.model.discriminator.hidden, (std::vector<std::int64_t>{4096, 2048, 1024, 512, 256}));
  EXPECT_EQ(report.model.discriminator.activation, Activation::kRelu);
  EXPECT_DOUBLE_EQ(report.model.discriminator.dropout, 0.5);
  EXPECT_EQ(report.train.epochs, 500);
  EXPECT_EQ(report.sampling.interval, 100);
  EXPECT_DOUBLE_EQ(report.optimizer.generator.lr, 0.0002);
}

TEST(Config, RoundTripKeepsEveryValue) {
  Config config = test::preset("course-report");
  config.data.dataset = "idx";
  config.data.path = "/data/my digits";
  config.optimizer.generator.lr = 0.000123456789;
  config.optimizer.discriminator.beta2 = 0.9;
  config.train.seed = 1234567890123ULL;
  config.train.device = DeviceChoice::cuda(1);
  config.train.step = StepChoice::kGraph;
  config.model.generator.batch_norm = false;
  config.checkpoint.interval = 123;
  config.checkpoint.keep = 7;
  const Config again = parse_config(to_yaml(config));
  EXPECT_EQ(to_yaml(again), to_yaml(config));
  EXPECT_EQ(again.data.path, "/data/my digits");
  EXPECT_EQ(again.optimizer.generator.lr, 0.000123456789);
  EXPECT_EQ(again.train.seed, 1234567890123ULL);
  EXPECT_EQ(again.train.device, DeviceChoice::cuda(1));
  EXPECT_NE(to_yaml(again).find("device: cuda:1"), std::string::npos);
  EXPECT_EQ(again.train.step, StepChoice::kGraph);
  EXPECT_NE(to_yaml(again).find("step: graph"), std::string::npos);
  EXPECT_FALSE(again.model.generator.batch_norm);
}

TEST(Config, TheFamiliesAndLossesAreKeysLikeAnyOther) {
  const Config config = parse_config(
      "model:\n  architecture: dcgan\n  conditional: true\n  loss: hinge\n  gp_lambda: 5\n"
      "  generator: {channels: [16, 8]}\n  discriminator: {channels: [8, 16], batch_norm: false}\n");
  EXPECT_EQ(config.model.architecture, Architecture::kDcgan);
  EXPECT_TRUE(config.model.conditional);
  EXPECT_EQ(config.model.loss, Loss::kHinge);
  EXPECT_DOUBLE_EQ(config.model.gp_lambda, 5.0);
  EXPECT_EQ(config.model.generator.channels, (std::vector<std::int64_t>{16, 8}));
  EXPECT_EQ(to_yaml(parse_config(to_yaml(config))), to_yaml(config));
  EXPECT_NE(to_yaml(config).find("loss: hinge"), std::string::npos);
  for (const char* name : {"cgan", "dcgan", "lsgan", "hinge", "wgan-gp"}) EXPECT_NO_THROW(test::preset(name)) << name;
  EXPECT_EQ(test::preset("wgan-gp").train.d_steps, 5);
  EXPECT_DOUBLE_EQ(test::preset("wgan-gp").optimizer.generator.beta1, 0.0);
  EXPECT_DOUBLE_EQ(test::preset("wgan-gp").optimizer.discriminator.beta2, 0.9);

  try {
    parse_config("model:\n  loss: wasserstein\n", "m.yaml");
    FAIL() << "an unknown loss";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("one of bce, lsgan, hinge, wgan-gp"), std::string::npos) << e.what();
  }
  // WGAN-GP's per-sample penalty and a batch-normalised critic do not go together.
  try {
    parse_config("model:\n  architecture: dcgan\n  loss: wgan-gp\n", "w.yaml");
    FAIL() << "wgan-gp with a batch-normalised dcgan critic";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "model.discriminator.batch_norm");
  }
  EXPECT_NO_THROW(parse_config("model:\n  loss: wgan-gp\n"));  // an MLP critic has no batch norm
}

TEST(Config, SaveRefusesToOverwriteUnlessAsked) {
  test::TempFolder folder;
  const auto path = folder / "run.yaml";
  save_config(Config{}, path);
  EXPECT_THROW(save_config(Config{}, path), std::runtime_error);
  Config changed;
  changed.train.epochs = 7;
  save_config(changed, path, Replace::kAllowed);
  EXPECT_EQ(load_config(path).train.epochs, 7);
}

TEST(Config, UnknownKeyNamesKeyLineAndSuggestion) {
  const ConfigError e = parse_error("model:\n  latent_dim: 10\n  generatr:\n    hidden: [1]\n");
  EXPECT_EQ(e.key(), "model.generatr");
  EXPECT_EQ(e.line(), 3);
  EXPECT_NE(std::string(e.what()).find("test.yaml:3"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("did you mean 'model.generator'"), std::string::npos) << e.what();
}

TEST(Config, WrongTypesAreNamed) {
  EXPECT_EQ(parse_error("train:\n  batch_size: lots\n").key(), "train.batch_size");
  EXPECT_NE(std::string(parse_error("train:\n  batch_size: 1.5\n").what()).find("expected an integer"), std::string::npos);
  EXPECT_EQ(parse_error("model:\n  generator:\n    batch_norm: maybe\n").key(), "model.generator.batch_norm");
  EXPECT_EQ(parse_error("model:\n  generator:\n    hidden: 128\n").key(), "model.generator.hidden");
  EXPECT_EQ(parse_error("model:\n  generator:\n    hidden: [128, x]\n").key(), "model.generator.hidden[1]");
  EXPECT_EQ(parse_error("optimizer:\n  generator:\n    lr: fast\n").key(), "optimizer.generator.lr");
  EXPECT_EQ(parse_error("train: 5\n").key(), "train");
}

TEST(Config, OutOfRangeValuesNameKeyLineAndRange) {
  struct Case {
    const char* text;
    const char* key;
    int line;
  };
  const Case cases[] = {
      {"model:\n  latent_dim: 0\n", "model.latent_dim", 2},
      {"model:\n  generator:\n    hidden: []\n", "model.generator.hidden", 3},
      {"model:\n  generator:\n    hidden: [128, 0]\n", "model.generator.hidden", 3},
      {"model:\n  generator:\n    batch_norm_eps: 0\n", "model.generator.batch_norm_eps", 3},
      {"model:\n  generator:\n    slope: -1\n", "model.generator.slope", 3},
      {"model:\n  generator:\n    activation: tanh\n", "model.generator.activation", 3},
      {"model:\n  discriminator:\n    dropout: 1.0\n", "model.discriminator.dropout", 3},
      {"model:\n  discriminator:\n    hidden: [20000000]\n", "model.discriminator.hidden", 3},
      {"train:\n  epochs: 0\n", "train.epochs", 2},
      {"train:\n  batch_size: 1000000000\n", "train.batch_size", 2},
      {"train:\n  d_steps: 0\n", "train.d_steps", 2},
      {"train:\n  seed: -3\n", "train.seed", 2},
      {"train:\n  device: tpu\n", "train.device", 2},
      {"train:\n  device: cuda:x\n", "train.device", 2},
      {"train:\n  step: captured\n", "train.step", 2},
      {"optimizer:\n  generator:\n    lr: 0\n", "optimizer.generator.lr", 3},
      {"optimizer:\n  generator:\n    lr: .nan\n", "optimizer.generator.lr", 3},
      {"optimizer:\n  discriminator:\n    beta1: 1\n", "optimizer.discriminator.beta1", 3},
      {"optimizer:\n  discriminator:\n    beta2: .inf\n", "optimizer.discriminator.beta2", 3},
      {"sampling:\n  interval: 0\n", "sampling.interval", 2},
      {"sampling:\n  grid: 100\n", "sampling.grid", 2},
      {"data:\n  dataset: cifar\n", "data.dataset", 2},
      {"checkpoint:\n  interval: -1\n", "checkpoint.interval", 2},
      {"checkpoint:\n  keep: 0\n", "checkpoint.keep", 2},
  };
  for (const Case& c : cases) {
    const ConfigError e = parse_error(c.text);
    EXPECT_EQ(e.key(), c.key) << c.text;
    EXPECT_EQ(e.line(), c.line) << c.text << e.what();
    EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
  }
  EXPECT_NE(std::string(parse_error("train:\n  epochs: 0\n").what()).find("between 1 and 1000000"), std::string::npos);
  EXPECT_EQ(parse_error("data:\n  dataset: idx\n").key(), "data.path");
}

TEST(Config, SyntaxErrorGivesLine) {
  const ConfigError e = parse_error("model:\n  latent_dim: [1, 2\n");
  EXPECT_GT(e.line(), 0);
  EXPECT_NE(std::string(e.what()).find("syntax error"), std::string::npos) << e.what();
}

TEST(Config, AStructuredKeyIsRefusedWithItsLine) {
  // fuzz_config's find: a YAML complex key ("? ...") escaped as yaml-cpp's BadConversion.
  const ConfigError e = parse_error("data:\n  dataset: mnist\n? [a, b]\n: 1\n");
  EXPECT_EQ(e.key(), "<root>");
  EXPECT_EQ(e.line(), 3);
  EXPECT_NE(std::string(e.what()).find("expected a plain key"), std::string::npos) << e.what();
  EXPECT_NE(parse_error("model:\n  ? {x: 1}\n  : 2\n").detail().find("plain key"), std::string::npos);
}

TEST(Config, OverridesApplyAndAreChecked) {
  const Config config = parse_config("", {"optimizer.generator.lr=0.001", "model.generator.hidden=[64, 128]",
                                          "train.device=cpu", "data.path=/tmp/x"});
  EXPECT_DOUBLE_EQ(config.optimizer.generator.lr, 0.001);
  EXPECT_DOUBLE_EQ(config.optimizer.discriminator.lr, 0.0002);
  EXPECT_EQ(config.model.generator.hidden, (std::vector<std::int64_t>{64, 128}));
  EXPECT_EQ(config.train.device, DeviceChoice::kCpu);
  EXPECT_EQ(config.data.path, "/tmp/x");

  const ConfigError unknown = parse_error("", {"optimizer.generator.lrr=0.1"});
  EXPECT_EQ(unknown.key(), "optimizer.generator.lrr");
  EXPECT_NE(std::string(unknown.what()).find("--set"), std::string::npos) << unknown.what();
  const ConfigError bad = parse_error("train:\n  epochs: 5\n", {"train.epochs=-1"});
  EXPECT_EQ(bad.key(), "train.epochs");
  EXPECT_NE(std::string(bad.what()).find("--set"), std::string::npos) << bad.what();
  EXPECT_EQ(parse_error("", {"novalue"}).key(), "novalue");
}

TEST(Config, MissingFileIsNamed) {
  try {
    load_config("/nonexistent/gan.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/gan.yaml"), std::string::npos);
  }
}

}  // namespace
}  // namespace gan
