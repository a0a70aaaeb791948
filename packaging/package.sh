#!/usr/bin/env bash
# Builds the Debian package, build/package/gan-studio_<version>-1+deb<release>_<arch>.deb (or
# gan-studio-cuda_… from a build against libtorch-cuda-dev), from the Release build that setup.sh
# makes on this machine's release (Debian 12 or 13; $GAN_BUILD_DIR for another build folder).
# Install it with `sudo apt install ./build/package/gan-studio*.deb`: apt pulls the Debian packages
# it depends on.
#
# With --install-test (CI), it then installs the package into a clean root of the same release and
# uses it there as a new user would (packaging/install_test.sh).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'package: %s\n' "$*" >&2; }
die() { printf 'package: error: %s\n' "$*" >&2; exit 1; }

"$root/packaging/setup.sh"
build=${GAN_BUILD_DIR:-$root/build}
rm -rf "$build/package"
(cd "$build" && cpack -G DEB -B "$build/package" > "$build/cpack.log" 2>&1) || { cat "$build/cpack.log"; die "cpack failed"; }
deb=$(echo "$build"/package/gan-studio*.deb)
[[ -f $deb ]] || die "cpack made no package (see $build/cpack.log)"
say "built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -f "$deb" Depends | sed 's/^/package: depends: /' >&2
[[ ${1:-} == --install-test ]] || exit 0

release=$( . /etc/os-release && echo "$VERSION_CODENAME")
exec "$root/packaging/install_test.sh" "$release" "$deb"
