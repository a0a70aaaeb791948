# Sourced by the packaging scripts: the Debian mirror this machine's apt uses, for debootstrap.
# A user behind a local mirror or proxy has no other; nothing here names a host of its own.
#   debian_mirror  prints the URI of the first 'deb' source that serves Debian's main archive
#                  (deb822 .sources files and one-line .list files), or $GAN_DEBIAN_MIRROR if set.
debian_mirror() {
  if [[ -n ${GAN_DEBIAN_MIRROR:-} ]]; then
    printf '%s\n' "$GAN_DEBIAN_MIRROR"
    return
  fi
  local found
  found=$(
    {
      # deb822: a stanza's URIs, when its Types has deb and its Suites a release (not -security).
      for file in /etc/apt/sources.list.d/*.sources; do
        [[ -r $file ]] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             { types = uris = suites = ""
               for (i = 1; i <= NF; i++) {
                 if ($i ~ /^Types:/) types = $i
                 if ($i ~ /^URIs:/) uris = $i
                 if ($i ~ /^Suites:/) suites = $i
               }
               if (types ~ /[ \t]deb([ \t]|$)/ && suites ~ /[ \t](bookworm|trixie|stable)([ \t]|$)/) {
                 sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); print u[1]
               } }' "$file"
      done
      # One-line form: deb [options] URI SUITE COMPONENTS...
      for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -r $file ]] || continue
        sed -n -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+(bookworm|trixie|stable)[[:space:]].*/\2/p' "$file"
      done
    } | head -1
  )
  if [[ -z $found ]]; then
    echo "no Debian mirror in this machine's apt sources (/etc/apt/sources.list*); set GAN_DEBIAN_MIRROR to one" >&2
    return 1
  fi
  printf '%s\n' "$found"
}
