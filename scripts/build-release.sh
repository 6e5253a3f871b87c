#!/usr/bin/env bash
# The release build of the one binary: the Swift runtime and Foundation linked in (--static-swift-stdlib) and
# SQLite too (its static library is the only one in a folder searched before the system's), so that it runs
# where neither Swift nor SQLite is installed: it loads only the C and C++ runtime libraries and zlib, which
# every Debian and Ubuntu has. Needs libsqlite3-dev at build time.
# It puts the shipped binary in the folder named by its argument (default .build/dist): `sluice`, without debug
# information but with its symbol table (a crash's backtrace still names every function), and beside it
# `sluice.debug`, the debug information the binary points at (gdb and lldb find it there). Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/dist}
archive=$(find /usr/lib /usr/lib64 /usr/local/lib -name libsqlite3.a 2>/dev/null | head -n 1 || true)
[ -n "$archive" ] || { echo "no libsqlite3.a: install libsqlite3-dev" >&2; exit 1; }
mkdir -p .build/static-sqlite "$out"
ln -sf "$archive" .build/static-sqlite/libsqlite3.a
swift build -c release --product sluice --static-swift-stdlib -Xlinker -L.build/static-sqlite >&2
built="$(swift build -c release --show-bin-path)/sluice"
rm -f "$out/sluice" "$out/sluice.debug"
objcopy --only-keep-debug "$built" "$out/sluice.debug"
objcopy --strip-debug --add-gnu-debuglink="$out/sluice.debug" "$built" "$out/sluice"
chmod 0755 "$out/sluice"
chmod 0644 "$out/sluice.debug"
mib() { echo "$(( ($(stat -c %s "$1") + 524288) / 1048576 )) MiB"; }
echo "built $(mib "$built"); shipped $(mib "$out/sluice") (symbol table kept) and $(mib "$out/sluice.debug") of debug information beside it" >&2
echo "$out/sluice"
