// IDX reader, raw files (a gzip header in the input also reaches the gzip path): every input is
// either read as rank 3 and rank 1 arrays or refused with DataError.
#include "core/data/idx_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = gan::fuzz::scratch_folder() / "input-idx3-ubyte";
  gan::fuzz::write_input(path, data, size);
  for (const int rank : {3, 1}) {
    try {
      const gan::IdxArray array = gan::read_idx(path, rank);
      std::size_t expected = 1;
      for (const auto dim : array.dims) expected *= static_cast<std::size_t>(dim);
      if (expected != array.data.size()) gan::fuzz::unexpected("dimensions do not match the data");
    } catch (const gan::DataError&) {
    } catch (const std::exception& e) {
      gan::fuzz::unexpected(e.what());
    }
  }
  return 0;
}
