// Checkpoint header reader: any file is a checkpoint whose step and config can be read, or a
// CheckpointError naming it; never a crash inside LibTorch's archive reader.
#include "core/model/checkpoint.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = gan::fuzz::scratch_folder() / "step_0000001.pt";
  gan::fuzz::write_input(path, data, size);
  try {
    gan::read_checkpoint_info(path);
  } catch (const gan::CheckpointError&) {
  } catch (const std::exception& e) {
    gan::fuzz::unexpected(e.what());
  }
  return 0;
}
