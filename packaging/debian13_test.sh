#!/usr/bin/env bash
# The test suite on Debian 13 (trixie) against LibTorch 2.6 with CUDA (libtorch-cuda-dev), run on the
# CPU: CI's check that the CUDA build compiles, links, starts and passes where there is no GPU
# (the tests that need one skip and say why). Arguments go to ctest. Before them, `--cpu` builds
# against libtorch-dev (2.6, CPU only) instead, and `--package` then builds the Debian 13 package
# (gan-studio-cuda, or gan-studio with --cpu) and install-tests it in a clean trixie root
# (packaging/install_test.sh, with the CUDA packages from this root's apt cache). `--root-only`
# makes the root (when missing) and stops there: CI runs that beside the Debian 12 build, since it
# is mostly downloading and unpacking.
#
# The build root is kept between runs outside the clone, in $GAN_DEBIAN13_ROOT (default
# /var/cache/gan-studio/debian13-cuda, or -cpu), and made again when it is missing or unfinished:
# debootstrap, then the CUDA LibTorch and toolkit (about 2.6 GB of packages), with cuDNN declined and
# stood in for, and Mesa's diverted libEGL found (root_cuda_before/after in debian_root.sh).
# The clone is bind-mounted at its own path and built into build-debian13-cuda/ with a ccache kept
# in the root; MNIST comes read-only from this machine's data folder (setup.sh fetched it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'debian13: %s\n' "$*" >&2; }
die() { printf 'debian13: error: %s\n' "$*" >&2; exit 1; }
source "$root/packaging/debian_root.sh"

flavour=cuda
package=false
root_only=false
build_only=false
while [[ ${1:-} == --cpu || ${1:-} == --package || ${1:-} == --root-only || ${1:-} == --build-only ]]; do
  [[ $1 == --cpu ]] && flavour=cpu
  [[ $1 == --package ]] && package=true
  [[ $1 == --root-only ]] && root_only=true
  [[ $1 == --build-only ]] && build_only=true
  shift
done
dir=${GAN_DEBIAN13_ROOT:-/var/cache/gan-studio/debian13-$flavour}
ready="$dir/.gan-studio-root-ready"
if [[ $flavour == cuda ]]; then
  libtorch=(libtorch-cuda-dev nvidia-cuda-toolkit g++)
else
  libtorch=(libtorch-dev)
fi

"$root/packaging/setup.sh" --packages-only debootstrap
trap 'root_umount "$dir"' EXIT
if [[ ! -f $ready ]]; then
  root_remove "$dir" || die "cannot remove the unfinished root $dir"
  say "making a Debian 13 root with ${libtorch[*]} in $dir (kept for later runs)"
  started=$SECONDS
  root_create trixie "$dir" || die "debootstrap failed (see $dir.debootstrap.log)"
  root_mount "$dir"
  if [[ $flavour == cuda ]]; then root_cuda_before "$dir"; fi
  root_run "$dir" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${libtorch[*]} ca-certificates" \
    > "$dir.apt.log" 2>&1 || { tail -30 "$dir.apt.log" >&2; die "apt could not install ${libtorch[*]} (see $dir.apt.log)"; }
  root_run "$dir" update-ca-certificates > /dev/null 2>&1 || true
  if [[ $flavour == cuda ]]; then
    root_cuda_after "$dir" || die "could not make the cuDNN stand-in"
  fi
  "${root_sudo[@]}" touch "$ready"
  say "root ready in $((SECONDS - started)) s ($(du -sh "$dir" 2>/dev/null | cut -f1))"
fi
if $root_only; then exit 0; fi
root_mount "$dir"

# The clone at its own path, so that CMake's absolute paths mean the same inside and out.
"${root_sudo[@]}" mkdir -p "$dir$root"
"${root_sudo[@]}" mount --bind "$root" "$dir$root"
data=${GAN_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/gan-studio/mnist}
env_data=()
if [[ -d $data ]]; then
  "${root_sudo[@]}" mkdir -p "$dir/var/lib/gan-mnist"
  "${root_sudo[@]}" mount --bind -o ro "$data" "$dir/var/lib/gan-mnist"
  env_data=(GAN_DATA_DIR=/var/lib/gan-mnist)
fi

build="$root/build-debian13-$flavour"
# The MNIST judge the Debian 12 suite trained (packaging/test.sh), when there is one: LibTorch 2.6
# reads 1.13's archives, and the judge.cache fixture still loads and checks it.
if compgen -G "$root/build/test-home/judges/*.pt" > /dev/null; then
  mkdir -p "$build/test-home/judges"
  cp -n "$root"/build/test-home/judges/* "$build/test-home/judges/" || true
fi
# onnxruntime-web as this machine's setup fetched it (the root has no npm of its own).
if [[ -f $root/build/share/gan-studio/onnxruntime-web/LICENSE ]]; then
  mkdir -p "$build/share/gan-studio"
  rm -rf "$build/share/gan-studio/onnxruntime-web"
  cp -r "$root/build/share/gan-studio/onnxruntime-web" "$build/share/gan-studio/"
fi
# One of our scripts in the root, on this build folder (its ccache kept in the root).
in_root() {
  root_run "$dir" env GAN_BUILD_DIR="$build" CCACHE_DIR=/var/cache/ccache "${env_data[@]}" "$root/packaging/$1" "${@:2}"
}
if $build_only; then
  say "building in $build (Debian 13, ${libtorch[0]})"
  in_root setup.sh
  exit
fi
say "building and testing in $build (Debian 13, ${libtorch[0]})"
status=0
in_root test.sh "$@" || status=$?
if $package; then
  in_root package.sh || die "package.sh failed in the root"
  root_umount "$dir"
  GAN_APT_ARCHIVES="$dir/var/cache/apt/archives" "$root/packaging/install_test.sh" trixie "$(echo "$build"/package/gan-studio*.deb)"
fi
exit "$status"
