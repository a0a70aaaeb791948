#!/usr/bin/env bash
# Takes the user guide's screenshots from the real application, on a virtual display:
#   first-run.png   the dataset dialog of a first run (an empty data folder)
#   live-run.png    the studio following a sweep task's run that gan-train is still writing, as a
#                   Slurm array task would (gan-sweep --task, run here without Slurm)
#   compare.png     the runs view comparing a finished sweep (SWEEP: a sweep folder, e.g. the one
#                   resources/sweeps/laptop-learning-rates.yaml makes; skipped when not given)
#   web-page.png    a generator's web export in Chromium (with GAN_WEB_RUN; see below)
#   screenshots.sh [BUILD [SWEEP]]
#   BUILD defaults to build/; MNIST and the judge come from the usual per-user folder.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
sweep=${2:-}
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
cat > "$work/lr.yaml" <<YAML
base: laptop
parameters:
  optimizer.generator.lr: [0.0001, 0.0002, 0.0004]
YAML
GAN_PRESETS_DIR="$root/resources/presets" "$build/app/gan-sweep" "$work/lr.yaml" --out "$work/shared/lr-sweep" --task 1 \
  > "$work/sweep.log" 2>&1 &
sleep 75
run=$(echo "$work"/shared/lr-sweep/01-*)
XDG_CONFIG_HOME="$work/config" DISPLAY="$display" "$build/app/gan-studio" "$run" > "$work/studio.log" 2>&1 &
sleep 6
shoot "$out/live-run.png"

# The runs view on a finished sweep: every run compared, ranked by IS.
if [[ -n $sweep ]]; then
  XDG_CONFIG_HOME="$work/config" DISPLAY="$display" "$build/app/gan-studio" "$sweep" --screenshot "$out/compare.png" \
    > "$work/compare.log" 2>&1
fi
# The web export of a generator in headless Chromium (web-page.png): GAN_WEB_RUN names the run or
# checkpoint (the guide's: cdcgan, 4,000 steps); it needs the round trips' tools, which
# `ctest -L export` installs into build/export-tools.
if [[ -n ${GAN_WEB_RUN:-} ]]; then
  "$build/app/gan-eval" "$GAN_WEB_RUN" --export-generator web --out "$work/web" > /dev/null
  mkdir -p "$work/web-shots"
  NODE_PATH="$build/export-tools/node_modules" node "$root/tests/export/browser_check.mjs" "$work/web" "$work/web-shots" 7
  pngtopnm "$work/web-shots/page.png" | pnmcut 230 10 780 885 | pnmtopng > "$out/web-page.png"
fi
echo "screenshots in $out"
