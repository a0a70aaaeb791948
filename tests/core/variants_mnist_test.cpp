// Every family and loss on real MNIST, scored by the judge: a short run of each preset learns
// (FID falls, and a conditional model draws the digits it is asked for well above chance); and
// gan-eval draws a conditional model's digit from its checkpoint.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/io/csv.h"
#include "core/judge/judge.h"
#include "core/model/gan.h"
#include "test_support.h"

namespace gan {
namespace {

struct Variant {
  const char* preset;
  std::vector<std::string> overrides;
  int steps;
};

class VariantsOnMnist : public ::testing::TestWithParam<Variant> {};

TEST_P(VariantsOnMnist, AShortRunLearns) {
  const Variant& v = GetParam();
  Config config = load_config(std::filesystem::path(GAN_PRESETS_DIR_FOR_TESTS) / (std::string(v.preset) + ".yaml"),
                              v.overrides);
  config.train.device = DeviceChoice::kCpu;
  config.quality.interval = 0;
  Gan gan(config, load_dataset(config.data));
  const auto judge = Judge::open(config.data, 1000);
  auto score = [&] { return judge->score(gan.evaluation_images(1000), gan.evaluation_labels(1000)); };
  const QualityRecord before = score();
  for (int i = 0; i < v.steps; ++i) gan.train_step();
  const QualityRecord after = score();
  std::printf("%s after %d steps: IS %.2f -> %.2f, FID %.1f -> %.1f", v.preset, v.steps, before.inception_score,
              after.inception_score, before.fid, after.fid);
  if (after.conditional_accuracy) std::printf(", conditional accuracy %.3f", *after.conditional_accuracy);
  std::printf("\n");
  EXPECT_LT(after.fid, 0.75 * before.fid);
  EXPECT_GT(after.inception_score, before.inception_score);
  EXPECT_EQ(after.conditional_accuracy.has_value(), config.model.conditional);
  if (config.model.conditional) {
    EXPECT_GT(*after.conditional_accuracy, 0.3);  // chance: 0.1
  }
}

std::string variant_name(const ::testing::TestParamInfo<Variant>& param) {
  std::string name = std::string(param.param.preset) + (param.param.overrides.empty() ? "" : "_conditional");
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Presets, VariantsOnMnist,
                         ::testing::Values(Variant{"cgan", {}, 2000}, Variant{"dcgan", {}, 600},
                                           Variant{"dcgan", {"model.conditional=true"}, 1500},
                                           Variant{"lsgan", {}, 600}, Variant{"hinge", {}, 800},
                                           Variant{"wgan-gp", {}, 400}),
                         variant_name);

struct Output {
  int exit_code = -1;
  std::string text;
};

Output run_gan_eval(const std::string& arguments) {
  const test::ProgramResult result = test::run_program(GAN_EVAL_EXECUTABLE, arguments);
  return {result.exit_code, result.output};
}

TEST(GanEvalDigits, DrawsTheDigitAConditionalModelIsAskedFor) {
  test::TempFolder folder;
  Config config = load_config(test::write_tiny_idx_config(folder.path()));
  const ImageSet images = load_dataset(config.data);
  auto checkpoint_of = [&](bool conditional, const char* name) {
    Config c = config;
    c.model.conditional = conditional;
    Gan gan(c, images);
    for (int i = 0; i < 3; ++i) gan.train_step();
    gan.save_checkpoint(folder / name);
    return (folder / name).string();
  };
  const std::string conditional = checkpoint_of(true, "conditional.pt");
  const std::string plain = checkpoint_of(false, "plain.pt");
  std::filesystem::create_directories(folder / "digits");
  const std::string out = " --digits '" + (folder / "digits").string() + "'";

  const Output drawn = run_gan_eval("'" + conditional + "'" + out + " --digit 0 --count 5");
  ASSERT_EQ(drawn.exit_code, 0) << drawn.text;
  EXPECT_NE(drawn.text.find("5 digits written"), std::string::npos) << drawn.text;
  EXPECT_TRUE(std::filesystem::exists(folder / "digits" / "digit_0000003_0005.png"));
  // Nothing is overwritten, and what cannot be asked is refused with the reason.
  const Output again = run_gan_eval("'" + conditional + "'" + out + " --digit 0 --count 5");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.text.find("already exists; no digits were written"), std::string::npos) << again.text;
  const Output unknown = run_gan_eval("'" + conditional + "'" + out + " --digit 3");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.text.find("it draws 0 to 0"), std::string::npos) << unknown.text;
  const Output unconditional = run_gan_eval("'" + plain + "'" + out + " --digit 0");
  EXPECT_EQ(unconditional.exit_code, 2);
  EXPECT_NE(unconditional.text.find("--digit needs a conditional model"), std::string::npos) << unconditional.text;
  const Output scoring = run_gan_eval("'" + plain + "' --digit 0");
  EXPECT_EQ(scoring.exit_code, 2);
}

TEST(GanEvalDigits, ASeedDrawsTheSameDigitsAndAConditionalModelsLabelsAreWritten) {
  test::TempFolder folder;
  Config config = load_config(test::write_tiny_idx_config(folder.path()));
  config.model.conditional = true;
  const ImageSet images = load_dataset(config.data);
  {
    Gan gan(config, images);
    for (int i = 0; i < 3; ++i) gan.train_step();
    gan.save_checkpoint(folder / "conditional.pt");
  }
  const std::string checkpoint = "'" + (folder / "conditional.pt").string() + "'";
  auto draw = [&](const char* name, const std::string& seed) {
    std::filesystem::create_directories(folder / name);
    const Output out = run_gan_eval(checkpoint + " --digits '" + (folder / name).string() + "' --count 6" + seed);
    EXPECT_EQ(out.exit_code, 0) << out.text;
    EXPECT_NE(out.text.find("6 digits written"), std::string::npos) << out.text;
    std::string all;
    for (int i = 1; i <= 6; ++i) all += test::read_text(folder / name / ("digit_0000003_000" + std::to_string(i) + ".png"));
    return all;
  };
  const std::string a = draw("a", " --seed 5");
  EXPECT_EQ(draw("b", " --seed 5"), a);  // the same seed: the same digits, byte for byte
  EXPECT_NE(draw("c", " --seed 6"), a);
  EXPECT_EQ(draw("d", ""), draw("e", ""));  // no seed: the checkpoint's own, the same every time
  // labels.csv: which digit each was asked to be.
  const auto records = csv_records(test::read_text(folder / "a" / "labels.csv"));
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(records[0], "file,label");
  EXPECT_EQ(records[1].rfind("digit_0000003_0001.png,", 0), 0u) << records[1];
  // --seed belongs to --digits.
  const Output scoring = run_gan_eval(checkpoint + " --seed 5");
  EXPECT_EQ(scoring.exit_code, 2);
  EXPECT_NE(scoring.text.find("--seed draws digits with --digits"), std::string::npos) << scoring.text;
}

}  // namespace
}  // namespace gan
