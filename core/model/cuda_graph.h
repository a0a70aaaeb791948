// A training step captured once as a CUDA graph and replayed: on a GPU this model is launch-bound
// (a step is a few hundred small kernels and the host sets the pace), and a replay launches them
// all at once. Needs a CUDA LibTorch >= 2 (the capture-mode and tensor-lr APIs); elsewhere
// supported() is false and capture() throws. Gan (gan.h) owns one and decides what is captured.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace gan {

/// What Gan captures its step with: the CUDA graph below or, in tests, a stand-in that runs the
/// step on any device (one whose capture throws, or whose replay computes something else, reaches
/// the fallback of gan.h on a CPU).
class StepCapture {
 public:
  virtual ~StepCapture() = default;
  /// Runs `step` `warm_ups` times, then `undo_warm_up`, then captures one `step` (running nothing).
  virtual void capture(int device_index, const std::function<void()>& step, int warm_ups,
                       const std::function<void()>& undo_warm_up) = 0;
  /// One step: what was captured.
  virtual void replay() = 0;
  virtual bool captured() const = 0;
  /// Drops the capture (the next step captures again).
  virtual void reset() = 0;
};

/// For tests: every Gan built from now on captures with what `factory` makes, on any device (an
/// empty factory restores the CUDA graph). Not for concurrent use with Gans being built.
void set_step_capture_for_tests(std::function<std::unique_ptr<StepCapture>()> factory);
/// The CUDA graph, or the tests' stand-in.
std::unique_ptr<StepCapture> make_step_capture();
/// Whether a stand-in is installed (graph steps are then possible on any device).
bool step_capture_stand_in();

class CudaGraph : public StepCapture {
 public:
  CudaGraph();
  ~CudaGraph() override;
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
               const std::function<void()>& undo_warm_up) override;
  /// One step: the captured kernels, launched on the current stream.
  void replay() override;
  bool captured() const override;
  void reset() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gan
