// Our convolutions stay finite where LibTorch 2.6's oneDNN kernels read memory they never wrote
// (core/model/cpu_allocations.h): each case below came out NaN in 1 to 100% of tries on a heap
// full of NaNs before the models zero-filled LibTorch's allocations (the second one in about 15%
// of tries, hence 60).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>
#include <vector>

#include "core/model/models.h"
#include "test_support.h"

namespace gan {
namespace {

// Frees blocks of NaN of every size up to 4 MB, so that what the next allocations get back is
// NaN wherever a kernel reads memory it did not write.
void poison_heap() {
  std::vector<torch::Tensor> blocks;
  for (std::int64_t floats = 16; floats <= (std::int64_t{1} << 20); floats *= 4) {
    blocks.push_back(torch::full({floats}, std::numeric_limits<float>::quiet_NaN()));
  }
}

ModelConfig dcgan(std::vector<std::int64_t> g_channels, std::vector<std::int64_t> d_channels) {
  ModelConfig model = test::tiny_config().model;
  model.architecture = Architecture::kDcgan;
  model.generator.channels = std::move(g_channels);
  model.discriminator.channels = std::move(d_channels);
  return model;
}

// How many of `tries` steps (G forward, D forward, backward into both) on a freshly poisoned heap
// left a non-finite value in an output or a gradient.
int non_finite_steps(const ModelConfig& model, const DataShape& shape, int tries) {
  Generator generator(model, shape);
  Discriminator discriminator(model, shape);
  int bad = 0;
  for (int i = 0; i < tries; ++i) {
    generator->zero_grad();
    discriminator->zero_grad();
    poison_heap();
    const torch::Tensor images = generator->forward(torch::randn({16, model.latent_dim}));
    const torch::Tensor scores = discriminator->forward(images);
    poison_heap();
    scores.sum().backward();
    bool finite = torch::isfinite(images).all().item<bool>() && torch::isfinite(scores).all().item<bool>();
    for (const auto& p : generator->parameters()) finite = finite && torch::isfinite(p.grad()).all().item<bool>();
    for (const auto& p : discriminator->parameters()) finite = finite && torch::isfinite(p.grad()).all().item<bool>();
    if (!finite) ++bad;
  }
  return bad;
}

TEST(CpuAllocations, FreshMemoryComesZeroedOnceAModelIsBuilt) {
  // The mechanism itself, on every LibTorch we build against (1.13 has no such oneDNN path, so the
  // two tests below pass there either way).
  Generator generator(dcgan({8, 4}, {4, 8}), DataShape{8, 8, 4});
  for (const std::int64_t floats : {16, 4096, 1 << 20}) {
    poison_heap();
    const torch::Tensor fresh = torch::empty({floats});
    EXPECT_TRUE(fresh.eq(0).all().item<bool>()) << floats << " floats";
  }
}

TEST(CpuAllocations, SmallImagesThroughAGeneratorOfFewPlanesStayFinite) {
  // 8x8 images: G's last layer turns 4 planes of 4x4 into one (the test models' DCGAN).
  torch::manual_seed(1);
  EXPECT_EQ(non_finite_steps(dcgan({8, 4}, {4, 8}), DataShape{8, 8, 4}, 20), 0);
}

TEST(CpuAllocations, MnistThroughADiscriminatorOfFewPlanesStaysFinite) {
  // 28x28 images into a D of widths 4 and 8: its first layer's backward pass (1 plane into 4).
  torch::manual_seed(1);
  EXPECT_EQ(non_finite_steps(dcgan({16, 8}, {4, 8}), DataShape{28, 28, 10}, 60), 0);
}

}  // namespace
}  // namespace gan
