// What the Gan tests compare runs by: the four numbers of each of `steps` training steps, and the
// parameters.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <vector>

#include "core/model/gan.h"

namespace gan::test {

/// [d_loss, g_loss, mean D(x), mean D(G(z))] of each of the next `steps` steps, in order.
inline std::vector<float> losses_of(Gan& gan, int steps) {
  std::vector<float> values;
  for (int i = 0; i < steps; ++i) {
    const torch::Tensor step = gan.train_step().to(torch::kCPU);
    for (int k = 0; k < 4; ++k) values.push_back(step[k].item<float>());
  }
  return values;
}

/// Every parameter of `module`, flattened into one CPU tensor (a copy), in registration order.
inline torch::Tensor flat_parameters(torch::nn::Module& module) {
  std::vector<torch::Tensor> flat;
  for (const auto& p : module.parameters()) flat.push_back(p.detach().flatten().to(torch::kCPU).clone());
  return torch::cat(flat);
}

}  // namespace gan::test
