// The sweep file reader and its expansion: any text is a sweep whose runs all load as configs, or a
// ConfigError naming what is wrong.
#include <fstream>
#include <string>

#include "core/config/config.h"
#include "core/sweep/sweep_spec.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& folder = gan::fuzz::scratch_folder();
  static const bool base_written = [&folder] {
    std::ofstream(folder / "base.yaml") << "model: {latent_dim: 8}\ntrain: {device: cpu}\n";
    return true;
  }();
  (void)base_written;
  const auto file = folder / "sweep.yaml";
  gan::fuzz::write_input(file, data, size);
  try {
    const gan::SweepSpec spec = gan::load_sweep(file);
    const auto runs = gan::expand_sweep(spec);
    if (runs.empty() || runs.size() > gan::kMaxSweepRuns) gan::fuzz::unexpected("a sweep without runs, or too many");
    for (const auto& run : runs) {
      if (run.name.empty()) gan::fuzz::unexpected("a run without a name");
    }
  } catch (const gan::ConfigError& e) {
    if (std::string(e.what()).empty()) gan::fuzz::unexpected("empty message");
  } catch (const std::exception& e) {
    gan::fuzz::unexpected(e.what());
  }
  return 0;
}
