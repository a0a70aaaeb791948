// LibTorch's CPU memory handed out zero-filled, for the whole process.
//
// Debian 13's LibTorch 2.6 convolves on the CPU through oneDNN 3.7, some of whose kernels read
// memory they never wrote and multiply it by zero: harmless while that memory holds numbers, NaN
// where it held a NaN (or bytes that read as one: white pixels of a uint8 image, 0xFF...). Measured
// on a heap refilled with NaNs (December 2026, tests/core/cpu_allocations_test.cpp): the backward
// pass of a 4x4 stride-2 convolution from 1 or 3 planes into 4 or 8, at every image size (a DCGAN
// D of small widths), and transposed convolutions into one plane from at most 8 on inputs of 8x8
// or less (G's last layer for small images) came out non-finite in 1 to 100% of tries. With the
// memory zeroed every one was finite, at no cost we could measure (a DCGAN step, 2 cores).
#pragma once

namespace gan {

/// Sets LibTorch's zero-fill allocation flag (c10's caffe2_cpu_allocator_do_zero_fill). Idempotent;
/// the models' constructors call it, so that nothing of ours convolves before it is set.
void zero_fill_cpu_allocations();

}  // namespace gan
