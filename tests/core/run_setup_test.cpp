#include "core/training/run_setup.h"

#include <gtest/gtest.h>

#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "core/training/trainer.h"
#include "test_support.h"

namespace gan {
namespace {

// Loads tiny_images() whatever the config says, counting the loads.
struct TinyLoader {
  int* loads;
  ImageSet operator()(const DataConfig&) const {
    ++*loads;
    return test::tiny_images();
  }
};

class RunSetup : public ::testing::Test {
 protected:
  // A run of 12 steps with a checkpoint every 5 (steps 5 and 10, and 12 at the end).
  std::filesystem::path trained_run() {
    Config config = test::tiny_config();
    config.checkpoint.interval = 5;
    config.checkpoint.keep = 5;
    const std::filesystem::path folder = folder_ / "parent";
    OpenedRun run = open_new_run(config, folder, "tiny", TinyLoader{&loads_});
    run.trainer->enable_checkpoints(run.folder->path());
    ObserverFanOut observers({run.folder.get()});
    EXPECT_EQ(run.trainer->run(observers, 12), RunState::kFinished);
    return folder;
  }

  test::TempFolder folder_;
  int loads_ = 0;
};

TEST_F(RunSetup, ANewRunWritesItsFolderWithTheLabelAsPreset) {
  const std::filesystem::path folder = folder_ / "run";
  const OpenedRun run = open_new_run(test::tiny_config(), folder, "tiny", TinyLoader{&loads_});
  EXPECT_EQ(run.folder->path(), folder);
  EXPECT_EQ(read_manifest(folder).preset, "tiny");
  EXPECT_EQ(load_config(folder / "config.yaml").model.generator.hidden, test::tiny_config().model.generator.hidden);
  EXPECT_EQ(run.from_step, -1);
  EXPECT_EQ(loads_, 1);
}

TEST_F(RunSetup, ANewRunWhoseDataFailsLeavesNoFolder) {
  const std::filesystem::path folder = folder_ / "run";
  const DatasetLoader failing = [](const DataConfig&) -> ImageSet { throw std::runtime_error("no MNIST here"); };
  EXPECT_THROW(open_new_run(test::tiny_config(), folder, "tiny", failing), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(folder));
}

TEST_F(RunSetup, ResumingARunFolderTakesItsNewestCheckpoint) {
  const std::filesystem::path parent = trained_run();
  const OpenedRun run = open_resumed_run(parent, {"quality.interval=0", "train.device=cpu"}, TinyLoader{&loads_});
  EXPECT_EQ(run.from_step, 12);
  EXPECT_EQ(run.checkpoint, checkpoint_path(parent, 12));
  EXPECT_EQ(run.folder->path(), parent);
}

TEST_F(RunSetup, ResumingFromACheckpointFileRollsItsRunBack) {
  const std::filesystem::path parent = trained_run();
  const OpenedRun run = open_resumed_run(checkpoint_path(parent, 5), {}, TinyLoader{&loads_});
  EXPECT_EQ(run.from_step, 5);
  EXPECT_EQ(run.folder->path(), parent);
  EXPECT_FALSE(std::filesystem::exists(checkpoint_path(parent, 10)));  // moved to checkpoints/abandoned
}

TEST_F(RunSetup, ResumingRefusesWhatTheFieldTableKeepsFixedNamingWhatMayChange) {
  const std::filesystem::path parent = trained_run();
  for (const char* assignment : {"model.latent_dim=5", "optimizer.generator.lr=0.1", "data.dataset=idx"}) {
    try {
      open_resumed_run(parent, {assignment}, TinyLoader{&loads_});
      ADD_FAILURE() << assignment << " was accepted";
    } catch (const std::runtime_error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(assignment), std::string::npos) << message;
      EXPECT_NE(message.find("only data.path, train.device, train.step, quality.*, inside.*, alarms.* can change"), std::string::npos)
          << message;
    }
  }
  EXPECT_THROW(open_resumed_run(folder_ / "nothing", {}, TinyLoader{&loads_}), std::runtime_error);
}

TEST_F(RunSetup, AForkIsANewFolderLabelledAfterItsParent) {
  const std::filesystem::path parent = trained_run();
  const std::filesystem::path checkpoint = checkpoint_path(parent, 10);
  const Config config = fork_config(checkpoint, {"optimizer.generator.lr=0.001"});
  EXPECT_DOUBLE_EQ(config.optimizer.generator.lr, 0.001);
  const std::filesystem::path folder = folder_ / "fork";
  const OpenedRun run = open_forked_run(checkpoint, config, folder, TinyLoader{&loads_});
  EXPECT_EQ(run.from_step, 10);
  const RunManifest manifest = read_manifest(folder);
  EXPECT_EQ(manifest.preset, "parent-fork");
  EXPECT_EQ(manifest.parent_step, 10);
  EXPECT_EQ(fork_label(checkpoint), "parent-fork");
  // A fork may not change the model's shape: Gan refuses, naming what a fork may change.
  Config wider = config;
  wider.model.latent_dim = 9;
  try {
    open_forked_run(checkpoint, wider, folder_ / "wider", TinyLoader{&loads_});
    ADD_FAILURE() << "a wider latent was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("a fork may change only data.path, train.epochs"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(folder_ / "wider"));
}

}  // namespace
}  // namespace gan
