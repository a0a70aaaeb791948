// The generator exports without the outside tools (those round trips are export_round_trip_test.cpp):
// every preset's G read into the exporters' layer list draws what the module draws, becomes an
// ONNX model ONNX's checker takes and a state dict with the module's every key and value; a layer
// the exporters cannot write is refused by name; exports never overwrite unasked and leave nothing
// behind when they fail.
#include <gtest/gtest.h>
#include <torch/nn/modules/activation.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/config/config.h"
#include "core/export/generator_export.h"
#include "core/export/generator_graph.h"
#include "core/export/onnx_export.h"
#include "core/export/pytorch_export.h"
#include "core/model/checkpoint_generator.h"
#include "core/model/gan.h"
#include "test_support.h"
#include "tests/support/file_size_limit.h"

namespace gan {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

DataShape shape_for(const Config& config) {
  DataShape shape;
  if (config.data.dataset == "folder") shape.rows = shape.cols = config.data.size;
  shape.channels = config.data.channels == 3 ? 3 : 1;
  return shape;
}

// A G as training leaves it: weights and BatchNorm statistics away from their initial values.
Generator trained_looking_generator(const Config& config, const DataShape& shape) {
  torch::manual_seed(7);
  Generator generator(config.model, shape);
  torch::NoGradGuard no_grad;
  for (auto& buffer : generator->named_buffers()) {
    if (buffer.key().find("running_mean") != std::string::npos) buffer.value().normal_(0.0, 0.5);
    if (buffer.key().find("running_var") != std::string::npos) buffer.value().uniform_(0.5, 2.0);
  }
  for (auto& parameter : generator->parameters()) parameter.add_(torch::randn_like(parameter) * 0.01);
  generator->eval();
  return generator;
}

class EveryPreset : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryPreset, ItsGeneratorIsExportedAsItDraws) {
  Config config = load_config(std::filesystem::path(GAN_PRESETS_DIR_FOR_TESTS) / (GetParam() + ".yaml"));
  for (const bool conditional : {false, true}) {
    config.model.conditional = conditional;
    const DataShape shape = shape_for(config);
    Generator generator = trained_looking_generator(config, shape);
    const GeneratorGraph graph = describe_generator(generator, config.model.latent_dim, shape);
    EXPECT_EQ(graph.conditional(), conditional);
    EXPECT_EQ(graph.channels, shape.channels);

    torch::NoGradGuard no_grad;
    const torch::Tensor z = torch::randn({5, config.model.latent_dim});
    const torch::Tensor labels = conditional ? torch::tensor({0, 3, 9, 1, 2}, torch::kLong) : torch::Tensor();
    const torch::Tensor drawn = run_graph(graph, z, labels);
    EXPECT_EQ(drawn.sizes(), (std::vector<std::int64_t>{5, shape.channels, shape.rows, shape.cols}));
    EXPECT_LE((drawn.flatten(1) - generator->forward(z, labels)).abs().max().item<double>(), 1e-5) << GetParam();

    if (onnx_export_available()) {
      // ONNX's checker and strict shape inference run inside onnx_model.
      EXPECT_GT(onnx_model(graph, "test").size(), 1000u);
    } else {
      EXPECT_THROW(onnx_model(graph, "test"), ExportError);
    }

    // The state dict holds every parameter and buffer of the module, by its name, unchanged.
    const std::vector<char> bytes = pytorch_state_dict(graph);
    const c10::Dict<c10::IValue, c10::IValue> state = torch::pickle_load(bytes).toGenericDict();
    std::size_t expected = 0;
    for (const auto& item : generator->named_parameters()) {
      ++expected;
      ASSERT_TRUE(state.contains(item.key())) << item.key();
      EXPECT_TRUE(torch::equal(state.at(item.key()).toTensor(), item.value())) << item.key();
    }
    for (const auto& item : generator->named_buffers()) {
      ++expected;
      ASSERT_TRUE(state.contains(item.key())) << item.key();
      EXPECT_TRUE(torch::equal(state.at(item.key()).toTensor(), item.value())) << item.key();
    }
    EXPECT_EQ(state.size(), expected);

    const std::string python = pytorch_module_source(graph, "test");
    EXPECT_NE(python.find("def load(path=\"generator.pt\""), std::string::npos);
    EXPECT_NE(python.find("self.layers = nn.Sequential("), std::string::npos);
    EXPECT_EQ(python.find("self.label_embedding") != std::string::npos, conditional);
  }
}

INSTANTIATE_TEST_SUITE_P(Presets, EveryPreset,
                         ::testing::Values("course-report", "pytorch-gan", "laptop", "cgan", "dcgan", "cdcgan", "lsgan",
                                           "hinge", "wgan-gp", "dcgan-32-rgb", "dcgan-64-rgb"),
                         [](const auto& preset) {
                           std::string name = preset.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(GeneratorExport, RefusesALayerItCannotWriteByName) {
  Config config;
  const DataShape shape;
  Generator generator(config.model, shape);
  generator->layers().ptr()->push_back(torch::nn::Softplus());
  const std::string last = "layers." + std::to_string(generator->layers()->size() - 1);
  try {
    describe_generator(generator, config.model.latent_dim, shape);
    FAIL() << "a Softplus was exported";
  } catch (const ExportError& e) {
    EXPECT_NE(std::string(e.what()).find(last + " (torch::nn::Softplus)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot write"), std::string::npos) << e.what();
  }
}

TEST(GeneratorExport, NamesTheFormats) {
  for (const ExportFormat format : {ExportFormat::kPyTorch, ExportFormat::kOnnx, ExportFormat::kWeb}) {
    EXPECT_EQ(parse_export_format(to_string(format)), format);
  }
  EXPECT_FALSE(parse_export_format("tensorflow").has_value());
}

class ExportFromCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config;
    config.model.conditional = true;
    config.model.generator.hidden = {32, 64};
    config.model.discriminator.hidden = {32};
    config.train.batch_size = 16;
    config.train.device = DeviceChoice::kCpu;
    config.sampling.grid = 2;
    ImageSet images = test::tiny_images(64);
    for (std::size_t i = 0; i < images.labels.size(); ++i) images.labels[i] = static_cast<std::uint8_t>(i % 4);
    Gan gan(config, images);
    for (int i = 0; i < 3; ++i) gan.train_step();
    checkpoint_ = dir_.path() / "step.pt";
    gan.save_checkpoint(checkpoint_);
    drawn_ = gan.generator();
  }
  test::TempFolder dir_;
  std::filesystem::path checkpoint_;
  Generator drawn_{nullptr};
};

TEST_F(ExportFromCheckpoint, LoadsGeneratorAndShapeWithoutTheData) {
  CheckpointGenerator loaded = load_checkpoint_generator(checkpoint_);
  EXPECT_EQ(loaded.shape.rows, 8);
  EXPECT_EQ(loaded.shape.classes, 4);
  EXPECT_EQ(loaded.info.step, 3);
  torch::NoGradGuard no_grad;
  drawn_->eval();
  const torch::Tensor z = torch::randn({4, 100});
  const torch::Tensor labels = torch::tensor({0, 1, 2, 3}, torch::kLong);
  EXPECT_TRUE(torch::allclose(loaded.generator->forward(z, labels), drawn_->forward(z, labels)));
}

TEST_F(ExportFromCheckpoint, NeverOverwritesUnaskedAndReplacesWholeWhenAsked) {
  if (!onnx_export_available()) GTEST_SKIP() << "built without ONNX's library: only the PyTorch export exists";
  const std::filesystem::path out = dir_.path() / "export";
  const ExportedGenerator first = export_generator(checkpoint_, ExportFormat::kOnnx, out);
  EXPECT_EQ(first.files, (std::vector<std::string>{"generator.onnx", "generator.json", "README.md"}));
  EXPECT_TRUE(std::filesystem::is_regular_file(out / "generator.onnx"));
  write_text(out / "mine.txt", "a user's file");
  try {
    export_generator(checkpoint_, ExportFormat::kPyTorch, out);
    FAIL() << "an existing folder was written into";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::exists(out / "mine.txt"));
  EXPECT_FALSE(std::filesystem::exists(out / "generator.pt"));
  export_generator(checkpoint_, ExportFormat::kPyTorch, out, Replace::kAllowed);
  EXPECT_TRUE(std::filesystem::exists(out / "generator.pt"));
  EXPECT_FALSE(std::filesystem::exists(out / "mine.txt"));  // replaced as a whole, not merged
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".export."), std::string::npos) << "left behind: " << entry.path();
  }
}

TEST_F(ExportFromCheckpoint, AFailedExportLeavesNothing) {
  if (!onnx_export_available()) GTEST_SKIP() << "built without ONNX's library: only the PyTorch export exists";
  // The web page's runtime files are missing: refused before a folder is made.
  ::setenv("GAN_ONNXRUNTIME_WEB_DIR", (dir_.path() / "no-runtime").c_str(), 1);
  const std::filesystem::path out = dir_.path() / "web";
  try {
    export_generator(checkpoint_, ExportFormat::kWeb, out);
    FAIL() << "exported a page without its runtime";
  } catch (const ExportError& e) {
    EXPECT_NE(std::string(e.what()).find("ort.wasm.min.js"), std::string::npos) << e.what();
  }
  ::unsetenv("GAN_ONNXRUNTIME_WEB_DIR");
  EXPECT_FALSE(std::filesystem::exists(out));
  // The disk fills while the page's runtime is copied (a file-size limit, in a child process):
  // the half-written folder goes.
  const std::filesystem::path runtime = dir_.path() / "runtime";
  std::filesystem::create_directories(runtime);
  for (const char* name : kOnnxRuntimeWebFiles) write_text(runtime / name, std::string(2 << 20, 'x'));
  ::setenv("GAN_ONNXRUNTIME_WEB_DIR", runtime.c_str(), 1);
  const int code = test::with_file_size_limit(1 << 20, [&] {
    try {
      export_generator(checkpoint_, ExportFormat::kWeb, out);
      return 1;
    } catch (const FileError&) {
      return 0;
    }
  });
  ::unsetenv("GAN_ONNXRUNTIME_WEB_DIR");
  EXPECT_EQ(code, 0) << "the export did not fail on a full disk";
  EXPECT_FALSE(std::filesystem::exists(out));
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    entries += entry.path() != checkpoint_ && entry.path() != runtime;
  }
  EXPECT_EQ(entries, 0u) << "a failed export left files behind";
}

TEST(ExportFromAnOldCheckpoint, ItsShapeIsInferredOrItIsRefusedSayingWhy) {
  // Written before checkpoints carried their data shape (the checkpoint fuzzer's seed): G draws
  // 4 x 4 images of an IDX folder, which the config alone cannot tell, so the export says why not.
  const std::filesystem::path old = std::filesystem::path(GAN_SOURCE_DIR_FOR_TESTS) / "tests/fuzz/seeds/checkpoint/tiny-step4.pt";
  test::TempFolder dir;
  try {
    export_generator(old, ExportFormat::kOnnx, dir.path() / "out");
    FAIL() << "exported a generator of unknown image size";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("draws 16 values, not images of 28 x 28"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST_F(ExportFromCheckpoint, RefusesADamagedCheckpoint) {
  std::string bytes = test::read_text(checkpoint_);
  bytes[bytes.size() / 2] ^= 0x10;
  const std::filesystem::path damaged = dir_.path() / "damaged.pt";
  write_text(damaged, bytes);
  EXPECT_THROW(export_generator(damaged, ExportFormat::kOnnx, dir_.path() / "out"), std::exception);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "out"));
}

}  // namespace
}  // namespace gan
