#!/usr/bin/env bash
# Builds the Debian package, build/package/gan-studio_<version>_<arch>.deb, from the Release build
# that setup.sh makes. Install it with `sudo apt install ./build/package/gan-studio_*.deb`: apt pulls
# the Debian packages it depends on.
#
# With --install-test (CI), it then installs the package on this machine and uses it as a new user
# would, from the installed files only, in an empty home: gan-train --help and the man page, the
# desktop entry and metainfo, a short training (MNIST fetched on first run), gan-studio under Xvfb
# training and opening that run. The package is removed again unless it was installed before.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'package: %s\n' "$*" >&2; }
die() { printf 'package: error: %s\n' "$*" >&2; exit 1; }

"$root/packaging/setup.sh"
build="$root/build"
rm -rf "$build/package"
(cd "$build" && cpack -G DEB -B "$build/package" > "$build/cpack.log" 2>&1) || { cat "$build/cpack.log"; die "cpack failed"; }
deb=$(echo "$build"/package/gan-studio_*.deb)
[[ -f $deb ]] || die "cpack made no package (see $build/cpack.log)"
say "built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Depends | sed 's/^/package: depends: /' >&2
[[ ${1:-} == --install-test ]] || exit 0

sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
installed_before=false
dpkg-query -W -f='${Status}' gan-studio 2>/dev/null | grep -q 'ok installed' && installed_before=true
say "installing it with apt"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$deb" > "$build/apt-install.log" 2>&1 \
  || { cat "$build/apt-install.log"; die "apt could not install $deb"; }
$installed_before || trap '"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq gan-studio > /dev/null' EXIT

# A new user: an empty home, nothing from this shell's environment or the source tree.
home=$(mktemp -d)
as_user() { env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
check() { say "$1"; }

check "gan-train --help and its man page"
as_user gan-train --help | grep -q -- '--max-steps' || die "gan-train --help does not list --max-steps"
[[ $(command -v gan-train) == /usr/bin/gan-train ]] || die "gan-train is not /usr/bin/gan-train"
for tool in gan-studio gan-train gan-eval gan-bench; do
  [[ -f /usr/share/man/man1/$tool.1.gz ]] || die "no man page for $tool"
done
as_user man -P cat gan-train 2>/dev/null | grep -q 'fetched' || die "man gan-train does not render"

check "desktop entry, icons and AppStream metainfo"
desktop-file-validate /usr/share/applications/org.ganstudio.GanStudio.desktop
appstreamcli validate --no-net /usr/share/metainfo/org.ganstudio.GanStudio.metainfo.xml > /dev/null \
  || die "appstreamcli refuses the installed metainfo"
[[ -f /usr/share/icons/hicolor/scalable/apps/org.ganstudio.GanStudio.svg &&
   -f /usr/share/icons/hicolor/48x48/apps/org.ganstudio.GanStudio.png ]] || die "icons missing"

check "a short training from the installed preset; MNIST is fetched on first run"
as_user gan-train --config /usr/share/gan-studio/presets/pytorch-gan.yaml --max-steps 60 --out "$home/run" \
  > "$home/train.log" 2>&1 || { cat "$home/train.log"; die "gan-train failed"; }
grep -q 'MNIST is ready' "$home/train.log" || die "gan-train did not fetch MNIST into the empty home"
rows=$(($(wc -l < "$home/run/metrics.csv") - 1))
((rows == 60)) || die "expected 60 rows in metrics.csv, found $rows"
[[ -s $home/run/model.pt ]] || die "the run has no model.pt"

check "gan-studio under Xvfb: trains, then opens that run"
as_user xvfb-run -a -s '-screen 0 1400x900x24' gan-studio --config /usr/share/gan-studio/presets/pytorch-gan.yaml \
  --start --max-steps 100 --screenshot "$home/studio-training.png" > "$home/studio.log" 2>&1 \
  || { cat "$home/studio.log"; die "gan-studio failed while training"; }
as_user xvfb-run -a -s '-screen 0 1400x900x24' gan-studio "$home/run" --screenshot "$home/studio-run.png" \
  >> "$home/studio.log" 2>&1 || { cat "$home/studio.log"; die "gan-studio could not open the run"; }
for shot in studio-training studio-run; do
  [[ $(file -b "$home/$shot.png") == "PNG image data, "* ]] || die "gan-studio left no screenshot $shot.png"
done
mkdir -p "$build/package/screenshots" && cp "$home"/studio-*.png "$build/package/screenshots/"
rm -rf "$home"
say "the installed package works (screenshots in $build/package/screenshots)"
