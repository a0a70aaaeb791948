// IDX reader behind gzip: the input is compressed first, so the fuzzer explores the IDX contents
// of a valid gzip stream rather than gzip's own framing.
#include <zlib.h>

#include "core/data/idx_file.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = gan::fuzz::scratch_folder() / "input-idx3-ubyte.gz";
  gzFile file = gzopen(path.c_str(), "wb1");
  if (file == nullptr) std::abort();
  if (size > 0 && gzwrite(file, data, static_cast<unsigned>(size)) != static_cast<int>(size)) std::abort();
  gzclose(file);
  for (const int rank : {3, 1}) {
    try {
      gan::read_idx(path, rank);
    } catch (const gan::DataError&) {
    } catch (const std::exception& e) {
      gan::fuzz::unexpected(e.what());
    }
  }
  return 0;
}
