// A training step captured once as a CUDA graph and replayed: on a GPU this model is launch-bound
// (a step is a few hundred small kernels and the host sets the pace), and a replay launches them
// all at once. Needs a CUDA LibTorch >= 2 (the capture-mode and tensor-lr APIs); elsewhere
// supported() is false and capture() throws. Gan (gan.h) owns one and decides what is captured.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace gan {

class CudaGraph {
 public:
  CudaGraph();
  ~CudaGraph();
  CudaGraph(const CudaGraph&) = delete;
  CudaGraph& operator=(const CudaGraph&) = delete;

  /// Whether this build can capture; when not, why ("LibTorch 1.13 has no CUDA", ...).
  static bool supported();
  static std::string unsupported_reason();

  /// Captures `step` on CUDA device `device_index`. What Python's torch.cuda.graph does for it and
  /// C++ must do itself: wait for the device, switch to a side stream (capture refuses the default
  /// one), run `step` `warm_ups` times there (cuBLAS and the autograd engine set up their
  /// per-stream workspaces outside the capture), call `undo_warm_up` (still on that stream), then
  /// capture one `step`. Capturing runs nothing: the state is as `undo_warm_up` left it.
  void capture(int device_index, const std::function<void()>& step, int warm_ups,
               const std::function<void()>& undo_warm_up);
  /// One step: the captured kernels, launched on the current stream.
  void replay();
  bool captured() const;
  /// Drops the capture (the next step captures again).
  void reset();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gan
