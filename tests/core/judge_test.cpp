// The MNIST judge on real data: the classifier's accuracy, and the quality scores of real digits,
// noise and a one-class batch. The judge is trained once (a few minutes) on first use and cached
// in the per-user data folder, which later runs of these tests and of the app reuse.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/data/dataset.h"
#include "core/io/image.h"
#include "core/judge/judge.h"
#include "core/model/gan.h"
#include "core/run/alarms.h"
#include "core/training/trainer.h"
#include "test_support.h"

namespace gan {
namespace {

// Run first by ctest (the "judge" fixture) so that the other tests find the cache.
TEST(JudgeCache, IsTrainedOrLoaded) {
  const auto judge = Judge::open(DataConfig{}, 2000, [](const ClassifierProgress& p) {
    if (p.batch == p.batches) std::printf("judge training: epoch %lld/%lld done\n", static_cast<long long>(p.epoch + 1),
                                          static_cast<long long>(p.epochs));
  });
  EXPECT_TRUE(judge_cache_intact(judge->cache_file()));
  EXPECT_TRUE(judge_cache_intact(neighbours_cache_path(judge->cache_file())));
}

class JudgeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    judge_ = Judge::open(DataConfig{}, 2000).release();
    test_ = new ImageSet(load_dataset(DataConfig{}, Split::kTest));
    train_ = new ImageSet(load_dataset(DataConfig{}, Split::kTrain));
  }
  static void TearDownTestSuite() {
    delete judge_;
    delete test_;
    delete train_;
  }
  static torch::Tensor test_images() { return image_tensor(*test_); }
  static torch::Tensor test_labels() {
    return torch::tensor(std::vector<std::int64_t>(test_->labels.begin(), test_->labels.end()));
  }

  static Judge* judge_;
  static ImageSet* test_;
  static ImageSet* train_;
};
Judge* JudgeTest::judge_ = nullptr;
ImageSet* JudgeTest::test_ = nullptr;
ImageSet* JudgeTest::train_ = nullptr;

// The judge opens on a thread of its own while a run trains (judge_loader.h): opening it from its
// cache must not move the default generator the run draws its noise, shuffles and dropout from,
// or the run would come out differently depending on when the judge was opened (it did: two
// laptop runs parted at step 12).
TEST_F(JudgeTest, OpeningTheCachedJudgeLeavesTheRunsGeneratorAlone) {
  at::Generator cpu = at::detail::getDefaultCPUGenerator();
  torch::manual_seed(123);
  const torch::Tensor before = cpu.get_state();
  const auto judge = Judge::open(DataConfig{}, 2000);
  EXPECT_TRUE(torch::equal(before, cpu.get_state()));
}

TEST_F(JudgeTest, ClassifierGetsAtLeast99PercentOfTheTestSetRight) {
  const torch::Tensor predicted = judge_->classes(test_images());
  const double accuracy = predicted.eq(test_labels()).to(torch::kFloat64).mean().item<double>();
  std::printf("judge test accuracy: %.2f%%\n", accuracy * 100);
  EXPECT_GE(accuracy, 0.990);
  EXPECT_NEAR(judge_->reference().test_accuracy, accuracy, 1e-9);
  EXPECT_EQ(judge_->reference().classes, 10);
}

TEST_F(JudgeTest, RealDigitsScoreHighAndNoiseScoresNearOne) {
  const QualityRecord real = judge_->score(test_images());
  std::printf("real test set: IS %.3f, confidence %.4f\n", real.inception_score, real.mean_confidence);
  EXPECT_GE(real.inception_score, 9.5);
  EXPECT_NEAR(judge_->reference().inception_score, real.inception_score, 1e-6);
  for (const double share : real.class_histogram) EXPECT_NEAR(share, 0.1, 0.02);

  torch::manual_seed(1);
  const QualityRecord noise = judge_->score(torch::rand({2000, 784}) * 2 - 1);
  std::printf("uniform noise: IS %.3f, FID %.1f\n", noise.inception_score, noise.fid);
  EXPECT_LT(noise.inception_score, 1.5);
  EXPECT_GE(noise.inception_score, 1.0 - 1e-9);
}

TEST_F(JudgeTest, FrechetDistanceIsNearZeroForRealDigitsAndLargeForNoise) {
  // Real vs real at 2,000 samples: the judge's reference, and the test set's first 2,000 digits.
  const double reference = judge_->reference().fid;
  const QualityRecord real = judge_->score(test_images().slice(0, 0, 2000));
  torch::manual_seed(2);
  const QualityRecord noise = judge_->score(torch::rand({2000, 784}) * 2 - 1);
  std::printf("FID real-vs-real %.3f (test subset %.3f), noise %.1f\n", reference, real.fid, noise.fid);
  EXPECT_GE(reference, 0.0);
  EXPECT_LT(reference, 0.01 * noise.fid);
  EXPECT_LT(real.fid, 0.01 * noise.fid);
}

TEST_F(JudgeTest, AOneClassBatchIsFlaggedAsCollapsed) {
  const torch::Tensor threes = test_images().index_select(0, test_labels().eq(3).nonzero().flatten().slice(0, 0, 500));
  const QualityRecord record = judge_->score(threes);
  EXPECT_GT(record.class_histogram[3], 0.95);
  EXPECT_LT(record.inception_score, 1.2);
  EXPECT_TRUE(looks_collapsed(record.class_histogram));

  AlarmConfig config;
  config.warmup = 0;
  AlarmMonitor monitor(config);
  std::optional<Alarm> alarm;
  for (std::int64_t check = 1; check <= config.collapse_checks && !alarm; ++check) {
    QualityRecord at = record;
    at.step = check * 1000;
    alarm = monitor.on_quality(at);
  }
  ASSERT_TRUE(alarm.has_value());
  EXPECT_EQ(alarm->kind, Alarm::Kind::kModeCollapse);
  EXPECT_NE(alarm->message.find("digit 3 takes"), std::string::npos) << alarm->message;
}

TEST_F(JudgeTest, TheCacheCarriesAChecksumThatCatchesDamage) {
  const std::filesystem::path cache = judge_->cache_file();
  ASSERT_TRUE(judge_cache_intact(cache)) << cache;
  test::TempFolder folder;
  const auto copy = folder / cache.filename().string();
  std::filesystem::copy_file(cache, copy);
  std::filesystem::copy_file(cache.string() + ".sha256", copy.string() + ".sha256");
  EXPECT_TRUE(judge_cache_intact(copy));
  {
    std::fstream file(copy, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(1000);
    file.put('\x5a');
  }
  EXPECT_FALSE(judge_cache_intact(copy));
  std::filesystem::remove(copy.string() + ".sha256");
  EXPECT_FALSE(judge_cache_intact(copy));

  // A second open reads the cache instead of training again, and agrees with the first.
  const auto again = Judge::open(DataConfig{}, 2000);
  EXPECT_EQ(again->reference().test_accuracy, judge_->reference().test_accuracy);
  EXPECT_NEAR(again->reference().fid, judge_->reference().fid, 1e-9);
}

TEST_F(JudgeTest, ATrainingImageIsItsOwnNearestNeighbourAndTheOthersAreTheNearest) {
  const torch::Tensor train = image_tensor(*train_).reshape({train_->count, -1});
  const torch::Tensor picked = torch::tensor(std::vector<std::int64_t>{0, 12345, 59999});
  const torch::Tensor queries = train.index_select(0, picked);
  for (const NeighbourSpace space : {NeighbourSpace::kPixels, NeighbourSpace::kFeatures}) {
    SCOPED_TRACE(to_string(space));
    const auto found = judge_->nearest_training_images(queries, space, 8);
    ASSERT_EQ(found.size(), 3u);
    // Brute force: every distance measured directly.
    const torch::Tensor table = space == NeighbourSpace::kPixels ? train : judge_->neighbours().features();
    const torch::Tensor asked = space == NeighbourSpace::kPixels ? queries : judge_->evaluate(queries).features;
    for (std::int64_t q = 0; q < 3; ++q) {
      ASSERT_EQ(found[q].size(), 8u);
      const torch::Tensor all = (table.to(torch::kFloat64) - asked[q].to(torch::kFloat64)).square().sum(1).sqrt();
      const auto [expected, order] = all.topk(8, /*dim=*/0, /*largest=*/false);
      EXPECT_EQ(found[q][0].index, picked[q].item<std::int64_t>());
      if (space == NeighbourSpace::kPixels) {
        EXPECT_EQ(found[q][0].distance, 0.0);
      } else {
        EXPECT_LT(found[q][0].distance, 1e-3);  // the same image's features, computed in another batch
      }
      for (std::size_t j = 0; j < 8; ++j) {
        EXPECT_NEAR(found[q][j].distance, expected[static_cast<std::int64_t>(j)].item<double>(), 1e-3) << j;
        if (j > 0) {
          EXPECT_GE(found[q][j].distance, found[q][j - 1].distance);
        }
      }
    }
  }
  EXPECT_THROW(judge_->neighbours().image(60000), std::out_of_range);
  EXPECT_TRUE(torch::equal(judge_->neighbours().image(12345), train[12345]));
}

TEST_F(JudgeTest, MemorisationOfTrainingDigitsIsNearOneAndOfUnseenDigitsNearTheReference) {
  const double reference = judge_->reference().memorised;
  std::printf("memorisation: threshold %.4f, real test digits %.4f\n", judge_->memorisation().threshold, reference);
  EXPECT_NEAR(reference, 0.5, 0.05);
  // Training digits are their own nearest training images: all of them "copied".
  const torch::Tensor train = image_tensor(*train_);
  const QualityRecord copied = judge_->score(train.slice(0, 20000, 22000));
  ASSERT_TRUE(copied.memorised);
  EXPECT_GT(*copied.memorised, 0.99);
  // Unseen digits: 500 of the test digits at odd places (whence the reference), spread over the
  // whole set (its two halves differ), as many as the figure takes.
  const QualityRecord unseen = judge_->score(test_images().slice(0, 1, 10000, 20));
  ASSERT_TRUE(unseen.memorised);
  EXPECT_NEAR(*unseen.memorised, reference, 0.07);  // three standard errors at 500
  std::printf("memorised: training digits %.4f, unseen test digits %.4f\n", *copied.memorised, *unseen.memorised);
}

// The studio's question "what did G copy?" through the trainer: a training digit's nearest
// training image is itself, and the answer carries the neighbours' pictures.
TEST_F(JudgeTest, TheTrainerFindsADigitsNearestTrainingImages) {
  Config config = test::preset("pytorch-gan");
  config.train.device = DeviceChoice::kCpu;
  Trainer trainer(config, *train_);
  Image digit;
  digit.width = digit.height = 28;
  digit.pixels.assign(train_->pixels.begin() + 777 * 784, train_->pixels.begin() + 778 * 784);
  NeighbourView view;
  view.opening = true;
  for (int i = 0; i < 1200 && view.opening; ++i) {  // opened beside, never waited for
    trainer.request_neighbours(digit, NeighbourSpace::kPixels, 8, [&](NeighbourView v) { view = std::move(v); });
    if (view.opening) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(view.opening);
  ASSERT_EQ(view.indices.size(), 8u);
  EXPECT_EQ(view.indices[0], 777);
  EXPECT_EQ(view.distances[0], 0.0);
  EXPECT_EQ(view.images[0].pixels, digit.pixels);
  EXPECT_GT(view.distances[7], view.distances[1]);
  trainer.request_neighbours(digit, NeighbourSpace::kFeatures, 3, [&](NeighbourView v) { view = std::move(v); });
  ASSERT_EQ(view.indices.size(), 3u);
  EXPECT_EQ(view.indices[0], 777);
}

// The reference's finding, reproduced: PyTorch-GAN's classic model collapses onto a few digits
// early, and the alarm names it. (About a minute of training on a 2-core CPU.)
TEST(JudgeOnTraining, TheClassicPresetsCollapseIsCaught) {
  struct Alarms : TrainingObserver {
    void on_alarm(const Alarm& alarm) override { fired.push_back(alarm); }
    void on_quality(const QualityRecord& record) override { scores.push_back(record); }
    void on_judge(const JudgeReference&) override {
      std::lock_guard lock(mutex);
      judged = true;
      changed.notify_all();
    }
    std::mutex mutex;
    std::condition_variable changed;
    bool judged = false;
    std::vector<Alarm> fired;
    std::vector<QualityRecord> scores;
  } observer;
  Config config = test::preset("pytorch-gan");
  config.train.device = DeviceChoice::kCpu;
  config.quality.interval = 500;
  Trainer trainer(config, load_dataset(config.data));
  trainer.set_alarm_action(AlarmAction::kReport);
  // The judge loads beside the run, and an evaluation due before it is ready is scored at the first
  // step after: LibTorch 2.6 trained all 3000 steps before the niced loader had read its cache. So
  // the run starts paused and goes once the judge is there (a paused run still hears of it).
  trainer.pause();
  std::thread resume_when_judged([&] {
    std::unique_lock lock(observer.mutex);
    observer.changed.wait_for(lock, std::chrono::minutes(30), [&] { return observer.judged; });
    trainer.resume();
  });
  const RunState state = trainer.run(observer, 3000);
  resume_when_judged.join();
  ASSERT_EQ(state, RunState::kFinished);
  // Every 500 steps, and at the end.
  ASSERT_EQ(observer.scores.size(), 6u);
  EXPECT_EQ(observer.scores.back().step, 3000);
  for (const auto& q : observer.scores) {
    std::printf("step %lld: IS %.2f, FID %.1f, largest class %.0f%%\n", static_cast<long long>(q.step),
                q.inception_score, q.fid, 100 * *std::max_element(q.class_histogram.begin(), q.class_histogram.end()));
  }
  ASSERT_FALSE(observer.fired.empty());
  EXPECT_EQ(observer.fired[0].kind, Alarm::Kind::kModeCollapse);
  EXPECT_GE(observer.fired[0].step, config.alarms.warmup);
  EXPECT_LT(observer.scores.back().inception_score, 5.0);
}

TEST(JudgeOnTraining, DigitsOfEachClassComeFromTheEvaluationBatch) {
  Config config = test::preset("pytorch-gan");
  config.train.device = DeviceChoice::kCpu;
  config.quality.samples = 500;
  Trainer trainer(config, load_dataset(config.data));
  double total = 0;
  for (std::int64_t label = 0; label < 10; ++label) {
    std::vector<Image> digits;
    double share = -1;
    trainer.request_class_digits(label, 8, [&](std::vector<Image> d, double s) {
      digits = std::move(d);
      share = s;
    });
    ASSERT_GE(share, 0.0) << "the judge should load from its cache";
    EXPECT_EQ(static_cast<double>(digits.size()), std::min(8.0, share * 500)) << "class " << label;
    for (const auto& digit : digits) EXPECT_EQ(digit.width, 28);
    total += share;
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
}

TEST_F(JudgeTest, GanEvalScoresAFolderOfPngDigitsAsJson) {
  test::TempFolder folder;
  for (std::int64_t i = 0; i < 300; ++i) {
    Image digit;
    digit.width = digit.height = 28;
    digit.pixels.assign(test_->pixels.begin() + i * 784, test_->pixels.begin() + (i + 1) * 784);
    char name[32];
    std::snprintf(name, sizeof name, "digit_%04lld.png", static_cast<long long>(i));
    write_png(digit, folder / name);
  }
  const test::ProgramResult json = test::run_program(GAN_EVAL_EXECUTABLE, folder.path().string() + " --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  // Messages go to stderr; the last line of the output is the JSON object.
  const std::string text = json.output.substr(0, json.output.find_last_not_of('\n') + 1);
  const std::string last_line = text.substr(text.rfind('\n') + 1);
  const nlohmann::json report = nlohmann::json::parse(last_line);
  EXPECT_EQ(report["samples"], 300) << last_line;
  EXPECT_TRUE(report["fid_mnist"].is_number()) << last_line;
  EXPECT_TRUE(report["mean_confidence"].is_number()) << last_line;
  EXPECT_EQ(report["class_histogram"].size(), 10u) << last_line;
  EXPECT_EQ(report["reference"]["dataset"], "mnist") << last_line;
  EXPECT_GT(report["inception_score"].get<double>(), 8.0) << last_line;  // 300 real test digits

  const test::ProgramResult table = test::run_program(GAN_EVAL_EXECUTABLE, folder.path().string());
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("Inception Score"), std::string::npos) << table.output;

  // A sample grid is not a digit: refused, naming the file and the size it expected.
  Image grid;
  grid.width = grid.height = 152;
  grid.pixels.assign(152 * 152, 0);
  write_png(grid, folder / "grid.png");
  const test::ProgramResult refused = test::run_program(GAN_EVAL_EXECUTABLE, folder.path().string());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.output.find("grid.png: the image is 152 x 152 pixels; gan-eval scores single 28 x 28 digits"),
            std::string::npos)
      << refused.output;
  EXPECT_EQ(test::run_program(GAN_EVAL_EXECUTABLE, "/no/such/run --json").exit_code, 2);
  EXPECT_EQ(test::run_program(GAN_EVAL_EXECUTABLE, "").exit_code, 2);
}

TEST_F(JudgeTest, GanEvalListsADigitsNearestTrainingImagesAndWritesTheStrip) {
  test::TempFolder folder;
  Config config = test::preset("pytorch-gan");
  config.train.device = DeviceChoice::kCpu;
  Gan(config, *train_).save_checkpoint(folder / "model.pt");  // whose dataset's training set is searched
  Image digit;
  digit.width = digit.height = 28;
  digit.pixels.assign(train_->pixels.begin() + 4242 * 784, train_->pixels.begin() + 4243 * 784);
  write_png(digit, folder / "mine.png");
  const std::string args = (folder / "mine.png").string() + " " + (folder / "model.pt").string();

  const test::ProgramResult json = test::run_program(GAN_EVAL_EXECUTABLE, "--neighbours " + args + " --space pixels --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const std::string text = json.output.substr(0, json.output.find_last_not_of('\n') + 1);
  const nlohmann::json report = nlohmann::json::parse(text.substr(text.rfind('\n') + 1));
  ASSERT_EQ(report["indices"].size(), 8u) << text;
  EXPECT_EQ(report["indices"][0], 4242) << text;
  EXPECT_EQ(report["distances"][0].get<double>(), 0.0) << text;
  const Image strip = read_png(folder / "mine-neighbours.png");
  EXPECT_EQ(strip.width, 9 * 28 + 8 * 4);
  EXPECT_EQ(strip.height, 28);
  EXPECT_EQ(strip.at(28 + 4 + 14, 14), digit.at(14, 14));  // the nearest, itself, beside it

  // The strip is never overwritten; the table names the indices.
  const test::ProgramResult again = test::run_program(GAN_EVAL_EXECUTABLE, "--neighbours " + args);
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("mine-neighbours.png already exists"), std::string::npos) << again.output;
  const test::ProgramResult table = test::run_program(GAN_EVAL_EXECUTABLE, "--neighbours " + args + " --out " + (folder / "strip.png").string());
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("4242"), std::string::npos) << table.output;
  EXPECT_TRUE(std::filesystem::exists(folder / "strip.png"));

  Image small;
  small.width = small.height = 8;
  small.pixels.assign(64, 0);
  write_png(small, folder / "small.png");
  const test::ProgramResult refused = test::run_program(GAN_EVAL_EXECUTABLE, "--neighbours " + (folder / "small.png").string() + " " +
                                      (folder / "model.pt").string());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.output.find("small.png: the image is 8 x 8 pixels; the mnist training set's are 28 x 28"),
            std::string::npos)
      << refused.output;
}

}  // namespace
}  // namespace gan
