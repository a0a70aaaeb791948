#include "core/model/device.h"

#include <torch/cuda.h>

#include <cstdio>
#include <thread>

#if GAN_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

namespace gan {

bool built_with_cuda() {
#if GAN_HAVE_CUDA
  return true;
#else
  return false;
#endif
}

namespace {

std::string cpu_name() {
  const unsigned cores = std::thread::hardware_concurrency();
  return "CPU (" + std::to_string(cores) + (cores == 1 ? " core)" : " cores)");
}

std::string gib(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return text;
}

int gpu_count() { return built_with_cuda() ? static_cast<int>(torch::cuda::device_count()) : 0; }

}  // namespace

std::vector<DeviceInfo> available_devices() {
  std::vector<DeviceInfo> devices{{"cpu", cpu_name(), 0}};
#if GAN_HAVE_CUDA
  for (int i = 0; i < gpu_count(); ++i) {
    const cudaDeviceProp* properties = at::cuda::getDeviceProperties(i);
    devices.push_back({"cuda:" + std::to_string(i), properties->name, properties->totalGlobalMem});
  }
#endif
  return devices;
}

std::optional<DeviceMemory> gpu_memory(int index) {
#if GAN_HAVE_CUDA
  if (index < 0 || index >= gpu_count()) return std::nullopt;
  const c10::cuda::CUDAGuard on_device(static_cast<c10::DeviceIndex>(index));
  std::size_t free_bytes = 0, total_bytes = 0;
  if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) {
    cudaGetLastError();  // clear it: a failed query must not surface in the next kernel's check
    return std::nullopt;
  }
  return DeviceMemory{total_bytes - free_bytes, total_bytes};
#else
  (void)index;
  return std::nullopt;
#endif
}

std::string device_description(const std::string& id) {
  for (const DeviceInfo& device : available_devices()) {
    if (device.id != id) continue;
    return device.total_bytes == 0 ? device.name : id + " " + device.name + " (" + gib(device.total_bytes) + " GiB)";
  }
  return id;
}

std::string device_status(const std::string& id) {
  const std::optional<DeviceChoice> choice = DeviceChoice::parse(id);
  if (!choice || choice->kind != DeviceChoice::Kind::kCuda) return cpu_name();
  const int index = std::max(choice->index, 0);
  const std::vector<DeviceInfo> devices = available_devices();
  if (index + 1 >= static_cast<int>(devices.size())) return id;
  std::string text = devices[static_cast<std::size_t>(index) + 1].name;
  if (const std::optional<DeviceMemory> memory = gpu_memory(index)) {
    text += " · " + gib(memory->used_bytes) + " / " + gib(memory->total_bytes) + " GiB";
  }
  return text;
}

std::string device_refusal(const DeviceChoice& choice) {
  if (choice.kind != DeviceChoice::Kind::kCuda) return "";
  const std::string asked = "train.device is " + choice.text();
  if (!built_with_cuda()) {
    return asked + ", but this GAN Studio was built against a LibTorch without CUDA: the CPU is all it can use "
                   "(use cpu or auto, or build against libtorch-cuda-dev)";
  }
  const int count = gpu_count();
  if (count == 0) {
    return asked + ", but no CUDA device is available here (no NVIDIA GPU, or its driver, libcuda.so.1, is not "
                   "installed or not loaded); use cpu or auto";
  }
  if (choice.index >= count) {
    std::string have;
    for (const DeviceInfo& device : available_devices()) {
      if (device.id == "cpu") continue;
      have += (have.empty() ? "" : ", ") + device.id + " (" + device.name + ")";
    }
    return asked + ", but this machine has " + std::to_string(count) + (count == 1 ? " CUDA device: " : " CUDA devices: ") +
           have;
  }
  return "";
}

}  // namespace gan
