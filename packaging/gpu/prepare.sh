#!/usr/bin/env bash
# Here, before a device check: runs the team's ../shared/gpu/prepare.sh (CLI11, GoogleTest, gzip
# MNIST into .gpu/), then adds what this project needs beyond that: OpenSSL's libcrypto headers and
# link library (SHA-256 of MNIST files and checkpoint digests), which the GPU machine may lack.
# At run time the GPU machine's own libcrypto.so.3 is used. Then: device run with carry [".gpu"]
# and command "bash packaging/gpu/check.sh".
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
bash "$root/../shared/gpu/prepare.sh" "${1:-${GAN_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/gan-studio/mnist}}"
dpkg -s libssl-dev >/dev/null 2>&1 || apt-get install -y --no-install-recommends libssl-dev >/dev/null
mkdir -p .gpu/prefix/include/openssl .gpu/prefix/lib
cp /usr/include/openssl/*.h .gpu/prefix/include/openssl/
cp /usr/include/x86_64-linux-gnu/openssl/*.h .gpu/prefix/include/openssl/  # configuration.h, opensslconf.h
cp -L /usr/lib/x86_64-linux-gnu/libcrypto.so .gpu/prefix/lib/libcrypto.so
du -sh .gpu
