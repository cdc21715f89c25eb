#!/usr/bin/env bash
# t_concurrency.sh - several scopereg processes on one register at once.
#
# 1. Four writers, several rounds each: a writer stages its own ids (three
#    with `add`, or a CSV `import` for the fourth) then commits, while a
#    reader runs `verify` and `log` in a loop. The stage is shared, so a
#    commit may take another writer's staged ids along, and a writer may
#    find nothing left to commit (exit 2, "nothing to commit"); nothing
#    else may fail. At the end: versions 1..N contiguous, `verify` exits 0,
#    every id is in the latest version, and the reader never saw a broken
#    register.
# 2. A busy register: while a sqlite3 shell holds the write lock (BEGIN
#    IMMEDIATE), writers wait for the busy timeout (10 s), then exit 3 with
#    "busy" well before 15 s and leave the file unchanged; readers still
#    read. While it holds an exclusive lock, readers fail the same way.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "the sqlite3 shell is absent (apt-get install sqlite3)"

WRITERS=4
ROUNDS=${CONCURRENCY_ROUNDS:-10}
PER_ROUND=3
IMPORT_ROWS=500
parties

init_reg_ok CONC-1
sr_ok add SRV-01 --kind server --name 'File server'
sr_ok commit -m 'Initial inventory' --author jm
export SCOPEREG_NOW="2026-02-01T10:00:00Z" # one date for every concurrent commit

echo "# $WRITERS writers x $ROUNDS rounds, and a reader, at once"
# writer W: each round stages its ids, then commits. Logs every command
# with its exit status; exits 1 at the first unexpected failure.
writer() {
    local w=$1 r i rc log="$WORK/writer-$1.log" csv
    for ((r = 1; r <= ROUNDS; r++)); do
        if [ "$w" -eq "$WRITERS" ]; then
            csv="$WORK/w$w-r$r.csv"
            awk -v w="$w" -v r="$r" -v n=$IMPORT_ROWS 'BEGIN {
                print "id,kind,name,serial"
                for (i = 1; i <= n; i++) printf "W%d-R%d-I%d,workstation,Poste %d,SN-%d-%d-%d\n", w, r, i, i, w, r, i
            }' >"$csv"
            "$SCOPEREG" -R "$REG" import "$csv" >>"$log" 2>&1
            rc=$?
            echo "import round $r: exit $rc" >>"$log"
            [ "$rc" -eq 0 ] || return 1
        else
            for ((i = 1; i <= PER_ROUND; i++)); do
                "$SCOPEREG" -R "$REG" add "W$w-R$r-I$i" --kind workstation --name "writer $w" \
                    --set "round=$r" >>"$log" 2>&1
                rc=$?
                echo "add W$w-R$r-I$i: exit $rc" >>"$log"
                [ "$rc" -eq 0 ] || return 1
            done
        fi
        "$SCOPEREG" -R "$REG" commit -m "writer $w round $r" --author "writer $w" >>"$log" 2>&1
        rc=$?
        echo "commit round $r: exit $rc" >>"$log"
        if [ "$rc" -eq 2 ] && tail -n 2 "$log" | grep -q 'nothing to commit'; then
            continue # another writer's commit took our ids along
        fi
        [ "$rc" -eq 0 ] || return 1
    done
    return 0
}
# reader: verify and log until $WORK/stop appears; exits 1 if either fails.
reader() {
    local n=0 log="$WORK/reader.log"
    while [ ! -e "$WORK/stop" ]; do
        "$SCOPEREG" -R "$REG" verify >"$WORK/reader.out" 2>&1 || {
            echo "verify failed after $n passes:" >>"$log"
            cat "$WORK/reader.out" >>"$log"
            return 1
        }
        "$SCOPEREG" -R "$REG" log >"$WORK/reader.out" 2>&1 || {
            echo "log failed after $n passes:" >>"$log"
            cat "$WORK/reader.out" >>"$log"
            return 1
        }
        n=$((n + 1))
    done
    echo "$n passes" >>"$log"
    return 0
}

t0=$(now_ms)
reader &
RPID=$!
PIDS=()
for ((w = 1; w <= WRITERS; w++)); do
    writer "$w" &
    PIDS+=($!)
done
bad=0
for ((w = 1; w <= WRITERS; w++)); do
    wait "${PIDS[$((w - 1))]}" || {
        echo "--- writer $w:" >&2
        tail -n 8 "$WORK/writer-$w.log" >&2
        bad=1
    }
done
touch "$WORK/stop"
wait "$RPID" || {
    echo "--- reader:" >&2
    cat "$WORK/reader.log" >&2
    bad=1
}
[ "$bad" -eq 0 ] || fail "a concurrent writer or the reader failed (see above)"
pass "$WRITERS writers and a reader ran in $(($(now_ms) - t0)) ms without an unexpected failure ($(cat "$WORK/reader.log"))"
commits=$(cat "$WORK"/writer-*.log | grep -c '^commit round .*: exit 0$')
empty=$(cat "$WORK"/writer-*.log | grep -c '^commit round .*: exit 2$')
pass "$commits commits, $empty found their ids already committed by another writer"

# Whatever is still staged (a writer added after another's last commit)
# goes into one more version.
run "$SCOPEREG" -R "$REG" status
case "$OUT" in *"nothing staged"*) ;; *) sr_ok commit -m 'leftovers' --author jm ;; esac

expect_ok "$SCOPEREG" -R "$REG" verify
LATEST=$("$SCOPEREG" -R "$REG" log | sed -n '1s/^version \([0-9]*\) .*/\1/p')
[ "$LATEST" -ge 2 ] || fail "latest version is '$LATEST'"
"$SCOPEREG" -R "$REG" log | sed -n 's/^version \([0-9]*\) .*/\1/p' | sort -n >"$WORK/versions"
seq 1 "$LATEST" >"$WORK/versions.want"
expect_file_equal "$WORK/versions" "$WORK/versions.want" "versions 1..$LATEST are contiguous"
for ((v = 1; v <= LATEST; v++)); do
    grep -Eq "^version $v: (ok|pending|agreed|signed)" "$OUT_FILE" || fail "verify does not report version $v as holding"
done
pass "verify: every version holds"

expect_ok "$SCOPEREG" -R "$REG" show
sed -n 's/^item: //p' "$OUT_FILE" | sort >"$WORK/ids.got"
{
    echo SRV-01
    for ((w = 1; w < WRITERS; w++)); do
        for ((r = 1; r <= ROUNDS; r++)); do
            for ((i = 1; i <= PER_ROUND; i++)); do echo "W$w-R$r-I$i"; done
        done
    done
    for ((r = 1; r <= ROUNDS; r++)); do
        for ((i = 1; i <= IMPORT_ROWS; i++)); do echo "W$WRITERS-R$r-I$i"; done
    done
} | sort >"$WORK/ids.want"
expect_file_equal "$WORK/ids.got" "$WORK/ids.want" "every id staged by a writer is in version $LATEST ($(wc -l <"$WORK/ids.want") items)"
grep -q "^items: $(wc -l <"$WORK/ids.want")\$" "$OUT_FILE" || fail "the items: count is not $(wc -l <"$WORK/ids.want")"
pass "items: count matches"

echo "# a busy register: a sqlite3 shell holds the write lock"
mkfifo "$WORK/sql.fifo"
# lock MODE: a sqlite3 shell on $REG takes the lock with BEGIN MODE and
# keeps it until unlock.
lock() {
    rm -f "$WORK/sql.out"
    sqlite3 "$REG" <"$WORK/sql.fifo" >"$WORK/sql.out" 2>&1 &
    SQ=$!
    exec 7>"$WORK/sql.fifo"
    printf '%s\n' "BEGIN $1;" "SELECT 'locked';" >&7
    for _ in $(seq 1 100); do
        grep -q locked "$WORK/sql.out" 2>/dev/null && break
        sleep 0.1
    done
    grep -q locked "$WORK/sql.out" || fail "sqlite3 could not take the lock: $(cat "$WORK/sql.out")"
    pass "sqlite3 holds a $1 lock on the register"
}
unlock() {
    printf '%s\n' "ROLLBACK;" ".quit" >&7
    exec 7>&-
    wait "$SQ"
}
# timed NAME CMD...: runs CMD in the background, with its output in
# $WORK/NAME.out/.err, its exit status in $WORK/NAME.rc and its duration
# (ms) in $WORK/NAME.ms; `timeout` stops a hang at 30 s.
timed() {
    local name=$1
    shift
    (
        t=$(now_ms)
        timeout 30 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
        echo $? >"$WORK/$name.rc"
        echo $(($(now_ms) - t)) >"$WORK/$name.ms"
    ) &
}
# expect_busy NAME: exit 3 after 9 to 15 s, one "error: ... busy" line.
expect_busy() {
    local rc ms
    rc=$(cat "$WORK/$1.rc")
    ms=$(cat "$WORK/$1.ms")
    [ "$rc" -eq 3 ] || fail "$1 while the register is locked: exit $rc, expected 3 ($(cat "$WORK/$1.err"))"
    [ "$ms" -ge 9000 ] && [ "$ms" -le 15000 ] || fail "$1 gave up after $ms ms, expected about 10 s"
    grep -q '^error: .*busy' "$WORK/$1.err" || fail "$1: no 'busy' error: $(cat "$WORK/$1.err")"
    [ "$(wc -l <"$WORK/$1.err")" -eq 1 ] || fail "$1: more than one line on stderr: $(cat "$WORK/$1.err")"
    pass "$1: exit 3 after $ms ms: $(cat "$WORK/$1.err")"
}

BEFORE=$(sha_of "$REG")
lock IMMEDIATE
timed add "$SCOPEREG" -R "$REG" add BUSY-01 --kind printer
timed commit "$SCOPEREG" -R "$REG" commit -m 'while locked'
timed import "$SCOPEREG" -R "$REG" import "$WORK/w$WRITERS-r1.csv"
timed reset "$SCOPEREG" -R "$REG" reset
# Readers are not blocked by a writer that has not started to write.
expect_ok timeout 30 "$SCOPEREG" -R "$REG" verify
expect_ok timeout 30 "$SCOPEREG" -R "$REG" status
wait_jobs() { for _ in $(seq 1 200); do [ -e "$WORK/add.ms" ] && [ -e "$WORK/commit.ms" ] && [ -e "$WORK/import.ms" ] && [ -e "$WORK/reset.ms" ] && return; sleep 0.1; done; }
wait_jobs
unlock
for n in add commit import reset; do expect_busy "$n"; done
expect_same_sha "$REG" "$BEFORE" "writers that gave up"

lock EXCLUSIVE
rm -f "$WORK"/*.ms
timed verify "$SCOPEREG" -R "$REG" verify
timed log "$SCOPEREG" -R "$REG" log
for _ in $(seq 1 200); do [ -e "$WORK/verify.ms" ] && [ -e "$WORK/log.ms" ] && break; sleep 0.1; done
unlock
expect_busy verify
expect_busy log
expect_same_sha "$REG" "$BEFORE" "readers that gave up"

echo "# the lock released, the same commands go through"
expect_ok "$SCOPEREG" -R "$REG" add BUSY-01 --kind printer
expect_ok "$SCOPEREG" -R "$REG" commit -m 'after the lock'
expect_ok "$SCOPEREG" -R "$REG" verify

done_checks
