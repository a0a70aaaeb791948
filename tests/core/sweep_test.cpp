// Sweep files, their expansion into runs, sweep folders and sweep.csv; run summaries. Torch-free:
// run folders here are written by RunFolder as a trainer would write them, without training.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/config/config.h"
#include "core/config/config_fields.h"
#include "core/io/number_text.h"
#include "core/run/run_folder.h"
#include "core/run/run_summary.h"
#include "core/sweep/sweep_folder.h"
#include "core/sweep/sweep_runner.h"
#include "core/sweep/sweep_spec.h"
#include "test_support.h"

namespace gan {
namespace {

class Sweeps : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(folder_ / "base.yaml") << "model: {latent_dim: 8}\ntrain: {epochs: 3, device: cpu}\n";
  }

  std::filesystem::path write_sweep(const std::string& text, const std::string& name = "sweep.yaml") {
    const auto path = folder_ / name;
    std::ofstream(path) << text;
    return path;
  }

  // The ConfigError loading `text` gives; fails the test when it loads.
  ConfigError error_for(const std::string& text) {
    try {
      load_sweep(write_sweep(text, "bad.yaml"));
    } catch (const ConfigError& e) {
      return e;
    }
    ADD_FAILURE() << "loaded:\n" << text;
    return ConfigError("", "");
  }

  // A run folder as a trainer leaves it: `steps` steps, scores at the given steps, then `status`.
  void write_run(const std::filesystem::path& path, std::int64_t steps, const std::vector<std::pair<std::int64_t, double>>& scores,
                 RunState state, const Config& config = Config{}) {
    RunFolder run(path, config, "laptop");
    RunInfo info;
    info.steps_per_epoch = 100;
    info.total_steps = 1000;
    run.on_started(info);
    std::vector<StepRecord> records;
    for (std::int64_t s = 1; s <= steps; ++s) {
      StepRecord r;
      r.step = s;
      r.seconds = 0.5 * static_cast<double>(s);
      for (const auto& [at, is] : scores) {
        if (at != s) continue;
        run.on_steps(records, {});
        records.clear();
        QualityRecord q;
        q.step = s;
        q.inception_score = is;
        q.fid = 100.0 / is;
        q.class_histogram.assign(10, 0.1);
        run.on_quality(q);
      }
      records.push_back(r);
    }
    run.on_steps(records, {});
    run.on_state(state, "");
  }

  test::TempFolder folder_;
};

std::vector<std::string> names(const std::vector<SweepRun>& runs) {
  std::vector<std::string> out;
  for (const auto& run : runs) out.push_back(run.name);
  return out;
}

TEST_F(Sweeps, AGridTrainsEveryCombinationTheFirstKeyChangingSlowest) {
  const SweepSpec spec = load_sweep(write_sweep("base: base.yaml\nmax_steps: 500\nparameters:\n"
                                                "  optimizer.generator.lr: [0.0001, 0.0002, 0.0004]\n"
                                                "  optimizer.discriminator.lr: [0.0001, 0.0004]\n"));
  EXPECT_EQ(spec.max_steps, 500);
  EXPECT_TRUE(spec.early_stop);
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs[0].name, "00-g_lr-0.0001-d_lr-0.0001");
  EXPECT_EQ(runs[1].name, "01-g_lr-0.0001-d_lr-0.0004");
  EXPECT_EQ(runs[5].name, "05-g_lr-0.0004-d_lr-0.0004");
  EXPECT_EQ(runs[3].overrides(spec),
            (std::vector<std::string>{"optimizer.generator.lr=0.0002", "optimizer.discriminator.lr=0.0004"}));
  EXPECT_EQ(swept_keys(spec), (std::vector<std::string>{"optimizer.generator.lr", "optimizer.discriminator.lr"}));
}

TEST_F(Sweeps, RangesAreEvenlySpacedAndLogRangesEvenlyInLog) {
  const auto runs = expand_sweep(load_sweep(write_sweep("base: base.yaml\nparameters:\n"
                                                        "  model.discriminator.dropout: {range: [0.0, 0.5], count: 3}\n"
                                                        "  optimizer.generator.lr: {log_range: [1e-5, 1e-3], count: 3}\n"
                                                        "  train.d_steps: {range: [1, 2], count: 4}\n")));
  std::set<std::string> dropout, lr, d_steps;
  for (const auto& run : runs) {
    dropout.insert(run.values[0].second);
    lr.insert(run.values[1].second);
    d_steps.insert(run.values[2].second);
  }
  EXPECT_EQ(dropout, (std::set<std::string>{"0", "0.25", "0.5"}));
  EXPECT_EQ(lr, (std::set<std::string>{"1e-05", "0.0001", "0.001"}));
  EXPECT_EQ(d_steps, (std::set<std::string>{"1", "2"}));  // whole numbers: 4 points round to 2 values
  EXPECT_EQ(runs.size(), 3u * 3u * 2u);
}

TEST_F(Sweeps, RangesNearTheirFieldsLimitsExpandToValuesTheFieldTakes) {
  // Rounded to 6 digits after the bounds were checked, 0.9999999 became "1", which beta2 refuses.
  const SweepSpec spec = load_sweep(write_sweep("base: base.yaml\nparameters:\n"
                                                "  optimizer.generator.beta2: {range: [0.99, 0.9999999], count: 3}\n"));
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].values[0].second, "0.99");
  EXPECT_EQ(runs[2].values[0].second, "0.9999999");
  for (const auto& run : runs) {
    const double beta2 = parse_double(run.values[0].second).value();
    EXPECT_GE(beta2, 0.99);
    EXPECT_LE(beta2, 0.9999999);
    EXPECT_NO_THROW(load_config(folder_ / "base.yaml", run.overrides(spec))) << run.values[0].second;
  }
  const auto random = expand_sweep(load_sweep(write_sweep("base: base.yaml\nmethod: random\ncount: 50\nparameters:\n"
                                                          "  optimizer.generator.beta2: {log_range: [0.9999990, 0.9999999]}\n")));
  for (const auto& run : random) {
    const double beta2 = parse_double(run.values[0].second).value();
    EXPECT_GE(beta2, 0.999999);
    EXPECT_LE(beta2, 0.9999999);
  }
}

TEST_F(Sweeps, NearbyGridPointsStayApartInsteadOfMerging) {
  const auto runs = expand_sweep(load_sweep(write_sweep("base: base.yaml\nparameters:\n"
                                                        "  optimizer.generator.lr: {range: [0.0002, 0.0002000004], count: 5}\n")));
  ASSERT_EQ(runs.size(), 5u);  // at 6 digits all five read 0.0002 and merged into one run
  std::set<std::string> values;
  for (const auto& run : runs) values.insert(run.values[0].second);
  EXPECT_EQ(values.size(), 5u);
  EXPECT_EQ(runs[0].values[0].second, "0.0002");
}

TEST_F(Sweeps, ARandomSweepDrawsTheSameRunsEveryTimeWithinItsRanges) {
  const std::string text = "base: base.yaml\nmethod: random\ncount: 20\nrandom_seed: 7\nparameters:\n"
                           "  optimizer.generator.lr: {log_range: [1e-5, 1e-3]}\n"
                           "  model.generator.activation: [relu, leaky_relu]\n";
  const auto first = expand_sweep(load_sweep(write_sweep(text)));
  const auto second = expand_sweep(load_sweep(write_sweep(text)));
  ASSERT_EQ(first.size(), 20u);
  std::set<std::string> activations;
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].values, second[i].values);
    const double lr = parse_double(first[i].values[0].second).value();
    EXPECT_GE(lr, 1e-5);
    EXPECT_LE(lr, 1e-3);
    activations.insert(first[i].values[1].second);
  }
  EXPECT_EQ(activations.size(), 2u);
  std::string other = text;
  other.replace(other.find("random_seed: 7"), 14, "random_seed: 8");
  EXPECT_NE(expand_sweep(load_sweep(write_sweep(other)))[0].values, first[0].values);
}

TEST_F(Sweeps, SeedsRepeatEveryCombination) {
  const SweepSpec spec = load_sweep(write_sweep("base: base.yaml\nseeds: 2\nparameters:\n  optimizer.generator.lr: [0.0001, 0.0002]\n"));
  EXPECT_EQ(names(expand_sweep(spec)),
            (std::vector<std::string>{"00-g_lr-0.0001-seed-0", "01-g_lr-0.0001-seed-1", "02-g_lr-0.0002-seed-0",
                                      "03-g_lr-0.0002-seed-1"}));
  EXPECT_EQ(swept_keys(spec).back(), "train.seed");
}

TEST_F(Sweeps, TheStudiosOneFieldSweepIsASweepFileLikeAnyOther) {
  const std::string text = grid_sweep_text((folder_ / "base.yaml").string(),
                                           {{"model.generator.hidden", {"[64]", "[128, 256]"}}, {"train.d_steps", {"1", "2"}}}, 300);
  const SweepSpec spec = load_sweep(write_sweep(text));
  EXPECT_EQ(spec.max_steps, 300);
  EXPECT_EQ(names(expand_sweep(spec)), (std::vector<std::string>{"00-g_layers-64-d_steps-1", "01-g_layers-64-d_steps-2",
                                                                 "02-g_layers-128x256-d_steps-1",
                                                                 "03-g_layers-128x256-d_steps-2"}));
  EXPECT_THROW(load_sweep(write_sweep(grid_sweep_text("base.yaml", {{"train.d_steps", {"0"}}}, 0))), ConfigError);
}

TEST_F(Sweeps, BadInputIsRefusedWithTheFileLineAndKey) {
  struct Case {
    std::string text;
    int line;
    std::string key;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"base: base.yaml\nparameters:\n  optimizer.generator.lrr: [0.1]\n", 3, "optimizer.generator.lrr", "did you mean"},
      {"base: base.yaml\nparameters:\n  optimizer.generator.lr: []\n", 3, "optimizer.generator.lr", "empty list"},
      {"base: base.yaml\nparameters:\n  optimizer.generator.lr: {range: [0.01, 0.001], count: 2}\n", 3,
       "optimizer.generator.lr", "invalid range"},
      {"base: base.yaml\nparameters:\n  optimizer.generator.lr: [0.0002,\n    2.0]\n", 4, "optimizer.generator.lr", "(0, 1]"},
      {"base: base.yaml\nparameters:\n  optimizer.generator.lr: {log_range: [0, 0.1], count: 2}\n", 3,
       "optimizer.generator.lr", "above 0"},
      {"base: base.yaml\nparameters:\n  model.generator.activation: {range: [1, 2], count: 2}\n", 3,
       "model.generator.activation", "needs a number"},
      {"base: base.yaml\nparameters:\n  optimizer.generator.lr: {range: [0.001, 0.01]}\n", 3, "optimizer.generator.lr",
       "needs a count"},
      {"base: base.yaml\nmethods: grid\nparameters:\n  optimizer.generator.lr: [0.1]\n", 2, "methods", "unknown key"},
      {"base: base.yaml\nmethod: random\nparameters:\n  optimizer.generator.lr: [0.1]\n", 1, "count", "missing"},
      {"base: base.yaml\ncount: 3\nparameters:\n  optimizer.generator.lr: [0.1]\n", 2, "count", "random sweeps"},
      {"base: no-such-preset\nparameters:\n  optimizer.generator.lr: [0.1]\n", 1, "base", "no preset"},
      {"base: base.yaml\nparameters: {}\n", 2, "parameters", "at least one"},
      {"base: base.yaml\nset: {train.batch_size: 0}\nparameters:\n  optimizer.generator.lr: [0.1]\n", 2,
       "train.batch_size", "between"},
  };
  for (const auto& c : cases) {
    const ConfigError e = error_for(c.text);
    EXPECT_EQ(e.source(), (folder_ / "bad.yaml").string()) << c.text;
    EXPECT_EQ(e.line(), c.line) << c.text << e.what();
    EXPECT_EQ(e.key(), c.key) << c.text << e.what();
    EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << c.text << e.what();
  }
}

TEST_F(Sweeps, ASweepFolderKeepsItsSweepAndRefusesAnother) {
  const auto sweep = write_sweep("base: base.yaml\nparameters:\n  optimizer.generator.lr: [0.0001, 0.0002]\n");
  const auto dir = folder_ / "out";
  {
    const SweepFolder folder(dir, load_sweep(sweep));
    EXPECT_TRUE(SweepFolder::is_sweep_folder(dir));
    EXPECT_EQ(folder.spec().base, dir / "base" / "base.yaml");
    EXPECT_EQ(test::read_text(dir / "sweep.csv"),
              "run,optimizer.generator.lr,status,steps,seconds,final_inception_score,best_inception_score,"
              "best_inception_score_step,final_fid_mnist,best_fid_mnist,best_fid_mnist_step,final_conditional_accuracy\n"
              "00-g_lr-0.0001,0.0001,pending,0,0,,,,,,,\n01-g_lr-0.0002,0.0002,pending,0,0,,,,,,,\n");
  }
  // The same sweep reopens (to resume it), also from the folder alone and after the base changed.
  EXPECT_NO_THROW(SweepFolder(dir, load_sweep(sweep)));
  std::ofstream(folder_ / "base.yaml") << "model: {latent_dim: 9}\n";
  const SweepFolder reopened(dir);
  EXPECT_EQ(load_config(reopened.base_path()).model.latent_dim, 8);
  EXPECT_EQ(reopened.runs().size(), 2u);
  // Another sweep, or the same one on a changed base, is refused with what to do instead.
  EXPECT_THROW(SweepFolder(dir, load_sweep(sweep)), FileError);
  std::ofstream(folder_ / "base.yaml") << "model: {latent_dim: 8}\ntrain: {epochs: 3, device: cpu}\n";
  const auto other = write_sweep("base: base.yaml\nparameters:\n  optimizer.generator.lr: [0.0003]\n", "other.yaml");
  try {
    SweepFolder(dir, load_sweep(other));
    FAIL() << "another sweep was let into the folder";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("holds another sweep"), std::string::npos) << e.what();
  }
  // A folder with other things in it is not a sweep's.
  std::filesystem::create_directories(folder_ / "busy");
  std::ofstream(folder_ / "busy" / "notes.txt") << "mine";
  EXPECT_THROW(SweepFolder(folder_ / "busy", load_sweep(sweep)), FileError);
  EXPECT_EQ(test::read_text(folder_ / "busy" / "notes.txt"), "mine");
}

TEST_F(Sweeps, EachRunsNextActionFollowsItsFolder) {
  const auto run = folder_ / "run";
  EXPECT_EQ(next_action(run, 100), RunAction::kStart);
  write_run(run, 40, {}, RunState::kStopped);
  EXPECT_EQ(next_action(run, 100), RunAction::kRestart);  // stopped, but no checkpoint to go on from
  {
    RunFolder reopened(run, RunFolder::ResumeAt{40});
    reopened.on_checkpoint(40, (run / "checkpoints" / "step_0000040.pt").string());
    reopened.on_state(RunState::kStopped, "");
  }
  EXPECT_EQ(next_action(run, 100), RunAction::kResume);
  EXPECT_EQ(next_action(run, 40), RunAction::kDone);  // it has its steps

  const auto finished = folder_ / "finished";
  write_run(finished, 100, {}, RunState::kFinished);
  EXPECT_EQ(next_action(finished, 100), RunAction::kDone);
  EXPECT_EQ(next_action(finished, 0), RunAction::kDone);

  const auto failed = folder_ / "failed";
  write_run(failed, 10, {}, RunState::kFailed);
  EXPECT_EQ(next_action(failed, 100), RunAction::kDone);

  const auto collapsed = folder_ / "collapsed";
  {
    RunFolder r(collapsed, Config{}, "laptop");
    r.on_started({});
    Alarm alarm;
    alarm.kind = Alarm::Kind::kModeCollapse;
    r.on_alarm(alarm);
    r.on_checkpoint(0, (collapsed / "checkpoints" / "step_0000000.pt").string());
    r.on_state(RunState::kStopped, "stopped early");
  }
  EXPECT_EQ(next_action(collapsed, 100), RunAction::kDone);
  EXPECT_EQ(summarize_run(collapsed).status, "collapsed");
}

TEST_F(Sweeps, SweepCsvSumsUpEachRunsScores) {
  const auto sweep = write_sweep("base: base.yaml\nparameters:\n  optimizer.generator.lr: [0.0001, 0.0002, 0.0004]\n");
  const SweepFolder folder(folder_ / "out", load_sweep(sweep));
  write_run(folder.run_path(folder.runs()[0]), 300, {{100, 4.0}, {200, 8.0}, {300, 6.0}}, RunState::kFinished);
  write_run(folder.run_path(folder.runs()[1]), 150, {{100, 5.0}}, RunState::kFailed);
  folder.write_csv();
  const std::string csv = test::read_text(folder.path() / "sweep.csv");
  EXPECT_NE(csv.find("\n00-g_lr-0.0001,0.0001,finished,300,150.0,6.000,8.000,200,16.667,12.500,200,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n01-g_lr-0.0002,0.0002,failed,150,75.0,5.000,5.000,100,20.000,20.000,100,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n02-g_lr-0.0004,0.0004,pending,0,0,,,,,,,\n"), std::string::npos) << csv;
}

TEST_F(Sweeps, ARunSummaryRanksAtTheSameStepCount) {
  write_run(folder_ / "run", 300, {{100, 4.0}, {200, 8.0}, {300, 6.0}}, RunState::kFinished);
  const RunSummary s = summarize_run(folder_ / "run");
  EXPECT_EQ(s.name, "run");
  EXPECT_EQ(s.status, "finished");
  EXPECT_EQ(s.steps, 300);
  EXPECT_DOUBLE_EQ(s.steps_per_second, 2.0);
  EXPECT_EQ(s.best_inception_score()->step, 200);
  EXPECT_EQ(s.best_fid()->step, 200);
  EXPECT_EQ(s.latest_score()->step, 300);
  EXPECT_EQ(s.score_at(250)->step, 200);
  EXPECT_EQ(s.score_at(99), nullptr);
  EXPECT_THROW(summarize_run(folder_ / "nothing"), FileError);

  RunManifest running;
  running.status = "running";
  EXPECT_EQ(run_status(running, 5), "running");
  EXPECT_EQ(run_status(running, kInterruptedAfterSeconds + 1), "interrupted");
}

TEST_F(Sweeps, RunsAtOnceAreAsManyAsTheMemoryHolds) {
  Config config;  // gan.py's sizes: a few hundred MB a process
  std::string reason;
  EXPECT_EQ(runs_that_fit(config, 4, 64e9, reason), 4u);
  EXPECT_TRUE(reason.empty());
  EXPECT_EQ(runs_that_fit(config, 4, -1, reason), 4u);  // unknown: as asked
  EXPECT_EQ(runs_that_fit(config, 8, 1.5e9, reason), 2u);
  EXPECT_NE(reason.find("lowered from 8 to 2"), std::string::npos) << reason;
  EXPECT_EQ(runs_that_fit(config, 8, 1e6, reason), 1u);  // always at least one: gan-train says the rest
}

TEST_F(Sweeps, TheFieldsThatDifferAreTheOnesThatSetRunsApart) {
  Config a, b, c;
  b.optimizer.generator.lr = 0.0004;
  c.model.generator.hidden = {64};
  std::vector<std::string> keys;
  for (const ConfigField* field : differing_fields({a, b, c})) keys.push_back(field->key);
  EXPECT_EQ(keys, (std::vector<std::string>{"model.generator.hidden", "optimizer.generator.lr"}));
  EXPECT_TRUE(differing_fields({a}).empty());
  EXPECT_TRUE(differing_fields({a, a}).empty());
}

}  // namespace
}  // namespace gan
