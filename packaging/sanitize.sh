#!/usr/bin/env bash
# Builds the project's own code with sanitizers and runs tests there. LibTorch, Qt and the other
# libraries are Debian's, uninstrumented; what they leak or do on their own threads is suppressed
# (tests/sanitizers/), everything of ours is checked.
#
#   sanitize.sh [CTEST ARGS]            AddressSanitizer + UBSan (-DGAN_SANITIZE=ON), the whole suite
#                                       (build-asan/)
#   sanitize.sh --core [CTEST ARGS]     the same for the core alone, no studio (-DGAN_BUILD_UI=OFF):
#                                       its quick tests by default (build-asan-core/); what CI runs
#   sanitize.sh --thread [CTEST ARGS]   ThreadSanitizer (-DGAN_SANITIZE_THREAD=ON), the quick and
#                                       studio tests by default (build-tsan/)
# A sanitizer report fails the test it happens in.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kind=address
case ${1:-} in
  --core) kind=core; shift ;;
  --thread) kind=thread; shift ;;
esac
"$root/packaging/setup.sh"  # packages and MNIST

# -O1 and line tables (-g1, CMakeLists.txt): what the sanitizers' own docs advise, and a third less
# compile time than -O2 -g (31 s -> 20 s for core/model/gan.cpp here); a report still names file
# and line.
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -DNDEBUG")
targets=()
# ASan + UBSan with clang, as the fuzzers' build: it compiles the core in three quarters of GCC's
# time at these flags (core/judge's unity batch at -O1 -g1, one pinned vCPU: 19.0 s against 24.9)
# and half the memory, and its UBSan checks more (-fsanitize=function). ThreadSanitizer stays with
# GCC, where its suppressions were made and its suite measured clean.
compiler=(CC=clang CXX=clang++)
case $kind in
  address) build="$root/build-asan"; options+=(-DGAN_SANITIZE=ON); default_tests=() ;;
  core) build="$root/build-asan-core"; options+=(-DGAN_SANITIZE=ON -DGAN_BUILD_UI=OFF)
        targets=(base_tests core_tests export_tests); default_tests=(-L quick) ;;
  thread) build="$root/build-tsan"; options+=(-DGAN_SANITIZE_THREAD=ON); default_tests=(-L 'quick|gui')
          compiler=(CC=gcc CXX=g++) ;;
esac
if [[ ${compiler[0]} == CC=clang ]]; then
  "$root/packaging/setup.sh" --packages-only clang libclang-rt-14-dev
fi
# A build folder configured with another compiler (GCC, before) starts again: CMake keeps the first.
if [[ -f $build/CMakeCache.txt ]] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=.*/${compiler[1]#CXX=}\$" "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
if [[ ! -f $build/build.ninja ]]; then
  env "${compiler[@]}" cmake -S "$root" -B "$build" -G Ninja "${options[@]}" >/dev/null
fi
if ((${#targets[@]})); then
  cmake --build "$build" --target "${targets[@]}" -- -j"$(nproc)"
else
  cmake --build "$build" -- -j"$(nproc)"
fi
# The judge's cache from the Release suite (packaging/test.sh), when there is one: training it again
# under the sanitizers took 1000 s here. The judge.cache fixture still loads and checks it; the
# classifier's training is exercised instrumented by Trainer.TheJudgeTrainsBesideTheRun… on small data.
if compgen -G "$root/build/test-home/judges/*.pt" >/dev/null; then
  mkdir -p "$build/test-home/judges"
  cp -n "$root"/build/test-home/judges/* "$build/test-home/judges/" || true  # else the fixture trains one
fi
supp="$root/tests/sanitizers"
export ASAN_OPTIONS="detect_odr_violation=0:abort_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
# halt_on_error: a race fails its test rather than scrolling past in the log. die_after_fork=0: the
# runs view starts gan-sweep through QProcess (fork, then exec), which TSan would otherwise refuse.
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4:die_after_fork=0"
cd "$build"
if (($# == 0)); then set -- "${default_tests[@]}"; fi
# The soak is left to the Release suite: it is a minute of scripted use, and an instrumented
# build, several times slower, may not fit every scripted action into it.
ctest --output-on-failure -j"$(nproc)" -E 'studio_soak' "$@"
