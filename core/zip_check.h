// Checks a LibTorch archive (a zip file whose entries are stored uncompressed) against the CRC-32
// of every entry before LibTorch parses it. LibTorch 1.13 does not verify them, and a damaged
// archive can crash its TorchScript parser (found by fuzz_checkpoint); a damaged file must be
// refused with a message instead.
#pragma once

#include <filesystem>
#include <string>

namespace gan {

/// Empty when every entry's data matches its CRC-32 and lies inside the file; otherwise what is
/// wrong ("entry 'archive/data.pkl' fails its CRC-32"). Archives too large for plain zip (zip64)
/// are not checked.
std::string zip_damage(const std::filesystem::path& path);

}  // namespace gan
