#!/usr/bin/env bash
# The release build of the one binary: the Swift runtime and Foundation linked in (--static-swift-stdlib) and
# SQLite too (its static library is the only one in a folder searched before the system's), so that it runs
# where neither Swift nor SQLite is installed: it loads only the C and C++ runtime libraries and zlib, which
# every Debian and Ubuntu has. Needs libsqlite3-dev at build time. The binary: .build/release/sluice.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=$(find /usr/lib /usr/lib64 /usr/local/lib -name libsqlite3.a 2>/dev/null | head -n 1 || true)
[ -n "$archive" ] || { echo "no libsqlite3.a: install libsqlite3-dev" >&2; exit 1; }
mkdir -p .build/static-sqlite
ln -sf "$archive" .build/static-sqlite/libsqlite3.a
swift build -c release --product sluice --static-swift-stdlib -Xlinker -L.build/static-sqlite
echo "$(swift build -c release --show-bin-path)/sluice"
