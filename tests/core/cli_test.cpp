// gan-train as a user meets it: exit codes and the one-line reasons for bad input.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "test_support.h"

namespace gan {
namespace {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

Result run_program(const char* program, const std::string& arguments, const std::string& environment) {
  const std::string command = environment + " '" + program + "' " + arguments + " 2>&1";
  Result result;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Result run_gan_train(const std::string& arguments, const std::string& environment = "") {
  return run_program(GAN_TRAIN_EXECUTABLE, arguments, environment);
}

class GanTrainCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // A tiny IDX dataset so the tests need no MNIST.
    std::vector<std::uint8_t> pixels(64 * 4 * 4);
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 7);
    std::filesystem::create_directories(folder_ / "data");
    test::write_bytes(folder_ / "data" / "train-images-idx3-ubyte", test::idx_bytes({64, 4, 4}, pixels));
    test::write_bytes(folder_ / "data" / "train-labels-idx1-ubyte", test::idx_bytes({64}, std::vector<std::uint8_t>(64)));
    config_ = (folder_ / "tiny.yaml").string();
    std::FILE* file = std::fopen(config_.c_str(), "w");
    std::fprintf(file,
                 "data: {dataset: idx, path: \"%s\"}\n"
                 "model:\n  latent_dim: 4\n  generator: {hidden: [8]}\n  discriminator: {hidden: [8]}\n"
                 "train: {epochs: 2, batch_size: 16, device: cpu}\n"
                 "sampling: {interval: 3, grid: 2}\n",
                 (folder_ / "data").c_str());
    std::fclose(file);
  }

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

TEST_F(GanTrainCli, MissingConfigAndBadArgumentsAreRefused) {
  const Result missing = run_gan_train("--config /no/such.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("gan-train: /no/such.yaml: cannot open config file"), std::string::npos) << missing.output;
  EXPECT_EQ(run_gan_train("--device tpu").exit_code, 2);
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

TEST_F(GanTrainCli, BenchPrintsOneJsonLinePerMode) {
  const Result result =
      run_program(GAN_BENCH_EXECUTABLE, "--config " + config_ + " --steps 4 --warmup 1 --repeat 1 --json", "");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
  for (const char* key : {"\"mode\": \"eager\"", "\"device\": \"CPU", "\"ms_per_step\": ", "\"steps_per_s\": ",
                          "\"s_per_epoch\": "}) {
    EXPECT_NE(result.output.find(key), std::string::npos) << key << " in " << result.output;
  }
  EXPECT_EQ(run_program(GAN_BENCH_EXECUTABLE, "--config /no/such.yaml", "").exit_code, 2);
}

}  // namespace
}  // namespace gan
