// train.device: its spellings, the devices this machine lists, and the refusal a config gets when
// it asks for a GPU that is not there. The refusal tests run on GPU-less machines (CI) and skip,
// saying so, where a GPU is present; the GPU tests skip on the CPU.
#include "core/model/device.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <thread>

#include "core/model/gan.h"
#include "test_support.h"

namespace gan {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DeviceChoice, ReadsEachSpellingAndWritesItBack) {
  for (const char* text : {"auto", "cpu", "cuda", "cuda:0", "cuda:7", "cuda:99"}) {
    const auto choice = DeviceChoice::parse(text);
    ASSERT_TRUE(choice) << text;
    EXPECT_EQ(choice->text(), text);
  }
  EXPECT_EQ(*DeviceChoice::parse("cuda:3"), DeviceChoice::cuda(3));
  EXPECT_EQ(DeviceChoice::parse("cuda:3")->kind, DeviceChoice::Kind::kCuda);
  EXPECT_NE(DeviceChoice::cuda(0), DeviceChoice::cuda(1));
  EXPECT_NE(DeviceChoice::kCuda, DeviceChoice::kCpu);
}

TEST(DeviceChoice, RefusesAnythingElse) {
  for (const char* text : {"", "gpu", "CUDA", "cuda:", "cuda:-1", "cuda:1x", "cuda:100", "cuda: 1", "cpu:0", "mps"}) {
    EXPECT_FALSE(DeviceChoice::parse(text)) << "'" << text << "'";
  }
}

TEST(Devices, TheCpuComesFirstAndEachGpuAfterIt) {
  const std::vector<DeviceInfo> devices = available_devices();
  ASSERT_FALSE(devices.empty());
  EXPECT_EQ(devices[0].id, "cpu");
  EXPECT_EQ(devices[0].name, "CPU (" + std::to_string(std::thread::hardware_concurrency()) + " cores)");
  const int gpus = built_with_cuda() ? static_cast<int>(torch::cuda::device_count()) : 0;
  ASSERT_EQ(static_cast<int>(devices.size()), 1 + gpus);
  for (int i = 0; i < gpus; ++i) {
    const DeviceInfo& gpu = devices[static_cast<std::size_t>(i) + 1];
    EXPECT_EQ(gpu.id, "cuda:" + std::to_string(i));
    EXPECT_FALSE(gpu.name.empty());
    EXPECT_GT(gpu.total_bytes, 0u);
  }
  EXPECT_EQ(device_status("cpu"), devices[0].name);
  EXPECT_EQ(device_description("cpu"), devices[0].name);
  EXPECT_EQ(device_description("cuda:" + std::to_string(gpus)), "cuda:" + std::to_string(gpus));  // not here
  EXPECT_EQ(device_refusal(DeviceChoice::kCpu), "");
  EXPECT_EQ(device_refusal(DeviceChoice::kAuto), "");
}

TEST(Devices, AskingForAGpuWhereThereIsNoneIsRefusedWithWhatIsThere) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "a GPU is present: the refusal is for machines without one";
  for (const DeviceChoice& choice : {DeviceChoice::kCuda, DeviceChoice::cuda(1)}) {
    const std::string refusal = device_refusal(choice);
    EXPECT_TRUE(contains(refusal, "train.device is " + choice.text() + ", but ")) << refusal;
    EXPECT_TRUE(contains(refusal, "use cpu or auto")) << refusal;
    // What is there: a CPU-only LibTorch says so; a CUDA one says no GPU or driver was found.
    EXPECT_TRUE(contains(refusal, built_with_cuda() ? "no CUDA device is available" : "LibTorch without CUDA"))
        << refusal;

    Config config = test::tiny_config();
    config.train.device = choice;
    try {
      Gan gan(config, test::tiny_images());
      FAIL() << "training started on " << choice.text();
    } catch (const TrainingError& e) {
      EXPECT_EQ(e.what(), refusal);
    }
  }
  // auto falls back to the CPU.
  EXPECT_TRUE(resolve_device(DeviceChoice::kAuto).is_cpu());
  EXPECT_FALSE(gpu_memory(0).has_value());
  EXPECT_EQ(device_status("cuda:0"), "cuda:0");  // nothing to add about a GPU that is not there
}

TEST(Devices, AGpuNumberBeyondThoseHereIsRefusedWithTheirNames) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no GPU here (" << device_refusal(DeviceChoice::kCuda) << ")";
  const std::vector<DeviceInfo> devices = available_devices();
  const int count = static_cast<int>(devices.size()) - 1;
  const std::string refusal = device_refusal(DeviceChoice::cuda(count));
  EXPECT_TRUE(contains(refusal, "train.device is cuda:" + std::to_string(count))) << refusal;
  EXPECT_TRUE(contains(refusal, "cuda:0 (" + devices[1].name + ")")) << refusal;
  EXPECT_EQ(device_refusal(DeviceChoice::cuda(count - 1)), "");
}

TEST(Devices, AGpuReportsItsNameAndMemory) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no GPU here (" << device_refusal(DeviceChoice::kCuda) << ")";
  const torch::Device device = resolve_device(DeviceChoice::cuda(0));
  EXPECT_TRUE(device.is_cuda());
  EXPECT_EQ(device_id(device), "cuda:0");
  const std::string described = describe_device(device);  // "cuda:0 NVIDIA H200 (139.8 GiB)"
  EXPECT_EQ(described.rfind("cuda:0 " + available_devices()[1].name + " (", 0), 0u) << described;
  EXPECT_EQ(described.substr(described.size() - 5), " GiB)") << described;
  const torch::Tensor held = torch::empty({64, 1024, 1024}, torch::TensorOptions().device(device));  // 256 MiB
  const auto memory = gpu_memory(0);
  ASSERT_TRUE(memory);
  EXPECT_GE(memory->used_bytes, 256u << 20);
  EXPECT_LE(memory->used_bytes, memory->total_bytes);
  const std::string status = device_status("cuda:0");
  EXPECT_EQ(status.rfind(available_devices()[1].name + " · ", 0), 0u) << status;
  EXPECT_TRUE(contains(status, " GiB")) << status;
}

}  // namespace
}  // namespace gan
