# Sourced by the packaging scripts: a Debian root made with debootstrap, for building and testing
# in another release than the machine's, or installing the package where nothing else is.
#   root_create RELEASE DIR   debootstrap minbase (main, contrib, non-free) from this machine's mirror,
#                             with its name servers and CA certificates
#   root_mount DIR            /proc, /sys, /dev/shm and /dev/pts for the programs run inside (root_umount
#                             undoes it, and any bind mount made under DIR)
#   root_run DIR CMD...       runs CMD inside as root, with a plain environment
#   root_remove DIR           unmounts everything under DIR, then deletes it
#   root_cuda_before DIR      before apt installs Debian 13's CUDA LibTorch: declines cuDNN's download
#   root_cuda_after DIR       after: stands packaging/cudnn_stub.sh's libcudnn.so.9 in for cuDNN
# Needs root (or sudo); apt_mirror.sh says where the mirror is.
source "$(dirname "${BASH_SOURCE[0]}")/apt_mirror.sh"
root_sudo=(); [[ $(id -u) == 0 ]] || root_sudo=(sudo)

root_create() {
  local release=$1 dir=$2 mirror
  mirror=$(debian_mirror) || return 1
  "${root_sudo[@]}" mkdir -p "$(dirname "$dir")"
  "${root_sudo[@]}" debootstrap --variant=minbase --components=main,contrib,non-free "$release" "$dir" "$mirror" \
    > "$dir.debootstrap.log" 2>&1 || { tail -20 "$dir.debootstrap.log" >&2; return 1; }
  # This machine's network settings: its name servers, and any CA it adds for an intercepting proxy.
  "${root_sudo[@]}" cp /etc/resolv.conf "$dir/etc/resolv.conf"
  "${root_sudo[@]}" cp -r /usr/local/share/ca-certificates/. "$dir/usr/local/share/ca-certificates/" 2>/dev/null || true
}

root_mount() {
  local dir=$1
  mountpoint -q "$dir/proc" || "${root_sudo[@]}" mount -t proc proc "$dir/proc"
  mountpoint -q "$dir/sys" || "${root_sudo[@]}" mount -t sysfs sysfs "$dir/sys"
  "${root_sudo[@]}" mkdir -p "$dir/dev/shm" "$dir/dev/pts"
  mountpoint -q "$dir/dev/shm" || "${root_sudo[@]}" mount -t tmpfs shm "$dir/dev/shm"
  mountpoint -q "$dir/dev/pts" || "${root_sudo[@]}" mount -t devpts -o newinstance,ptmxmode=0666 devpts "$dir/dev/pts"
}

root_umount() {
  local dir=$1 point
  # Deepest first: bind mounts made under the root by the caller go too.
  for point in $(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
    "${root_sudo[@]}" umount "$point" 2>/dev/null || "${root_sudo[@]}" umount -l "$point"
  done
}

# Deletes DIR, but never through a mount: the clone and apt caches are bind-mounted into roots, and
# rm -rf would follow them.
root_remove() {
  local dir=$1
  root_umount "$dir"
  if awk -v d="$dir/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "debian_root: something is still mounted under $dir; not deleting it" >&2
    return 1
  fi
  "${root_sudo[@]}" rm -rf "$dir"
}

# What a CUDA LibTorch needs in a root without a GPU or network (packaging/debian13_test.sh):
# - nvidia-cudnn's question "I Decline": agreeing makes it download cuDNN from NVIDIA, which fails
#   offline; cudnn_stub.sh stands in for libcudnn.so.9 afterwards.
# - libcuda1 (the driver library LibTorch opens at run time) diverts Mesa's libEGL.so.1, which Qt
#   needs, to /usr/lib/mesa-diverted: ld.so is told to look there.
root_cuda_before() {
  local dir=$1
  echo "nvidia-cudnn nvidia-cudnn/question select I Decline" | root_run "$dir" debconf-set-selections
  echo /usr/lib/mesa-diverted/x86_64-linux-gnu | "${root_sudo[@]}" tee "$dir/etc/ld.so.conf.d/zz-mesa-diverted.conf" >/dev/null
}

root_cuda_after() {
  local dir=$1
  "${root_sudo[@]}" cp "$(dirname "${BASH_SOURCE[0]}")/cudnn_stub.sh" "$dir/tmp/"
  root_run "$dir" bash /tmp/cudnn_stub.sh
}

root_run() {
  local dir=$1
  shift
  "${root_sudo[@]}" chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
