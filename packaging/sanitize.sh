#!/usr/bin/env bash
# Builds the project's own code with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DGAN_SANITIZE=ON) into build-asan/ and runs the whole test suite there. LibTorch, Qt and the
# other libraries are Debian's, uninstrumented; leaks inside them are suppressed
# (tests/sanitizers/lsan.supp), everything of ours is checked.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/setup.sh"  # packages, MNIST, and the Release build the judge cache comes from
build="$root/build-asan"
if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGAN_SANITIZE=ON >/dev/null
fi
cmake --build "$build" -- -j"$(nproc)"
export ASAN_OPTIONS="detect_odr_violation=0:abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
cd "$build"
# The soak's event-loop delay limit is a performance figure, meaningless in an instrumented build.
ctest --output-on-failure -j"$(nproc)" -E 'studio_soak' "$@"
