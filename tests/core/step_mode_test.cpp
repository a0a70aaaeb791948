// The step a CUDA graph captures (gan.h StepMode): fixed buffers, the batch gathered on the device,
// Adam's step counts and lr on the device. On the CPU it runs uncaptured and must train as the eager
// step does; on a GPU the captured replays must too. The GPU tests skip where there is none.
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <cmath>

#include "core/model/cuda_graph.h"
#include "core/model/gan.h"
#include "gan_steps.h"
#include "test_support.h"

namespace gan {
namespace {

// A tiny GAN whose step uses every random draw the step has: noise, dropout, a second D update on
// fresh fakes, and a dataset small enough that epochs (and their shuffles) turn over.
Config busy_config() {
  Config config = test::tiny_config();
  config.model.discriminator.dropout = 0.3;
  config.train.d_steps = 2;
  return config;
}

using test::flat_parameters;
using test::losses_of;

// Two runs of float32 arithmetic whose Adam updates round differently: equal to float tolerance.
void expect_close(const std::vector<float>& a, const std::vector<float>& b, float tolerance) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_NEAR(a[i], b[i], tolerance) << "value " << i % 4 << " of step " << i / 4 + 1;
  }
}

void set_lr(Gan& gan, double lr) {
  LiveHyperparameters values = gan.hyperparameters();
  values.generator.lr = lr;
  values.discriminator.lr = lr;
  gan.set_hyperparameters(values);
}

// Stand-ins for the CUDA graph (cuda_graph.h) that run the captured step on the CPU: how a graph
// step's fallback is reached where no GPU is. One replays what it captured `runs` times (1: a
// faithful graph; 2: one that computes something else), the other fails mid-capture.
class RunningCapture : public StepCapture {
 public:
  explicit RunningCapture(int runs) : runs_(runs) {}
  void capture(int, const std::function<void()>& step, int warm_ups, const std::function<void()>& undo) override {
    for (int i = 0; i < warm_ups; ++i) step();
    undo();
    step_ = step;
  }
  void replay() override {
    for (int i = 0; i < runs_; ++i) step_();
  }
  bool captured() const override { return static_cast<bool>(step_); }
  void reset() override { step_ = nullptr; }

 private:
  int runs_;
  std::function<void()> step_;
};

class ThrowingCapture : public RunningCapture {
 public:
  ThrowingCapture() : RunningCapture(1) {}
  void capture(int, const std::function<void()>& step, int warm_ups, const std::function<void()>&) override {
    for (int i = 0; i < warm_ups; ++i) step();  // the warm-ups trained, and are never undone here
    throw std::runtime_error("stand-in: operation not permitted when stream is capturing");
  }
};

// Installs a stand-in for the Gans built while it lives.
class StandIn {
 public:
  explicit StandIn(std::function<std::unique_ptr<StepCapture>()> factory) { set_step_capture_for_tests(std::move(factory)); }
  ~StandIn() { set_step_capture_for_tests({}); }
};

TEST(DeviceAdam, MatchesLibTorchAdamWithAnLrChangeMidRun) {
  torch::manual_seed(5);
  const AdamConfig config{0.01, 0.5, 0.999};
  std::vector<torch::Tensor> ours, theirs;
  for (const auto& shape : std::vector<std::vector<std::int64_t>>{{37, 13}, {13}, {5, 7, 3}}) {
    const auto start = torch::randn(shape);
    ours.push_back(start.clone().set_requires_grad(true));
    theirs.push_back(start.clone().set_requires_grad(true));
  }
  Adam adam(ours, config, Adam::State::kDevice);
  torch::optim::Adam reference(theirs, torch::optim::AdamOptions(config.lr).betas({config.beta1, config.beta2}));
  for (int step = 1; step <= 30; ++step) {
    if (step == 15) {
      adam.set_config({0.002, config.beta1, config.beta2});
      static_cast<torch::optim::AdamOptions&>(reference.param_groups()[0].options()).lr(0.002);
    }
    adam.zero_grad();
    reference.zero_grad();
    for (std::size_t i = 0; i < ours.size(); ++i) {
      const auto target = torch::randn(ours[i].sizes());
      ((ours[i] - target).pow(3).sum()).backward();
      ((theirs[i] - target).pow(3).sum()).backward();
    }
    adam.step();
    reference.step();
  }
  EXPECT_EQ(adam.steps(), 30);
  for (std::size_t i = 0; i < ours.size(); ++i) {
    EXPECT_TRUE(torch::allclose(ours[i], theirs[i], /*rtol=*/1e-5, /*atol=*/1e-6))
        << "parameter " << i << " differs by " << (ours[i] - theirs[i]).abs().max().item<float>();
  }
}

TEST(DeviceAdam, KeepsItsGradientsAllocatedAndZeroesThemInPlace) {
  torch::Tensor p = torch::ones({4}).set_requires_grad(true);
  Adam adam({p}, AdamConfig{}, Adam::State::kDevice);
  const void* storage = p.grad().data_ptr();
  (p * 3).sum().backward();
  EXPECT_TRUE(torch::equal(p.grad(), torch::full({4}, 3.0f)));
  adam.zero_grad();
  ASSERT_TRUE(p.grad().defined());
  EXPECT_EQ(p.grad().data_ptr(), storage);  // a captured step reads these very tensors
  EXPECT_TRUE(torch::equal(p.grad(), torch::zeros({4})));
}

TEST(StepMode, UncapturedStepTrainsAsTheEagerStepDoes) {
  // 20 steps: over three epochs of 6 batches, with dropout and two D updates per step.
  Gan eager(busy_config(), test::tiny_images(100), StepMode::kEager);
  const std::vector<float> expected = losses_of(eager, 20);
  Gan fixed(busy_config(), test::tiny_images(100), StepMode::kUncaptured);
  EXPECT_EQ(fixed.step_mode(), StepMode::kUncaptured);
  expect_close(losses_of(fixed, 20), expected, 1e-4f);
  EXPECT_EQ(fixed.step(), 20);
  EXPECT_EQ(fixed.generator_optimizer().steps(), 20);
  EXPECT_EQ(fixed.discriminator_optimizer().steps(), 40);
  // The same arithmetic through other kernels, which round differently in the last bits. Adam moves
  // a weight by about lr a step whatever the size of its gradient, so the few weights whose
  // gradients are at rounding level may end a step or two apart (measured on an AMD EPYC: 19 of
  // G's 2,864 weights more than 1e-5 apart, at most 1.04e-4 with lr 2e-4); the weights as a whole
  // agree far closer (there: 1.9e-5 of their norm).
  const double lr = busy_config().optimizer.generator.lr;
  auto expect_near_weights = [lr](torch::nn::Module& uncaptured, torch::nn::Module& eager_network, const char* name) {
    const torch::Tensor weights = flat_parameters(eager_network);
    const torch::Tensor difference = (flat_parameters(uncaptured) - weights).abs();
    EXPECT_LT((difference.norm() / weights.norm()).item<float>(), 1e-4f) << name;
    EXPECT_LT(difference.max().item<float>(), 5 * lr) << name << " at " << difference.argmax().item<std::int64_t>();
  };
  expect_near_weights(*fixed.generator(), *eager.generator(), "G");
  expect_near_weights(*fixed.discriminator(), *eager.discriminator(), "D");
}

TEST(StepMode, AnLrEditReachesTheUncapturedStepAsItReachesTheEagerOne) {
  auto run = [](StepMode mode) {
    Gan gan(busy_config(), test::tiny_images(100), mode);
    std::vector<float> values = losses_of(gan, 8);
    set_lr(gan, 0.01);
    const std::vector<float> after = losses_of(gan, 8);
    values.insert(values.end(), after.begin(), after.end());
    return values;
  };
  const std::vector<float> eager = run(StepMode::kEager);
  expect_close(run(StepMode::kUncaptured), eager, 2e-4f);
  // And the edit mattered: the same run without it goes elsewhere.
  Gan unchanged(busy_config(), test::tiny_images(100), StepMode::kUncaptured);
  EXPECT_NE(losses_of(unchanged, 16), eager);
}

TEST(StepMode, FixedBufferCheckpointResumesExactlyAndInTheEagerMode) {
  test::TempFolder folder;
  Gan whole(busy_config(), test::tiny_images(100), StepMode::kUncaptured);
  losses_of(whole, 9);  // mid-epoch
  whole.save_checkpoint(folder / "c.pt");
  const std::vector<float> expected = losses_of(whole, 9);

  Gan resumed(busy_config(), test::tiny_images(100), StepMode::kUncaptured);
  resumed.load_checkpoint(folder / "c.pt");
  EXPECT_EQ(resumed.generator_optimizer().steps(), 9);
  EXPECT_EQ(losses_of(resumed, 9), expected);  // bit for bit: Adam's device-side counts came back

  Gan eager(busy_config(), test::tiny_images(100), StepMode::kEager);
  eager.load_checkpoint(folder / "c.pt");
  EXPECT_EQ(eager.discriminator_optimizer().steps(), 18);
  expect_close(losses_of(eager, 9), expected, 1e-4f);
}

TEST(StepMode, AutoIsTheGraphOnlyWhereOneCanBeCaptured) {
  EXPECT_EQ(resolve_step_mode(StepChoice::kAuto, torch::kCPU), StepMode::kEager);
  EXPECT_EQ(resolve_step_mode(StepChoice::kEager, torch::kCPU), StepMode::kEager);
  Gan gan(test::tiny_config(), test::tiny_images());
  EXPECT_EQ(gan.step_mode(), StepMode::kEager);
  if (CudaGraph::supported() && torch::cuda::is_available()) {
    EXPECT_EQ(resolve_step_mode(StepChoice::kAuto, torch::Device(torch::kCUDA, 0)), StepMode::kGraph);
  } else if (!CudaGraph::supported()) {
    EXPECT_FALSE(CudaGraph::unsupported_reason().empty());
  }
}

TEST(StepMode, AGraphOnTheCpuIsRefusedSayingWhy) {
  Config config = test::tiny_config();
  config.train.step = StepChoice::kGraph;
  try {
    Gan gan(config, test::tiny_images());
    FAIL() << "a CPU run captured a CUDA graph";
  } catch (const TrainingError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("train.step is graph"), std::string::npos) << message;
    EXPECT_NE(message.find("CPU"), std::string::npos) << message;
  }
}

// --- On a GPU (skipped elsewhere) -----------------------------------------------------------

bool graphs_here(std::string& why) {
  if (!CudaGraph::supported()) {
    why = CudaGraph::unsupported_reason();
  } else if (!torch::cuda::is_available()) {
    why = "no CUDA device here";
  }
  return why.empty();
}

#define SKIP_WITHOUT_CUDA_GRAPHS()                  \
  do {                                              \
    std::string why;                                \
    if (!graphs_here(why)) GTEST_SKIP() << why;     \
  } while (false)

Config cuda_config() {
  Config config = busy_config();
  config.train.device = DeviceChoice::cuda(0);
  return config;
}

TEST(CudaGraphStep, ReplaysTrainAsTheEagerStepsDoOver200Steps) {
  SKIP_WITHOUT_CUDA_GRAPHS();
  Gan eager(cuda_config(), test::tiny_images(100), StepMode::kEager);
  const std::vector<float> expected = losses_of(eager, 200);
  Gan graph(cuda_config(), test::tiny_images(100), StepMode::kGraph);
  expect_close(losses_of(graph, 200), expected, 1e-3f);
  EXPECT_EQ(graph.generator_optimizer().steps(), 200);
  EXPECT_TRUE(torch::allclose(flat_parameters(*graph.generator()), flat_parameters(*eager.generator()), 1e-3, 1e-4));
}

TEST(CudaGraphStep, AnLrEditUnderReplayEqualsTheEagerRunsEdit) {
  SKIP_WITHOUT_CUDA_GRAPHS();
  auto run = [](StepMode mode) {
    Gan gan(cuda_config(), test::tiny_images(100), mode);
    std::vector<float> values = losses_of(gan, 30);
    set_lr(gan, 0.01);
    const std::vector<float> after = losses_of(gan, 30);
    values.insert(values.end(), after.begin(), after.end());
    return values;
  };
  expect_close(run(StepMode::kGraph), run(StepMode::kEager), 1e-3f);
}

TEST(CudaGraphStep, EachReplayDrawsFreshNoiseAndDropout) {
  SKIP_WITHOUT_CUDA_GRAPHS();
  Gan gan(cuda_config(), test::tiny_images(100), StepMode::kGraph);
  set_lr(gan, 0.0);  // weights frozen: G's loss can only change through new noise and masks
  const std::vector<float> values = losses_of(gan, 4);
  for (int step = 1; step < 4; ++step) EXPECT_NE(values[4 * step + 1], values[1]) << "replay " << step;
}

TEST(CudaGraphStep, ACheckpointMovesFromTheGraphToTheCpuAndBack) {
  SKIP_WITHOUT_CUDA_GRAPHS();
  test::TempFolder folder;
  Gan graph(cuda_config(), test::tiny_images(100), StepMode::kGraph);
  losses_of(graph, 10);
  graph.save_checkpoint(folder / "gpu.pt");

  Config cpu_config = cuda_config();
  cpu_config.train.device = DeviceChoice::kCpu;
  Gan cpu(cpu_config, test::tiny_images(100), StepMode::kEager);
  cpu.load_checkpoint(folder / "gpu.pt");
  EXPECT_EQ(cpu.step(), 10);
  EXPECT_EQ(cpu.generator_optimizer().steps(), 10);
  EXPECT_TRUE(torch::equal(flat_parameters(*cpu.generator()), flat_parameters(*graph.generator())));
  losses_of(cpu, 5);
  cpu.save_checkpoint(folder / "cpu.pt");

  Gan back(cuda_config(), test::tiny_images(100), StepMode::kGraph);
  back.load_checkpoint(folder / "cpu.pt");
  EXPECT_EQ(back.discriminator_optimizer().steps(), 30);
  EXPECT_TRUE(torch::equal(flat_parameters(*back.generator()), flat_parameters(*cpu.generator())));
  const std::vector<float> values = losses_of(back, 5);
  for (float v : values) EXPECT_TRUE(std::isfinite(v));
  EXPECT_EQ(back.step(), 20);
}

TEST(CudaGraphStep, CapturesWhereWarmUpStepsWouldRunPastTheEpoch) {
  SKIP_WITHOUT_CUDA_GRAPHS();
  // One batch per epoch: the warm-up must not gather beyond it (on a GPU that ends the context).
  Gan eager(cuda_config(), test::tiny_images(16), StepMode::kEager);
  const std::vector<float> expected = losses_of(eager, 5);
  Gan graph(cuda_config(), test::tiny_images(16), StepMode::kGraph);
  expect_close(losses_of(graph, 5), expected, 1e-3f);
}

TEST(CudaGraphStep, NewBetasOrDStepsAreCapturedAnewAndMatchEager) {
  // The edit comes at the 5th of 6 batches of an epoch: captured again near the epoch's end.
  SKIP_WITHOUT_CUDA_GRAPHS();
  auto run = [](StepMode mode) {
    Gan gan(cuda_config(), test::tiny_images(100), mode);
    std::vector<float> values = losses_of(gan, 10);
    LiveHyperparameters edit = gan.hyperparameters();
    edit.generator.beta1 = 0.9;
    edit.d_steps = 1;
    gan.set_hyperparameters(edit);
    const std::vector<float> after = losses_of(gan, 10);
    values.insert(values.end(), after.begin(), after.end());
    return values;
  };
  expect_close(run(StepMode::kGraph), run(StepMode::kEager), 1e-3f);
}

}  // namespace
}  // namespace gan

namespace gan {
namespace {

std::vector<float> uncaptured_losses(int steps) {
  Gan uncaptured(busy_config(), test::tiny_images(100), StepMode::kUncaptured);
  return losses_of(uncaptured, steps);
}

TEST(StepModeFallback, AFaithfulGraphKeepsReplaying) {
  StandIn stand_in([] { return std::make_unique<RunningCapture>(1); });
  const std::vector<float> expected = uncaptured_losses(12);  // the default generator is shared: one Gan at a time
  Gan graph(busy_config(), test::tiny_images(100), StepMode::kGraph);
  expect_close(losses_of(graph, 12), expected, 0.0f);
  EXPECT_EQ(graph.step_mode(), StepMode::kGraph);
  EXPECT_EQ(graph.step_mode_reason(), "");
}

// Steps of one side alone run uncaptured on the graph's own buffers; the captured full step
// replays around them as if they were ordinary steps (the studio's Step D and Step G on a GPU).
std::vector<float> mixed_sides(Gan& gan) {
  std::vector<float> values;
  for (StepSide side : {StepSide::kBoth, StepSide::kBoth, StepSide::kDiscriminator, StepSide::kBoth,
                        StepSide::kGenerator, StepSide::kGenerator, StepSide::kBoth, StepSide::kBoth}) {
    const torch::Tensor step = gan.train_step(side).to(torch::kCPU);
    for (int k = 0; k < 4; ++k) values.push_back(step[k].item<float>());
  }
  return values;
}

TEST(StepModeFallback, OneSidedStepsBetweenReplaysTrainAsUncapturedOnes) {
  StandIn stand_in([] { return std::make_unique<RunningCapture>(1); });
  std::vector<float> expected;
  {
    Gan uncaptured(busy_config(), test::tiny_images(100), StepMode::kUncaptured);
    expected = mixed_sides(uncaptured);
  }
  Gan graph(busy_config(), test::tiny_images(100), StepMode::kGraph);
  expect_close(mixed_sides(graph), expected, 0.0f);
  EXPECT_EQ(graph.step_mode(), StepMode::kGraph);
}

TEST(CudaGraphStep, OneSidedStepsBetweenReplaysTrainAsEagerOnes) {
  SKIP_WITHOUT_CUDA_GRAPHS();
  std::vector<float> expected;
  {
    Gan eager(cuda_config(), test::tiny_images(100), StepMode::kEager);
    expected = mixed_sides(eager);
  }
  Gan graph(cuda_config(), test::tiny_images(100), StepMode::kGraph);
  expect_close(mixed_sides(graph), expected, 1e-3f);
  EXPECT_EQ(graph.step_mode(), StepMode::kGraph);
}

TEST(StepModeFallback, ACapturesWarmUpsAndCheckLeaveNoTraceInTheInsideFigures) {
  for (const int runs : {1, 2}) {  // a faithful graph; one that disagrees and falls back
    StandIn stand_in([runs] { return std::make_unique<RunningCapture>(runs); });
    const Config config = busy_config();
    Gan graph(config, test::tiny_images(100), StepMode::kGraph);
    losses_of(graph, 2);
    const auto record = graph.read_inside();
    ASSERT_TRUE(record);
    // Two steps' verdicts: not those of the reference step, the warm-ups or a bad replay too.
    const double batch = static_cast<double>(config.train.batch_size);
    EXPECT_EQ(record->real.total(), 2 * batch) << runs;
    EXPECT_EQ(record->fake.total(), 2 * batch) << runs;
  }
}

TEST(StepModeFallback, AReplayThatDisagreesGoesOnUncapturedAndSaysWhy) {
  StandIn stand_in([] { return std::make_unique<RunningCapture>(2); });
  const std::vector<float> expected = uncaptured_losses(12);
  Gan graph(busy_config(), test::tiny_images(100), StepMode::kGraph);
  // Step by step what a run that never captured computes: the bad replay left no trace.
  expect_close(losses_of(graph, 12), expected, 0.0f);
  EXPECT_EQ(graph.step_mode(), StepMode::kUncaptured);
  EXPECT_NE(graph.step_mode_reason().find("its first replay gave"), std::string::npos) << graph.step_mode_reason();
  EXPECT_NE(graph.step_mode_reason().find("runs uncaptured from step 1 on"), std::string::npos) << graph.step_mode_reason();
  EXPECT_EQ(graph.step(), 12);
}

TEST(StepModeFallback, ACaptureThatThrowsGoesOnUncapturedAndSaysWhy) {
  StandIn stand_in([] { return std::make_unique<ThrowingCapture>(); });
  const std::vector<float> expected = uncaptured_losses(12);  // the default generator is shared: one Gan at a time
  Gan graph(busy_config(), test::tiny_images(100), StepMode::kGraph);
  expect_close(losses_of(graph, 12), expected, 0.0f);
  EXPECT_EQ(graph.step_mode(), StepMode::kUncaptured);
  EXPECT_NE(graph.step_mode_reason().find("capturing it failed: stand-in: operation not permitted"), std::string::npos)
      << graph.step_mode_reason();
  EXPECT_EQ(graph.generator_optimizer().steps(), 12);
}

// Faithful on its first capture, wrong on every later one.
class WrongOnRecapture : public RunningCapture {
 public:
  WrongOnRecapture() : RunningCapture(1) {}
  void capture(int device, const std::function<void()>& step, int warm_ups, const std::function<void()>& undo) override {
    RunningCapture::capture(device, step, warm_ups, undo);
    ++captures_;
  }
  void replay() override {
    for (int i = 0; i < (captures_ > 1 ? 2 : 1); ++i) RunningCapture::replay();
  }

 private:
  int captures_ = 0;
};

TEST(StepModeFallback, ARecaptureAfterNewBetasIsCheckedAgain) {
  StandIn stand_in([] { return std::make_unique<WrongOnRecapture>(); });
  Gan graph(busy_config(), test::tiny_images(100), StepMode::kGraph);
  losses_of(graph, 3);
  EXPECT_EQ(graph.step_mode(), StepMode::kGraph);
  LiveHyperparameters values = graph.hyperparameters();
  values.generator.beta1 = 0.4;
  graph.set_hyperparameters(values);  // betas are captured: the next step captures anew
  losses_of(graph, 2);
  EXPECT_EQ(graph.step_mode(), StepMode::kUncaptured);
  EXPECT_NE(graph.step_mode_reason().find("runs uncaptured from step 4 on"), std::string::npos) << graph.step_mode_reason();
}

}  // namespace
}  // namespace gan
