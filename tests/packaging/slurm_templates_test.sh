#!/usr/bin/env bash
# Runs the Slurm templates as Slurm would, without Slurm: each array task of the sweep.sbatch that
# gan-sweep --slurm writes, with the SLURM_* variables a scheduler sets, a few steps each. Checks
# that the --array range covers the sweep, that every task trains its own run of the sweep folder,
# that a task past the sweep fails with a message, that a requeued task resumes its run, and that
# gan-train.sbatch makes a run folder named after the job.
#   slurm_templates_test.sh GAN_TRAIN GAN_SWEEP SLURM_DIR
set -euo pipefail
gan_train=$1 gan_sweep=$2 slurm=$3
shared=$(mktemp -d)
trap 'rm -rf "$shared"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export GAN_RUNS_DIR=$shared GAN_TRAIN=$gan_train
args=(--config "$GAN_PRESETS_DIR/pytorch-gan.yaml" --max-steps 3 --device cpu)

# The sweep: gan-sweep --slurm writes the array job from the installed template; each task trains
# its own run of the sweep folder.
sweep_dir="$shared/lr-sweep"
cat > "$shared/lr.yaml" <<YAML
base: $GAN_PRESETS_DIR/pytorch-gan.yaml
max_steps: 3
set: {train.device: cpu}
parameters:
  optimizer.generator.lr: [0.0001, 0.0002, 0.0004]
YAML
"$gan_sweep" "$shared/lr.yaml" --out "$sweep_dir" --slurm > "$shared/slurm.log" 2>&1 || { cat "$shared/slurm.log"; fail "gan-sweep --slurm"; }
script="$sweep_dir/sweep.sbatch"
grep -qx '#SBATCH --array=0-2' "$script" || fail "sweep.sbatch does not cover the 3 runs: $(grep array "$script")"
mapfile -t runs < <("$gan_sweep" "$sweep_dir" --list | sed -n 's/^  start   //p')
((${#runs[@]} == 3)) || fail "gan-sweep --list shows ${#runs[@]} runs to start"
for task in 0 1 2; do
  SLURM_JOB_NAME=gan-sweep SLURM_ARRAY_JOB_ID=4242 SLURM_ARRAY_TASK_ID=$task SLURM_JOB_ID=$((5000 + task)) \
    bash "$script" > "$shared/task-$task.log" 2>&1 || { cat "$shared/task-$task.log"; fail "task $task"; }
  run="$sweep_dir/${runs[$task]}"
  [[ -f $run/run.yaml ]] || fail "task $task wrote no $run/run.yaml"
  (($(wc -l < "$run/metrics.csv") == 4)) || fail "task $task: expected 3 metrics rows"
done
(($(grep -c ',finished,3,' "$sweep_dir/sweep.csv") == 3)) || fail "sweep.csv does not list 3 finished runs: $(cat "$sweep_dir/sweep.csv")"
echo "sweep: 3 tasks, one run folder each: ${runs[*]}"

# A task past the sweep fails with a message, not a run.
if SLURM_ARRAY_TASK_ID=3 bash "$script" 2> "$shared/past.log" > /dev/null; then fail "task 3 ran"; fi
grep -q "the sweep has 3 runs" "$shared/past.log" || fail "no message for a task past the sweep: $(cat "$shared/past.log")"

# Requeued (with a longer run asked for): the task continues its run to 6 steps instead of starting over.
"$gan_sweep" "$sweep_dir" --max-steps 6 --task 1 > "$shared/requeue.log" 2>&1 || { cat "$shared/requeue.log"; fail "requeue"; }
grep -q "resuming" "$shared/requeue.log" || fail "a requeued task did not resume: $(cat "$shared/requeue.log")"
(($(wc -l < "$sweep_dir/${runs[1]}/metrics.csv") == 7)) || fail "the resumed run did not reach step 6"
echo "sweep: a requeued task resumes its run"

SLURM_JOB_NAME=gan-train SLURM_JOB_ID=777 bash "$slurm/gan-train.sbatch" "${args[@]}" > "$shared/single.log" 2>&1 \
  || { cat "$shared/single.log"; fail "gan-train.sbatch"; }
[[ -f $shared/gan-train-777/model.pt ]] || fail "gan-train.sbatch wrote no $shared/gan-train-777/model.pt"
echo "gan-train.sbatch: run folder gan-train-777"
