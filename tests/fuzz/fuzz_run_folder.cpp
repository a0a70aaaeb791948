// Run-folder readers: run.yaml (the manifest) and metrics.csv, as the studio reads them from a
// folder another process may be writing. The first input byte picks which file the rest becomes.
#include "core/run/run_reader.h"
#include "fuzz_support.h"

#include "core/io/atomic_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::filesystem::path run = [] {
    const auto folder = gan::fuzz::scratch_folder() / "run";
    std::filesystem::create_directories(folder);
    gan::save_config(gan::Config{}, folder / "config.yaml", gan::Replace::kAllowed);
    gan::write_file_atomically(folder / "metrics.csv", "step,epoch\n", gan::Replace::kAllowed);
    return folder;
  }();
  const bool manifest = data[0] % 2 == 0;
  gan::fuzz::write_input(run / (manifest ? "run.yaml" : "metrics.csv"), data + 1, size - 1);
  if (!manifest) {
    gan::RunReader reader(run);
    const auto update = reader.poll();
    for (const auto& q : update.quality) {
      if (q.class_histogram.empty()) gan::fuzz::unexpected("quality record without a histogram");
    }
    return 0;
  }
  try {
    gan::read_manifest(run);
  } catch (const gan::FileError&) {
  } catch (const std::exception& e) {
    gan::fuzz::unexpected(e.what());
  }
  return 0;
}
