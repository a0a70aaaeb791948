#!/usr/bin/env bash
# Builds the project's own code with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DGAN_SANITIZE=ON) into build-asan/ and runs the whole test suite there. LibTorch, Qt and the
# other libraries are Debian's, uninstrumented; leaks inside them are suppressed
# (tests/sanitizers/lsan.supp), everything of ours is checked.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/setup.sh"  # packages and MNIST
build="$root/build-asan"
if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGAN_SANITIZE=ON >/dev/null
fi
cmake --build "$build" -- -j"$(nproc)"
# The judge's cache from the Release suite (packaging/test.sh), when there is one: training it again
# under the sanitizers took 1000 s here. The judge.cache fixture still loads and checks it; the
# classifier's training is exercised instrumented by Trainer.TheJudgeTrainsBesideTheRun… on small data.
if compgen -G "$root/build/test-home/judges/*.pt" >/dev/null; then
  mkdir -p "$build/test-home/judges"
  cp -n "$root"/build/test-home/judges/* "$build/test-home/judges/" || true  # else the fixture trains one
fi
export ASAN_OPTIONS="detect_odr_violation=0:abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0"
cd "$build"
# The soak is left to the Release suite: it is a minute of scripted use, and an instrumented
# build, several times slower, may not fit every scripted action into it.
ctest --output-on-failure -j"$(nproc)" -E 'studio_soak' "$@"
