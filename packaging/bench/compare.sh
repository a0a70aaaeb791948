#!/usr/bin/env bash
# GAN Studio's loop against the Python reference (reference_gan.py), in the same run, on this
# machine: one line per loop and preset. Needs a build (packaging/setup.sh; or GAN_BUILD_DIR) and, for the
# reference, Debian's python3-torch (installed here if missing). Usage: compare.sh [steps]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
steps=${1:-300}
build=${GAN_BUILD_DIR:-$root/build}
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
fi
for preset in pytorch-gan course-report; do
  n=$steps; w=20
  [[ $preset == course-report ]] && n=$((steps / 15 + 1)) && w=3  # about 1 s a step in Python
  /usr/bin/python3 "$root/packaging/bench/reference_gan.py" --preset "$preset" --steps "$n" --warmup "$w"
  "$build/app/gan-bench" --config "$root/resources/presets/$preset.yaml" --device cpu --steps "$n" --warmup "$w" --repeat 3 --json
done
