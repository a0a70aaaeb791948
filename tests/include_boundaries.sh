#!/bin/bash
# The layers where the compiler cannot see them (docs/architecture.md): app -> ui -> core, and
# inside core the folders in their order, io -> config -> data -> run -> sweep (the torch-free base) ->
# model -> judge -> training -> export: a file includes headers of its own folder and of folders before it
# only. No ui header reaches a LibTorch header, directly or through a core header (the widgets
# compile without LibTorch). The base's freedom from LibTorch is also the linker's to hold:
# base_tests links the base alone.
#   include_boundaries.sh SOURCE_ROOT
set -euo pipefail
root=${1:?usage: include_boundaries.sh SOURCE_ROOT}
cd "$root"
order=(io config data run sweep model judge training export)
failed=0
report() { echo "include_boundaries: $*" >&2; failed=1; }
rank() { local i; for i in "${!order[@]}"; do [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo 99; }

for file in core/*.h core/*.cpp; do [ -e "$file" ] && report "$file is outside the folders of core/"; done
while IFS= read -r hit; do report "core reaches up: $hit"; done < <(grep -rnE '^#include "(ui|app)/' core || true)
while IFS= read -r hit; do report "ui reaches up: $hit"; done < <(grep -rnE '^#include "app/' ui || true)

for file in core/*/*.h core/*/*.cpp; do
  folder=$(basename "$(dirname "$file")")
  own=$(rank "$folder")
  [ "$own" = 99 ] && report "$file: core/$folder is not in the folder order of this script"
  for included in $(sed -nE 's/^#include "core\/([a-z_]+)\/[a-z_0-9]+\.h".*/\1/p' "$file"); do
    [ "$(rank "$included")" -gt "$own" ] && report "$file (core/$folder) includes from core/$included, further down"
  done
  if [ "$own" -le "$(rank sweep)" ] && grep -qE '^#include <(torch|ATen|c10)/' "$file"; then
    report "$file is in the torch-free base but includes LibTorch"
  fi
done

# The core headers that bring in LibTorch: those that include it, then those that include one of
# those, until nothing changes.
torch=" $(grep -lE '^#include <(torch|ATen|c10)/' core/*/*.h | tr '\n' ' ')"
changed=1
while [ "$changed" = 1 ]; do
  changed=0
  for header in core/*/*.h; do
    case "$torch" in *" $header "*) continue ;; esac
    for included in $(sed -nE 's/^#include "(core\/[a-z_]+\/[a-z_0-9]+\.h)".*/\1/p' "$header"); do
      case "$torch" in *" $included "*) torch="$torch$header "; changed=1; break ;; esac
    done
  done
done

for header in ui/*.h; do
  if grep -qE '^#include <(torch|ATen|c10)/' "$header"; then report "$header includes LibTorch"; fi
  for included in $(sed -nE 's/^#include "(core\/[a-z_]+\/[a-z_0-9]+\.h)".*/\1/p' "$header"); do
    case "$torch" in *" $included "*) report "$header includes $included, which brings in LibTorch" ;; esac
  done
done

if [ "$failed" = 0 ]; then
  echo "include boundaries hold; core headers that bring in LibTorch:$torch"
fi
exit "$failed"
