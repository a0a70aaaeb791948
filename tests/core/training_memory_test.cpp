// The up-front memory check: estimates that follow the shapes, and absurd sizes refused with the
// figure before anything is allocated.
#include "core/config/training_memory.h"

#include <gtest/gtest.h>

#include "core/model/gan.h"
#include "core/model/models.h"
#include "test_support.h"

namespace gan {
namespace {

TEST(Memory, ParameterEstimateMatchesTheBuiltModels) {
  const Config config = test::preset("pytorch-gan");
  const MemoryEstimate estimate = estimate_training_memory(config, 784, 60000);
  // Weights, gradients and Adam's two moments: 16 bytes per parameter. BatchNorm's running
  // statistics (buffers, not parameters) are counted too, hence the small allowance.
  const double parameters = static_cast<double>(parameter_count(*Generator(config.model, DataShape{})) +
                                                parameter_count(*Discriminator(config.model, DataShape{})));
  EXPECT_GE(estimate.parameters, 16 * parameters);
  EXPECT_LE(estimate.parameters, 16 * parameters * 1.01);
  EXPECT_DOUBLE_EQ(estimate.data, 60000.0 * 784 * 4);
  EXPECT_GT(estimate.activations, 0);
  EXPECT_LT(estimate.total(), 1e9);  // the classic model trains in well under a gigabyte
}

TEST(Memory, AMillionWideLayerIsRefusedWithTheEstimate) {
  Config config = test::tiny_config();
  config.model.generator.hidden = {1000000, 1000000};
  try {
    check_training_memory(config, 784, 60000, 64.0 * (1 << 30));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "model");
    const std::string message = e.what();
    EXPECT_NE(message.find("needs about 14.6 TiB of memory"), std::string::npos) << message;
    EXPECT_NE(message.find("only 64.0 GiB are available"), std::string::npos) << message;
  }
  // The same through the Gan, with this machine's figure: refused before any allocation.
  EXPECT_THROW(Gan(config, test::tiny_images()), ConfigError);
  EXPECT_NO_THROW(check_training_memory(test::tiny_config(), 64, 256, 1e9));
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_GT(available_memory_bytes(), 0);
}

}  // namespace
}  // namespace gan
