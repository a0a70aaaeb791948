// YAML config loader and validator: any text is a valid config (which must then survive a round
// trip through to_yaml unchanged) or a ConfigError naming what is wrong.
#include <string>

#include "core/config/config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const gan::Config config = gan::parse_config(text, "fuzz.yaml");
    const std::string yaml = gan::to_yaml(config);
    if (gan::to_yaml(gan::parse_config(yaml, "round trip")) != yaml) gan::fuzz::unexpected("round trip changed the config");
  } catch (const gan::ConfigError& e) {
    if (std::string(e.what()).empty()) gan::fuzz::unexpected("empty message");
  } catch (const std::exception& e) {
    gan::fuzz::unexpected(e.what());
  }
  return 0;
}
