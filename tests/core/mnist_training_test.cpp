// A short run of the classic preset on the real MNIST training set (GAN_DATA_DIR or the per-user
// data folder that packaging/setup.sh fills). Missing data is a failure, not a skip: the test
// command sets the data up first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/data/dataset.h"
#include "core/io/image.h"
#include "core/run/run_folder.h"
#include "core/training/trainer.h"
#include "test_support.h"

namespace gan {
namespace {

struct StepLog : TrainingObserver {
  void on_steps(const std::vector<StepRecord>& steps, const Progress&) override {
    records.insert(records.end(), steps.begin(), steps.end());
  }
  std::vector<StepRecord> records;
};

double mean(const std::vector<StepRecord>& records, std::size_t from, std::size_t to, float StepRecord::*field) {
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += records[i].*field;
  return sum / static_cast<double>(to - from);
}

TEST(MnistTraining, ClassicPresetSeparatesRealFromFakeAndWritesTheRunFolder) {
  Config config = test::preset("pytorch-gan");
  config.train.device = DeviceChoice::kCpu;
  config.sampling.interval = 100;
  const ImageSet images = load_dataset(config.data);
  ASSERT_EQ(images.count, 60000);
  ASSERT_EQ(images.rows, 28);

  test::TempFolder folder;
  Trainer trainer(config, images);
  RunFolder run(folder / "run", config);
  StepLog log;
  ObserverFanOut observers({&run, &log});
  ASSERT_EQ(trainer.run(observers, 300), RunState::kFinished);

  ASSERT_EQ(log.records.size(), 300u);
  // At initialisation D cannot tell real from fake: both outputs sit near 0.5.
  EXPECT_NEAR(log.records[0].d_real, 0.5, 0.05);
  EXPECT_NEAR(log.records[0].d_fake, 0.5, 0.05);
  // A few hundred steps later D scores real digits clearly above the fakes.
  const double real = mean(log.records, 200, 300, &StepRecord::d_real);
  const double fake = mean(log.records, 200, 300, &StepRecord::d_fake);
  EXPECT_GT(real - fake, 0.1) << "D(x) " << real << ", D(G(z)) " << fake;
  for (const auto& r : log.records) {
    ASSERT_TRUE(std::isfinite(r.d_loss) && std::isfinite(r.g_loss)) << "step " << r.step;
  }

  // The run folder: resolved config, a metrics row per step, grids at 0, 100, 200, 300.
  EXPECT_EQ(load_config(folder / "run" / "config.yaml").sampling.interval, 100);
  const std::string metrics = test::read_text(folder / "run" / "metrics.csv");
  EXPECT_EQ(std::count(metrics.begin(), metrics.end(), '\n'), 301);
  EXPECT_EQ(metrics.rfind("step,epoch,d_loss,g_loss,d_real,d_fake,seconds,inception_score,fid_mnist,mean_confidence,class_histogram,"
                            "conditional_accuracy,class_confidence,memorised\n", 0),
            0u);
  for (int step : {0, 100, 200, 300}) {
    const Image grid = read_png(RunFolder::sample_path(folder / "run", step));
    EXPECT_EQ(grid.width, 152);
    EXPECT_EQ(grid.height, 152);
  }
  const Image first = read_png(RunFolder::sample_path(folder / "run", 0));
  const Image last = read_png(RunFolder::sample_path(folder / "run", 300));
  EXPECT_NE(first.pixels, last.pixels);
}

TEST(Datasets, MnistTestSplitAndFashionMnistLoadVerified) {
  const ImageSet test = load_dataset(DataConfig{}, Split::kTest);
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(test.labels.size(), 10000u);
  // Debian's dataset-fashion-mnist, gzip IDX, installed by packaging/setup.sh.
  DataConfig fashion;
  fashion.dataset = "fashion-mnist";
  const ImageSet clothes = load_dataset(fashion);
  EXPECT_EQ(clothes.count, 60000);
  EXPECT_EQ(clothes.rows, 28);
  EXPECT_NE(clothes.description.find("Fashion-MNIST train"), std::string::npos);
}

}  // namespace
}  // namespace gan
