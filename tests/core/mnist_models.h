// The MNIST models that more than one test program needs trained: each is trained once per build
// tree, by the mnist.models fixture (MnistModels.Train in judge_tests), into test-home/mnist-models.
// VariantsOnMnist scores them against their untrained selves; the export round trips export them.
// Before this table each program trained its own (cgan, dcgan and cdcgan twice a run: about 3
// minutes of CI on a 2-core machine, more where the two cores share one).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace gan::test {

struct MnistModel {
  const char* name;                    ///< the checkpoint's file name and the tests' parameter name
  const char* preset;                  ///< resources/presets/<preset>.yaml
  std::vector<std::string> overrides;  ///< --set style, on top of the preset
  int steps;                           ///< long enough that the judge reads the digits
  bool colour = false;                 ///< trained on colour_digits() (an RGB folder of classes)
};

/// GoogleTest names a parameterised test by it (its bytes would be pointers, different every run).
void PrintTo(const MnistModel& model, std::ostream* out);

/// Every shared model, in the order the fixture trains them.
const std::vector<MnistModel>& mnist_models();
/// The one named `name`; throws std::out_of_range for a name not in the table.
const MnistModel& mnist_model(const std::string& name);

/// Where the fixture writes `model`'s checkpoint.
std::filesystem::path checkpoint_of(const MnistModel& model);
/// The config it trains with: its preset and overrides, on the CPU, no evaluations while training.
Config config_of(const MnistModel& model);

/// Trains every model whose checkpoint is missing, from step 0; says what it trained on stdout.
void train_missing_mnist_models();

}  // namespace gan::test
