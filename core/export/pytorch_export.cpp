#include "core/export/pytorch_export.h"

#include <ATen/core/Dict.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickler.h>

#include <sstream>

#include "core/io/number_text.h"

namespace gan {
namespace {

// torch::pickle_save, but with plain containers: pickle_save tags a dict with its C++ type
// (torch.jit._pickle.restore_type_tag), which torch.load refuses to call with weights_only=True,
// the default since PyTorch 2.6. Untagged, the file is what Python's torch.save writes for a dict
// of tensors: a zip of data.pkl and one record per tensor.
std::vector<char> pickle_untagged(const c10::IValue& value) {
  std::vector<char> pickled;
  torch::jit::Pickler pickler([&](const char* bytes, std::size_t size) { pickled.insert(pickled.end(), bytes, bytes + size); },
                              /*tensor_table=*/nullptr, /*type_renamer=*/nullptr, /*memoized_class_types=*/nullptr,
                              /*get_tensor_id=*/nullptr, /*tag_aggregates=*/false);
  pickler.protocol();
  pickler.pushIValue(value);
  pickler.stop();
  std::vector<char> archive;
  caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, std::size_t size) {
    const char* bytes = static_cast<const char*>(data);
    archive.insert(archive.end(), bytes, bytes + size);
    return size;
  });
  torch::jit::writeArchiveAndTensors("data", pickled.data(), pickled.size(), pickler.tensorData(), writer);
  writer.writeEndOfFile();
  return archive;
}

}  // namespace

std::vector<char> pytorch_state_dict(const GeneratorGraph& graph) {
  c10::Dict<std::string, at::Tensor> state;
  if (graph.conditional()) state.insert("label_embedding.weight", graph.label_embedding);
  for (const GraphLayer& layer : graph.layers) {
    const std::string& name = layer.name;
    if (layer.weight.defined()) state.insert(name + ".weight", layer.weight);
    if (layer.bias.defined()) state.insert(name + ".bias", layer.bias);
    if (layer.running_mean.defined()) {
      state.insert(name + ".running_mean", layer.running_mean);
      state.insert(name + ".running_var", layer.running_var);
    }
    for (const auto& [buffer, value] : graph.other_buffers) {
      if (buffer.rfind(name + ".", 0) == 0) state.insert(buffer, value);
    }
  }
  return pickle_untagged(c10::IValue(state));
}

namespace {

// One nn.* constructor per layer, as a person would write it.
std::string python_layer(const GraphLayer& layer) {
  switch (layer.kind) {
    case GraphLayer::Kind::kLinear:
      return "nn.Linear(" + std::to_string(layer.weight.size(1)) + ", " + std::to_string(layer.weight.size(0)) + ")";
    case GraphLayer::Kind::kBatchNorm1d:
      return "nn.BatchNorm1d(" + std::to_string(layer.weight.size(0)) + ", eps=" + shortest_text(layer.eps) + ")";
    case GraphLayer::Kind::kBatchNorm2d:
      return "nn.BatchNorm2d(" + std::to_string(layer.weight.size(0)) + ", eps=" + shortest_text(layer.eps) + ")";
    case GraphLayer::Kind::kRelu: return "nn.ReLU(inplace=True)";
    case GraphLayer::Kind::kLeakyRelu: return "nn.LeakyReLU(" + shortest_text(layer.slope) + ", inplace=True)";
    case GraphLayer::Kind::kTanh: return "nn.Tanh()";
    case GraphLayer::Kind::kUnflatten: {
      std::string sizes;
      for (const auto size : layer.unflatten) sizes += (sizes.empty() ? "" : ", ") + std::to_string(size);
      return "nn.Unflatten(1, (" + sizes + "))";
    }
    case GraphLayer::Kind::kConvTranspose2d:
      return "nn.ConvTranspose2d(" + std::to_string(layer.weight.size(0)) + ", " + std::to_string(layer.weight.size(1)) +
             ", " + std::to_string(layer.kernel) + ", stride=" + std::to_string(layer.stride) +
             ", padding=" + std::to_string(layer.padding) + ")";
    case GraphLayer::Kind::kFlatten: return "nn.Flatten()";
  }
  return {};
}

}  // namespace

std::string pytorch_module_source(const GeneratorGraph& graph, const std::string& about) {
  std::ostringstream py;
  const std::string shape =
      "(" + std::to_string(graph.channels) + ", " + std::to_string(graph.rows) + ", " + std::to_string(graph.cols) + ")";
  py << "\"\"\"A generator trained with GAN Studio: " << about << "\n\n"
     << "    import torch, generator\n"
     << "    G = generator.load(\"generator.pt\")\n";
  if (graph.conditional()) {
    py << "    images = G(torch.randn(16, G.latent_dim), torch.full((16,), 3))  # 16 of class 3, 16 x "
       << graph.channels << " x " << graph.rows << " x " << graph.cols << " in [-1, 1]\n";
  } else {
    py << "    images = G(torch.randn(16, G.latent_dim))  # 16 x " << graph.channels << " x " << graph.rows << " x "
       << graph.cols << ", in [-1, 1]\n";
  }
  py << "\nThe module is GAN Studio's own, layer for layer and name for name, so generator.pt is its\n"
     << "state_dict(). Written by GAN Studio's exporter; edit freely.\n\"\"\"\n"
     << "import torch\nfrom torch import nn\n\n\n"
     << "class Generator(nn.Module):\n"
     << "    latent_dim = " << graph.latent_dim << "\n"
     << "    classes = " << graph.classes << "  # labels 0 .. classes - 1; 0: draws no class asked for\n"
     << "    image_shape = " << shape << "  # channels, rows, columns\n\n"
     << "    def __init__(self):\n"
     << "        super().__init__()\n";
  if (graph.conditional()) {
    py << "        self.label_embedding = nn.Embedding(" << graph.label_embedding.size(0) << ", "
       << graph.label_embedding.size(1) << ")\n";
  }
  py << "        self.layers = nn.Sequential(\n";
  for (const GraphLayer& layer : graph.layers) py << "            " << python_layer(layer) << ",  # " << layer.name << "\n";
  py << "        )\n\n";
  if (graph.conditional()) {
    py << "    def forward(self, z, labels):\n"
       << "        \"\"\"z: batch x latent_dim noise from N(0, 1); labels: batch class indices (long).\"\"\"\n"
       << "        x = torch.cat([self.label_embedding(labels), z], 1)\n";
  } else {
    py << "    def forward(self, z):\n"
       << "        \"\"\"z: batch x latent_dim noise from N(0, 1).\"\"\"\n"
       << "        x = z\n";
  }
  py << "        return self.layers(x).view(-1, *self.image_shape)\n\n\n"
     << "def load(path=\"generator.pt\", device=\"cpu\"):\n"
     << "    \"\"\"The generator saved at `path`, in eval mode (BatchNorm on its running statistics).\"\"\"\n"
     << "    generator = Generator()\n"
     << "    generator.load_state_dict(torch.load(path, map_location=device, weights_only=True))\n"
     << "    return generator.to(device).eval()\n";
  return py.str();
}

}  // namespace gan
