// The inside figures in a run folder (core/run/inside_csv.h): written by RunFolder as a trainer
// reports them, read back whole, cut back by a resume; old runs and damaged rows read as no windows.
#include "core/run/inside_csv.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/io/file_tail.h"
#include "core/run/run_folder.h"
#include "test_support.h"

namespace gan {
namespace {

InsideRecord window(std::int64_t step, bool probabilities = true) {
  InsideRecord r;
  r.step = step;
  r.steps = 5;
  r.probabilities = probabilities;
  r.real.low = probabilities ? 0.0 : -2.25;
  r.real.high = probabilities ? 1.0 : 3.5;
  r.real.min = 0.125;
  r.real.max = 0.875;
  r.real.counts = {0, 64, 256, 0};
  r.fake = r.real;
  r.fake.counts = {300, 20, 0, 0};
  r.fake.max = 0.5;
  for (const char* network : {"G", "D"}) {
    ParameterFigures p;
    p.network = network;
    p.name = "layers.0.weight";
    p.gradient_norm = 0.015625 * static_cast<double>(step);
    p.gradient_norm_max = 0.5;
    p.weight_norm = 12.75;
    p.update_ratio = 0.00125;  // numbers are written with 6 significant digits, as in metrics.csv
    r.parameters.push_back(p);
  }
  return r;
}

void expect_same(const InsideRecord& a, const InsideRecord& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.probabilities, b.probabilities);
  for (const auto& [x, y] : {std::pair{&a.real, &b.real}, std::pair{&a.fake, &b.fake}}) {
    EXPECT_EQ(x->low, y->low);
    EXPECT_EQ(x->high, y->high);
    EXPECT_EQ(x->min, y->min);
    EXPECT_EQ(x->max, y->max);
    EXPECT_EQ(x->counts, y->counts);
  }
  ASSERT_EQ(a.parameters.size(), b.parameters.size());
  for (std::size_t i = 0; i < a.parameters.size(); ++i) {
    const ParameterFigures& p = a.parameters[i];
    const ParameterFigures& q = b.parameters[i];
    EXPECT_EQ(p.network, q.network);
    EXPECT_EQ(p.name, q.name);
    EXPECT_EQ(p.gradient_norm, q.gradient_norm);
    EXPECT_EQ(p.gradient_norm_max, q.gradient_norm_max);
    EXPECT_EQ(p.weight_norm, q.weight_norm);
    EXPECT_EQ(p.update_ratio, q.update_ratio);
  }
}

TEST(InsideCsv, WindowsReadBackWhole) {
  test::TempFolder folder;
  {
    RunFolder run(folder / "run", Config{});
    run.on_inside(window(5));
    run.on_inside(window(10, /*probabilities=*/false));
  }
  const std::vector<InsideRecord> windows = read_inside(folder / "run");
  ASSERT_EQ(windows.size(), 2u);
  expect_same(windows[0], window(5));
  expect_same(windows[1], window(10, false));
  EXPECT_EQ(test::read_text(folder / "run" / kVerdictsFile).rfind(kVerdictsHeader, 0), 0u);
  EXPECT_EQ(test::read_text(folder / "run" / kLayersFile).rfind(kLayersHeader, 0), 0u);
}

TEST(InsideCsv, AResumeKeepsTheWindowsUpToItsStepAndAppendsAfterThem) {
  test::TempFolder folder;
  {
    RunFolder run(folder / "run", Config{});
    run.on_started({});
    for (std::int64_t step : {5, 10, 15}) run.on_inside(window(step));
  }
  {
    RunFolder resumed(folder / "run", RunFolder::ResumeAt{10});
    EXPECT_EQ(read_inside(folder / "run").size(), 2u);
    resumed.on_inside(window(12));
  }
  const std::vector<InsideRecord> windows = read_inside(folder / "run");
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[1].step, 10);
  expect_same(windows[2], window(12));
}

TEST(InsideCsv, ARunWithoutThemAndRowsThatAreNoRowsReadAsNoWindows) {
  test::TempFolder folder;
  {
    RunFolder run(folder / "run", Config{});
    run.on_started({});
  }
  EXPECT_TRUE(read_inside(folder / "run").empty());
  EXPECT_FALSE(std::filesystem::exists(folder / "run" / kVerdictsFile)) << "a run without figures has no such file";
  {
    RunFolder run(folder / "run2", Config{});
    run.on_inside(window(5));
    run.on_inside(window(10));
  }
  // A damaged verdict row (its counts), a window with one side only, a layer row of no window.
  std::ofstream(folder / "run2" / kVerdictsFile, std::ios::app)
      << "15,5,real,probability,0,1,0,1,1;x\n20,5,real,probability,0,1,0,1,1;2\n"
      << "25,5,real,probability,0,1,0,1,\n25,5,fake,probability,0,1,0,1,\n";  // no bins at all
  std::ofstream(folder / "run2" / kLayersFile, std::ios::app) << "30,5,G,w,1,1,1,1\nnot,a,row\n";
  const std::vector<InsideRecord> windows = read_inside(folder / "run2");
  ASSERT_EQ(windows.size(), 2u);
  expect_same(windows[1], window(10));
}

// The studio follows a live run by polling: each poll reads only what was appended and hands over
// the windows completed since, whole (a window's parameters come after its verdicts).
TEST(InsideReader, EachPollHandsOverTheWindowsCompletedSinceTheLastOne) {
  test::TempFolder folder;
  const std::filesystem::path path = folder / "run";
  RunFolder run(path, Config{});
  run.on_started({});
  InsideReader reader(path);
  EXPECT_TRUE(reader.poll().windows.empty());  // no files yet
  run.on_inside(window(5));
  run.on_inside(window(10));
  InsideReader::Update first = reader.poll();
  EXPECT_FALSE(first.reset);
  ASSERT_EQ(first.windows.size(), 2u);
  expect_same(first.windows[1], window(10));
  EXPECT_TRUE(reader.poll().windows.empty());  // nothing new: nothing again

  // The writer caught between a window's verdicts and its parameters, then mid-row.
  std::ofstream(path / kVerdictsFile, std::ios::app) << verdicts_rows(window(15));
  EXPECT_TRUE(reader.poll().windows.empty()) << "handed over before its parameters";
  const std::string parameters = layers_rows(window(15));
  std::ofstream(path / kLayersFile, std::ios::app) << parameters.substr(0, parameters.size() - 3);
  std::ofstream(path / kLayersFile, std::ios::app).flush();
  // The first parameter row is whole: the window goes, with the rows read so far.
  InsideReader::Update partial = reader.poll();
  ASSERT_EQ(partial.windows.size(), 1u);
  EXPECT_EQ(partial.windows[0].step, 15);
  std::ofstream(path / kLayersFile, std::ios::app) << parameters.substr(parameters.size() - 3);
  EXPECT_TRUE(reader.poll().windows.empty()) << "a late row of a window handed over is dropped, not a new window";

  // The last window of an ended run without its parameters' rows: poll_to_end hands it over.
  std::ofstream(path / kVerdictsFile, std::ios::app) << verdicts_rows(window(20));
  EXPECT_TRUE(reader.poll().windows.empty());
  ASSERT_EQ(reader.poll_to_end().windows.size(), 1u);
}

TEST(InsideReader, AResumeThatCutsTheFilesBackReadsThemAgain) {
  test::TempFolder folder;
  const std::filesystem::path path = folder / "run";
  InsideReader reader(path);
  {
    RunFolder run(path, Config{});
    run.on_started({});
    for (std::int64_t step : {5, 10, 15}) run.on_inside(window(step));
  }
  EXPECT_EQ(reader.poll().windows.size(), 3u);
  {
    RunFolder resumed(path, RunFolder::ResumeAt{10});
    resumed.on_inside(window(12));
  }
  const InsideReader::Update update = reader.poll();
  EXPECT_TRUE(update.reset);
  ASSERT_EQ(update.windows.size(), 3u);
  EXPECT_EQ(update.windows[1].step, 10);
  expect_same(update.windows[2], window(12));
}

TEST(FileTail, ReadsWholeAppendedLinesAndStartsOverWhenTheFileShrinks) {
  test::TempFolder folder;
  const std::filesystem::path path = folder / "log.csv";
  FileTail tail(path);
  EXPECT_EQ(tail.read().text, "");  // missing: nothing, no error
  std::ofstream(path) << "a,1\nb,";
  EXPECT_EQ(tail.read().text, "a,1\n");
  std::ofstream(path, std::ios::app) << "2\nc,3\n";
  EXPECT_EQ(tail.read().text, "b,2\nc,3\n");
  EXPECT_EQ(tail.read().text, "");
  std::ofstream(path) << "z\n";  // rewritten shorter
  const FileTail::Lines again = tail.read();
  EXPECT_TRUE(again.reset);
  EXPECT_EQ(again.text, "z\n");
}

}  // namespace
}  // namespace gan
