#include "core/model/gan.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/training/trainer.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

using test::flat_parameters;
using test::losses_of;

const AdamConfig& adam_of(Adam& optimizer) { return optimizer.config(); }

TEST(GanStep, EachCriticUpdateOfAStepSeesAFreshRealBatch) {
  // wgan_gp.py (and the paper) take a real batch per critic iteration; the step reused one for all.
  Config config = test::tiny_config();
  config.model.loss = Loss::kWganGp;
  config.train.d_steps = 3;
  Gan gan(config, test::tiny_images(256));
  std::vector<torch::Tensor> seen;
  gan.set_real_batch_probe([&](const torch::Tensor& real) { seen.push_back(real.detach().clone()); });
  gan.train_step();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_FALSE(torch::equal(seen[0], seen[1]));
  EXPECT_FALSE(torch::equal(seen[1], seen[2]));
  EXPECT_FALSE(torch::equal(seen[0], seen[2]));
  for (const auto& batch : seen) EXPECT_EQ(batch.size(0), config.train.batch_size);
}

TEST(Models, PresetParameterCounts) {
  const ModelConfig classic = test::preset("pytorch-gan").model;
  EXPECT_EQ(parameter_count(*Generator(classic, DataShape{})), 1510032);
  EXPECT_EQ(parameter_count(*Discriminator(classic, DataShape{})), 533505);
  const ModelConfig report = test::preset("course-report").model;
  // G: 100-128-256-512-1024-2048-4096-784 with BatchNorm on all hidden layers but the first.
  const std::int64_t g = (100 * 128 + 128) + (128 * 256 + 256 + 512) + (256 * 512 + 512 + 1024) +
                         (512 * 1024 + 1024 + 2048) + (1024 * 2048 + 2048 + 4096) + (2048 * 4096 + 4096 + 8192) +
                         (4096 * 784 + 784);
  const std::int64_t d = (784 * 4096 + 4096) + (4096 * 2048 + 2048) + (2048 * 1024 + 1024) + (1024 * 512 + 512) +
                         (512 * 256 + 256) + (256 + 1);
  EXPECT_EQ(parameter_count(*Generator(report, DataShape{})), g);
  EXPECT_EQ(parameter_count(*Discriminator(report, DataShape{})), d);
}

TEST(Models, LayersFollowTheConfig) {
  ModelConfig config = test::preset("course-report").model;
  const Generator generator(config, DataShape{});
  const Discriminator discriminator(config, DataShape{});
  std::ostringstream g_text, d_text;
  for (const auto& m : generator->modules(false)) m->pretty_print(g_text << "\n");
  for (const auto& m : discriminator->modules(false)) m->pretty_print(d_text << "\n");
  EXPECT_NE(g_text.str().find("eps=0.8"), std::string::npos) << g_text.str();
  EXPECT_NE(g_text.str().find("Tanh"), std::string::npos);
  EXPECT_NE(d_text.str().find("Dropout(p=0.5"), std::string::npos) << d_text.str();
  EXPECT_NE(d_text.str().find("ReLU"), std::string::npos);
  EXPECT_EQ(d_text.str().find("LeakyReLU"), std::string::npos);
  EXPECT_NE(d_text.str().find("Sigmoid"), std::string::npos);
}

// Our single-pass Adam against LibTorch's own, on the same parameters and gradients.
void expect_same_as_libtorch(torch::Device device, const AdamConfig& config) {
  torch::manual_seed(3);
  const auto shapes = std::vector<std::vector<std::int64_t>>{{37, 13}, {13}, {5, 7, 3}};
  std::vector<torch::Tensor> ours, theirs;
  for (const auto& shape : shapes) {
    const auto start = torch::randn(shape).to(device);
    ours.push_back(start.clone().set_requires_grad(true));
    theirs.push_back(start.clone().set_requires_grad(true));
  }
  Adam adam(ours, config);
  torch::optim::Adam reference(theirs, torch::optim::AdamOptions(config.lr).betas({config.beta1, config.beta2}));
  for (int step = 0; step < 25; ++step) {
    adam.zero_grad();
    reference.zero_grad();
    for (std::size_t i = 0; i < ours.size(); ++i) {
      const auto target = torch::randn(ours[i].sizes()).to(device);
      ((ours[i] - target).pow(3).sum()).backward();
      ((theirs[i] - target).pow(3).sum()).backward();
    }
    adam.step();
    reference.step();
  }
  EXPECT_EQ(adam.steps(), 25);
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_TRUE(torch::allclose(ours[i], theirs[i], /*rtol=*/1e-5, /*atol=*/1e-6))
        << "parameter " << i << " differs by " << (ours[i] - theirs[i]).abs().max().item<float>();
  }
}

TEST(Adam, MatchesLibTorchAdamOnCpu) {
  expect_same_as_libtorch(torch::kCPU, AdamConfig{});
  expect_same_as_libtorch(torch::kCPU, AdamConfig{0.01, 0.9, 0.99});
}

TEST(Adam, MatchesLibTorchAdamOnCuda) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device here";
  expect_same_as_libtorch(torch::Device(torch::kCUDA, 0), AdamConfig{});
}

TEST(Adam, TakesBothBetasFromTheConfig) {
  Gan gan(test::tiny_config(), test::tiny_images());
  EXPECT_DOUBLE_EQ(gan.generator_optimizer().config().beta1, 0.5);
  EXPECT_DOUBLE_EQ(gan.generator_optimizer().config().beta2, 0.999);
  Config custom = test::tiny_config();
  custom.optimizer.discriminator = {0.01, 0.1, 0.2};
  Gan other(custom, test::tiny_images());
  EXPECT_DOUBLE_EQ(other.discriminator_optimizer().config().beta2, 0.2);
  EXPECT_DOUBLE_EQ(other.discriminator_optimizer().config().lr, 0.01);
}

TEST(GanStep, ChangesWeightsAndKeepsBeta2) {
  Gan gan(test::tiny_config(), test::tiny_images());
  const torch::Tensor g_before = flat_parameters(*gan.generator());
  const torch::Tensor d_before = flat_parameters(*gan.discriminator());
  gan.train_step();
  EXPECT_FALSE(torch::equal(g_before, flat_parameters(*gan.generator())));
  EXPECT_FALSE(torch::equal(d_before, flat_parameters(*gan.discriminator())));
  EXPECT_EQ(gan.step(), 1);
  EXPECT_DOUBLE_EQ(adam_of(gan.generator_optimizer()).beta2, 0.999);
  EXPECT_DOUBLE_EQ(adam_of(gan.discriminator_optimizer()).beta2, 0.999);
}

TEST(GanStep, DeterministicWithAFixedSeed) {
  const auto first = [] {
    Gan gan(test::tiny_config(), test::tiny_images());
    return losses_of(gan, 20);
  }();
  Gan again(test::tiny_config(), test::tiny_images());
  EXPECT_EQ(losses_of(again, 20), first);

  Config other = test::tiny_config();
  other.train.seed = 1;
  Gan different(other, test::tiny_images());
  EXPECT_NE(losses_of(different, 20), first);
}

TEST(GanStep, ReportsLossesAndDiscriminatorOutputs) {
  Gan gan(test::tiny_config(), test::tiny_images());
  const torch::Tensor values = gan.train_step();
  ASSERT_EQ(values.numel(), 4);
  // At initialisation D outputs about 0.5 everywhere, so both BCE terms are about log 2.
  EXPECT_NEAR(values[0].item<float>(), std::log(2.0f), 0.2);
  EXPECT_NEAR(values[1].item<float>(), std::log(2.0f), 0.2);
  EXPECT_NEAR(values[2].item<float>(), 0.5f, 0.1);
  EXPECT_NEAR(values[3].item<float>(), 0.5f, 0.1);
}

TEST(GanStep, EpochsDropThePartialBatch) {
  Gan gan(test::tiny_config(), test::tiny_images(100));  // 100 / 16 = 6 full batches
  EXPECT_EQ(gan.steps_per_epoch(), 6);
  for (int i = 0; i < 7; ++i) gan.train_step();
  EXPECT_EQ(gan.epoch(), 1);
}

TEST(GanStep, HyperparametersReachTheOptimizers) {
  Gan gan(test::tiny_config(), test::tiny_images());
  LiveHyperparameters values = gan.hyperparameters();
  values.generator.lr = 0.005;
  values.discriminator.beta1 = 0.9;
  values.d_steps = 3;
  gan.set_hyperparameters(values);
  EXPECT_DOUBLE_EQ(adam_of(gan.generator_optimizer()).lr, 0.005);
  EXPECT_DOUBLE_EQ(adam_of(gan.generator_optimizer()).beta2, 0.999);
  EXPECT_DOUBLE_EQ(adam_of(gan.discriminator_optimizer()).beta1, 0.9);
  EXPECT_DOUBLE_EQ(adam_of(gan.discriminator_optimizer()).lr, 0.0002);
  EXPECT_EQ(gan.hyperparameters().d_steps, 3);
}

TEST(GanStep, DStepsRunMoreDiscriminatorUpdates) {
  // LibTorch's RNG is global: build and step one Gan before building the next.
  Gan one(test::tiny_config(), test::tiny_images());
  one.train_step();
  Config config = test::tiny_config();
  config.train.d_steps = 3;
  Gan three(config, test::tiny_images());
  three.train_step();
  // Same seed, same G update; only the extra D updates can make D differ.
  EXPECT_TRUE(torch::equal(flat_parameters(*one.generator()), flat_parameters(*three.generator())));
  EXPECT_FALSE(torch::equal(flat_parameters(*one.discriminator()), flat_parameters(*three.discriminator())));
}

TEST(GanStep, CpuTrainingLeavesTheCoresToTheBlas) {
  if (std::getenv("OMP_NUM_THREADS") != nullptr) GTEST_SKIP() << "OMP_NUM_THREADS is set and wins";
  at::set_num_threads(2);
  Gan gan(test::tiny_config(), test::tiny_images());
  EXPECT_EQ(at::get_num_threads(), 1);
}

TEST(GanStep, RefusesBatchLargerThanDataset) {
  Config config = test::tiny_config();
  config.train.batch_size = 512;
  EXPECT_THROW(Gan(config, test::tiny_images(100)), TrainingError);
}

TEST(GanSamples, GridAndDigitsHaveTheRightShape) {
  Config config = test::tiny_config();
  config.sampling.grid = 3;
  Gan gan(config, test::tiny_images());
  const Image grid = gan.sample_grid();
  EXPECT_EQ(grid.width, 3 * 10 + 2);
  EXPECT_EQ(grid.height, 3 * 10 + 2);
  // The same fixed noise gives the same grid while the weights stay put.
  EXPECT_EQ(gan.sample_grid().pixels, grid.pixels);
  const auto digits = gan.generate(4);
  ASSERT_EQ(digits.size(), 4u);
  EXPECT_EQ(digits[0].width, 8);
  EXPECT_EQ(digits[0].height, 8);
}

TEST(GanSamples, InterpolationRunsSmoothlyBetweenTwoDigits) {
  Gan gan(test::tiny_config(), test::tiny_images());
  for (int i = 0; i < 20; ++i) gan.train_step();
  const auto frames = gan.interpolate(9, 7);
  ASSERT_EQ(frames.size(), 9u);
  auto distance = [](const Image& x, const Image& y) {
    long total = 0;
    for (std::size_t i = 0; i < x.pixels.size(); ++i) total += std::abs(int(x.pixels[i]) - int(y.pixels[i]));
    return total;
  };
  const long ends = distance(frames.front(), frames.back());
  EXPECT_GT(ends, 0);
  for (std::size_t i = 1; i < frames.size(); ++i) EXPECT_LT(distance(frames[i - 1], frames[i]), ends);
  // The same seed gives the same path; another seed another one.
  EXPECT_EQ(gan.interpolate(9, 7)[4].pixels, frames[4].pixels);
  EXPECT_NE(gan.interpolate(9, 8)[0].pixels, frames[0].pixels);
}

TEST(GanSamples, ExportingDigitsDoesNotChangeTraining) {
  Gan plain(test::tiny_config(), test::tiny_images());
  const auto expected = losses_of(plain, 5);
  Gan exporting(test::tiny_config(), test::tiny_images());
  exporting.generate(10);
  exporting.sample_grid();
  EXPECT_EQ(losses_of(exporting, 5), expected);
}

TEST(GanSave, WritesBothNetworksAndRefusesOverwrite) {
  test::TempFolder folder;
  Gan gan(test::tiny_config(), test::tiny_images());
  gan.save_models(folder / "model.pt");
  torch::serialize::InputArchive archive;
  archive.load_from((folder / "model.pt").string());
  torch::serialize::InputArchive generator;
  EXPECT_TRUE(archive.try_read("generator", generator));
  Generator loaded(test::tiny_config().model, DataShape{8, 8, 1});
  loaded->load(generator);
  EXPECT_TRUE(torch::equal(flat_parameters(*loaded), flat_parameters(*gan.generator())));
  EXPECT_THROW(gan.save_models(folder / "model.pt"), FileError);
}

TEST(TrainerDivergence, NonFiniteLossStopsTheRunWithAMessage) {
  struct LastState : TrainingObserver {
    void on_steps(const std::vector<StepRecord>& steps, const Progress&) override { reported += steps.size(); }
    void on_state(RunState s, const std::string& m) override { state = s, message = m; }
    std::size_t reported = 0;
    RunState state = RunState::kRunning;
    std::string message;
  } observer;
  Trainer trainer(test::tiny_config(), test::tiny_images());
  {
    torch::NoGradGuard no_grad;
    for (auto& p : trainer.gan().discriminator()->parameters()) p.fill_(std::numeric_limits<float>::quiet_NaN());
  }
  EXPECT_EQ(trainer.run(observer, 50), RunState::kFailed);
  EXPECT_EQ(observer.state, RunState::kFailed);
  EXPECT_NE(observer.message.find("non-finite loss at step 1;"), std::string::npos) << observer.message;
  EXPECT_EQ(observer.reported, 1u);  // nothing after the first bad step is reported
}

}  // namespace
}  // namespace gan
