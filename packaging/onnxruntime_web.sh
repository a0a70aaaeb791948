#!/usr/bin/env bash
# Puts onnxruntime-web's WebAssembly build into DEST (setup.sh: build/share/gan-studio/onnxruntime-web,
# which the Debian package installs): the files a generator's web export copies beside its page
# (core/export/generator_export.h). From the npm package, pinned and checked against its published
# sha512; `npm pack` only downloads the tarball (about 35 MB, once per machine, kept in
# $XDG_CACHE_HOME/gan-studio), it runs none of the package's code.
#   onnxruntime_web.sh DEST
set -euo pipefail
version=1.31.1
integrity=sha512-5GeH+bWQ+HxM10z7erGlsWqryrwMbSvm/1tkIsKTT48g0fI19VXVVC435t4t7VsPdSQeS7NmuZPXrQ73k82URw==
files=(ort.wasm.min.js ort-wasm-simd-threaded.wasm ort-wasm-simd-threaded.mjs)
dest=${1:?usage: onnxruntime_web.sh DEST}
say() { printf 'onnxruntime-web: %s\n' "$*" >&2; }

if [[ -f $dest/VERSION && $(cat "$dest/VERSION") == "$version" && -f $dest/LICENSE ]]; then exit 0; fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gan-studio
tarball=$cache/onnxruntime-web-$version.tgz
matches() { [[ -f $1 && "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)" == "$integrity" ]]; }
if ! matches "$tarball"; then
  command -v npm >/dev/null || { say "npm is missing: the web export of generators will be unavailable"; exit 1; }
  say "fetching onnxruntime-web@$version from npm (35 MB, once) for the web export of generators"
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.fetch-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "onnxruntime-web@$version" >/dev/null) || { say "npm pack failed (is the npm registry reachable?)"; exit 1; }
  matches "$work/onnxruntime-web-$version.tgz" || { say "the downloaded tarball does not match its published sha512"; exit 1; }
  mv -f "$work/onnxruntime-web-$version.tgz" "$tarball"
  rm -rf "$work"
  trap - EXIT
fi
mkdir -p "$(dirname "$dest")"
stage=$(mktemp -d "$(dirname "$dest")/.onnxruntime-web-XXXXXX")
trap 'rm -rf "$stage"' EXIT
tar -xzf "$tarball" -C "$stage" --no-same-owner "${files[@]/#/package/dist/}" package/package.json
mv "$stage"/package/dist/* "$stage"/
grep -m1 '"license"' "$stage/package/package.json" | grep -q MIT || { say "the package's licence is no longer MIT: check it"; exit 1; }
rm -rf "$stage/package"
echo "$version" > "$stage/VERSION"
# The MIT license asks its notice to travel with every copy: the package and each web export.
cp "$(dirname "${BASH_SOURCE[0]}")/onnxruntime-web.LICENSE" "$stage/LICENSE"
chmod 755 "$stage"
rm -rf "$dest"
mv "$stage" "$dest"
trap - EXIT
say "$version ready in $dest"
