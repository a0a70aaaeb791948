#include "core/export/generator_export.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>
#include <torch/utils.h>

#include <algorithm>
#include <cstdlib>

#include "core/export/generator_graph.h"
#include "core/export/onnx_export.h"
#include "core/export/pytorch_export.h"
#include "core/export/web_page.h"
#include "core/io/atomic_folder.h"
#include "core/io/paths.h"
#include "core/model/checkpoint_generator.h"
#include "core/model/gan.h"
#include "core/run/checkpoint_files.h"

namespace gan {
namespace {

constexpr std::int64_t kCheckBatch = 16;
// float32 through the same layers in another order of summation: far below one grey level (1/255).
constexpr double kCheckTolerance = 1e-4;

struct Source {
  std::string title;  ///< "MNIST digits, conditional DCGAN"
  std::string about;  ///< "Trained with GAN Studio for 4000 steps (checkpoint …)."
  std::string dataset;
  std::int64_t step = 0;
  std::vector<std::string> class_names;
};

std::string dataset_title(const DataConfig& data) {
  if (data.dataset == "mnist") return "MNIST digits";
  if (data.dataset == "fashion-mnist") return "Fashion-MNIST";
  const std::string name = std::filesystem::path(data.path).filename().string();
  return name.empty() ? data.dataset : name;
}

// The names a person picks a class by: the digits, Fashion-MNIST's garments, a folder's class
// folders (read_image_folder's classes are its non-empty subfolders in name order: when the
// folder is still there with as many, their names; else numbers).
std::vector<std::string> class_names(const DataConfig& data, std::int64_t classes) {
  std::vector<std::string> names;
  if (data.dataset == "fashion-mnist" && classes == 10) {
    return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  }
  if (data.dataset == "folder" && !data.path.empty()) {
    std::error_code error;
    for (std::filesystem::directory_iterator it(data.path, error), end; !error && it != end; it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] != '.' && it->is_directory(error)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    if (static_cast<std::int64_t>(names.size()) == classes) return names;
    names.clear();
  }
  for (std::int64_t c = 0; c < classes; ++c) names.push_back(std::to_string(c));
  return names;
}

Source describe_source(const Config& config, const DataShape& shape, std::int64_t step, const std::string& from) {
  Source source;
  const ModelConfig& model = config.model;
  source.title = dataset_title(config.data) + ", " + (model.conditional ? "conditional " : "") +
                 (model.architecture == Architecture::kDcgan ? "DCGAN" : "MLP GAN");
  source.dataset = config.data.dataset;
  source.step = step;
  source.about = "Trained with GAN Studio for " + std::to_string(step) + " steps" + (from.empty() ? "" : " (" + from + ")") +
                 "; " + std::to_string(shape.channels == 3 ? 3 : 1) + " x " + std::to_string(shape.rows) + " x " +
                 std::to_string(shape.cols) + " images from " + std::to_string(model.latent_dim) + " numbers of noise.";
  if (model.conditional) source.class_names = class_names(config.data, shape.classes);
  return source;
}

// The exported layers must draw what G draws: the same noise (and labels) through both, eval mode.
void check_graph(const GeneratorGraph& graph, Generator& generator) {
  torch::NoGradGuard no_grad;
  at::Generator rng = at::detail::createCPUGenerator(/*seed_in=*/20261207);
  const torch::Tensor z = torch::randn({kCheckBatch, graph.latent_dim}, rng, torch::kFloat32);
  torch::Tensor labels;
  if (graph.conditional()) labels = torch::randint(graph.classes, {kCheckBatch}, rng, torch::kLong);
  const bool training = generator->is_training();
  generator->eval();
  const torch::Device device = generator->parameters().front().device();
  torch::Tensor expected;
  try {
    expected = generator->forward(z.to(device), labels.defined() ? labels.to(device) : labels).to(torch::kCPU);
  } catch (...) {
    generator->train(training);
    throw;
  }
  generator->train(training);
  const torch::Tensor drawn = run_graph(graph, z, labels);
  const double difference = (drawn.flatten(1) - expected.flatten(1)).abs().max().item<double>();
  if (!(difference <= kCheckTolerance)) {
    throw ExportError("the exported layers draw other images than the generator (they differ by up to " +
                      std::to_string(difference) + "); nothing was written");
  }
}

std::string metadata_json(const GeneratorGraph& graph, const Source& source, ExportFormat format) {
  nlohmann::ordered_json json;
  json["format"] = "gan-studio generator";
  json["version"] = 1;
  json["export"] = to_string(format);
  json["title"] = source.title;
  json["about"] = source.about;
  json["dataset"] = source.dataset;
  json["step"] = source.step;
  json["latent_dim"] = graph.latent_dim;
  json["classes"] = source.class_names;  // empty: an unconditional generator
  json["channels"] = graph.channels;
  json["height"] = graph.rows;
  json["width"] = graph.cols;
  json["range"] = {-1.0, 1.0};
  if (format != ExportFormat::kPyTorch) json["onnx_opset"] = kOnnxOpset;
  return json.dump(2) + "\n";
}

std::string shape_text(const GeneratorGraph& graph) {
  return std::to_string(graph.channels) + " x " + std::to_string(graph.rows) + " x " + std::to_string(graph.cols);
}

std::string readme(const GeneratorGraph& graph, const Source& source, ExportFormat format) {
  std::string text = "# " + source.title + "\n\n" + source.about + "\n\n";
  const std::string z = "z: batch x " + std::to_string(graph.latent_dim) + " floats from N(0, 1)";
  const std::string label =
      graph.conditional() ? "; label: batch int64 class indices 0.." + std::to_string(graph.classes - 1) +
                                " (names in generator.json)"
                          : "";
  const std::string out = "images: batch x " + shape_text(graph) + " (channels, rows, columns) in [-1, 1]";
  switch (format) {
    case ExportFormat::kPyTorch:
      text += "PyTorch (any version since 1.13; nothing but torch needed):\n\n```python\nimport torch, generator\n"
              "G = generator.load(\"generator.pt\")\n";
      text += graph.conditional() ? "images = G(torch.randn(16, G.latent_dim), torch.full((16,), 3))  # class 3\n```\n"
                                  : "images = G(torch.randn(16, G.latent_dim))\n```\n";
      text += "\n" + z + label + ". " + out +
              ": `torchvision.utils.save_image(images, \"grid.png\", normalize=True, value_range=(-1, 1))` saves them.\n"
              "generator.pt is the module's state_dict (parameters and BatchNorm statistics by name); "
              "generator.py defines the module.\n";
      break;
    case ExportFormat::kOnnx:
      text += "ONNX (opset " + std::to_string(kOnnxOpset) +
              "), with ONNX Runtime or any ONNX tool:\n\n```python\nimport numpy as np, onnxruntime\n"
              "session = onnxruntime.InferenceSession(\"generator.onnx\")\n"
              "z = np.random.randn(16, " + std::to_string(graph.latent_dim) + ").astype(np.float32)\n";
      text += graph.conditional() ? "images, = session.run(None, {\"z\": z, \"label\": np.full(16, 3, dtype=np.int64)})\n```\n"
                                  : "images, = session.run(None, {\"z\": z})\n```\n";
      text += "\nInputs: " + z + label + ". Output: " + out + ".\n";
      break;
    case ExportFormat::kWeb:
      text += "A web page that draws with this generator in the browser (ONNX Runtime Web, WebAssembly). Browsers "
              "load WebAssembly only over http, so serve this folder with any static server:\n\n```sh\n"
              "python3 -m http.server 8000\n```\n\nand open http://localhost:8000/. Everything it needs is in this "
              "folder: copy it to any web host as it is.\n\ngenerator.onnx takes " + z + label + "; " + out +
              ". The ort.* files are ONNX Runtime Web's (npm package onnxruntime-web, © Microsoft Corporation, MIT "
              "license: ONNXRUNTIME-LICENSE).\n";
      break;
  }
  return text;
}

ExportedGenerator write_export(Generator& generator, const Config& config, const DataShape& shape, std::int64_t step,
                               const std::string& from, ExportFormat format, const std::filesystem::path& folder,
                               Replace replace) {
  // Everything that can be refused is, before the folder is made.
  if (format != ExportFormat::kPyTorch && !onnx_export_available()) throw ExportError(kNoOnnx);
  std::filesystem::path runtime;
  if (format == ExportFormat::kWeb) {
    runtime = onnxruntime_web_folder();
    for (const char* name : kOnnxRuntimeWebFiles) {
      if (!std::filesystem::is_regular_file(runtime / name)) {
        throw ExportError("the web page needs onnxruntime-web's " + std::string(name) + " in " + runtime.string() +
                          ", which is missing (packaging/setup.sh fetches it from npm; the Debian package ships it)");
      }
    }
  }
  const GeneratorGraph graph = describe_generator(generator, config.model.latent_dim, shape);
  check_graph(graph, generator);
  const Source source = describe_source(config, shape, step, from);

  AtomicFolder out(folder, replace);
  ExportedGenerator exported;
  exported.folder = out.target();
  exported.about = source.about;
  auto add = [&](const std::string& name, const std::string& contents) {
    out.write(name, contents);
    exported.files.push_back(name);
  };
  switch (format) {
    case ExportFormat::kPyTorch: {
      const std::vector<char> state = pytorch_state_dict(graph);
      out.write("generator.pt", state.data(), state.size());
      exported.files.push_back("generator.pt");
      add("generator.py", pytorch_module_source(graph, source.title + ". " + source.about));
      break;
    }
    case ExportFormat::kOnnx: add("generator.onnx", onnx_model(graph, source.title + ". " + source.about)); break;
    case ExportFormat::kWeb:
      add("index.html", web_page_html());
      add("generator.onnx", onnx_model(graph, source.title + ". " + source.about));
      for (const char* name : kOnnxRuntimeWebFiles) {
        out.copy(name, runtime / name);
        exported.files.push_back(name);
      }
      // Its MIT license travels with every copy.
      if (std::filesystem::is_regular_file(runtime / "LICENSE")) {
        out.copy("ONNXRUNTIME-LICENSE", runtime / "LICENSE");
        exported.files.push_back("ONNXRUNTIME-LICENSE");
      }
      break;
  }
  add("generator.json", metadata_json(graph, source, format));
  add("README.md", readme(graph, source, format));
  out.commit();
  return exported;
}

}  // namespace

const char* to_string(ExportFormat format) {
  switch (format) {
    case ExportFormat::kPyTorch: return "pytorch";
    case ExportFormat::kOnnx: return "onnx";
    case ExportFormat::kWeb: return "web";
  }
  return "?";
}

std::optional<ExportFormat> parse_export_format(std::string_view text) {
  for (const ExportFormat format : {ExportFormat::kPyTorch, ExportFormat::kOnnx, ExportFormat::kWeb}) {
    if (text == to_string(format)) return format;
  }
  return std::nullopt;
}

std::filesystem::path onnxruntime_web_folder() {
  if (const char* env = std::getenv("GAN_ONNXRUNTIME_WEB_DIR"); env != nullptr && *env != '\0') return env;
  return shared_data_folder() / "onnxruntime-web";
}

ExportedGenerator export_generator(const std::filesystem::path& source, ExportFormat format,
                                   const std::filesystem::path& folder, Replace replace) {
  if (!std::filesystem::exists(source)) throw ExportError(source.string() + ": no such checkpoint or run folder");
  const std::filesystem::path checkpoint =
      std::filesystem::is_directory(source) ? find_checkpoint(source, "export the generator of") : source;
  CheckpointGenerator loaded = load_checkpoint_generator(checkpoint);
  // Names, not paths: an export is often shared, and the path of someone's home is not its business.
  const std::filesystem::path parent = std::filesystem::absolute(checkpoint).parent_path();
  const std::string from = parent.filename() == "checkpoints"
                               ? "run " + parent.parent_path().filename().string() + ", " + checkpoint.filename().string()
                               : "checkpoint " + checkpoint.filename().string();
  return write_export(loaded.generator, loaded.info.config, loaded.shape, loaded.info.step, from, format, folder, replace);
}

ExportedGenerator export_generator(Gan& gan, ExportFormat format, const std::filesystem::path& folder, Replace replace,
                                   const std::string& about) {
  return write_export(gan.generator(), gan.config(), gan.shape(), gan.step(), about, format, folder, replace);
}

}  // namespace gan
