#!/bin/bash
# The layers where the compiler cannot see them (docs/architecture.md): core includes nothing from
# ui/ or app/, ui nothing from app/, and no ui header reaches a LibTorch header, directly or
# through a core header (the widgets compile without LibTorch). The torch-free base is held by the
# linker instead: base_tests links ganstudio_base alone.
#   include_boundaries.sh SOURCE_ROOT
set -euo pipefail
root=${1:?usage: include_boundaries.sh SOURCE_ROOT}
cd "$root"
failed=0
report() { echo "include_boundaries: $*" >&2; failed=1; }

while IFS= read -r hit; do report "core reaches up: $hit"; done < <(grep -rnE '^#include "(ui|app)/' core || true)
while IFS= read -r hit; do report "ui reaches up: $hit"; done < <(grep -rnE '^#include "app/' ui || true)

# The core headers that bring in LibTorch: those that include it, then those that include one of
# those, until nothing changes.
torch=" $(grep -lE '^#include <(torch|ATen|c10)/' core/*.h | tr '\n' ' ')"
changed=1
while [ "$changed" = 1 ]; do
  changed=0
  for header in core/*.h; do
    case "$torch" in *" $header "*) continue ;; esac
    for included in $(sed -nE 's/^#include "(core\/[a-z_]+\.h)".*/\1/p' "$header"); do
      case "$torch" in *" $included "*) torch="$torch$header "; changed=1; break ;; esac
    done
  done
done

for header in ui/*.h; do
  if grep -qE '^#include <(torch|ATen|c10)/' "$header"; then report "$header includes LibTorch"; fi
  for included in $(sed -nE 's/^#include "(core\/[a-z_]+\.h)".*/\1/p' "$header"); do
    case "$torch" in *" $included "*) report "$header includes $included, which brings in LibTorch" ;; esac
  done
done

if [ "$failed" = 0 ]; then
  echo "include boundaries hold; core headers with LibTorch:$torch"
fi
exit "$failed"
