// Every family and loss on real MNIST, scored by the judge: a short run of each preset learns
// (FID falls, and a conditional model draws the digits it is asked for well above chance), on the
// models the mnist.models fixture trains once for this program and the export's round trips; and
// gan-eval draws a conditional model's digit from its checkpoint.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/dataset.h"
#include "core/io/csv.h"
#include "core/judge/judge.h"
#include "core/model/gan.h"
#include "mnist_models.h"
#include "test_support.h"

namespace gan {
namespace {

// Each model as the mnist.models fixture trained it (mnist_models.cpp), against the same model at
// step 0: the same config and seed give the same initial weights.
class VariantsOnMnist : public ::testing::TestWithParam<test::MnistModel> {};

TEST_P(VariantsOnMnist, AShortRunLearns) {
  const test::MnistModel& model = GetParam();
  ASSERT_TRUE(std::filesystem::exists(test::checkpoint_of(model))) << "the mnist.models fixture trains it";
  const Config config = test::config_of(model);
  const ImageSet data = load_dataset(config.data);
  const auto judge = Judge::open(config.data, 1000);
  auto score = [&](Gan& gan) { return judge->score(gan.evaluation_images(1000), gan.evaluation_labels(1000)); };
  Gan untrained(config, data);
  const QualityRecord before = score(untrained);
  Gan trained(config, data);
  trained.load_checkpoint(test::checkpoint_of(model));
  ASSERT_EQ(trained.step(), model.steps);
  const QualityRecord after = score(trained);
  std::printf("%s after %d steps: IS %.2f -> %.2f, FID %.1f -> %.1f", model.preset, model.steps, before.inception_score,
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

INSTANTIATE_TEST_SUITE_P(Presets, VariantsOnMnist,
                         ::testing::Values(test::mnist_model("mlp_conditional"), test::mnist_model("dcgan"),
                                           test::mnist_model("dcgan_conditional"), test::mnist_model("lsgan"),
                                           test::mnist_model("hinge"), test::mnist_model("wgan_gp")),
                         [](const ::testing::TestParamInfo<test::MnistModel>& model) { return std::string(model.param.name); });

// The fixture: trains the shared models once per build tree (ctest's mnist.models).
TEST(MnistModels, Train) { test::train_missing_mnist_models(); }

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

  const test::ProgramResult drawn = test::run_program(GAN_EVAL_EXECUTABLE, "'" + conditional + "'" + out + " --digit 0 --count 5");
  ASSERT_EQ(drawn.exit_code, 0) << drawn.output;
  EXPECT_NE(drawn.output.find("5 digits written"), std::string::npos) << drawn.output;
  EXPECT_TRUE(std::filesystem::exists(folder / "digits" / "digit_0000003_0005.png"));
  // Nothing is overwritten, and what cannot be asked is refused with the reason.
  const test::ProgramResult again = test::run_program(GAN_EVAL_EXECUTABLE, "'" + conditional + "'" + out + " --digit 0 --count 5");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("already exists; no digits were written"), std::string::npos) << again.output;
  const test::ProgramResult unknown = test::run_program(GAN_EVAL_EXECUTABLE, "'" + conditional + "'" + out + " --digit 3");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("it draws 0 to 0"), std::string::npos) << unknown.output;
  const test::ProgramResult unconditional = test::run_program(GAN_EVAL_EXECUTABLE, "'" + plain + "'" + out + " --digit 0");
  EXPECT_EQ(unconditional.exit_code, 2);
  EXPECT_NE(unconditional.output.find("--digit needs a conditional model"), std::string::npos) << unconditional.output;
  const test::ProgramResult scoring = test::run_program(GAN_EVAL_EXECUTABLE, "'" + plain + "' --digit 0");
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
    const test::ProgramResult out = test::run_program(GAN_EVAL_EXECUTABLE, checkpoint + " --digits '" + (folder / name).string() + "' --count 6" + seed);
    EXPECT_EQ(out.exit_code, 0) << out.output;
    EXPECT_NE(out.output.find("6 digits written"), std::string::npos) << out.output;
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
  const test::ProgramResult scoring = test::run_program(GAN_EVAL_EXECUTABLE, checkpoint + " --seed 5");
  EXPECT_EQ(scoring.exit_code, 2);
  EXPECT_NE(scoring.output.find("--seed draws digits with --digits"), std::string::npos) << scoring.output;
}

}  // namespace
}  // namespace gan
