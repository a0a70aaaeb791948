// The --device option the tools share: auto, cpu, cuda or cuda:N, checked as CLI11 parses it so a
// typo is refused with the spellings it could have been.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "core/config/device_choice.h"

namespace gan::app {

inline CLI::Validator device_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (DeviceChoice::parse(text)) return "";
        return std::string("expected ") + kDeviceSpellings + ", found '" + text + "'";
      },
      "auto|cpu|cuda|cuda:N");
}

}  // namespace gan::app
