// Where training runs: the choice a config or command line makes ("auto", "cpu", "cuda", "cuda:N"),
// the devices this machine has, and the memory a GPU has in use. No LibTorch in this header: the
// studio's widgets and the CLI's progress line show devices without compiling against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gan {

/// A config's or command line's train.device.
struct DeviceChoice {
  enum class Kind { kAuto, kCpu, kCuda };
  Kind kind = Kind::kAuto;
  /// kCuda: the GPU's number (cuda:N); -1 for plain "cuda", the first GPU.
  int index = -1;

  static const DeviceChoice kAuto;  // the first GPU when there is one, else the CPU
  static const DeviceChoice kCpu;
  static const DeviceChoice kCuda;  // the first GPU; refused where there is none
  static constexpr DeviceChoice cuda(int index) { return {Kind::kCuda, index}; }

  /// Reads "auto", "cpu", "cuda" or "cuda:N" (N a GPU number, 0..99); nullopt for anything else.
  static std::optional<DeviceChoice> parse(std::string_view text);
  /// The same text back: "auto", "cpu", "cuda" or "cuda:N".
  std::string text() const;

  friend constexpr bool operator==(const DeviceChoice& a, const DeviceChoice& b) {
    return a.kind == b.kind && (a.kind != Kind::kCuda || a.index == b.index);
  }
  friend constexpr bool operator!=(const DeviceChoice& a, const DeviceChoice& b) { return !(a == b); }
};

inline constexpr DeviceChoice DeviceChoice::kAuto{DeviceChoice::Kind::kAuto, -1};
inline constexpr DeviceChoice DeviceChoice::kCpu{DeviceChoice::Kind::kCpu, -1};
inline constexpr DeviceChoice DeviceChoice::kCuda{DeviceChoice::Kind::kCuda, -1};

/// What the accepted spellings are, for messages: "auto, cpu, cuda or cuda:N".
inline constexpr const char* kDeviceSpellings = "auto, cpu, cuda or cuda:N (N = 0, 1, ...)";

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
