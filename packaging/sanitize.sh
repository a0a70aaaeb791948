#!/usr/bin/env bash
# Builds the project's own code with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DGAN_SANITIZE=ON) into build-asan/ and runs the whole test suite there. LibTorch, Qt and the
# other libraries are Debian's, uninstrumented; leaks inside them are suppressed
# (tests/sanitizers/lsan.supp), everything of ours is checked.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/setup.sh"  # packages and MNIST (the judge is trained here by the judge.cache fixture)
build="$root/build-asan"
if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGAN_SANITIZE=ON >/dev/null
fi
cmake --build "$build" -- -j"$(nproc)"
export ASAN_OPTIONS="detect_odr_violation=0:abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
cd "$build"
# The soak is left to the Release suite: it is a minute of scripted use, and an instrumented
# build, several times slower, may not fit every scripted action into it.
ctest --output-on-failure -j"$(nproc)" -E 'studio_soak' "$@"
