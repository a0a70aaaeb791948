#!/usr/bin/env bash
# The device check for the GPU machine (../shared/GPU.md; figures go to docs/benchmarks.md). One
# prepared run, everything under $OUT:
#   1. build core and CLI without Qt against the machine's LibTorch (CUDA) and run the tests there:
#      the CUDA-graph tests (step_mode_test.cpp: graph = eager over 200 steps, lr edit under replay,
#      fresh noise and dropout per replay, checkpoints graph -> CPU -> graph) run only on a GPU;
#   2. gan-bench, eager and graph, on both presets (bench.jsonl);
#   3. the course-report preset for 20 epochs in graph mode, judged once an epoch
#      (quality.interval=937): IS and FID per epoch (report-20-epochs.csv);
#   4. checkpoints between CUDA and the CPU in both directions, and the device lines (issue 13);
#   5. every family and loss in graph mode (the GP's double backward and the labels' draws
#      captured): the variants' tests on the GPU, then gan-bench eager vs graph of each preset;
#   6. whether graph and eager agree: each capture's first replay is checked against the same step
#      run uncaptured (gan.h), and gan-bench says so per preset ("graph-vs-eager" lines), gathered
#      in graph-vs-eager.jsonl; a run that fell back says "step mode from step N: uncaptured";
#   7. what the inside figures cost (inside_probe.h: captured with the step): gan-bench
#      --diagnostics both in graph mode on both presets (inside-overhead.jsonl; the goal is 5 %);
#   8. the studio's probes with the training set's features on the GPU (neighbours.h): gan-bench
#      --probe on both presets (probe.jsonl: explorer redraw, directions, nearest images, memorisation).
# Here, before: packaging/gpu/prepare.sh. Device run: carry [".gpu"], command
# "bash packaging/gpu/check.sh", timeout_s 600.
set -uo pipefail
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
started=$SECONDS
mark() { echo "== $* ($((SECONDS - started)) s)"; }
mark build and tests
bash .gpu/build.sh 2>&1 | tee "$out/build.txt" || exit 1
(cd build-gpu && ctest -R 'CudaGraphStep|DeviceAdam|StepMode|Adam\.|Devices|EveryVariant|Trainer\.AGraph' --output-on-failure 2>&1 | tail -30) | tee "$out/cuda-tests.txt"
bin=build-gpu/app
presets=resources/presets
export GAN_DATA_DIR=$PWD/.gpu/mnist

mark benchmarks
{
  "$bin/gan-bench" --config $presets/pytorch-gan.yaml --device cuda --mode all --steps 3000 --json
  "$bin/gan-bench" --config $presets/course-report.yaml --device cuda --mode all --steps 1000 --json
} 2>&1 | tee "$out/bench.jsonl"

mark course report, 20 epochs, graph mode
rm -rf /tmp/report-run
timeout 300 "$bin/gan-train" --config $presets/course-report.yaml --device cuda --set train.step=graph \
  --set train.epochs=20 --set quality.interval=937 --out /tmp/report-run >"$out/report-train.txt" 2>&1
echo "exit $? (timeout 300 s)"
head -6 "$out/report-train.txt"
# step, epoch, inception_score, fid_mnist of each judged row
awk -F, 'NR == 1 || $8 != "" {print $1 "," $2 "," $8 "," $9}' /tmp/report-run/metrics.csv | tee "$out/report-20-epochs.csv"
cp /tmp/report-run/samples/"$(ls /tmp/report-run/samples | tail -1)" "$out/report-last-grid.png" 2>/dev/null

mark checkpoints across devices
rm -rf /tmp/cuda-run /tmp/cpu-run /tmp/no-run
"$bin/gan-train" --config $presets/pytorch-gan.yaml --device cuda --max-steps 3000 --out /tmp/cuda-run >"$out/train.txt" 2>&1
"$bin/gan-train" --resume /tmp/cuda-run --device cpu --max-steps 3050 >>"$out/train.txt" 2>&1 && echo "CUDA (graph) checkpoint on CPU: ok"
"$bin/gan-train" --config $presets/pytorch-gan.yaml --device cpu --max-steps 50 --out /tmp/cpu-run >>"$out/train.txt" 2>&1
"$bin/gan-train" --resume /tmp/cpu-run --device cuda --max-steps 100 >>"$out/train.txt" 2>&1 && echo "CPU checkpoint on CUDA (graph): ok"
grep -m4 -E "^device:|steps \(|^cuda:0: " "$out/train.txt"
"$bin/gan-train" --config $presets/pytorch-gan.yaml --device cuda:9 --max-steps 5 --out /tmp/no-run 2>&1 | tail -1
tail -3 "$out/train.txt"
mark variants, eager and graph
for preset in cgan dcgan lsgan hinge wgan-gp; do
  "$bin/gan-bench" --config $presets/$preset.yaml --device cuda --mode all --steps 1000 --json
done 2>&1 | tee "$out/bench-variants.jsonl"
mark graph vs eager
grep -h '"graph-vs-eager"' "$out/bench.jsonl" "$out/bench-variants.jsonl" | tee "$out/graph-vs-eager.jsonl"
grep -h "step mode from step" "$out"/*.txt || echo "no run fell back from the graph"
mark inside figures, off and on
for preset in pytorch-gan course-report; do
  "$bin/gan-bench" --config $presets/$preset.yaml --device cuda --mode graph --steps 1000 --diagnostics both --json
done 2>&1 | tee "$out/inside.jsonl"
grep -h '"inside-overhead"' "$out/inside.jsonl" | tee "$out/inside-overhead.jsonl"
mark probes on the GPU
for preset in pytorch-gan course-report; do
  "$bin/gan-bench" --config $presets/$preset.yaml --device cuda --probe --json
done 2>&1 | tee "$out/probe.jsonl"
mark done
