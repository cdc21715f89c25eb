#!/usr/bin/env bash
# t_bench_smoke.sh - the benchmark harness (tests/bench/run.sh) on a 10k-row
# fleet: it completes and prints its table and its floors (the root of
# floorbench is the checkpoint's). Figures are not checked: timings
# belong to docs/PERFORMANCE.md, not to the test suite.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src=${SCOPEREG_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -f "$src/tests/bench/run.sh" ] || skip "no tests/bench/run.sh under \$SCOPEREG_SOURCE ($src)"
for tool in sqlite3 minisign; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (tests/deps.sh)"
done
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 ||
    skip "GNU time (/usr/bin/time, Debian package 'time') is not installed (tests/deps.sh)"
if [ -z "${GENFLEET:-}" ] && [ ! -x "$(dirname "$SCOPEREG")/tests/bench/genfleet" ]; then
    command -v cc >/dev/null 2>&1 || skip "no genfleet beside \$SCOPEREG and no C compiler to build it"
fi

echo "# run.sh 10k"
expect_ok env SCOPEREG="$SCOPEREG" BENCH_DIR="$WORK/bench" bash "$src/tests/bench/run.sh" 10k
expect_stdout_contains "scopereg benchmark: 10000 rows"
expect_stdout_contains "import + commit, 10000 rows"
expect_stdout_contains "sqlite3 .import"
expect_stdout_contains "verify, 1 version of 10000 items"
expect_stdout_contains "minisign -V, 1 document"
expect_stdout_contains "edit + commit"
expect_stdout_contains "verify, 100 versions of 1000 items"
expect_stdout_contains "minisign -V, 100 docs"
expect_stdout_contains "scopereg command"
expect_stdout_contains "verify (100 versions)"
expect_stdout_contains "prove of 1 item, 10000 items"
expect_stdout_contains "import --commit (one command)"
expect_stdout_contains "edit + commit --sign, 10000 items"
expect_stdout_contains "commit --sign (1 change)"
expect_stdout_contains "sign (1 change)"
expect_stdout_contains "line 3 as three commands: edit + commit + sign"
expect_stdout_contains "besides the checkpoints and their signatures"
expect_stdout_contains "line 1  sqlite3 .import with two indexes over the id"
if [ -x "$(dirname "$SCOPEREG")/tests/bench/floorbench" ]; then
    # the floor's leaves are the item blocks scopereg hashes: its root is the checkpoint's
    expect_stdout_contains "root = the checkpoint's"
    expect_stdout_contains "line 3  commit --sign: read"
else
    expect_stdout_contains "lines 2 and 3: no floorbench"
fi
# Every figure row has a ratio, and no cell came out empty or unparsed.
n=$(grep -c -E ' [0-9]+\.[0-9]+x +<= ' "$OUT_FILE")
[ "$n" -eq 6 ] || fail "expected 6 rows with a ratio in the table, got $n"
pass "6 rows with a ratio"
grep -q -E '(^| )(nan|inf)( |$)|  x ' "$OUT_FILE" && fail "the table holds an unparsed figure"
pass "no unparsed figure"

echo "# usage"
expect_exit 2 bash "$src/tests/bench/run.sh" lots
expect_stderr_contains "SIZE must be"

done_checks
