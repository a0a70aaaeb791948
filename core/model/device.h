// Where training runs: the devices this machine has and the memory a GPU has in use (the choice a
// config or command line makes is DeviceChoice, core/config/device_choice.h). No LibTorch in this header: the
// studio's widgets and the CLI's progress line show devices without compiling against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/device_choice.h"

namespace gan {

/// One device training can run on.
struct DeviceInfo {
  std::string id;    // "cpu", "cuda:0", "cuda:1", ...
  std::string name;  // "CPU (2 cores)", "NVIDIA H200"
  std::uint64_t total_bytes = 0;  // a GPU's memory; 0 for the CPU
};

/// True when this LibTorch was built with CUDA (libtorch-cuda-dev), whether or not a GPU is here.
bool built_with_cuda();

/// The CPU first, then each CUDA device this process can use, in order.
std::vector<DeviceInfo> available_devices();

/// A GPU's memory: in use by every process on it (as nvidia-smi counts), and in all.
struct DeviceMemory {
  std::uint64_t used_bytes = 0;
  std::uint64_t total_bytes = 0;
};

/// GPU `index`'s memory now; nullopt when there is no such GPU. A driver query, not a stream sync:
/// cheap enough for a progress line, never needed per step.
std::optional<DeviceMemory> gpu_memory(int index);

/// What a run's manifest and first lines say of a device id: "CPU (2 cores)" or
/// "cuda:0 NVIDIA H200 (139.8 GiB)"; the id itself for a device that is not here.
std::string device_description(const std::string& id);

/// What a status bar or progress line says about a device id ("cpu", "cuda:0") now:
/// "CPU (2 cores)" or "NVIDIA H200 · 3.1 / 139.8 GiB".
std::string device_status(const std::string& id);

/// Why `choice` cannot be used here, naming what was asked and what this machine has (empty when
/// it can be). Read by resolve_device; the studio asks before it starts a run.
std::string device_refusal(const DeviceChoice& choice);

}  // namespace gan
