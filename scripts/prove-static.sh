#!/usr/bin/env bash
# Proves that one binary runs anywhere: builds the release binary with the Swift runtime and SQLite linked in,
# copies it alone into a minimal Debian root made by debootstrap (no Swift there; git, which Sluice uses to
# record the project's commits, is the one package added), and runs `sluice demo` and `sluice validate` in it
# with chroot. Needs root and Debian's package mirror (DEBIAN_MIRROR overrides it). Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v debootstrap >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

echo "== release build: Swift runtime and SQLite linked in"
scripts/build-release.sh
binary="$(swift build -c release --show-bin-path)/sluice"
[ -x "$binary" ] || { echo "the release build made no binary" >&2; exit 1; }
echo "== what it still loads (the C library's own parts only)"
ldd "$binary"
if ldd "$binary" | grep -E "libswift|libFoundation|libsqlite3|libcurl|libxml2|libicu" >&2; then
    echo "the binary still needs the libraries above" >&2
    exit 1
fi

root=$(mktemp -d /tmp/sluice-root.XXXXXX)
cleanup() {
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
echo "== a minimal Debian root in $root"
debootstrap --variant=minbase --include=git bookworm "$root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
if find "$root" -name 'libswift*' -o -name 'swift*' -type f | grep -q .; then
    echo "the root has Swift in it" >&2
    exit 1
fi
install -m 0755 "$binary" "$root/usr/local/bin/sluice"
mount -t proc proc "$root/proc" || echo "(no /proc in the root: this machine does not allow the mount)"

echo "== sluice demo and sluice validate inside it"
chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root /bin/sh -euc '
    cd /root
    sluice --version
    sluice demo demo
    cd demo
    sluice validate
'
echo "the binary alone ran sluice demo and sluice validate in a Debian root without Swift"
