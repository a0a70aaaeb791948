#!/usr/bin/env bash
# Sets everything up (as packaging/setup.sh) and runs the whole test suite.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/packaging/setup.sh"
cd "$root/build"
ctest --output-on-failure -j"$(nproc)" "$@"
