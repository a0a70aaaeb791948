// Checks a LibTorch archive (a zip file; tensors stored, TorchScript code deflated) before LibTorch
// parses it. LibTorch 1.13 trusts what the zip directory declares: a damaged entry can crash its
// TorchScript parser, and a declared size of 4 GB makes it allocate 4 GB (both found by
// fuzz_checkpoint). A damaged file must be refused with a message instead.
#pragma once

#include <filesystem>
#include <string>

namespace gan {

/// Empty when every entry lies inside the file, uses a method LibTorch writes (stored or deflate),
/// unpacks to exactly its declared size and matches its CRC-32; otherwise what is wrong
/// ("entry 'archive/data.pkl' fails its CRC-32"). Zip64 directories and sizes are followed.
std::string zip_damage(const std::filesystem::path& path);

}  // namespace gan
