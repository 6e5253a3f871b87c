#!/usr/bin/env bash
# Proves that the image `sluice export container` describes builds and runs, and that its one binary runs
# anywhere, without a Docker engine (none runs here, and no image registry can be reached):
#  1. the build context is assembled as Docker would from a clean clone (git archive of HEAD, less what the
#     exported .dockerignore leaves out), and the Dockerfile's build stage is carried out in it
#     (scripts/dockerfile-run.py: each COPY and RUN, so scripts/build-release.sh makes the release binary);
#  2. the binary may load only the C and C++ runtimes and zlib (its ldd and size are printed);
#  3. a minimal Debian root made by debootstrap, with just the packages the final stage installs (no Swift, no
#     SQLite), gets the final stage's RUN commands and the binary, as its Dockerfile says;
#  4. in that root, as the image's user in its working folder: `sluice demo` and `sluice validate`, then the
#     image's own command (tini, sluice serve) and its health check answering; then `worker`, which the
#     workers' deployment runs with the same image, starting and stopping cleanly on SIGTERM.
# Needs root and Debian's packages; the mirror is the machine's own (its apt sources; DEBIAN_MIRROR overrides).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v objcopy >/dev/null 2>&1 || need+=(binutils)  # build-release.sh keeps the debug information apart
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The Debian mirror this machine's apt uses: the first archive (not security) URI of its sources.
mirror() {
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' \
        | grep -v -- '-security' | head -n 1 || true)
    [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/^deb (\[[^]]*\] )?//' | awk '{ print $1 }' | grep -v -- '-security' | head -n 1 || true)
    [ -n "$uri" ] || { echo "no Debian mirror in this machine's apt sources; set DEBIAN_MIRROR" >&2; exit 1; }
    echo "$uri"
}

work=$(mktemp -d /tmp/sluice-image.XXXXXX)
# Whatever the build leaves in its temporary folder (SwiftPM's lock files) goes with the rest.
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
root="$work/root"
server=""
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== the container export and its build context, from a clean clone"
sluice="$(swift build --show-bin-path)/sluice"
[ -x "$sluice" ] || swift build --product sluice >/dev/null
"$sluice" export container --out "$work/export" >/dev/null
mkdir -p "$work/context" "$work/build"
git archive --format=tar HEAD | tar -x -C "$work/context"
cp "$work/export/Dockerfile" "$work/export/.dockerignore" "$work/context/"

echo "== a minimal Debian root for the final stage"
packages=$(python3 scripts/dockerfile-run.py packages "$work/export/Dockerfile")
echo "   with $packages"
debootstrap --variant=minbase --include="${packages// /,}" bookworm "$root" "${DEBIAN_MIRROR:-$(mirror)}" >/dev/null
if find "$root" -name 'libswift*' -o -name 'libsqlite3*' -type f | grep -q .; then
    echo "the root has Swift or SQLite in it" >&2
    exit 1
fi

echo "== the Dockerfile's stages"
python3 scripts/dockerfile-run.py build "$work/export/Dockerfile" "$work/context" "$work/build" "$root" \
    | tee "$work/stages.log"
image=$(tail -n 1 "$work/stages.log")
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$image" "$1"; }
words() { python3 -c 'import json, shlex, sys; print(shlex.join(json.loads(sys.argv[1])[sys.argv[2]]))' "$image" "$1"; }

binary="$work/build/src/dist/sluice"
echo "== the shipped binary: what it still loads (the C library's own parts only) and its size"
ldd "$binary"
if ldd "$binary" | grep -E "libswift|libFoundation|libsqlite3|libcurl|libxml2|libicu" >&2; then
    echo "the binary still needs the libraries above" >&2
    exit 1
fi
ls -l "$binary" "$binary.debug" | awk '{ printf "   %s: %.1f MiB\n", $NF, $5 / 1048576 }'
# Shipped without debug information, with its symbol table (backtraces name functions) and a link to the rest.
sections=$(readelf -S -W "$binary")
if grep -q '\.debug_info' <<<"$sections" || ! grep -q '\.symtab' <<<"$sections" || ! grep -q '\.gnu_debuglink' <<<"$sections"; then
    echo "the shipped binary should have .symtab and .gnu_debuglink, and no .debug_info" >&2
    exit 1
fi
grep -q '\.debug_info' <<<"$(readelf -S -W "$binary.debug" 2>/dev/null)" || { echo "sluice.debug holds no debug information" >&2; exit 1; }

mount -t proc proc "$root/proc" || echo "(no /proc in the root: this machine does not allow the mount)"
user=$(field user)
home=$(field workdir)
# A command in the image: as its user, in its working folder, with nothing of this machine's environment.
image_shell=(chroot --userspec="$user" "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" /bin/sh -euc)
in_image() { "${image_shell[@]}" "cd $home && $1"; }

echo "== sluice demo and sluice validate in the image, as $user in $home"
in_image 'sluice --version && sluice demo demo && cd demo && sluice validate'
# The image's project folder holds a project, as a mounted one would.
in_image 'cp -R demo/. . && rm -rf demo'

echo "== the image's command, $(words entrypoint) $(words cmd), and its health check"
# (Started directly, not through a function, so that its PID is the process that becomes tini.)
"${image_shell[@]}" "cd $home && exec $(words entrypoint) $(words cmd)" &
server=$!
healthy=""
for _ in $(seq 1 60); do
    if in_image "$(words healthcheck)" >/dev/null 2>&1; then healthy=yes; break; fi
    sleep 0.5
done
[ -n "$healthy" ] || { echo "the image's health check never passed" >&2; exit 1; }
in_image "$(words healthcheck)"; echo
kill -TERM "$server"
wait "$server" || { echo "the image's command did not exit 0 on SIGTERM" >&2; exit 1; }
server=""

echo "== the workers' command in the same image"
"${image_shell[@]}" "cd $home && exec $(words entrypoint) worker --project $home" &
server=$!
sleep 3
kill -0 "$server" || { echo "the worker did not keep running" >&2; exit 1; }
kill -TERM "$server"
wait "$server" || { echo "the worker did not exit 0 on SIGTERM" >&2; exit 1; }
server=""
echo "the image's build stage built the binary from a clean clone, and the binary alone served, worked and ran"
echo "the demo in a Debian root without Swift or SQLite"
