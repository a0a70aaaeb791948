#!/usr/bin/env bash
# Builds the Debian package, build/package/gan-studio_<version>_<arch>.deb, from the Release build
# that setup.sh makes. Install it with `sudo apt install ./build/package/gan-studio_*.deb`: apt pulls
# the Debian packages it depends on.
#
# With --install-test (CI), it then installs the package with apt into a clean Debian 12 root
# (debootstrap minbase, so apt must pull every dependency the package declares) and uses it there
# as a new user would, from the installed files only: gan-train --help and the man page, the desktop
# entry and metainfo, a short training (MNIST fetched on first run), gan-studio under Xvfb training
# and opening that run. Needs root (or sudo), and the Debian mirror and npm registry.
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
"$root/packaging/setup.sh" --packages-only debootstrap
chroot_dir="$build/clean-root"
cleanup() {
  "${sudo[@]}" umount "$chroot_dir/proc" 2> /dev/null || true
  "${sudo[@]}" rm -rf "$chroot_dir"
}
trap cleanup EXIT
cleanup
source "$root/packaging/apt_mirror.sh"
mirror=$(debian_mirror) || die "cannot make a clean root without a Debian mirror"
say "a clean Debian 12 root (debootstrap minbase from $mirror)"
"${sudo[@]}" debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" > "$build/debootstrap.log" 2>&1 \
  || { tail -20 "$build/debootstrap.log"; die "debootstrap failed"; }
# This machine's network settings: its name servers, and any CA it adds for an intercepting proxy.
"${sudo[@]}" cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
"${sudo[@]}" cp -r /usr/local/share/ca-certificates/. "$chroot_dir/usr/local/share/ca-certificates/" 2> /dev/null || true
"${sudo[@]}" mount -t proc proc "$chroot_dir/proc"
in_root() { "${sudo[@]}" chroot "$chroot_dir" "$@"; }
"${sudo[@]}" cp "$deb" "$chroot_dir/tmp/"
say "installing it with apt (which pulls its dependencies)"
in_root env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -qq && apt-get install -y -qq /tmp/$(basename "$deb") \
    && apt-get install -y -qq xvfb xauth man-db && update-ca-certificates" > "$build/apt-install.log" 2>&1 \
  || { tail -30 "$build/apt-install.log"; die "apt could not install $deb into a clean root"; }
say "apt installed $(grep -c '^Setting up' "$build/apt-install.log") packages"

# A new user: an empty home, nothing from this shell's environment or the source tree.
in_root mkdir -p /home/tester
as_user() { in_root env -i HOME=/home/tester PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
home="$chroot_dir/home/tester"

say "gan-train --help and the man pages"
as_user gan-train --help | grep -q -- '--max-steps' || die "gan-train --help does not list --max-steps"
[[ $(as_user sh -c 'command -v gan-train') == /usr/bin/gan-train ]] || die "gan-train is not /usr/bin/gan-train"
for tool in gan-studio gan-train gan-eval gan-bench; do
  [[ -f $chroot_dir/usr/share/man/man1/$tool.1.gz ]] || die "no man page for $tool"
done
as_user man -P cat gan-train 2> /dev/null | grep -q 'fetched' || die "man gan-train does not render"

say "desktop entry, icons and AppStream metainfo"
desktop-file-validate "$chroot_dir/usr/share/applications/org.ganstudio.GanStudio.desktop"
appstreamcli validate --no-net "$chroot_dir/usr/share/metainfo/org.ganstudio.GanStudio.metainfo.xml" > /dev/null \
  || die "appstreamcli refuses the installed metainfo"
[[ -f $chroot_dir/usr/share/icons/hicolor/scalable/apps/org.ganstudio.GanStudio.svg &&
   -f $chroot_dir/usr/share/icons/hicolor/48x48/apps/org.ganstudio.GanStudio.png ]] || die "icons missing"

say "a short training from the installed preset; MNIST is fetched on first run"
as_user gan-train --config /usr/share/gan-studio/presets/pytorch-gan.yaml --max-steps 60 --out /home/tester/run \
  > "$build/install-train.log" 2>&1 || { cat "$build/install-train.log"; die "gan-train failed"; }
grep -q 'MNIST is ready' "$build/install-train.log" || die "gan-train did not fetch MNIST into the empty home"
rows=$(($(wc -l < "$home/run/metrics.csv") - 1))
((rows == 60)) || die "expected 60 rows in metrics.csv, found $rows"
[[ -s $home/run/model.pt ]] || die "the run has no model.pt"

say "gan-studio under Xvfb: trains, then opens that run"
as_user xvfb-run -a -s '-screen 0 1400x900x24' gan-studio --config /usr/share/gan-studio/presets/pytorch-gan.yaml \
  --start --max-steps 100 --screenshot /home/tester/studio-training.png > "$build/install-studio.log" 2>&1 \
  || { cat "$build/install-studio.log"; die "gan-studio failed while training"; }
as_user xvfb-run -a -s '-screen 0 1400x900x24' gan-studio /home/tester/run --screenshot /home/tester/studio-run.png \
  >> "$build/install-studio.log" 2>&1 || { cat "$build/install-studio.log"; die "gan-studio could not open the run"; }
mkdir -p "$build/package/screenshots"
for shot in studio-training studio-run; do
  [[ $(file -b "$home/$shot.png") == "PNG image data, "* ]] || die "gan-studio left no screenshot $shot.png"
  cp "$home/$shot.png" "$build/package/screenshots/"
done
say "the package works in a clean root (screenshots in $build/package/screenshots)"
