// Shared by the fuzz targets: the readers under test take file paths, so each input goes to a
// scratch file (in /dev/shm when there is one: memory, not disk), and any exception other than
// the one a reader documents is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace gan::fuzz {

/// A per-process scratch folder, created once.
const std::filesystem::path& scratch_folder();

/// Writes `size` bytes to `path`, replacing it.
void write_input(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size);

/// Reports an exception the reader should not throw and aborts, so libFuzzer records the input.
[[noreturn]] void unexpected(const char* what);

}  // namespace gan::fuzz
