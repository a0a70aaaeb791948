#include "core/model/checkpoint.h"

#include <torch/serialize/input-archive.h>

#include "core/io/zip_check.h"

namespace gan {

CheckpointInfo read_checkpoint_info(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) throw CheckpointError(path.string() + ": checkpoint not found");
  // Before LibTorch parses anything: a damaged archive can crash its parser (zip_check.h).
  if (const std::string damage = zip_damage(path); !damage.empty()) {
    throw CheckpointError(path.string() + ": not a readable checkpoint: " + damage);
  }
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string(), torch::Device(torch::kCPU));
  } catch (const std::exception&) {
    throw CheckpointError(path.string() + ": not a readable checkpoint (the file is damaged, truncated or not a LibTorch archive)");
  }
  c10::IValue format, version, step, config;
  if (!archive.try_read("format", format) || !format.isString() || format.toStringRef() != "gan-studio checkpoint") {
    throw CheckpointError(path.string() + ": not a GAN Studio checkpoint");
  }
  CheckpointInfo info;
  if (!archive.try_read("version", version) || !version.isInt()) throw CheckpointError(path.string() + ": checkpoint has no version");
  info.version = version.toInt();
  if (info.version > kCheckpointVersion) {
    throw CheckpointError(path.string() + ": checkpoint version " + std::to_string(info.version) +
                          " is newer than this program reads (" + std::to_string(kCheckpointVersion) + ")");
  }
  if (!archive.try_read("step", step) || !step.isInt() || !archive.try_read("config", config) || !config.isString()) {
    throw CheckpointError(path.string() + ": checkpoint lacks its step or config");
  }
  info.step = step.toInt();
  try {
    info.config = parse_config(config.toStringRef(), path.string() + " (embedded config)");
  } catch (const ConfigError& e) {
    throw CheckpointError(e.what());
  }
  return info;
}

}  // namespace gan
