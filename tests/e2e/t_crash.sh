#!/usr/bin/env bash
# t_crash.sh - crash safety: scopereg killed with SIGKILL at random moments
# during a 100,000-row import and during the commit of that import, again
# and again. Afterwards the register always opens (with a read-only command
# first: `verify`), verifies (exit 0), leaves no hot journal behind, holds
# exactly the old state or exactly the new one: `log`, `status` and the
# whole content (`sqlite3 .dump`) equal those of a run that was not killed
# or those of the state before the command. Also: a hot journal left by a
# killed writer is rolled back by the first command that opens the
# register, read-only ones included (regression: they used to answer "not
# a scopereg register").
#
# $CRASH_ROUNDS (default 10) sets the kills per phase; at least 20 in all.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "the sqlite3 shell is absent (apt-get install sqlite3)"

ROUNDS=${CRASH_ROUNDS:-10}
ROWS=100000
parties
REG="$WORK/base.db" # the register every round starts from
BASE=$REG
# The whole content of a register, independent of free pages and layout.
dump_sha() { sqlite3 -readonly "$1" .dump | sha256sum | cut -d' ' -f1; }
latest() { "$SCOPEREG" -R "$1" log 2>/dev/null | sed -n '1s/^version \([0-9]*\) .*/\1/p'; }
# The summary line of `status`: "nothing staged" or "staged for version ...".
staged_line() { "$SCOPEREG" -R "$1" status 2>&1 | grep -E '^(nothing staged|staged for version)' || true; }

echo "# a register with one version, and a $ROWS-row CSV"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
init_reg_ok CRASH-1
sr_on "$BASE" add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
sr_on "$BASE" add FW-01 --kind firewall
sr_on "$BASE" commit -m 'Initial inventory' --author jm
awk -v n=$ROWS 'BEGIN {
    print "id,kind,name,serial,location,notes"
    for (i = 1; i <= n; i++)
        printf "PC-%06d,workstation,Poste %d,SN%09d,Site %d,\"line %d, with a comma\"\n", i, i, i * 7919, i % 17, i
}' >"$WORK/fleet.csv"
[ "$(wc -l <"$WORK/fleet.csv")" -eq $((ROWS + 1)) ] || fail "awk did not write $ROWS rows"
pass "fleet.csv: $ROWS rows"
export SCOPEREG_NOW="2026-02-01T10:00:00Z"

echo "# reference runs, not killed: how long they take and what they leave"
OLD_DUMP=$(dump_sha "$BASE")
cp "$BASE" "$WORK/staged.db"
t0=$(now_ms)
sr_on "$WORK/staged.db" import "$WORK/fleet.csv"
IMPORT_MS=$(($(now_ms) - t0))
STAGED_DUMP=$(dump_sha "$WORK/staged.db")
STAGED_LINE=$(staged_line "$WORK/staged.db")
[ "$STAGED_LINE" = "staged for version 2: $ROWS added, 0 modified, 0 removed" ] ||
    fail "import staged '$STAGED_LINE'"
pass "import: $IMPORT_MS ms, $STAGED_LINE"
cp "$WORK/staged.db" "$WORK/committed.db"
t0=$(now_ms)
sr_on "$WORK/committed.db" commit -m 'Fleet onboarding' --author jm
COMMIT_MS=$(($(now_ms) - t0))
COMMITTED_DUMP=$(dump_sha "$WORK/committed.db")
V2_HASH=$("$SCOPEREG" -R "$WORK/committed.db" log | sed -n '3s/^ *//p')
case "$V2_HASH" in blake2b-256:*) ;; *) fail "no hash for version 2 in 'log': '$V2_HASH'" ;; esac
pass "commit: $COMMIT_MS ms, version 2 is $V2_HASH"

# check_state DB PHASE: the register opens read-only, verifies, has no
# journal left, and is the old or the new state of PHASE. Sets $STATE.
check_state() {
    local db=$1 phase=$2 dump line v
    run "$SCOPEREG" -R "$db" verify
    [ "$RC" -eq 0 ] || fail "verify after the kill exited $RC"
    # A journal may stay behind when the writer was killed before it wrote
    # any page (its header is still zero: not hot, SQLite ignores it and the
    # next writer reuses it); a hot one must be gone.
    sqlite3 -readonly "$db" 'PRAGMA application_id' >/dev/null 2>&1 ||
        fail "after verify a read-only sqlite3 still cannot read $db (hot journal left?)"
    v=$(latest "$db")
    line=$(staged_line "$db")
    dump=$(dump_sha "$db")
    if [ "$phase" = import ]; then
        [ "$v" = 1 ] || fail "import killed: latest version is '$v', expected 1"
        if [ "$line" = "nothing staged" ] && [ "$dump" = "$OLD_DUMP" ]; then
            STATE=old
        elif [ "$line" = "$STAGED_LINE" ] && [ "$dump" = "$STAGED_DUMP" ]; then
            STATE=new
        else
            fail "import killed: neither the old nor the new state (latest $v, status '$line')"
        fi
    else
        if [ "$v" = 1 ] && [ "$line" = "$STAGED_LINE" ] && [ "$dump" = "$STAGED_DUMP" ]; then
            STATE=old
        elif [ "$v" = 2 ] && [ "$line" = "nothing staged" ] && [ "$dump" = "$COMMITTED_DUMP" ] &&
            "$SCOPEREG" -R "$db" log | grep -qxF "    $V2_HASH"; then
            STATE=new
        else
            fail "commit killed: neither the old nor the new state (latest '$v', status '$line')"
        fi
    fi
}

# kill_rounds PHASE FROM_DB DURATION_MS CMD...: ROUNDS times, runs CMD on
# a copy of FROM_DB and SIGKILLs it after a random delay; round i draws
# its delay in the i-th slice of 0..1.3*DURATION (so the rounds cover the
# whole run, and some end after it), at least 400 ms wide in all.
kill_rounds() {
    local phase=$1 from=$2 dur=$3 span i delay pid rc old=0 new=0 killed=0 db="$WORK/victim.db"
    shift 3
    span=$((dur * 13 / 10))
    [ "$span" -ge 400 ] || span=400
    for ((i = 0; i < ROUNDS; i++)); do
        rm -f "$db" "$db-journal"
        cp "$from" "$db"
        delay=$((span * i / ROUNDS + RANDOM % (span / ROUNDS + 1)))
        "$SCOPEREG" -R "$db" "$@" >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        rc=$?
        [ "$rc" -eq 137 ] && killed=$((killed + 1))
        [ "$rc" -eq 137 ] || [ "$rc" -eq 0 ] || fail "$phase: scopereg exited $rc (not killed, not success)"
        check_state "$db" "$phase"
        [ "$STATE" = old ] && old=$((old + 1)) || new=$((new + 1))
        pass "$phase killed after $delay ms (exit $rc): register verifies, $STATE state"
    done
    # The register the last kill left takes the next command as usual.
    [ "$phase" = import ] && expect_ok "$SCOPEREG" -R "$db" import "$WORK/fleet.csv"
    if [ "$phase" = import ] || [ "$STATE" = old ]; then
        expect_ok "$SCOPEREG" -R "$db" commit -m 'Fleet onboarding' --author jm
    fi
    expect_ok "$SCOPEREG" -R "$db" add NEW-01 --kind printer
    expect_ok "$SCOPEREG" -R "$db" commit -m 'After the crash' --author jm
    expect_ok "$SCOPEREG" -R "$db" verify
    grep -Eq '^version 3: (ok|pending|agreed|signed)' "$OUT_FILE" || fail "verify does not report version 3 as holding"
    [ "$killed" -ge 1 ] || fail "$phase: no run was killed before it ended; the kills test nothing"
    pass "$phase: $ROUNDS kills, $killed in flight; $old old state, $new new state, nothing else"
}

echo "# SIGKILL during import"
kill_rounds import "$BASE" "$IMPORT_MS" import "$WORK/fleet.csv"
echo "# SIGKILL during commit"
kill_rounds commit "$WORK/staged.db" "$COMMIT_MS" commit -m 'Fleet onboarding' --author jm

# hot_journal DB SQL...: runs the SQL statements in a sqlite3 shell on DB
# inside a transaction, with a one-page cache so that SQLite writes the
# changed pages into the file itself while the transaction is open (as a
# big import does), then SIGKILLs the shell: DB is left with a hot journal.
hot_journal() {
    local db=$1 sq
    shift
    rm -f "$WORK/sql.fifo" "$WORK/sql.out"
    mkfifo "$WORK/sql.fifo"
    sqlite3 "$db" <"$WORK/sql.fifo" >"$WORK/sql.out" 2>&1 &
    sq=$!
    exec 7>"$WORK/sql.fifo"
    printf '%s\n' "PRAGMA cache_size = 1;" "BEGIN IMMEDIATE;" "$@" "SELECT 'written';" >&7
    for _ in $(seq 1 200); do
        grep -q written "$WORK/sql.out" && break
        sleep 0.1
    done
    grep -q written "$WORK/sql.out" || fail "the sqlite3 shell did not write: $(cat "$WORK/sql.out")"
    kill -KILL "$sq"
    wait "$sq" 2>/dev/null
    exec 7>&-
    [ -s "$db-journal" ] || fail "no hot journal was left next to $db"
    pass "a killed sqlite3 shell left $(basename "$db")-journal ($(wc -c <"$db-journal") bytes)"
}

echo "# a hot journal is rolled back by the first command, read-only ones included"
HOT="$WORK/hot.db"
cp "$WORK/staged.db" "$HOT"
hot_journal "$HOT" "UPDATE stage SET name = name || ' (half done)';" "DELETE FROM version;"
expect_ok "$SCOPEREG" -R "$HOT" verify
grep -Eq '^version 1: (ok|pending|agreed|signed)' "$OUT_FILE" || fail "verify does not report version 1 as holding"
[ ! -e "$HOT-journal" ] || fail "the journal is still there after verify"
pass "verify rolled the journal back"
[ "$(dump_sha "$HOT")" = "$STAGED_DUMP" ] || fail "after the rollback the content is not the committed one"
pass "the register holds its last committed content"
for cmd in status log "show 1"; do
    rm -f "$HOT" "$HOT-journal"
    cp "$WORK/staged.db" "$HOT"
    hot_journal "$HOT" "DELETE FROM stage;" "DELETE FROM item;"
    # shellcheck disable=SC2086
    expect_ok "$SCOPEREG" -R "$HOT" $cmd
    [ ! -e "$HOT-journal" ] || fail "the journal is still there after $cmd"
    [ "$(dump_sha "$HOT")" = "$STAGED_DUMP" ] || fail "after $cmd the content is not the committed one"
    pass "$cmd rolled the journal back"
done
expect_ok "$SCOPEREG" -R "$HOT" status
expect_stdout_contains "$ROWS added"

done_checks
