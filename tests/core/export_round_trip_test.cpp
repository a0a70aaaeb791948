// The three round trips of an exported generator, on real trained checkpoints of every family (MLP
// and DCGAN, conditional or not, gray and RGB), with the outside tools installed by the export.tools
// fixture (tests/export/install_tools.sh):
//   Python      generator.py + generator.pt in Debian's python3-torch: LibTorch's images within 1e-5;
//   ONNX        ONNX's checker (python3-onnx) passes, onnxruntime-node draws them within 1e-4;
//   the browser the web export in headless Chromium, from localhost: the canvas holds LibTorch's
//               images for the page's own noise (to a grey level), and the judge reads them as digits
//               (for a conditional model, the digit picked in the page).
// The checkpoints are the shared MNIST models (mnist_models.h), trained once per build tree.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/export/onnx_export.h"
#include "core/io/image.h"
#include "core/judge/judge.h"
#include "core/model/checkpoint_generator.h"
#include "mnist_models.h"
#include "test_support.h"

namespace gan {
namespace {

const std::filesystem::path kTools = GAN_EXPORT_TOOLS_DIR;
const std::filesystem::path kScripts = GAN_EXPORT_SCRIPTS_DIR;

using test::checkpoint_of;
using test::MnistModel;

// Every family: MLP and DCGAN, conditional or not, gray and RGB (the shared models, mnist_models.cpp).
std::vector<MnistModel> families() {
  std::vector<MnistModel> all;
  for (const char* name : {"mlp", "mlp_conditional", "dcgan", "dcgan_conditional", "dcgan_rgb_conditional"}) {
    all.push_back(test::mnist_model(name));
  }
  return all;
}

// Why a tool the round trip needs is not there (install_tools.sh's missing.txt), or "".
std::string missing(const std::vector<std::filesystem::path>& needed) {
  for (const auto& path : needed) {
    if (!std::filesystem::exists(path)) {
      const std::string reasons = test::read_text(kTools / "missing.txt");
      return path.string() + " is not installed" + (reasons.empty() ? "" : ": " + reasons);
    }
  }
  return {};
}

const std::filesystem::path kPython = "/usr/bin/python3";
const std::filesystem::path kDebianTorch = "/usr/lib/python3/dist-packages/torch";
const std::filesystem::path kDebianOnnx = "/usr/lib/python3/dist-packages/onnx";
const std::filesystem::path kNode = "/usr/bin/node";

std::string node_environment() { return "NODE_PATH='" + (kTools / "node_modules").string() + "'"; }

void write_raw(const std::filesystem::path& path, const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.contiguous();
  std::ofstream(path, std::ios::binary).write(static_cast<const char*>(values.data_ptr()), static_cast<std::streamsize>(values.nbytes()));
}

torch::Tensor read_raw(const std::filesystem::path& path, torch::ScalarType type) {
  const std::string bytes = test::read_text(path);
  const std::int64_t count = static_cast<std::int64_t>(bytes.size()) / static_cast<std::int64_t>(c10::elementSize(type));
  return torch::from_blob(const_cast<char*>(bytes.data()), {count}, type).clone();
}

class RoundTrip : public ::testing::TestWithParam<MnistModel> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(checkpoint_of(GetParam()))) << "the mnist.models fixture trains it";
    loaded_ = load_checkpoint_generator(checkpoint_of(GetParam()));
  }

  // gan-eval --export-generator FORMAT: the command a user runs.
  std::filesystem::path exported(const char* format) {
    const std::filesystem::path out = folder_.path() / format;
    const test::ProgramResult result = test::run_program(
        GAN_EVAL_EXECUTABLE, "'" + checkpoint_of(GetParam()).string() + "' --export-generator " + format + " --out '" + out.string() + "'");
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return out;
  }

  // LibTorch's images (batch x channels x rows x cols) for `z` and `labels`, eval mode.
  torch::Tensor libtorch_images(const torch::Tensor& z, const torch::Tensor& labels) {
    torch::NoGradGuard no_grad;
    const DataShape& s = loaded_.shape;
    return loaded_.generator->forward(z, labels).reshape({z.size(0), s.channels, s.rows, s.cols});
  }

  // A case: noise and labels written where the other end reads them, and LibTorch's answer.
  torch::Tensor write_case(const std::filesystem::path& folder) {
    std::filesystem::create_directories(folder);
    torch::manual_seed(11);
    const torch::Tensor z = torch::randn({16, loaded_.info.config.model.latent_dim});
    torch::Tensor labels;
    write_raw(folder / "z.f32", z);
    if (loaded_.info.config.model.conditional) {
      labels = torch::arange(16, torch::kLong).remainder(loaded_.shape.classes);
      write_raw(folder / "labels.i64", labels);
    }
    return libtorch_images(z, labels);
  }

  test::TempFolder folder_;
  CheckpointGenerator loaded_;
};

TEST_P(RoundTrip, PythonTorchDrawsTheSameImages) {
  if (const std::string why = missing({kPython, kDebianTorch}); !why.empty()) GTEST_SKIP() << why;
  const std::filesystem::path out = exported("pytorch");
  const torch::Tensor expected = write_case(folder_.path() / "case");
  const test::ProgramResult result = test::run_program(
      kPython, "'" + (kScripts / "pytorch_check.py").string() + "' '" + out.string() + "' '" + (folder_.path() / "case").string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const torch::Tensor drawn = read_raw(folder_.path() / "case" / "pytorch.f32", torch::kFloat32).reshape(expected.sizes());
  const double difference = (drawn - expected).abs().max().item<double>();
  std::printf("%s%s: Python's images differ from LibTorch's by at most %.2g\n", result.output.c_str(), GetParam().name, difference);
  EXPECT_LE(difference, 1e-5);
}

TEST_P(RoundTrip, OnnxRuntimeDrawsTheSameImages) {
  if (!onnx_export_available()) GTEST_SKIP() << "built without ONNX's library: only the PyTorch export exists";
  const std::filesystem::path runtime = kTools / "node_modules" / "onnxruntime-node";
  if (const std::string why = missing({kPython, kDebianOnnx, kNode, runtime}); !why.empty()) GTEST_SKIP() << why;
  const std::filesystem::path out = exported("onnx");
  const test::ProgramResult checked = test::run_program(kPython, "'" + (kScripts / "onnx_checker.py").string() + "' '" + (out / "generator.onnx").string() + "'");
  ASSERT_EQ(checked.exit_code, 0) << checked.output;
  const torch::Tensor expected = write_case(folder_.path() / "case");
  const test::ProgramResult result = test::run_program(
      kNode, "'" + (kScripts / "onnx_run.mjs").string() + "' '" + (out / "generator.onnx").string() + "' '" +
                 (folder_.path() / "case").string() + "'",
      node_environment());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const torch::Tensor drawn = read_raw(folder_.path() / "case" / "onnx.f32", torch::kFloat32).reshape(expected.sizes());
  const double difference = (drawn - expected).abs().max().item<double>();
  std::printf("%s%s%s: ONNX Runtime's images differ from LibTorch's by at most %.2g\n", checked.output.c_str(),
              result.output.c_str(), GetParam().name, difference);
  EXPECT_LE(difference, 1e-4);
}

// The cells of a canvas drawing, as the page laid them out (its data attributes), in [-1, 1].
torch::Tensor canvas_cells(const std::filesystem::path& png, const nlohmann::json& geometry, std::int64_t count) {
  const Image canvas = read_png(png);
  const int width = std::stoi(geometry.at("cellWidth").get<std::string>());
  const int height = std::stoi(geometry.at("cellHeight").get<std::string>());
  const int gap = std::stoi(geometry.at("gap").get<std::string>());
  const int columns = std::stoi(geometry.at("columns").get<std::string>());
  const int channels = std::stoi(geometry.at("channels").get<std::string>());
  torch::Tensor cells = torch::empty({count, channels, height, width});
  auto values = cells.accessor<float, 4>();
  for (std::int64_t n = 0; n < count; ++n) {
    const int left = gap + static_cast<int>(n % columns) * (width + gap);
    const int top = gap + static_cast<int>(n / columns) * (height + gap);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const std::size_t at = (static_cast<std::size_t>(top + y) * canvas.width + left + x) * canvas.channels;
        for (int c = 0; c < channels; ++c) values[n][c][y][x] = canvas.pixels[at + std::min(c, canvas.channels - 1)] / 127.5f - 1.0f;
      }
    }
  }
  return cells;
}

// What "the judge reads them as digits" means here; the same test on noise must fail.
bool judge_reads(Judge& judge, const torch::Tensor& cells, const torch::Tensor& asked, std::string* said) {
  const QualityRecord q = judge.score(cells.flatten(1), asked);
  *said = "mean confidence " + std::to_string(q.mean_confidence) + ", IS " + std::to_string(q.inception_score);
  if (q.conditional_accuracy) *said += ", drawn as asked " + std::to_string(*q.conditional_accuracy);
  // Digits read as the digit asked for (chance: 0.1), or as several digits, each with confidence
  // (an Inception Score of 1: one class, or none clearly; uniform noise scores about 1.1).
  return q.conditional_accuracy ? *q.conditional_accuracy >= 0.4 : q.inception_score >= 2.0;
}

TEST_P(RoundTrip, TheWebPageDrawsTheSameDigitsInChromium) {
  if (!onnx_export_available()) GTEST_SKIP() << "built without ONNX's library: only the PyTorch export exists";
  const std::filesystem::path playwright = kTools / "node_modules" / "playwright-core";
  if (const std::string why = missing({kNode, playwright, "/usr/bin/chromium"}); !why.empty()) GTEST_SKIP() << why;
  const std::filesystem::path web = exported("web");
  const std::filesystem::path shown = folder_.path() / "shown";
  std::filesystem::create_directories(shown);
  const bool conditional = loaded_.info.config.model.conditional;
  const test::ProgramResult result = test::run_program(
      kNode, "'" + (kScripts / "browser_check.mjs").string() + "' '" + web.string() + "' '" + shown.string() + "'" + (conditional ? " 3" : ""),
      node_environment());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  std::printf("%s", result.output.c_str());

  const std::string drawing = conditional ? "class" : "first";
  const nlohmann::json geometry = nlohmann::json::parse(test::read_text(shown / (drawing + ".json")));
  const std::int64_t latent = loaded_.info.config.model.latent_dim;
  const torch::Tensor z = read_raw(shown / (drawing + ".z.f32"), torch::kFloat32).reshape({-1, latent});
  const torch::Tensor labels = conditional ? read_raw(shown / (drawing + ".labels.i64"), torch::kLong) : torch::Tensor();
  if (conditional) {
    EXPECT_TRUE(torch::all(labels == 3).item<bool>()) << "the page did not draw the class picked";
  }
  const torch::Tensor cells = canvas_cells(shown / (drawing + ".png"), geometry, z.size(0));
  // The canvas holds LibTorch's images for the page's noise, to one grey level (WebAssembly's float
  // arithmetic may round a pixel the other way).
  const torch::Tensor expected = libtorch_images(z, labels).add(1).mul(127.5).add(0.5).floor().clamp(0, 255).div(127.5).sub(1);
  const double levels = (cells - expected).abs().max().item<double>() * 127.5;
  EXPECT_LE(levels, 1.01) << "the canvas differs from LibTorch's images by " << levels << " grey levels";

  if (GetParam().colour) return;  // the MNIST judge reads gray digits; the pixels above are the round trip
  auto judge = Judge::open(loaded_.info.config.data, z.size(0));
  std::string said;
  EXPECT_TRUE(judge_reads(*judge, cells, labels, &said)) << GetParam().name << ": " << said;
  std::printf("%s: the judge on the page's canvas: %s\n", GetParam().name, said.c_str());
  std::string noise_said;
  EXPECT_FALSE(judge_reads(*judge, torch::rand_like(cells) * 2 - 1, labels, &noise_said)) << "noise passes: " << noise_said;
  std::printf("noise: %s\n", noise_said.c_str());
}

INSTANTIATE_TEST_SUITE_P(Families, RoundTrip, ::testing::ValuesIn(families()),
                         [](const ::testing::TestParamInfo<MnistModel>& model) { return std::string(model.param.name); });

}  // namespace
}  // namespace gan
