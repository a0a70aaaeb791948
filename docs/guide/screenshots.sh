#!/usr/bin/env bash
# Takes the user guide's screenshots from the real application, on a virtual display:
#   first-run.png   the dataset dialog of a first run (an empty data folder)
#   live-run.png    the studio following a sweep task's run that gan-train is still writing, as a
#                   cluster job would (packaging/slurm/sweep.sbatch, run here without Slurm)
#   BUILD defaults to build/; MNIST and the judge come from the usual per-user folder.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
out="$root/docs/guide"
work=$(mktemp -d)
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1500x900x24 > /dev/null 2>&1 &
# gan-train finishes its step and writes a checkpoint on SIGTERM: wait for it before cleaning up.
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$work"' EXIT
sleep 1
shoot() { xwd -root -display "$display" -silent | xwdtopnm 2> /dev/null | pnmtopng > "$1"; }

# First run: no MNIST in this user's data folder.
mkdir -p "$work/new-user"
env -u GAN_DATA_DIR -u XDG_DATA_HOME HOME="$work/new-user" XDG_CONFIG_HOME="$work/config" DISPLAY="$display" \
  "$build/app/gan-studio" --start > "$work/first-run.log" 2>&1 &
studio=$!
sleep 5
shoot "$out/first-run.png"
kill $studio

# A sweep task writing its run folder to a "shared" folder; the studio opens it while it trains.
GAN_RUNS_DIR="$work/shared" GAN_TRAIN="$build/app/gan-train" SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_JOB_ID=4242 \
  SLURM_JOB_NAME=gan-lr-sweep bash "$root/packaging/slurm/sweep.sbatch" \
  --config "$root/resources/presets/laptop.yaml" > "$work/sweep.log" 2>&1 &
sleep 75
run=$(echo "$work"/shared/gan-lr-sweep-4242/lr-*)
XDG_CONFIG_HOME="$work/config" DISPLAY="$display" "$build/app/gan-studio" "$run" > "$work/studio.log" 2>&1 &
sleep 6
shoot "$out/live-run.png"
echo "screenshots in $out"
