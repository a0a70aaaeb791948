// Taking a trained generator anywhere (File ▸ Export generator…, gan-eval --export-generator):
//   pytorch  generator.pt (a state dict Python's torch.load reads), generator.py (the same module)
//   onnx     generator.onnx (onnx_export.h)
//   web      index.html with generator.onnx and onnxruntime-web's files: a page that draws in the
//            browser, served by any static server
// Every export is one new folder, with generator.json (what the generator takes and draws) and a
// README.md of use. It is written whole or not at all (atomic_folder.h), never over an existing
// folder unless replacing is allowed, and only after the exported layers were checked to draw what
// the generator draws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/export/export_error.h"
#include "core/io/atomic_file.h"

namespace gan {

class Gan;

enum class ExportFormat { kPyTorch, kOnnx, kWeb };

/// "pytorch", "onnx", "web".
const char* to_string(ExportFormat format);
/// The format `text` spells (as to_string writes it); nullopt for anything else.
std::optional<ExportFormat> parse_export_format(std::string_view text);

struct ExportedGenerator {
  std::filesystem::path folder;
  std::vector<std::string> files;  ///< the folder's files, by name
  std::string about;               ///< where the generator came from, for a person
};

/// Exports the generator of the checkpoint at `source` (a run folder: its newest) into the new
/// folder `folder`. Throws ExportError, CheckpointError or FileError saying what is wrong; nothing
/// is written then.
ExportedGenerator export_generator(const std::filesystem::path& source, ExportFormat format,
                                   const std::filesystem::path& folder, Replace replace = Replace::kRefused);

/// Exports the generator of a live model: call on the thread that trains it, between steps
/// (Trainer::post). `about` says where it comes from ("run …"), beside the steps it trained.
ExportedGenerator export_generator(Gan& gan, ExportFormat format, const std::filesystem::path& folder,
                                   Replace replace = Replace::kRefused, const std::string& about = "");

/// Where the web export takes onnxruntime-web's files from: $GAN_ONNXRUNTIME_WEB_DIR, else
/// share/gan-studio/onnxruntime-web beside the programs (installed, and in the build tree once
/// packaging/setup.sh fetched them).
std::filesystem::path onnxruntime_web_folder();

/// onnxruntime-web's files a page needs: its WebAssembly build and the script that loads it.
inline constexpr const char* kOnnxRuntimeWebFiles[] = {"ort.wasm.min.js", "ort-wasm-simd-threaded.wasm",
                                                       "ort-wasm-simd-threaded.mjs"};

}  // namespace gan
