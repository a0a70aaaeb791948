#!/usr/bin/env bash
# A desktop in German (de_DE.UTF-8, where 0.5 is written 0,5): a short studio run and a gan-train run
# each write a folder that uses '.' in every number, reads back (the studio opens it, gan-train
# resumes it), and goes on to the step asked for.
#   locale_run_test.sh XVFB_RUN GAN_STUDIO GAN_TRAIN PRESET WORK_DIR
set -euo pipefail
xvfb_run=$1 studio=$2 train=$3 preset=$4 work=$5
fail() { echo "FAIL: $*" >&2; exit 1; }

locale -a | grep -qix 'de_DE\.utf-\?8' || fail "the de_DE.UTF-8 locale is not installed (packaging/setup.sh generates it)"
export LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8
[[ $(locale decimal_point) == , ]] || fail "the German locale is not in effect: this test would prove nothing"
rm -rf "$work" && mkdir -p "$work" && touch "$work/started"

# Every number in a run folder's text files uses '.': a metrics row has exactly the header's
# fields, config.yaml reads 0.0002, run.yaml's numbers have no comma.
check_folder() {
  local run=$1 rows=$2
  grep -q '^    lr: 0.0002$' "$run/config.yaml" || fail "$run/config.yaml does not spell lr as 0.0002: $(grep 'lr:' "$run/config.yaml" | head -1)"
  awk -F, 'NR == 1 { fields = NF } NR > 1 && NF != fields { print FILENAME ":" NR ": " $0; bad = 1 } END { exit bad }' \
    "$run/metrics.csv" ||
    fail "$run/metrics.csv has rows with a decimal comma"
  [[ $(($(wc -l <"$run/metrics.csv") - 1)) == "$rows" ]] || fail "$run/metrics.csv has $(($(wc -l <"$run/metrics.csv") - 1)) rows, expected $rows"
  ! grep -Eq '[0-9],[0-9]' "$run/run.yaml" || fail "$run/run.yaml has a decimal comma: $(grep -E '[0-9],[0-9]' "$run/run.yaml")"
}

# The studio trains 30 steps into the runs folder of this test's home, then opens that folder.
"$xvfb_run" -a -s '-screen 0 1280x800x24' "$studio" --config "$preset" --start --max-steps 30 --screenshot "$work/studio-run.png"
studio_run=$(find "$XDG_DATA_HOME/gan-studio/runs" -mindepth 1 -maxdepth 1 -type d -newer "$work/started" | sort | tail -1)
[[ -n $studio_run ]] || fail "the studio wrote no run folder under $XDG_DATA_HOME/gan-studio/runs"
check_folder "$studio_run" 30
"$xvfb_run" -a -s '-screen 0 1280x800x24' "$studio" "$studio_run" --screenshot "$work/studio-open.png" 2>"$work/open.log" ||
  fail "the studio could not open its own run: $(cat "$work/open.log")"
"$train" --resume "$studio_run" --max-steps 40 >"$work/resume-studio.log" 2>&1 ||
  fail "gan-train could not resume the studio's run: $(tail -3 "$work/resume-studio.log")"
check_folder "$studio_run" 40

# gan-train's own run, stopped at 20 steps and resumed to 30.
"$train" --config "$preset" --device cpu --max-steps 20 --set checkpoint.interval=10 --out "$work/train-run" >"$work/train.log" 2>&1 ||
  fail "gan-train failed: $(tail -3 "$work/train.log")"
check_folder "$work/train-run" 20
"$train" --resume "$work/train-run" --max-steps 30 >"$work/resume-train.log" 2>&1 ||
  fail "gan-train could not resume its run: $(tail -3 "$work/resume-train.log")"
check_folder "$work/train-run" 30
echo "runs under de_DE.UTF-8 read back and resumed: $studio_run, $work/train-run"
