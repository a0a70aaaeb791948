#!/usr/bin/env bash
# The export round trips' outside tools (tests/core/export_round_trip_test.cpp), installed once per
# build tree into DIR: Debian's python3-torch, python3-onnx and chromium, and from npm
# onnxruntime-node (with --ignore-scripts: its CPU library ships inside the package; its install
# script only fetches GPU extras from elsewhere, which fails here) and playwright-core (drives
# Debian's chromium; it downloads no browser). Whatever cannot be installed is named in
# DIR/missing.txt, and the tests that need it skip, saying so. Mirrors: apt's and npm's own config.
#   install_tools.sh DIR
set -uo pipefail
dir=${1:?usage: install_tools.sh DIR}
mkdir -p "$dir"
missing=$dir/missing.txt
: > "$missing"
sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo -n)
need=()
for package in python3-torch python3-onnx python3-numpy chromium; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || need+=("$package")
done
# Node.js and npm may come from elsewhere than Debian (as on this project's machines): any will do.
command -v npm >/dev/null || need+=(npm)
if ((${#need[@]})); then
  echo "install_tools: installing ${need[*]}"
  if ! { "${sudo[@]}" apt-get update -qq &&
         "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
    echo "Debian packages ${need[*]}: apt-get could not install them" >> "$missing"
  fi
fi
modules=$dir/node_modules
if [[ ! -f $modules/onnxruntime-node/package.json || ! -f $modules/playwright-core/package.json ]]; then
  echo "install_tools: npm install onnxruntime-node playwright-core into $dir"
  if ! (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --no-package-lock --loglevel=error \
          onnxruntime-node@1.31.1 playwright-core@1.65.2 > npm.log 2>&1); then
    echo "npm packages onnxruntime-node, playwright-core: npm install failed ($(tail -1 "$dir/npm.log"))" >> "$missing"
  fi
fi
if [[ -s $missing ]]; then echo "install_tools: missing:"; cat "$missing"; else echo "install_tools: all tools ready"; fi
exit 0
