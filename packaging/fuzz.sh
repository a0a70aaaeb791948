#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, AddressSanitizer and UBSan, replays the
# inputs of past findings (tests/fuzz/regressions), then fuzzes each target for a bounded time
# from the seed corpora. Fails on any crash, leak, hang, sanitizer report or out-of-memory.
#   GAN_FUZZ_SECONDS   seconds per target (default 60)
#   GAN_FUZZ_RUNS      inputs per target instead of a time limit
#   GAN_FUZZ_SEED      libFuzzer's random seed (default: a new one each run)
# Exploring with a new seed each time is how new bugs are found; CI fixes the seed and the number of
# runs so that a red CI means the code changed, not that the dice did (.ci/run).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${GAN_FUZZ_SECONDS:-60}
budget=(-max_total_time="$seconds")
[[ -n ${GAN_FUZZ_RUNS:-} ]] && budget=(-runs="$GAN_FUZZ_RUNS")
[[ -n ${GAN_FUZZ_SEED:-} ]] && budget+=(-seed="$GAN_FUZZ_SEED")
what=${GAN_FUZZ_RUNS:+$GAN_FUZZ_RUNS runs}
what=${what:-${seconds}s}${GAN_FUZZ_SEED:+, seed $GAN_FUZZ_SEED}
build="$root/build-fuzz"

"$root/packaging/setup.sh" --packages-only clang libclang-rt-14-dev

mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=OFF \
  -DGAN_BUILD_UI=OFF -DGAN_BUILD_TESTS=OFF -DGAN_BUILD_FUZZERS=ON > "$build/configure.log" 2>&1 \
  || { cat "$build/configure.log"; exit 1; }
targets=(fuzz_idx fuzz_idx_gzip fuzz_image fuzz_config fuzz_run_folder fuzz_sweep fuzz_checkpoint)
cmake --build "$build" --target "${targets[@]}"

seeds="$root/tests/fuzz/seeds"
declare -A seed_dirs=(
  [fuzz_idx]="$seeds/idx" [fuzz_idx_gzip]="$seeds/idx" [fuzz_image]="$seeds/image" [fuzz_config]="$root/resources/presets"
  [fuzz_run_folder]="$seeds/run_folder" [fuzz_sweep]="$seeds/sweep" [fuzz_checkpoint]="$seeds/checkpoint")

export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0"
summary=""
for target in "${targets[@]}"; do
  exe="$build/tests/fuzz/$target"
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  cd "$build"
  echo "== $target: past findings"
  "$exe" -rss_limit_mb=2048 -timeout=10 "$root"/tests/fuzz/regressions/* > "$build/$target.regressions.log" 2>&1 \
    || { cat "$build/$target.regressions.log"; echo "$target: a past finding fails again"; exit 1; }
  echo "== $target: fuzzing ($what)"
  if ! "$exe" "${budget[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$build/$target-" "$corpus" "${seed_dirs[$target]}" > "$build/$target.log" 2>&1; then
    tail -60 "$build/$target.log"
    echo "$target: finding saved under $build/$target-*; add it to tests/fuzz/regressions with a test"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$target.log")
  cov=$(grep -o 'cov: [0-9]*' "$build/$target.log" | tail -1)
  summary+=$(printf '%-18s %10s executions  %s  corpus %s files' "$target" "$runs" "$cov" "$(ls "$corpus" | wc -l)")$'\n'
done
echo
echo "fuzzing passed, each target: $what"
printf '%s' "$summary"
