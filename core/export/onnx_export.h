// The ONNX export: G as an ONNX model built node by node from its known layers with Debian's ONNX
// library (LibTorch has no ONNX exporter: pytorch/pytorch issues 17869 and 33343).
//   inputs  z      float  batch x latent_dim, noise from N(0, 1)
//           label  int64  batch (a conditional G only): the class each image is asked to be
//   output  images float  batch x channels x rows x cols, in [-1, 1]
// BatchNorm is written in inference form, on the running statistics (the studio's eval mode).
#pragma once

#include <cstdint>
#include <string>

#include "core/export/generator_graph.h"

namespace gan {

/// Operator set 13: every operator used here has had its present meaning since, and every
/// ONNX Runtime of the last years (onnxruntime-web included) runs it.
inline constexpr std::int64_t kOnnxOpset = 13;

/// Whether this build has ONNX's library: without it, only the PyTorch export exists.
bool onnx_export_available();

/// What a build without ONNX's library says when asked for an ONNX model or a web page.
inline constexpr const char* kNoOnnx =
    "this GAN Studio was built without ONNX's library (libonnx-dev; packaging/setup.sh installs it): it exports "
    "generators for PyTorch only";

/// The serialized ModelProto, after ONNX's own checker and strict shape inference passed on it
/// and inferred the output's shape as stated above (ExportError otherwise). `about` becomes the
/// model's doc string.
std::string onnx_model(const GeneratorGraph& graph, const std::string& about);

}  // namespace gan
