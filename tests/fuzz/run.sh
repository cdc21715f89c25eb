#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] - builds scopereg's libFuzzer targets with
# clang (ASan + UBSan) in build-fuzz/ and runs each for SECONDS (default
# $FUZZ_TIME, else 30), seeded at run time from samples/ and the shared
# corpora ($SCOPEREG_CORPORA, else ../shared/corpora: csv-spectrum, itam,
# minisign) plus documents, keys and signatures made by the scopereg of
# the same build. Nothing is copied into the repository: corpora and
# findings live in a temporary directory ($FUZZ_WORK to keep them).
#
# Prints one line per target (executions, coverage, corpus size) and exits
# 1 when a target crashed, leaked, timed out or hit undefined behaviour,
# after printing the input that did it (hex) and the command to replay it.
# FUZZ_TARGETS="fuzz_csv fuzz_text" runs a subset.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-${FUZZ_TIME:-30}}
corpora=${SCOPEREG_CORPORA:-$top/../shared/corpora}
build="$top/build-fuzz"
jobs=$(nproc 2>/dev/null || echo 2)

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang is absent (Debian: apt-get install clang libclang-rt-14-dev; tests/deps.sh does it)" >&2
    exit 1
fi
echo "== build (clang, libFuzzer, ASan + UBSan) in $build"
CC=clang cmake -S "$top" -B "$build" -DSCOPEREG_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz scopereg >/dev/null

if [ -n "${FUZZ_WORK:-}" ]; then
    work=$FUZZ_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/scopereg-fuzz.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi

# ---- seeds, made fresh for each run ----
seeds="$work/seeds"
mkdir -p "$seeds"/{csv,minisign,seckey,document,text}
n=0
seed() { # seed DIR FILE...: copies the files that exist into seeds/DIR
    local d=$1 f
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        cp "$f" "$seeds/$d/$n-$(basename "$f")"
    done
}
seed csv "$top"/samples/*.csv
if [ -d "$corpora" ]; then
    seed csv "$corpora"/csv-spectrum/csvs/*.csv
    while IFS= read -r -d '' f; do seed csv "$f"; done < <(find "$corpora/itam" -name '*.csv' -print0 2>/dev/null)
    while IFS= read -r -d '' f; do seed minisign "$f"; done < <(find "$corpora/minisign" \( -name '*.pub' -o -name '*.minisig' \) -print0 2>/dev/null)
else
    echo "fuzz: no shared corpora at $corpora; seeding from samples/ and generated files only"
fi
# Documents, keys and signatures from the scopereg of this build.
S="$build/scopereg"
gen="$work/gen"
mkdir -p "$gen"
(
    cd "$gen"
    export SCOPEREG_NOW=2026-01-10T09:00:00Z
    "$S" keygen -o provider --unencrypted >/dev/null
    "$S" keygen -o client --unencrypted >/dev/null
    "$S" -R g.db init --contract 'ACME/INFOG 2026' --provider 'Helvetia IT SA' --provider-key provider.pub \
        --client 'ACME SA' --client-key client.pub >/dev/null
    "$S" -R g.db import "$top/samples/fleet.csv" >/dev/null
    "$S" -R g.db add 'Ébauche\x' --kind other --name $'tab\there' --set $'notes=line1\nline2 "quoted" \\ back' >/dev/null
    "$S" -R g.db commit -m 'Initial inventory' --author 'J. Müller' >/dev/null
    "$S" -R g.db show 1 >v1.scope
    "$S" -R g.db import "$top/samples/fleet-2026-q2.csv" --sync >/dev/null 2>&1 || true
    "$S" -R g.db remove 'Ébauche\x' --reason 'gone' >/dev/null 2>&1 || true
    SCOPEREG_NOW=2026-02-01T10:00:00Z "$S" -R g.db commit -m 'Q2' >/dev/null 2>&1 || true
    "$S" -R g.db show >v2.scope 2>/dev/null || true
    if "$S" help sign >/dev/null 2>&1; then
        "$S" -R g.db sign 1 --key provider.key >/dev/null 2>&1 || true
        "$S" -R g.db export 1 -o out >/dev/null 2>&1 || true
    fi
) || echo "fuzz: could not make every generated seed (continuing)"
seed document "$gen"/*.scope "$gen"/out/*.scope
seed minisign "$gen"/*.pub "$gen"/out/*.minisig "$gen"/out/*.pub
seed seckey "$gen"/*.key
if command -v minisign >/dev/null 2>&1; then
    minisign -G -W -p "$gen/m.pub" -s "$gen/m.key" >/dev/null 2>&1 </dev/null && seed seckey "$gen/m.key" && seed minisign "$gen/m.pub"
fi
for t in 2026-01-10 2026-01-10T09:00:00Z 2026-03-14T09:30:00.25+02:00 'Numéro de série' \
    'Pare-feu' 'accès VPN' '../../etc/ACME' tab windows-1252 ';'; do
    n=$((n + 1))
    printf '%s' "$t" >"$seeds/text/$n"
done
# A few trusted comments for the minisign target.
printf 'scopereg register:0123456789abcdef0123456789abcdef version:3 role:client document:blake2b-256:%064d signed:2026-01-10T09:00:00Z' 0 \
    >"$seeds/minisign/tc"

# ---- run ----
corpus_of() { case $1 in fuzz_csv | fuzz_import) echo csv ;; fuzz_document) echo document ;;
    fuzz_minisign) echo minisign ;; fuzz_seckey) echo seckey ;; *) echo text ;; esac; }
maxlen_of() { case $1 in fuzz_csv | fuzz_import | fuzz_document) echo 16384 ;; *) echo 4096 ;; esac; }
targets=${FUZZ_TARGETS:-$(cd "$build/tests/fuzz" && ls fuzz_* 2>/dev/null | grep -v '\.' | tr '\n' ' ')}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
printf '%-15s %12s %8s %8s %8s  %s\n' target executions exec/s cov corpus result
for t in $targets; do
    bin="$build/tests/fuzz/$t"
    [ -x "$bin" ] || { echo "fuzz: $t was not built" >&2; status=1; continue; }
    corpus="$work/corpus/$t"
    art="$work/artifacts/$t/"
    mkdir -p "$corpus" "$art"
    dict=()
    [ "$t" = fuzz_document ] && dict=(-dict="$top/tests/fuzz/document.dict")
    log="$work/$t.log"
    set +e
    "$bin" "$corpus" "$seeds/$(corpus_of "$t")" -max_total_time="$secs" -max_len="$(maxlen_of "$t")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art" \
        "${dict[@]}" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
    size=$(find "$corpus" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $rc)"
        status=1
    fi
    printf '%-15s %12s %8s %8s %8s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "$size" "$result"
    if [ "$rc" -ne 0 ]; then
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 >&2 || true
        for a in "$art"*; do
            [ -f "$a" ] || continue
            echo "--- input that failed ($a, $(wc -c <"$a") bytes), hex:" >&2
            od -An -tx1 -v "$a" | head -n 40 >&2
            echo "--- replay: $bin $a" >&2
        done
        echo "--- log: $log (kept: FUZZ_WORK=$work)" >&2
        trap - EXIT
    fi
done
exit $status
