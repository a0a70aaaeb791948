#!/usr/bin/env bash
# install_test.sh RELEASE DEB: installs a GAN Studio package with apt into a clean Debian root of
# RELEASE (bookworm or trixie; debootstrap minbase, so apt must pull every dependency the package
# declares) and uses it there as a new user would, from the installed files only: gan-train --help
# and the man page, the desktop entry and metainfo, a short training (MNIST fetched on first run)
# and its generator exported as a web page,
# gan-studio under Xvfb training and opening that run. Needs root (or sudo), and the Debian mirror
# and npm registry. package.sh --install-test calls it for the package it built.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'install-test: %s\n' "$*" >&2; }
die() { printf 'install-test: error: %s\n' "$*" >&2; exit 1; }
(($# == 2)) || die "usage: install_test.sh RELEASE DEB"
release=$1
deb=$(realpath "$2")
[[ -f $deb ]] || die "$2: no such package"
build=$(dirname "$(dirname "$deb")")  # the build folder the package came from: logs go there
sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
"$root/packaging/setup.sh" --packages-only debootstrap desktop-file-utils appstream file
chroot_dir="$build/clean-root-$release"
source "$root/packaging/debian_root.sh"
cleanup() { root_remove "$chroot_dir"; }
trap cleanup EXIT
cleanup
say "a clean Debian $release root (debootstrap minbase)"
root_create "$release" "$chroot_dir" || die "debootstrap failed"
root_mount "$chroot_dir"
in_root() { "${sudo[@]}" chroot "$chroot_dir" "$@"; }
"${sudo[@]}" cp "$deb" "$chroot_dir/tmp/"
cuda=false
if [[ $(dpkg-deb -f "$deb" Package) == *-cuda ]]; then
  cuda=true
  # What a user with an NVIDIA GPU does once, online (docs/guide.md), cannot be done here: agreeing
  # to cuDNN's licence downloads it from NVIDIA. So decline, and let cudnn_stub.sh stand in for it.
  root_cuda_before "$chroot_dir"
  # The CUDA packages (2.6 GB) from the kept build root's apt cache, when there is one.
  if [[ -d ${GAN_APT_ARCHIVES:-} ]]; then
    "${sudo[@]}" mount --bind "$GAN_APT_ARCHIVES" "$chroot_dir/var/cache/apt/archives"
  fi
fi
say "installing it with apt (which pulls its dependencies)"
in_root env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -qq && apt-get install -y -qq /tmp/$(basename "$deb") \
    && apt-get install -y -qq xvfb xauth man-db && update-ca-certificates" > "$build/apt-install.log" 2>&1 \
  || { tail -30 "$build/apt-install.log"; die "apt could not install $deb into a clean root"; }
say "apt installed $(grep -c '^Setting up' "$build/apt-install.log") packages"
if $cuda; then
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc > /dev/null 2>&1 || die "no gcc for the cuDNN stand-in"
  root_cuda_after "$chroot_dir" || die "could not make the cuDNN stand-in"
fi

# A new user: an empty home, nothing from this shell's environment or the source tree.
in_root mkdir -p /home/tester
as_user() { in_root env -i HOME=/home/tester PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
home="$chroot_dir/home/tester"

say "gan-train --help and the man pages"
as_user gan-train --help | grep -q -- '--max-steps' || die "gan-train --help does not list --max-steps"
[[ $(as_user sh -c 'command -v gan-train') == /usr/bin/gan-train ]] || die "gan-train is not /usr/bin/gan-train"
for tool in gan-studio gan-train gan-sweep gan-eval gan-bench; do
  [[ -f $chroot_dir/usr/share/man/man1/$tool.1.gz ]] || die "no man page for $tool"
done
as_user man -P cat gan-train 2> /dev/null | grep -q 'fetched' || die "man gan-train does not render"
say "gan-sweep finds the installed example sweep's preset and the Slurm template"
as_user gan-sweep /usr/share/gan-studio/sweeps/laptop-learning-rates.yaml --list | grep -q '^6 runs' \
  || die "gan-sweep --list of the installed example sweep does not show its 6 runs"
as_user gan-sweep /usr/share/gan-studio/sweeps/laptop-learning-rates.yaml --out /home/tester/lr --slurm > /dev/null \
  || die "gan-sweep --slurm cannot write the job array from the installed template"
grep -qx '#SBATCH --array=0-5' "$home/lr/sweep.sbatch" || die "the installed sweep's job array does not cover its 6 runs"

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

say "the run's generator exported as a web page, from the installed onnxruntime-web"
as_user gan-eval /home/tester/run --export-generator web --out /home/tester/generator-web > "$build/install-export.log" 2>&1 \
  || { cat "$build/install-export.log"; die "gan-eval --export-generator web failed"; }
for file in index.html generator.onnx generator.json ort.wasm.min.js ort-wasm-simd-threaded.wasm ONNXRUNTIME-LICENSE; do
  [[ -s $home/generator-web/$file ]] || die "the web export has no $file"
done

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
say "the package works in a clean Debian $release root (screenshots in $build/package/screenshots)"
