#include <charconv>

#include "core/config/device_choice.h"

namespace gan {

std::optional<DeviceChoice> DeviceChoice::parse(std::string_view text) {
  if (text == "auto") return kAuto;
  if (text == "cpu") return kCpu;
  if (text == "cuda") return kCuda;
  constexpr std::string_view prefix = "cuda:";
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view number = text.substr(prefix.size());
  int index = -1;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), index);
  if (error != std::errc() || end != number.data() + number.size() || number.empty() || index < 0 || index > 99) {
    return std::nullopt;
  }
  return cuda(index);
}

std::string DeviceChoice::text() const {
  switch (kind) {
    case Kind::kCpu: return "cpu";
    case Kind::kCuda: return index < 0 ? "cuda" : "cuda:" + std::to_string(index);
    case Kind::kAuto: break;
  }
  return "auto";
}

}  // namespace gan
