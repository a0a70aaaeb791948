#!/usr/bin/env bash
# Each PNG icon is a PNG of its folder's size (hicolor/NxN/apps).
#   icons_are_rendered.sh ICONS_DIR
set -euo pipefail
count=0
for png in "$1"/*/*.png; do
  size=$(basename "$(dirname "$png")")
  info=$(file -b "$png")
  [[ $info == "PNG image data, ${size/x/ x }, "* ]] || { echo "$png: expected a ${size} PNG, found: $info"; exit 1; }
  count=$((count + 1))
done
((count >= 8)) || { echo "$1: expected 8 PNG sizes, found $count"; exit 1; }
echo "$count PNG icons, each its folder's size"
