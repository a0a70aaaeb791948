// Writing a LibTorch archive through an AtomicFile. LibTorch's own file writer cannot fail
// gracefully: a full disk makes it throw again from a destructor and the process aborts (found by
// the disk-full test). Here LibTorch only ever hands bytes to a function that always accepts them;
// the function writes them and remembers the first failure, which becomes a FileError afterwards.
#pragma once

#include <torch/serialize/output-archive.h>

#include <string>

#include "core/io/atomic_file.h"

namespace gan {

/// Writes `archive` into `file`'s stream (not committed); throws FileError naming `file`'s target
/// and `what` ("checkpoint") when the data cannot be written.
void write_archive(torch::serialize::OutputArchive& archive, AtomicFile& file, const std::string& what);

}  // namespace gan
