#!/usr/bin/env bash
# Runs the Slurm templates as Slurm would, without Slurm: each array task of sweep.sbatch with the
# SLURM_* variables a scheduler sets, gan-train as the program, a few steps each. Checks that every
# task writes its own run folder under the shared folder with its learning rate in config.yaml, that
# the --array range matches the list of rates, that a requeued task resumes its run, and that
# gan-train.sbatch makes a run folder named after the job.
#   slurm_templates_test.sh GAN_TRAIN SLURM_DIR
set -euo pipefail
gan_train=$1 slurm=$2
shared=$(mktemp -d)
trap 'rm -rf "$shared"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export GAN_RUNS_DIR=$shared GAN_TRAIN=$gan_train
args=(--config "$GAN_PRESETS_DIR/pytorch-gan.yaml" --max-steps 3 --device cpu)

range=$(sed -n 's/^#SBATCH --array=\([0-9]*-[0-9]*\)$/\1/p' "$slurm/sweep.sbatch")
first=${range%-*} last=${range#*-}
rates=$(sed -n 's/^LRS=(\(.*\))$/\1/p' "$slurm/sweep.sbatch")
read -r -a lrs <<< "$rates"
((first == 0 && last == ${#lrs[@]} - 1)) || fail "--array=$range does not cover LRS (${#lrs[@]} values)"

for task in $(seq "$first" "$last"); do
  SLURM_JOB_NAME=gan-lr-sweep SLURM_ARRAY_JOB_ID=4242 SLURM_ARRAY_TASK_ID=$task SLURM_JOB_ID=$((5000 + task)) \
    bash "$slurm/sweep.sbatch" "${args[@]}" > "$shared/task-$task.log" 2>&1 || { cat "$shared/task-$task.log"; fail "task $task"; }
  run="$shared/gan-lr-sweep-4242/lr-${lrs[$task]}"
  [[ -f $run/run.yaml ]] || fail "task $task wrote no $run/run.yaml"
  # The generator's lr in the run's config is the task's (as gan-train wrote it, e.g. 5e-05).
  written=$(awk '/^optimizer:/{o=1} o&&/^  generator:/{g=1;next} o&&g&&/lr:/{print $2; exit}' "$run/config.yaml")
  awk -v a="$written" -v b="${lrs[$task]}" 'BEGIN{exit !(a != "" && a+0 == b+0)}' \
    || fail "task $task: config.yaml has generator lr '$written', expected ${lrs[$task]}"
  (($(wc -l < "$run/metrics.csv") == 4)) || fail "task $task: expected 3 metrics rows"
done
echo "sweep: ${#lrs[@]} tasks, one run folder each: $(ls "$shared/gan-lr-sweep-4242" | tr '\n' ' ')"

# A task past the list fails with a message, not a run.
if SLURM_ARRAY_TASK_ID=${#lrs[@]} SLURM_ARRAY_JOB_ID=4242 bash "$slurm/sweep.sbatch" "${args[@]}" 2> "$shared/past.log"; then
  fail "task ${#lrs[@]} ran"
fi
grep -q "LRS has ${#lrs[@]} values" "$shared/past.log" || fail "no message for a task past LRS: $(cat "$shared/past.log")"

# Requeued: the same task again continues its run (to 6 steps) instead of starting over.
SLURM_JOB_NAME=gan-lr-sweep SLURM_ARRAY_JOB_ID=4242 SLURM_ARRAY_TASK_ID=1 SLURM_JOB_ID=5001 \
  bash "$slurm/sweep.sbatch" --config "$GAN_PRESETS_DIR/pytorch-gan.yaml" --max-steps 6 --device cpu \
  > "$shared/requeue.log" 2>&1 || { cat "$shared/requeue.log"; fail "requeue"; }
grep -q "resuming from" "$shared/requeue.log" || fail "a requeued task did not resume: $(head -3 "$shared/requeue.log")"
(($(wc -l < "$shared/gan-lr-sweep-4242/lr-${lrs[1]}/metrics.csv") == 7)) || fail "the resumed run did not reach step 6"
echo "sweep: a requeued task resumes its run"

SLURM_JOB_NAME=gan-train SLURM_JOB_ID=777 bash "$slurm/gan-train.sbatch" "${args[@]}" > "$shared/single.log" 2>&1 \
  || { cat "$shared/single.log"; fail "gan-train.sbatch"; }
[[ -f $shared/gan-train-777/model.pt ]] || fail "gan-train.sbatch wrote no $shared/gan-train-777/model.pt"
echo "gan-train.sbatch: run folder gan-train-777"
