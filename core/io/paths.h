// Where things live on a user's machine: the per-user data folder (XDG), MNIST, runs, presets.
#pragma once

#include <filesystem>
#include <string>

namespace gan {

/// $XDG_DATA_HOME/gan-studio, or ~/.local/share/gan-studio.
std::filesystem::path user_data_folder();

/// $XDG_CACHE_HOME/gan-studio, or ~/.cache/gan-studio: what can be made again (decoded folders).
std::filesystem::path user_cache_folder();

/// user_data_folder()/mnist: where packaging/setup.sh puts MNIST.
std::filesystem::path default_mnist_folder();

/// user_data_folder()/runs: where runs go when no output folder is named.
std::filesystem::path default_runs_folder();

/// The folder of the running program (/proc/self/exe's): where gan-sweep finds gan-train.
std::filesystem::path program_folder();

/// <program folder>/../share/gan-studio: the presets and the Slurm templates, installed and in the
/// build tree alike.
std::filesystem::path shared_data_folder();

/// The folder of preset YAML files: $GAN_PRESETS_DIR, else ../share/gan-studio/presets from the
/// program's folder (installed, and in the build tree, which copies them there).
std::filesystem::path presets_folder();

/// A new, unique run folder name under `parent`: "YYYYmmdd-HHMMSS-<label>" (with -2, -3... when taken).
std::filesystem::path new_run_folder(const std::filesystem::path& parent, const std::string& label);

}  // namespace gan
