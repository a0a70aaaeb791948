#!/usr/bin/env bash
# Sets everything up (as packaging/setup.sh) and runs the whole test suite; arguments go to ctest
# (`packaging/test.sh -L quick`: the unit tests, about a minute). The tests live in homes of their
# own under build/test-home; afterwards this checks that they left nothing in yours.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/setup.sh"
build=${GAN_BUILD_DIR:-$root/build}
cd "$build"
started=$(mktemp "$build/.tests-started-XXXXXX")
trap 'rm -f "$started"' EXIT
status=0
ctest --output-on-failure -j"$(nproc)" "$@" || status=$?
# The figures tests print when they pass, which --output-on-failure hides: the GUI's longest stall.
grep -h -o 'longest GUI stall: .*' Testing/Temporary/LastTest.log 2>/dev/null | sed 's/^/test.sh: /' || true

# What GAN Studio would write into a home: its data folder (runs, judges; MNIST is the setup's)
# and its settings.
data=${XDG_DATA_HOME:-$HOME/.local/share}/gan-studio
config=${XDG_CONFIG_HOME:-$HOME/.config}
written=$(find "$data" "$config/GAN Studio" "$config/gan-studio" -newer "$started" 2>/dev/null |
          grep -v -e "^$data/mnist" -e "^$data\$" || true)
if [[ -n $written ]]; then
  printf 'test.sh: the tests wrote into your home (they must keep to build/test-home):\n%s\n' "$written" >&2
  status=1
fi
exit "$status"
