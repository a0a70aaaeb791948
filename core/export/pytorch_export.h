// The PyTorch export: G's state dict as Python's torch.load reads it, and generator.py, which
// defines the same module with the same names. LibTorch's own torch::save writes TorchScript
// archives Python cannot load as a state dict (pytorch/pytorch issue 33811); torch::pickle_save
// writes the format of Python's torch.save.
#pragma once

#include <string>
#include <vector>

#include "core/export/generator_graph.h"

namespace gan {

/// generator.pt's bytes: every parameter and buffer of G by its name ("layers.0.weight",
/// "layers.1.running_mean", "label_embedding.weight"), as Python's state_dict() orders them.
std::vector<char> pytorch_state_dict(const GeneratorGraph& graph);

/// generator.py: a self-contained module (import torch, nothing else) whose Generator has the same
/// layers under the same names as `graph`, images shaped batch x channels x rows x cols, and a
/// load(path) helper. `about` is said in its docstring (where the generator comes from).
std::string pytorch_module_source(const GeneratorGraph& graph, const std::string& about);

}  // namespace gan
