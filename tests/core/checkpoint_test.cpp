#include "core/model/checkpoint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>

#include "core/model/gan.h"
#include "core/run/run_folder.h"
#include "core/training/trainer.h"
#include "test_support.h"

namespace gan {
namespace {

// Every StepRecord's numbers, for step-by-step comparisons.
struct Losses : TrainingObserver {
  void on_steps(const std::vector<StepRecord>& steps, const Progress&) override {
    for (const auto& s : steps) values.push_back({s.step, s.d_loss, s.g_loss, s.d_real, s.d_fake});
  }
  std::vector<std::tuple<std::int64_t, float, float, float, float>> values;
};

// Dropout in D and BatchNorm in G, so that RNG and running statistics must be restored too.
Config resumable_config() {
  Config config = test::tiny_config();
  config.model.discriminator.dropout = 0.3;
  config.checkpoint.interval = 0;
  return config;
}

torch::Tensor flat(torch::nn::Module& module) {
  std::vector<torch::Tensor> parts;
  for (const auto& p : module.parameters()) parts.push_back(p.detach().flatten().clone());
  for (const auto& b : module.buffers()) parts.push_back(b.detach().flatten().to(torch::kFloat).clone());
  return torch::cat(parts);
}

TEST(Checkpoint, ResumedRunMatchesAnUninterruptedOneStepForStep) {
  // 256 images / 16 = 16 steps an epoch: stop mid-epoch (at 21), continue across the next epoch start.
  Losses whole;
  {
    Trainer trainer(resumable_config(), test::tiny_images());
    ASSERT_EQ(trainer.run(whole, 40), RunState::kFinished);
  }
  test::TempFolder folder;
  const auto path = folder / "checkpoint.pt";
  Losses first;
  {
    Trainer trainer(resumable_config(), test::tiny_images());
    ASSERT_EQ(trainer.run(first, 21), RunState::kFinished);
    trainer.gan().save_checkpoint(path);
  }
  // Disturb the global RNG, as a new process would have it.
  torch::manual_seed(12345);
  torch::randn({100});
  Losses second;
  Trainer resumed(resumable_config(), test::tiny_images());
  resumed.resume_from(path);
  EXPECT_EQ(resumed.step(), 21);
  ASSERT_EQ(resumed.run(second, 40), RunState::kFinished);

  ASSERT_EQ(first.values.size(), 21u);
  ASSERT_EQ(second.values.size(), 19u);
  for (std::size_t i = 0; i < first.values.size(); ++i) EXPECT_EQ(first.values[i], whole.values[i]) << "step " << i + 1;
  for (std::size_t i = 0; i < second.values.size(); ++i) {
    EXPECT_EQ(second.values[i], whole.values[21 + i]) << "step " << 22 + i;
  }
}

TEST(Checkpoint, InfoCarriesStepAndConfig) {
  test::TempFolder folder;
  Config config = resumable_config();
  config.optimizer.generator.lr = 0.00123;
  Gan gan(config, test::tiny_images());
  for (int i = 0; i < 3; ++i) gan.train_step();
  gan.save_checkpoint(folder / "c.pt");
  const CheckpointInfo info = read_checkpoint_info(folder / "c.pt");
  EXPECT_EQ(info.version, kCheckpointVersion);
  EXPECT_EQ(info.step, 3);
  EXPECT_EQ(info.config.optimizer.generator.lr, 0.00123);
  EXPECT_EQ(to_yaml(info.config), to_yaml(config));
}

std::string load_error(Gan& gan, const std::filesystem::path& path) {
  try {
    gan.load_checkpoint(path);
  } catch (const CheckpointError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no CheckpointError for " << path;
  return {};
}

TEST(Checkpoint, BadFilesAreRefusedAndChangeNothing) {
  test::TempFolder folder;
  Gan source(resumable_config(), test::tiny_images());
  source.train_step();
  source.save_checkpoint(folder / "good.pt");
  const std::string bytes = test::read_text(folder / "good.pt");

  Gan target(resumable_config(), test::tiny_images());
  const torch::Tensor before = flat(*target.generator());

  // Truncated.
  test::write_bytes(folder / "truncated.pt", std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + bytes.size() / 2));
  EXPECT_NE(load_error(target, folder / "truncated.pt").find("truncated.pt: not a readable checkpoint"), std::string::npos);
  // Corrupt: bytes flipped in the middle of the archive.
  std::vector<std::uint8_t> corrupt(bytes.begin(), bytes.end());
  for (std::size_t i = corrupt.size() / 3; i < corrupt.size() / 3 + 64; ++i) corrupt[i] ^= 0x5a;
  test::write_bytes(folder / "corrupt.pt", corrupt);
  EXPECT_NE(load_error(target, folder / "corrupt.pt").find("corrupt.pt: not a readable checkpoint: entry '"),
            std::string::npos)
      << load_error(target, folder / "corrupt.pt");
  // fuzz_checkpoint's find: a few changed bytes inside an entry crashed LibTorch's TorchScript
  // parser; the CRC-32 check refuses the file before LibTorch sees it.
  const std::string crashed = test::read_text(GAN_FUZZ_REGRESSIONS_DIR "/checkpoint-torchscript-parser-crash");
  test::write_bytes(folder / "crashed.pt", std::vector<std::uint8_t>(crashed.begin(), crashed.end()));
  EXPECT_NE(load_error(target, folder / "crashed.pt").find("crashed.pt: not a readable checkpoint: "), std::string::npos)
      << load_error(target, folder / "crashed.pt");
  // fuzz_checkpoint's next finds: a deflated entry declaring 4 GB made LibTorch allocate 4 GB;
  // the same entry with the zip64 marker and no zip64 record made it allocate 4 GB too.
  for (const char* name : {"checkpoint-huge-declared-size", "checkpoint-zip64-marker-without-record"}) {
    const std::string found = test::read_text(std::string(GAN_FUZZ_REGRESSIONS_DIR "/") + name);
    test::write_bytes(folder / "sized.pt", std::vector<std::uint8_t>(found.begin(), found.end()));
    const std::string error = load_error(target, folder / "sized.pt");
    EXPECT_NE(error.find("sized.pt: not a readable checkpoint: entry '"), std::string::npos) << name << ": " << error;
  }
  // Foreign: a LibTorch archive that is not ours.
  source.save_models(folder / "model.pt");
  EXPECT_NE(load_error(target, folder / "model.pt").find("not a GAN Studio checkpoint"), std::string::npos);
  // Not an archive at all, and missing.
  test::write_bytes(folder / "text.pt", {'h', 'e', 'l', 'l', 'o'});
  EXPECT_NE(load_error(target, folder / "text.pt").find("not a readable checkpoint"), std::string::npos);
  EXPECT_NE(load_error(target, folder / "absent.pt").find("checkpoint not found"), std::string::npos);

  EXPECT_TRUE(torch::equal(before, flat(*target.generator())));
  EXPECT_EQ(target.step(), 0);
}

TEST(Checkpoint, AnotherModelIsRefused) {
  test::TempFolder folder;
  Gan source(resumable_config(), test::tiny_images());
  source.save_checkpoint(folder / "c.pt");
  Config wider = resumable_config();
  wider.model.generator.hidden = {16, 64};
  Gan target(wider, test::tiny_images());
  EXPECT_NE(load_error(target, folder / "c.pt").find("another config"), std::string::npos);
}

TEST(Checkpoint, LoadsOnCpuWhateverDeviceItNames) {
  // A checkpoint written by a CUDA run names device cuda in its config; here it must load on CPU.
  test::TempFolder folder;
  Config config = resumable_config();
  Gan source(config, test::tiny_images());
  source.train_step();
  source.save_checkpoint(folder / "c.pt");
  config.train.device = DeviceChoice::kAuto;
  Gan target(config, test::tiny_images());
  target.load_checkpoint(folder / "c.pt");
  EXPECT_TRUE(torch::equal(flat(*source.generator()), flat(*target.generator())));
}

TEST(Checkpoint, TrainerWritesPeriodicAndFinalCheckpointsAndKeepsTheNewest) {
  test::TempFolder folder;
  Config config = resumable_config();
  config.checkpoint.interval = 5;
  config.checkpoint.keep = 2;
  Trainer trainer(config, test::tiny_images());
  RunFolder run(folder / "run", config, "tiny");
  trainer.enable_checkpoints(run.path());
  ASSERT_EQ(trainer.run(run, 23), RunState::kFinished);
  std::vector<std::string> names;
  for (const auto& path : list_checkpoints(run.path())) names.push_back(path.filename().string());
  // Periodic at 5..20 (the newest two kept), and the final one at 23.
  EXPECT_EQ(names, (std::vector<std::string>{"step_0000015.pt", "step_0000020.pt", "step_0000023.pt"}));
  const RunManifest manifest = read_manifest(run.path());
  EXPECT_EQ(manifest.status, "finished");
  EXPECT_EQ(manifest.step, 23);
  EXPECT_EQ(manifest.checkpoint, "checkpoints/step_0000023.pt");
  EXPECT_EQ(manifest.preset, "tiny");
  // The run's length, for readers that follow it (the studio's progress bars).
  EXPECT_EQ(manifest.total_steps, 23);
  EXPECT_EQ(manifest.steps_per_epoch, trainer.info().steps_per_epoch);
  EXPECT_GT(manifest.steps_per_epoch, 0);
  EXPECT_NE(test::read_text(run.path() / "events.csv").find("20,checkpoint,checkpoints/step_0000020.pt"),
            std::string::npos);
}

TEST(Checkpoint, ResumingARunFolderDropsWhatCameAfterTheCheckpoint) {
  test::TempFolder folder;
  Config config = resumable_config();
  config.sampling.interval = 4;
  {
    Trainer trainer(config, test::tiny_images());
    RunFolder run(folder / "run", config);
    ASSERT_EQ(trainer.run(run, 10), RunState::kFinished);
  }
  RunFolder resumed(folder / "run", RunFolder::ResumeAt{6});
  const std::string metrics = test::read_text(folder / "run" / "metrics.csv");
  EXPECT_EQ(std::count(metrics.begin(), metrics.end(), '\n'), 7);  // header + steps 1..6
  // The seconds column goes on from the last kept row.
  // The seventh column of the last row of a metrics file.
  auto last_seconds_of = [](const std::string& text) {
    std::size_t at = text.rfind('\n', text.size() - 2) + 1;
    for (int i = 0; i < 6; ++i) at = text.find(',', at) + 1;
    return std::stod(text.substr(at));
  };
  const double last_seconds = last_seconds_of(metrics);
  resumed.on_steps({StepRecord{7, 0, 0.5f, 0.5f, 0.5f, 0.5f, 0.25}}, Progress{});
  EXPECT_NEAR(last_seconds_of(test::read_text(folder / "run" / "metrics.csv")), last_seconds + 0.25, 1e-3);
  EXPECT_TRUE(std::filesystem::exists(RunFolder::sample_path(folder / "run", 4)));
  EXPECT_FALSE(std::filesystem::exists(RunFolder::sample_path(folder / "run", 8)));
  EXPECT_NE(test::read_text(folder / "run" / "events.csv").find("6,resumed,"), std::string::npos);
}

}  // namespace
}  // namespace gan
