// Files are locale-proof: with the C library's numeric locale German, as QApplication makes it under
// de_DE.UTF-8, a run writes '.' in config.yaml, run.yaml, metrics.csv and events.csv, and reads its
// own folder back and resumes it. (The studio and gan-train under de_DE: tests/ui/locale_run_test.sh.)
#include <gtest/gtest.h>

#include <clocale>
#include <cstdio>
#include <string>

#include "core/config/config.h"
#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/run/run_reader.h"
#include "core/training/trainer.h"
#include "test_support.h"

namespace gan {
namespace {

class GermanNumbers : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = std::setlocale(LC_NUMERIC, nullptr);
    ASSERT_NE(std::setlocale(LC_NUMERIC, "de_DE.UTF-8"), nullptr)
        << "the de_DE.UTF-8 locale is not installed; packaging/setup.sh generates it";
    char text[16];
    std::snprintf(text, sizeof text, "%.1f", 0.5);
    ASSERT_STREQ(text, "0,5") << "the locale is not in effect, so this test would prove nothing";
  }
  void TearDown() override { std::setlocale(LC_NUMERIC, previous_.c_str()); }

 private:
  std::string previous_ = "C";
};

TEST_F(GermanNumbers, ARunFolderIsWrittenWithPointsAndResumes) {
  test::TempFolder folder;
  Config config = test::tiny_config();
  config.optimizer.generator.lr = 0.0002;
  config.checkpoint.interval = 5;
  const auto run = folder / "run";
  {
    Trainer trainer(config, test::tiny_images());
    RunFolder writer(run, config);
    trainer.enable_checkpoints(run);
    LiveHyperparameters changed = trainer.hyperparameters();
    changed.discriminator.lr = 0.00015;
    trainer.set_hyperparameters(changed);
    ASSERT_EQ(trainer.run(writer, 12), RunState::kFinished);
  }
  const std::string config_text = test::read_text(run / "config.yaml");
  EXPECT_NE(config_text.find("lr: 0.0002\n"), std::string::npos) << config_text;
  EXPECT_EQ(config_text.find("0,"), std::string::npos) << config_text;
  const std::string events = test::read_text(run / "events.csv");
  EXPECT_NE(events.find("d_lr=0.00015"), std::string::npos) << events;
  EXPECT_EQ(load_config(run / "config.yaml").optimizer.generator.lr, 0.0002);

  RunReader reader(run);
  const auto rows = reader.poll();
  ASSERT_EQ(rows.steps.size(), 12u);
  EXPECT_GT(rows.steps.back().seconds, 0.0);
  EXPECT_EQ(reader.config().optimizer.generator.lr, 0.0002);

  // Resume from the checkpoint at step 10: the rows up to it stay, the clock goes on from there.
  const auto checkpoint = checkpoint_path(run, 10);
  ASSERT_TRUE(std::filesystem::exists(checkpoint));
  {
    Trainer trainer(reader.config(), test::tiny_images());
    trainer.resume_from(checkpoint);
    RunFolder writer(run, RunFolder::ResumeAt{10});
    trainer.enable_checkpoints(run);
    ASSERT_EQ(trainer.run(writer, 15), RunState::kFinished);
  }
  RunReader again(run);
  const auto resumed = again.poll();
  ASSERT_EQ(resumed.steps.size(), 15u);
  for (std::size_t i = 0; i < resumed.steps.size(); ++i) EXPECT_EQ(resumed.steps[i].step, static_cast<std::int64_t>(i) + 1);
  EXPECT_GE(resumed.steps[10].seconds, resumed.steps[9].seconds);
  EXPECT_EQ(again.manifest().step, 15);
}

}  // namespace
}  // namespace gan
