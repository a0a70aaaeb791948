// gan-train as a user meets it: exit codes and the one-line reasons for bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <cstdio>
#include <functional>
#include <sstream>
#include <string>

#include "core/model/checkpoint.h"
#include "core/run/run_folder.h"
#include "test_support.h"

namespace gan {
namespace {

using Result = test::ProgramResult;

Result run_gan_train(const std::string& arguments, const std::string& environment = "") {
  return test::run_program(GAN_TRAIN_EXECUTABLE, arguments, environment);
}

class GanTrainCli : public ::testing::Test {
 protected:
  void SetUp() override { config_ = test::write_tiny_idx_config(folder_.path()).string(); }

  test::TempFolder folder_;
  std::string config_;
};

TEST_F(GanTrainCli, TrainsAndWritesTheRunFolder) {
  const std::string out = (folder_ / "run").string();
  const Result result = run_gan_train("--config " + config_ + " --out " + out);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("run finished"), std::string::npos) << result.output;
  for (const char* name : {"config.yaml", "metrics.csv", "events.csv", "model.pt", "samples/step_0000000.png",
                           "samples/step_0000003.png", "samples/step_0000008.png"}) {
    EXPECT_TRUE(std::filesystem::exists(folder_ / "run" / name)) << name;
  }
  const std::string metrics = test::read_text(folder_ / "run" / "metrics.csv");
  EXPECT_EQ(std::count(metrics.begin(), metrics.end(), '\n'), 9);  // header + 2 epochs x 4 steps
}

TEST_F(GanTrainCli, WithoutAConfigTrainsTheDefaultPresetFoundBesideTheProgram) {
  // build/app/gan-train finds build/share/gan-studio/presets as an installed one finds
  // <prefix>/share/gan-studio/presets: no source path is compiled in.
  const std::string run = (folder_ / "run").string();
  const Result result = run_gan_train("--set data.dataset=idx --set data.path=" + (folder_ / "data").string() +
                                          " --set train.device=cpu --max-steps 2 --out " + run,
                                      "env -u GAN_PRESETS_DIR");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const Config config = load_config(std::filesystem::path(run) / "config.yaml");
  // The CPU's default (no GPU here): the conditional DCGAN.
  auto model_of = [](const Config& c) {
    const std::string yaml = to_yaml(c);
    return yaml.substr(yaml.find("model:"), yaml.find("train:") - yaml.find("model:"));
  };
  EXPECT_EQ(model_of(config), model_of(test::preset("cdcgan")));
  EXPECT_TRUE(config.model.conditional);
  EXPECT_EQ(config.data.dataset, "idx");
}

TEST_F(GanTrainCli, MaxStepsAndOverridesApply) {
  const std::string out = (folder_ / "run").string();
  const Result result = run_gan_train("--config " + config_ + " --out " + out +
                                      " --max-steps 5 --set optimizer.generator.lr=0.001 --device cpu");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string config = test::read_text(folder_ / "run" / "config.yaml");
  EXPECT_NE(config.find("lr: 0.001"), std::string::npos) << config;
  const std::string metrics = test::read_text(folder_ / "run" / "metrics.csv");
  EXPECT_EQ(std::count(metrics.begin(), metrics.end(), '\n'), 6);
}

TEST_F(GanTrainCli, BadKeyIsNamedWithItsLine) {
  std::FILE* file = std::fopen(config_.c_str(), "a");
  std::fputs("optimiser:\n  lr: 0.1\n", file);
  std::fclose(file);
  const Result result = run_gan_train("--config " + config_);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("tiny.yaml:8: optimiser: unknown key (did you mean 'optimizer'?)"), std::string::npos)
      << result.output;
}

TEST_F(GanTrainCli, BadValueIsNamedWithItsRange) {
  const Result result = run_gan_train("--config " + config_ + " --set train.batch_size=0");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("--set: train.batch_size: must be between 1 and 65536, found 0"), std::string::npos)
      << result.output;
}

TEST_F(GanTrainCli, MissingDataFolderIsNamed) {
  const Result result = run_gan_train("--config " + config_ + " --set data.path=/no/such/folder");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("/no/such/folder: data folder not found"), std::string::npos) << result.output;
  // MNIST from a GAN_DATA_DIR that does not exist.
  const Result mnist = run_gan_train("--set train.device=cpu", "GAN_DATA_DIR=/no/mnist/here");
  EXPECT_EQ(mnist.exit_code, 2);
  EXPECT_NE(mnist.output.find("/no/mnist/here: data folder not found"), std::string::npos) << mnist.output;
}

TEST_F(GanTrainCli, AGpuThatIsNotThereIsRefusedBeforeAnythingIsWritten) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "a GPU is present";
  const Result result = run_gan_train("--config " + config_ + " --device cuda:1 --out " + (folder_ / "run").string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("gan-train: train.device is cuda:1, but "), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(folder_ / "run"));
}

TEST_F(GanTrainCli, MissingConfigAndBadArgumentsAreRefused) {
  const Result missing = run_gan_train("--config /no/such.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("gan-train: /no/such.yaml: cannot open config file"), std::string::npos) << missing.output;
  const Result tpu = run_gan_train("--device tpu");
  EXPECT_EQ(tpu.exit_code, 2);
  EXPECT_NE(tpu.output.find("expected auto, cpu, cuda or cuda:N"), std::string::npos) << tpu.output;
  EXPECT_EQ(run_gan_train("--max-steps -4").exit_code, 2);
  EXPECT_EQ(run_gan_train("--help").exit_code, 0);
}

TEST_F(GanTrainCli, NeverWritesIntoAnExistingRun) {
  std::filesystem::create_directories(folder_ / "run");
  test::write_bytes(folder_ / "run" / "notes.txt", {'h', 'i'});
  const Result result = run_gan_train("--config " + config_ + " --out " + (folder_ / "run").string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("folder exists and is not empty"), std::string::npos) << result.output;
  EXPECT_EQ(test::read_text(folder_ / "run" / "notes.txt"), "hi");
}

// Metrics rows without the wall-clock column, for comparing runs step by step.
std::vector<std::string> losses_of(const std::filesystem::path& run) {
  std::ifstream file(run / "metrics.csv");
  std::vector<std::string> rows;
  std::string line;
  std::getline(file, line);
  // step, epoch and the four losses: the columns that must repeat exactly (not the clock)
  auto sixth_comma = [](const std::string& row) {
    std::size_t at = 0;
    for (int i = 0; i < 6; ++i) at = row.find(',', at) + 1;
    return at - 1;
  };
  while (std::getline(file, line)) rows.push_back(line.substr(0, sixth_comma(line)));
  return rows;
}

// Starts gan-train in the background; returns its process id.
pid_t start_in_background(const std::string& arguments, const std::filesystem::path& log) {
  const Result started =
      run_gan_train(arguments + " > '" + log.string() + "' 2>&1 & echo $!", "");  // the shell prints the pid
  return static_cast<pid_t>(std::stol(started.output));
}

bool wait_for(const std::function<bool()>& condition, std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST_F(GanTrainCli, ResumeContinuesToTheRunsTotalWithTheSameLosses) {
  const std::string common = "--set train.epochs=10 --set checkpoint.interval=0";
  const std::string whole = (folder_ / "whole").string();
  ASSERT_EQ(run_gan_train("--config " + config_ + " " + common + " --out " + whole + " --max-steps 20").exit_code, 0);

  const std::string part = (folder_ / "part").string();
  ASSERT_EQ(run_gan_train("--config " + config_ + " " + common + " --out " + part + " --max-steps 9").exit_code, 0);
  EXPECT_EQ(read_manifest(part).status, "finished");
  const Result resumed = run_gan_train("--resume " + part + " --max-steps 20");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("step 9"), std::string::npos) << resumed.output;
  EXPECT_EQ(losses_of(part), losses_of(whole));
  EXPECT_EQ(losses_of(part).size(), 20u);
  EXPECT_EQ(read_manifest(part).step, 20);
  EXPECT_TRUE(std::filesystem::exists(checkpoint_path(part, 20)));
}

TEST_F(GanTrainCli, ResumeRefusesWhatCannotChange) {
  const std::string run = (folder_ / "run").string();
  ASSERT_EQ(run_gan_train("--config " + config_ + " --out " + run + " --max-steps 3").exit_code, 0);
  const Result changed = run_gan_train("--resume " + run + " --set model.latent_dim=5");
  EXPECT_EQ(changed.exit_code, 2);
  EXPECT_NE(changed.output.find("only data.path, train.device, train.step, quality.*, inside.*, alarms.* can change"), std::string::npos) << changed.output;
  // How the steps are issued is not part of what a run is: it may change.
  const Result step = run_gan_train("--resume " + run + " --set train.step=eager --max-steps 4");
  EXPECT_EQ(step.exit_code, 0) << step.output;
  const Result nothing = run_gan_train("--resume " + (folder_ / "data").string());
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.output.find("data: not a run folder or a checkpoint in one"), std::string::npos) << nothing.output;
}

TEST_F(GanTrainCli, ForkStartsANewRunFromACheckpointWithNewHyperparameters) {
  const std::string common = " --set train.epochs=10 --set checkpoint.interval=0";
  const auto parent = folder_ / "parent";
  ASSERT_EQ(run_gan_train("--config " + config_ + common + " --out " + parent.string() + " --max-steps 12").exit_code, 0);

  // Same settings: a fork continues exactly as the parent would have.
  const auto twin = folder_ / "twin";
  const auto whole = folder_ / "whole";
  ASSERT_EQ(run_gan_train("--config " + config_ + common + " --out " + whole.string() + " --max-steps 20").exit_code, 0);
  const Result same = run_gan_train("--fork " + parent.string() + " --out " + twin.string() + " --max-steps 20");
  ASSERT_EQ(same.exit_code, 0) << same.output;
  const auto twin_rows = losses_of(twin);
  ASSERT_EQ(twin_rows.size(), 8u);  // steps 13..20
  EXPECT_EQ(std::stoll(twin_rows.front()), 13);
  const auto whole_rows = losses_of(whole);
  EXPECT_EQ(twin_rows, std::vector<std::string>(whole_rows.begin() + 12, whole_rows.end()));
  EXPECT_TRUE(std::filesystem::exists(RunFolder::sample_path(twin, 12)));  // its starting grid

  // A new learning rate: the fork records its parent and trains with the new value.
  const auto child = folder_ / "child";
  const Result forked = run_gan_train("--fork " + checkpoint_path(parent, 12).string() +
                                      " --set optimizer.generator.lr=0.01 --out " + child.string() + " --max-steps 20");
  ASSERT_EQ(forked.exit_code, 0) << forked.output;
  const RunManifest manifest = read_manifest(child);
  EXPECT_EQ(manifest.parent_step, 12);
  EXPECT_NE(manifest.parent.find("parent/checkpoints/step_0000012.pt"), std::string::npos) << manifest.parent;
  EXPECT_NE(test::read_text(child / "config.yaml").find("lr: 0.01"), std::string::npos);
  EXPECT_NE(losses_of(child), twin_rows);

  // The model cannot change in a fork.
  const Result wider = run_gan_train("--fork " + parent.string() + " --set model.latent_dim=7 --out " +
                                     (folder_ / "wider").string());
  EXPECT_EQ(wider.exit_code, 2);
  EXPECT_NE(wider.output.find("a fork may change only"), std::string::npos) << wider.output;
}

TEST_F(GanTrainCli, KillNineLosesAtMostOneCheckpointInterval) {
  const auto run = folder_ / "run";
  const pid_t pid = start_in_background("--config " + config_ + " --set train.epochs=1000000 --set checkpoint.interval=50 --out " +
                                            run.string(),
                                        folder_ / "log.txt");
  ASSERT_TRUE(wait_for([&] { return list_checkpoints(run).size() >= 2; })) << test::read_text(folder_ / "log.txt");
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(wait_for([&] { return ::kill(pid, 0) != 0; }));

  // The folder is readable as it was left: a manifest, a checkpoint, metrics up to at least it.
  const RunManifest manifest = read_manifest(run);
  EXPECT_EQ(manifest.status, "running");
  const std::int64_t saved = read_checkpoint_info(list_checkpoints(run).back()).step;
  EXPECT_EQ(saved % 50, 0);
  EXPECT_GE(static_cast<std::int64_t>(losses_of(run).size()), saved);

  const Result resumed = run_gan_train("--resume " + run.string() + " --max-steps " + std::to_string(saved + 30));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto rows = losses_of(run);
  ASSERT_EQ(static_cast<std::int64_t>(rows.size()), saved + 30);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(std::stoll(rows[i]), static_cast<long long>(i) + 1);
  EXPECT_EQ(read_manifest(run).status, "finished");
}

TEST_F(GanTrainCli, InterruptStopsAfterTheCurrentStepAndKeepsEverything) {
  const auto run = folder_ / "run";
  const pid_t pid = start_in_background("--config " + config_ + " --set train.epochs=1000000 --out " + run.string(),
                                        folder_ / "log.txt");
  ASSERT_TRUE(wait_for([&] { return losses_of(run).size() > 20; }));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  ASSERT_TRUE(wait_for([&] { return ::kill(pid, 0) != 0; })) << "gan-train did not stop";
  EXPECT_NE(test::read_text(folder_ / "log.txt").find("stopping after the current step"), std::string::npos);
  EXPECT_EQ(read_manifest(run).status, "stopped");
  EXPECT_TRUE(std::filesystem::exists(run / "model.pt"));
  const std::int64_t steps = static_cast<std::int64_t>(losses_of(run).size());
  EXPECT_EQ(read_checkpoint_info(list_checkpoints(run).back()).step, steps);
}

TEST_F(GanTrainCli, SigtermStopsLikeCtrlC) {
  const auto run = folder_ / "run";
  const pid_t pid = start_in_background("--config " + config_ + " --set train.epochs=1000000 --out " + run.string(),
                                        folder_ / "log.txt");
  ASSERT_TRUE(wait_for([&] { return losses_of(run).size() > 20; }));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  ASSERT_TRUE(wait_for([&] { return ::kill(pid, 0) != 0; })) << "gan-train did not stop";
  EXPECT_EQ(read_manifest(run).status, "stopped");
  const std::int64_t steps = static_cast<std::int64_t>(losses_of(run).size());
  EXPECT_EQ(read_checkpoint_info(list_checkpoints(run).back()).step, steps);
}

TEST_F(GanTrainCli, SigtermTwiceStillEndsWithTheFinalCheckpoint) {
  // Slurm signals every process of a cancelled or preempted step, and gan-sweep forwards SIGTERM
  // too: gan-train gets it twice at once, and must still write its checkpoint (within KillWait).
  const auto run = folder_ / "run";
  const pid_t pid = start_in_background("--config " + config_ + " --set train.epochs=1000000 --out " + run.string(),
                                        folder_ / "log.txt");
  ASSERT_TRUE(wait_for([&] { return losses_of(run).size() > 20; }));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  ASSERT_TRUE(wait_for([&] { return ::kill(pid, 0) != 0; })) << "gan-train did not stop";
  EXPECT_EQ(read_manifest(run).status, "stopped") << test::read_text(folder_ / "log.txt");
  const auto checkpoints = list_checkpoints(run);
  ASSERT_FALSE(checkpoints.empty()) << test::read_text(folder_ / "log.txt");
  EXPECT_EQ(read_checkpoint_info(checkpoints.back()).step, static_cast<std::int64_t>(losses_of(run).size()));
  EXPECT_NE(test::read_text(folder_ / "log.txt").find("stopping after the current step, with a checkpoint"), std::string::npos);
}

TEST_F(GanTrainCli, AnOutputFolderThatCannotBeWrittenIsNamed) {
  const Result result = run_gan_train("--config " + config_ + " --out /proc/gan-studio-test/run");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("/proc/gan-studio-test/run"), std::string::npos) << result.output;
  // And a file where the folder should be.
  test::write_bytes(folder_ / "taken", {'x'});
  const Result taken = run_gan_train("--config " + config_ + " --out " + (folder_ / "taken").string());
  EXPECT_EQ(taken.exit_code, 2);
  EXPECT_NE(taken.output.find("taken"), std::string::npos) << taken.output;
  EXPECT_EQ(test::read_text(folder_ / "taken"), "x");
}

TEST_F(GanTrainCli, BenchPrintsOneJsonLinePerMode) {
  const Result result =
      test::run_program(GAN_BENCH_EXECUTABLE, "--config " + config_ + " --mode eager --steps 4 --warmup 1 --repeat 1 --json", "");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  const nlohmann::json line = nlohmann::json::parse(result.output);
  EXPECT_EQ(line["mode"], "eager");
  EXPECT_EQ(line["device"].get<std::string>().rfind("CPU", 0), 0u) << result.output;
  for (const char* key : {"ms_per_step", "steps_per_s", "s_per_epoch"}) {
    ASSERT_TRUE(line[key].is_number()) << key << " in " << result.output;
    EXPECT_GT(line[key].get<double>(), 0.0) << key;
  }
  EXPECT_FALSE(line.contains("not_finite")) << result.output;
  EXPECT_EQ(test::run_program(GAN_BENCH_EXECUTABLE, "--config /no/such.yaml", "").exit_code, 2);
}

TEST_F(GanTrainCli, BenchTimesTheInsideFiguresOffAndOnAndSaysWhatTheyCost) {
  const Result result = test::run_program(
      GAN_BENCH_EXECUTABLE, "--config " + config_ + " --mode eager --steps 4 --warmup 1 --repeat 1 --json --diagnostics both", "");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::vector<nlohmann::json> lines;
  std::istringstream text(result.output);
  for (std::string line; std::getline(text, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 3u) << result.output;
  EXPECT_EQ(lines[0]["inside"], false);
  EXPECT_EQ(lines[1]["inside"], true);
  EXPECT_EQ(lines[2]["mode"], "inside-overhead");
  EXPECT_EQ(lines[2]["step_mode"], "eager");
  EXPECT_TRUE(lines[2]["overhead_percent"].is_number()) << result.output;
  EXPECT_EQ(test::run_program(GAN_BENCH_EXECUTABLE, "--config " + config_ + " --diagnostics maybe", "").exit_code, 2);
}

TEST_F(GanTrainCli, BenchTimesTheModesPossibleHereAndSaysWhyTheGraphIsNot) {
  const std::string args = "--config " + config_ + " --device cpu --steps 4 --warmup 1 --repeat 1 --json";
  const Result all = test::run_program(GAN_BENCH_EXECUTABLE, args, "");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_NE(all.output.find("{\"config\":"), std::string::npos) << all.output;
  EXPECT_NE(all.output.find("\"mode\":\"eager\""), std::string::npos) << all.output;
  // Whether graph and eager agree is said too: here, that they could not be compared, and why.
  EXPECT_NE(all.output.find("{\"config\":\"tiny\",\"mode\":\"graph-vs-eager\",\"compared\":false,\"reason\":\"train.step is graph, "
                            "but a CUDA graph needs a CUDA device"),
            std::string::npos)
      << all.output;
  const Result graph = test::run_program(GAN_BENCH_EXECUTABLE, args + " --mode graph", "");
  EXPECT_EQ(graph.exit_code, 1) << graph.output;
  EXPECT_NE(graph.output.find("train.step is graph"), std::string::npos) << graph.output;
  EXPECT_EQ(test::run_program(GAN_BENCH_EXECUTABLE, args + " --mode captured", "").exit_code, 2);
}

}  // namespace
}  // namespace gan
