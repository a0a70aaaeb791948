// train.device as a config or command line spells it: "auto", "cpu", "cuda" or "cuda:N". Parsing
// and spelling only (device_choice.cpp); which devices this machine has is core/model/device.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

}  // namespace gan
