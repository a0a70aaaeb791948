// gan-sweep as a user meets it: a sweep of real (tiny) gan-train runs, sweep.csv, resuming, a run
// that fails while the sweep goes on, the early stop, the Slurm array, and bad sweep files.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "core/run/run_folder.h"
#include "core/run/run_summary.h"
#include "test_support.h"

namespace gan {
namespace {

test::ProgramResult run_gan_sweep(const std::string& arguments, const std::string& environment = "") {
  return test::run_program(GAN_SWEEP_EXECUTABLE, arguments, environment);
}

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

class GanSweepCli : public ::testing::Test {
 protected:
  void SetUp() override { test::write_tiny_idx_config(folder_.path()); }

  std::string write_sweep(const std::string& parameters, const std::string& extra = "") {
    const auto path = folder_ / "sweep.yaml";
    std::ofstream(path) << "base: tiny.yaml\nmax_steps: 4\n" << extra << "parameters:\n" << parameters;
    return path.string();
  }

  test::TempFolder folder_;
};

TEST_F(GanSweepCli, TrainsEveryRunWritesSweepCsvAndResumesLonger) {
  const std::string sweep = write_sweep("  optimizer.generator.lr: [0.0001, 0.001]\n");
  const std::string out = (folder_ / "out").string();
  const auto first = run_gan_sweep(sweep + " --out " + out);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("2 finished, 0 stopped early by an alarm, 0 failed"), std::string::npos) << first.output;
  for (const char* run : {"00-g_lr-0.0001", "01-g_lr-0.001"}) {
    EXPECT_EQ(read_manifest(folder_ / "out" / run).step, 4) << run;
    EXPECT_TRUE(std::filesystem::exists(folder_ / "out" / "logs" / (std::string(run) + ".log"))) << run;
  }
  EXPECT_NE(test::read_text(folder_ / "out" / "01-g_lr-0.001" / "config.yaml").find("lr: 0.001"), std::string::npos);
  const std::string csv = test::read_text(folder_ / "out" / "sweep.csv");
  EXPECT_EQ(lines(csv), 3u) << csv;
  EXPECT_NE(csv.find("\n00-g_lr-0.0001,0.0001,finished,4,"), std::string::npos) << csv;

  // Nothing left to do: the runs are kept as they are.
  const auto again = run_gan_sweep(out);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("2 runs were done already"), std::string::npos) << again.output;

  // Longer: each run continues from its checkpoint instead of starting over.
  const auto longer = run_gan_sweep(out + " --max-steps 7");
  ASSERT_EQ(longer.exit_code, 0) << longer.output;
  EXPECT_NE(longer.output.find("resuming"), std::string::npos) << longer.output;
  EXPECT_EQ(read_manifest(folder_ / "out" / "00-g_lr-0.0001").step, 7);
  EXPECT_EQ(lines(test::read_text(folder_ / "out" / "00-g_lr-0.0001" / "metrics.csv")), 8u);  // header + 7 steps
}

TEST_F(GanSweepCli, ARunThatFailsIsRecordedAndTheSweepGoesOn) {
  // The second run's data is missing: gan-train refuses it, the others train.
  const std::string sweep =
      write_sweep("  data.path: [\"" + (folder_ / "data").string() + "\", /no/such/folder]\n  train.seed: [1, 2]\n");
  const auto result = run_gan_sweep(sweep + " --out " + (folder_ / "out").string());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("failed"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("2 finished"), std::string::npos) << result.output;
  // Refused before it wrote a run folder, it is still recorded as failed, and stays so.
  const std::string csv = test::read_text(folder_ / "out" / "sweep.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5) << csv;
  EXPECT_NE(csv.find(",/no/such/folder,1,failed,0,"), std::string::npos) << csv;
  const std::string out = (folder_ / "out").string();
  const auto again = run_gan_sweep(out);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("4 runs were done already"), std::string::npos) << again.output;
  // Asked to, it tries the failed ones again (and they fail again: the data is still missing).
  const auto retried = run_gan_sweep(out + " --retry-failed");
  EXPECT_EQ(retried.exit_code, 1) << retried.output;
  EXPECT_NE(retried.output.find("2 failed runs will train again"), std::string::npos) << retried.output;
}

TEST_F(GanSweepCli, AnAlarmStopsARunEarlyAndItStaysDone) {
  // An alarm that fires at once: D "wins" whenever D(x) > 0 and D(G(z)) < 1.
  const std::string sweep = write_sweep(
      "  optimizer.generator.lr: [0.0002]\n",
      "set: {alarms.warmup: 0, alarms.d_wins_real: 0.0, alarms.d_wins_fake: 1.0, alarms.d_wins_steps: 1}\n");
  const std::string out = (folder_ / "out").string();
  const auto result = run_gan_sweep(sweep + " --out " + out);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("1 stopped early by an alarm"), std::string::npos) << result.output;
  const RunSummary run = summarize_run(folder_ / "out" / "00-g_lr-0.0002");
  EXPECT_EQ(run.status, "d-wins");
  EXPECT_LT(run.steps, 4);
  EXPECT_NE(test::read_text(folder_ / "out" / "sweep.csv").find(",d-wins,"), std::string::npos);
  const auto again = run_gan_sweep(out + " --list");
  EXPECT_NE(again.output.find("done"), std::string::npos) << again.output;
}

TEST_F(GanSweepCli, WritesASlurmArrayWhoseTasksTrainOneRunEach) {
  const std::string sweep = write_sweep("  optimizer.generator.lr: [0.0001, 0.0002, 0.0004]\n");
  const std::string out = (folder_ / "out").string();
  const auto written = run_gan_sweep(sweep + " --out " + out + " --slurm");
  ASSERT_EQ(written.exit_code, 0) << written.output;
  const std::string script = test::read_text(folder_ / "out" / "sweep.sbatch");
  EXPECT_NE(script.find("#SBATCH --array=0-2\n"), std::string::npos) << script;
  EXPECT_FALSE(std::filesystem::exists(folder_ / "out" / "00-g_lr-0.0001"));  // nothing trained yet
  // Task 1 as Slurm would run it.
  const auto task = test::run_program("/bin/bash", (folder_ / "out" / "sweep.sbatch").string(), "SLURM_ARRAY_TASK_ID=1");
  ASSERT_EQ(task.exit_code, 0) << task.output;
  EXPECT_TRUE(std::filesystem::exists(folder_ / "out" / "01-g_lr-0.0002" / "model.pt"));
  EXPECT_FALSE(std::filesystem::exists(folder_ / "out" / "00-g_lr-0.0001"));
  const auto past = run_gan_sweep(out + " --task 3");
  EXPECT_EQ(past.exit_code, 2);
  EXPECT_NE(past.output.find("the sweep has 3 runs"), std::string::npos) << past.output;
}

TEST_F(GanSweepCli, ABadSweepFileIsRefusedWithItsLine) {
  const std::string sweep = write_sweep("  optimizer.generator.lr: []\n");
  const auto result = run_gan_sweep(sweep + " --out " + (folder_ / "out").string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("sweep.yaml:4: optimizer.generator.lr: an empty list"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(folder_ / "out"));
}

}  // namespace
}  // namespace gan
