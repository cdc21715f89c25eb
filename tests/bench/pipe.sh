#!/usr/bin/env bash
# pipe.sh [SIZE | REGISTER]... - one rendering with its hashers (BLAKE2b-256
# of the document, BLAKE2b-512 prehash, SHA-256 leaves and the RFC 9162
# tree), with one thread and with two (inventory/document/pipeline.h): wall
# time, CPU time, the busiest thread's CPU time and their ratios, by
# tests/bench/pipebench.
#
#   SIZE       rows of a generated fleet (a number, or 10k, 100k, 1M): a
#              register is made of it (scopereg init + import --commit)
#   REGISTER   an existing register file: copied first, the copy is used
#              (pipebench opens it read-only; the original is never touched)
#   (default: 100k)
#
# Environment:
#   SCOPEREG      the binary (default: build-bench/, then build/ of this tree)
#   PIPEBENCH     the bench program (default: beside SCOPEREG, tests/bench/pipebench)
#   GENFLEET      the fleet generator (default: beside SCOPEREG)
#   BENCH_REPEAT  runs of each way, the fastest kept (default 3)
#   BENCH_DIR     where the files go (default: a new directory under $TMPDIR,
#                 removed at the end unless BENCH_KEEP=1)
#
# Needs minisign (the parties' keys). Exits 0 when every way gave the same
# document hash, prehash and root, 1 when not or when a command fails,
# 2 on bad usage or a missing tool.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
die() { echo "pipe.sh: $*" >&2; exit 2; }

SCOPEREG=${SCOPEREG:-}
if [ -z "$SCOPEREG" ]; then
    for cand in "$top/build-bench/scopereg" "$top/build/scopereg"; do
        [ -x "$cand" ] && { SCOPEREG=$cand; break; }
    done
fi
[ -n "$SCOPEREG" ] && [ -x "$SCOPEREG" ] ||
    die "no scopereg binary: build one (cmake -S . -B build-bench && cmake --build build-bench) or set SCOPEREG"
PIPEBENCH=${PIPEBENCH:-$(dirname "$SCOPEREG")/tests/bench/pipebench}
[ -x "$PIPEBENCH" ] || die "no $PIPEBENCH: build the target pipebench or set PIPEBENCH"
GENFLEET=${GENFLEET:-$(dirname "$SCOPEREG")/tests/bench/genfleet}
repeat=${BENCH_REPEAT:-3}
[[ $repeat =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPEAT must be a number >= 1"

if [ -n "${BENCH_DIR:-}" ]; then
    W=$BENCH_DIR
    mkdir -p "$W"
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/scopereg-pipe.XXXXXX")
    [ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$W"' EXIT
fi

[ $# -gt 0 ] || set -- 100k
status=0
for arg in "$@"; do
    if [ -f "$arg" ]; then
        R=$W/copy-$(basename "$arg")
        cp -- "$arg" "$R"
        label="register $arg (copied)"
    else
        size=$arg
        case $size in
            *[kK]) size=$(( ${size%[kK]} * 1000 )) ;;
            *[mM]) size=$(( ${size%[mM]} * 1000000 )) ;;
        esac
        [[ $size =~ ^[0-9]+$ ]] && [ "$size" -ge 100 ] && [ "$size" -le 5000000 ] ||
            die "'$arg' is neither a register file nor a number of rows from 100 to 5000000"
        command -v minisign >/dev/null 2>&1 || die "needs minisign (Debian: apt-get install minisign)"
        [ -x "$GENFLEET" ] || die "no $GENFLEET: build the target genfleet or set GENFLEET"
        mkdir -p "$W/keys"
        for who in provider client; do
            [ -f "$W/keys/$who.pub" ] ||
                minisign -G -W -f -p "$W/keys/$who.pub" -s "$W/keys/$who.key" >/dev/null
        done
        R=$W/fleet-$size.db
        if [ ! -f "$R" ]; then
            "$GENFLEET" "$size" >"$W/fleet-$size.csv"
            "$SCOPEREG" -R "$R" init --contract BENCH-2026 --provider 'Helvetia IT SA' \
                --provider-key "$W/keys/provider.pub" --client 'ACME SA' \
                --client-key "$W/keys/client.pub" >/dev/null
            "$SCOPEREG" -R "$R" import "$W/fleet-$size.csv" --commit -m "Initial inventory" \
                >/dev/null
            rm -f "$W/fleet-$size.csv"
        fi
        label="fleet of $size rows"
    fi
    echo "== $label (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    "$PIPEBENCH" -r "$repeat" "$R" || status=1
    rm -f "$W/copy-"*
done
exit $status
