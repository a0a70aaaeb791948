#!/usr/bin/env bash
# Quick start: sets everything up, then opens GAN Studio. With --headless, or where there is no
# display, trains with gan-train instead (the default preset unless --config is given); any other
# arguments go to the program.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/setup.sh"
build=${GAN_BUILD_DIR:-$root/build}
headless=0
if [[ ${1:-} == --headless ]]; then headless=1; shift; fi
[[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]] || headless=1
if ((headless)) || [[ ! -x $build/app/gan-studio ]]; then
  exec "$build/app/gan-train" "$@"
fi
exec "$build/app/gan-studio" "$@"
