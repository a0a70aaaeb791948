#include "core/model/cuda_graph.h"

#include <torch/version.h>

#include <stdexcept>

#if defined(GAN_HAVE_CUDA) && TORCH_VERSION_MAJOR >= 2
#define GAN_CUDA_GRAPHS 1
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

namespace gan {

#ifdef GAN_CUDA_GRAPHS

struct CudaGraph::Impl {
  std::unique_ptr<at::cuda::CUDAGraph> graph;
};

bool CudaGraph::supported() { return true; }
std::string CudaGraph::unsupported_reason() { return {}; }

void CudaGraph::capture(int device_index, const std::function<void()>& step, int warm_ups,
                        const std::function<void()>& undo_warm_up) {
  reset();
  const c10::DeviceIndex index = static_cast<c10::DeviceIndex>(device_index);
  c10::cuda::CUDAGuard device_guard(index);
  C10_CUDA_CHECK(cudaDeviceSynchronize());
  at::cuda::CUDAStream side = at::cuda::getStreamFromPool(/*isHighPriority=*/false, index);
  {
    // The side stream starts after everything queued so far on the current one.
    at::cuda::CUDAEvent ready;
    ready.record(at::cuda::getCurrentCUDAStream(index));
    ready.block(side);
    c10::cuda::CUDAStreamGuard stream_guard(side);
    for (int i = 0; i < warm_ups; ++i) step();
    undo_warm_up();
    auto graph = std::make_unique<at::cuda::CUDAGraph>();
    // Thread-local capture: the judge may train or score on this GPU from its own thread while we
    // capture, and its allocations must not fail for it (global mode forbids them process-wide).
    graph->capture_begin(/*pool=*/{0, 0}, cudaStreamCaptureModeThreadLocal);
    try {
      step();
    } catch (...) {
      try {
        graph->capture_end();
      } catch (...) {
      }
      throw;
    }
    graph->capture_end();
    impl_->graph = std::move(graph);
  }
  // The warm-up and its undoing ran on the side stream: replays on the current one come after.
  C10_CUDA_CHECK(cudaDeviceSynchronize());
}

void CudaGraph::replay() {
  if (!impl_->graph) throw std::logic_error("CudaGraph::replay before capture");
  impl_->graph->replay();
}

#else

struct CudaGraph::Impl {};

bool CudaGraph::supported() { return false; }

std::string CudaGraph::unsupported_reason() {
#if TORCH_VERSION_MAJOR < 2
  return "this build's LibTorch " TORCH_VERSION " is older than 2.0 and cannot capture CUDA graphs";
#else
  return "this build's LibTorch " TORCH_VERSION " has no CUDA";
#endif
}

void CudaGraph::capture(int, const std::function<void()>&, int, const std::function<void()>&) {
  throw std::runtime_error("a CUDA graph cannot be captured: " + unsupported_reason());
}

void CudaGraph::replay() { throw std::logic_error("CudaGraph::replay without CUDA graphs"); }

#endif

namespace {

std::function<std::unique_ptr<StepCapture>()>& stand_in_factory() {
  static std::function<std::unique_ptr<StepCapture>()> factory;
  return factory;
}

}  // namespace

void set_step_capture_for_tests(std::function<std::unique_ptr<StepCapture>()> factory) {
  stand_in_factory() = std::move(factory);
}

std::unique_ptr<StepCapture> make_step_capture() {
  if (stand_in_factory()) return stand_in_factory()();
  return std::make_unique<CudaGraph>();
}

bool step_capture_stand_in() { return static_cast<bool>(stand_in_factory()); }

CudaGraph::CudaGraph() : impl_(std::make_unique<Impl>()) {}
CudaGraph::~CudaGraph() = default;

bool CudaGraph::captured() const {
#ifdef GAN_CUDA_GRAPHS
  return impl_->graph != nullptr;
#else
  return false;
#endif
}

void CudaGraph::reset() {
#ifdef GAN_CUDA_GRAPHS
  impl_->graph.reset();
#endif
}

}  // namespace gan
