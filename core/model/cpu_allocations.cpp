#include "core/model/cpu_allocations.h"

#include <c10/util/Flags.h>

#include <mutex>

// Defined in c10 (c10/core/CPUAllocator.cpp, 1.13 and 2.x alike) and read on every CPU allocation;
// not declared in its installed headers.
C10_DECLARE_bool(caffe2_cpu_allocator_do_zero_fill);

namespace gan {

void zero_fill_cpu_allocations() {
  // Once, before the first model: c10 reads the flag without synchronisation.
  static std::once_flag once;
  std::call_once(once, [] { FLAGS_caffe2_cpu_allocator_do_zero_fill = true; });
}

}  // namespace gan
