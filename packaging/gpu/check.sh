#!/usr/bin/env bash
# The device check for the GPU machine (see ../../docs/benchmarks.md and ../shared/GPU.md): builds
# without Qt, runs the tests, benchmarks both presets on CUDA, trains the classic preset on CUDA,
# and moves checkpoints between CUDA and CPU in both directions. Everything lands in $OUT.
set -uo pipefail
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
bash .gpu/build.sh 2>&1 | tee "$out/build.txt" || exit 1
bin=build-gpu/app
presets=resources/presets
{
  "$bin/gan-bench" --config $presets/pytorch-gan.yaml --device cuda --steps 3000 --json
  "$bin/gan-bench" --config $presets/course-report.yaml --device cuda --steps 1000 --json
  "$bin/gan-bench" --config $presets/pytorch-gan.yaml --device cpu --steps 300 --json
} 2>&1 | tee "$out/bench.jsonl"
# Train on CUDA, continue on the CPU from the CUDA checkpoint, and the other way round.
"$bin/gan-train" --config $presets/pytorch-gan.yaml --device cuda --max-steps 5000 --out /tmp/cuda-run >"$out/train.txt" 2>&1
"$bin/gan-train" --resume /tmp/cuda-run --device cpu --max-steps 5050 >>"$out/train.txt" 2>&1 && echo "CUDA checkpoint on CPU: ok"
"$bin/gan-train" --config $presets/pytorch-gan.yaml --device cpu --max-steps 50 --out /tmp/cpu-run >>"$out/train.txt" 2>&1
"$bin/gan-train" --resume /tmp/cpu-run --device cuda --max-steps 100 >>"$out/train.txt" 2>&1 && echo "CPU checkpoint on CUDA: ok"
cp /tmp/cuda-run/samples/step_0005000.png "$out/cuda-step5000.png"
# The device in view: the GPU's name and memory on the progress line, and a GPU number beyond those
# there refused naming them (issue 13).
grep -m3 -E "^device:|^cuda:0: " "$out/train.txt"
"$bin/gan-train" --config $presets/pytorch-gan.yaml --device cuda:9 --max-steps 5 --out /tmp/no-run 2>&1 | tail -1
tail -3 "$out/train.txt"
