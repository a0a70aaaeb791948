#include "core/model/archive_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace gan {

void write_archive(torch::serialize::OutputArchive& archive, AtomicFile& file, const std::string& what) {
  int error = 0;
  std::FILE* stream = file.stream();
  archive.save_to([&](const void* data, std::size_t size) -> std::size_t {
    if (error == 0 && size > 0 && std::fwrite(data, 1, size, stream) != size) error = errno != 0 ? errno : EIO;
    return size;  // never a short count: LibTorch would throw from its destructor
  });
  if (error == 0 && std::fflush(stream) != 0) error = errno != 0 ? errno : EIO;
  if (error != 0) throw FileError(file.target().string() + ": cannot write the " + what + ": " + std::strerror(error));
}

}  // namespace gan
