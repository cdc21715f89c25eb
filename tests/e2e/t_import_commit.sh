#!/usr/bin/env bash
# t_import_commit.sh - `import FILE --commit -m MSG`: one command, one
# transaction. Into an empty register it writes the item rows of version 1
# directly (no stage) while the file's ids come in increasing order; at the
# first that does not, it stages the rows and commits them in id order, the
# order every reading of a version takes. Either way the document, its hash
# and every row digest are those of `import` then `commit` on a copy of the
# same register. A refused file,
# or the command killed at any moment, leaves the register byte for byte as
# it was (or, for a kill after the commit, exactly the committed state). On
# a register with versions it stages and commits in one go.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=${IMPORT_COMMIT_ROWS:-20000}
ROUNDS=${CRASH_ROUNDS:-6}
parties
init_reg_ok IC-1
EMPTY="$WORK/empty.db"
cp "$REG" "$EMPTY"
dump_sha() { sqlite3 -readonly "$1" .dump | sha256sum | cut -d' ' -f1; }
awk -v n=$ROWS 'BEGIN {
    print "Asset Tag,Type,Nom,Serial,Location,Notes"
    for (k = 0; k < n; k++) {
        i = (k * 7919) % n
        printf "PC-%06d,%s,Poste n°%d é,SN%09d,\"Genève, étage %d\",%s\r\n", i,
            (i % 3 ? "poste" : "serveur"), i, i * 13, i % 7, (i % 11 ? "" : "\"écran \"\"x\"\"\nligne 2\"")
    }
}' >"$WORK/fleet.csv"
# the same rows in id order
awk -v n=$ROWS 'BEGIN {
    print "Asset Tag,Type,Nom,Serial,Location,Notes"
    for (i = 0; i < n; i++)
        printf "PC-%06d,%s,Poste n°%d é,SN%09d,\"Genève, étage %d\",%s\r\n", i,
            (i % 3 ? "poste" : "serveur"), i, i * 13, i % 7, (i % 11 ? "" : "\"écran \"\"x\"\"\nligne 2\"")
}' >"$WORK/sorted.csv"
export SCOPEREG_AUTHOR=jm

echo "# import then commit, and import --commit, on copies of one empty register"
cp "$EMPTY" "$WORK/two.db"
sr_on "$WORK/two.db" import "$WORK/fleet.csv"
sr_on "$WORK/two.db" commit -m 'Fleet onboarding'
cp "$EMPTY" "$WORK/one.db"
expect_ok "$SCOPEREG" -R "$WORK/one.db" import "$WORK/fleet.csv" --commit -m 'Fleet onboarding'
expect_stdout_contains "imported: $ROWS added, 0 modified, 0 removed, 0 unchanged"
expect_stdout_contains "version 1 committed: $ROWS items, blake2b-256:"
"$SCOPEREG" -R "$WORK/two.db" show 1 >"$WORK/two.scope"
"$SCOPEREG" -R "$WORK/one.db" show 1 >"$WORK/one.scope"
expect_file_equal "$WORK/one.scope" "$WORK/two.scope" "document of version 1 byte-identical"
"$SCOPEREG" -R "$WORK/two.db" log >"$WORK/two.log"
"$SCOPEREG" -R "$WORK/one.db" log >"$WORK/one.log"
expect_file_equal "$WORK/one.log" "$WORK/two.log" "log (hash, items, author, message) identical"
expect_ok "$SCOPEREG" -R "$WORK/one.db" verify
expect_ok "$SCOPEREG" -R "$WORK/one.db" status
expect_stdout_contains "nothing staged"
if command -v sqlite3 >/dev/null 2>&1; then
    # the rows but their rev (the file's line in one, id order in the other)
    q='SELECT id, since, until, op, kind, name, hex(attrs), reason, digest FROM item ORDER BY id, since'
    [ "$(sqlite3 -readonly "$WORK/one.db" "$q" | sha256sum)" = \
      "$(sqlite3 -readonly "$WORK/two.db" "$q" | sha256sum)" ] || fail "item rows differ"
    pass "item rows and their digests identical"
    [ "$(sqlite3 -readonly "$WORK/one.db" 'SELECT count(*) FROM stage')" = 0 ] || fail "stage not empty"
    pass "stage empty"
    # the file is not in id order: the rows before its first smaller id were
    # written as read, the rest staged, then written after them in id order
    inv='SELECT count(*) FROM (SELECT id, lag(id) OVER (ORDER BY rev) p FROM item) WHERE p > id'
    [ "$(sqlite3 -readonly "$WORK/one.db" "$inv")" = 1 ] || fail "rows of an unsorted file not in two runs by id"
    # the second run: the staged rows, written by commit one after another
    run2='SELECT count(*) = max(rev) - min(rev) + 1 AND count(*) > 1 FROM item WHERE rev >=
        (SELECT rev FROM (SELECT rev, id, lag(id) OVER (ORDER BY rev) p FROM item) WHERE p > id)'
    [ "$(sqlite3 -readonly "$WORK/one.db" "$run2")" = 1 ] || fail "rows after the first smaller id not staged"
    pass "an unsorted file's rows written in two runs in id order"
fi

echo "# a file in id order but its last row: all but that row written directly"
swap_last() { # the last two records (each ends with CRLF outside quotes) swapped
    awk 'BEGIN { RS = "\r\n"; ORS = "\r\n" } NR == 1 { print; next } { r[NR] = $0 }
         END { for (i = 2; i < NR - 1; i++) print r[i]; print r[NR]; print r[NR - 1] }' "$1"
}
swap_last "$WORK/sorted.csv" >"$WORK/late.csv"
# first_import NAME: import --commit of NAME.csv into a copy of the empty
# register (NAME.db): the document and the item rows of import + commit
first_import() {
    cp "$EMPTY" "$WORK/$1.db"
    expect_ok "$SCOPEREG" -R "$WORK/$1.db" import "$WORK/$1.csv" --commit -m 'Fleet onboarding'
    expect_stdout_contains "imported: $ROWS added, 0 modified, 0 removed, 0 unchanged"
    "$SCOPEREG" -R "$WORK/$1.db" show 1 >"$WORK/$1.scope"
    expect_file_equal "$WORK/$1.scope" "$WORK/two.scope" "$1.csv: document of version 1 byte-identical"
    expect_ok "$SCOPEREG" -R "$WORK/$1.db" verify
    if command -v sqlite3 >/dev/null 2>&1; then
        [ "$(sqlite3 -readonly "$WORK/$1.db" "$q" | sha256sum)" = \
          "$(sqlite3 -readonly "$WORK/two.db" "$q" | sha256sum)" ] || fail "$1.csv: item rows differ"
        pass "$1.csv: item rows and their digests identical"
    fi
}
first_import late
if command -v sqlite3 >/dev/null 2>&1; then
    [ "$(sqlite3 -readonly "$WORK/late.db" "SELECT id FROM item ORDER BY rev DESC LIMIT 1")" = \
      "PC-$(printf '%06d' $((ROWS - 2)))" ] || fail "the last row in the file's order not staged after the others"
    [ "$(sqlite3 -readonly "$WORK/late.db" "$inv")" = 1 ] || fail "not two runs by id"
    pass "a file out of order at its end: $((ROWS - 1)) rows written directly, the last staged after them"
fi

echo "# a file in id order: written directly, the same document"
first_import sorted
if command -v sqlite3 >/dev/null 2>&1; then
    # rev is the file's line: written as read, no stage
    [ "$(sqlite3 -readonly "$WORK/sorted.db" 'SELECT min(rev), max(rev) - (SELECT count(*) FROM item) FROM item')" = \
      "2|$((2 + (ROWS + 10) / 11 - 1))" ] || fail "rows of a sorted file not written directly"
    pass "a sorted file's rows written directly (rev = line)"
fi
# a later change on top of it, as on any register
expect_ok "$SCOPEREG" -R "$WORK/one.db" edit PC-000033 --set owner=Muller
expect_ok "$SCOPEREG" -R "$WORK/one.db" commit -m owner
expect_ok "$SCOPEREG" -R "$WORK/one.db" verify

echo "# refusals change nothing"
cp "$EMPTY" "$WORK/bad.db"
sha=$(sha_of "$WORK/bad.db")
printf 'id,kind,name\nA-1,pc,one\nA-2,pc,two\nA-1,pc,again\n' >"$WORK/dup.csv"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/dup.csv" --commit -m x
expect_stderr_contains "dup.csv:4: column 'id': duplicate id 'A-1' (first on line 2)"
expect_stderr_contains "nothing was written"
expect_same_sha "$WORK/bad.db" "$sha" "duplicate id"
# found after the import left the direct writing (line 3 is out of order)
printf 'id,kind,name\nA-2,pc,two\nA-1,pc,one\nA-2,pc,again\n' >"$WORK/dup2.csv"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/dup2.csv" --commit -m x
expect_stderr_contains "dup2.csv:4: column 'id': duplicate id 'A-2' (first on line 2)"
expect_stderr_contains "nothing was written"
expect_same_sha "$WORK/bad.db" "$sha" "duplicate id after the file left id order"
printf 'id,kind,name,serial\nZ-9,pc,z,S1\nA-1,pc,a,S2\nM-5,pc,m,S1\nB-2,pc,b,S2\n' >"$WORK/ser.csv"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/ser.csv" --commit -m x
expect_stderr_contains "ser.csv:3: id 'A-1': serial number 'S2' is also the serial number of 'B-2'"
expect_same_sha "$WORK/bad.db" "$sha" "shared serial numbers"
printf 'id,kind,name\n' >"$WORK/none.csv"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/none.csv" --commit -m x
expect_stderr_contains "nothing to commit"
expect_same_sha "$WORK/bad.db" "$sha" "file with no row"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/fleet.csv" --commit
expect_stderr_contains "import --commit needs -m MESSAGE"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/fleet.csv" --commit -m x --dry-run
expect_stderr_contains "a dry run commits nothing"
expect_exit 2 "$SCOPEREG" -R "$WORK/bad.db" import "$WORK/fleet.csv" -m x
expect_stderr_contains "-m and --author go with --commit"
expect_same_sha "$WORK/bad.db" "$sha" "usage errors"

echo "# a register with versions: staged and committed in one command, with what was staged before"
expect_ok "$SCOPEREG" -R "$WORK/two.db" add EXTRA-1 --kind pc --name 'staged by hand'
expect_ok "$SCOPEREG" -R "$WORK/two.db" import "$WORK/ser.csv" --commit -m 'More' --allow-duplicates
expect_stdout_contains "imported: 4 added, 0 modified, 0 removed"
expect_stdout_contains "version 2 committed: $((ROWS + 5)) items"
expect_stdout_contains "it also holds 1 change staged before this import (scopereg show 2 lists every change)"
expect_ok "$SCOPEREG" -R "$WORK/two.db" show 2
expect_stdout_contains "+ EXTRA-1"
expect_ok "$SCOPEREG" -R "$WORK/two.db" status
expect_stdout_contains "nothing staged"
# nothing staged before: no such line
cp "$EMPTY" "$WORK/none.db"
expect_ok "$SCOPEREG" -R "$WORK/none.db" import "$WORK/ser.csv" --commit -m 'First' --allow-duplicates
expect_stdout_lacks "staged before this import"
expect_ok "$SCOPEREG" -R "$WORK/two.db" verify

echo "# SIGKILL during import --commit"
if command -v sqlite3 >/dev/null 2>&1; then
    # even rounds: the unsorted file (staged); odd rounds: the sorted one (direct)
    OLD=$(dump_sha "$EMPTY")
    cp "$EMPTY" "$WORK/ref.db"
    t0=$(now_ms)
    sr_on "$WORK/ref.db" import "$WORK/fleet.csv" --commit -m 'Fleet onboarding'
    dur=$(($(now_ms) - t0))
    NEW0=$(dump_sha "$WORK/ref.db")
    cp "$EMPTY" "$WORK/ref.db"
    sr_on "$WORK/ref.db" import "$WORK/sorted.csv" --commit -m 'Fleet onboarding'
    NEW1=$(dump_sha "$WORK/ref.db")
    files=("$WORK/fleet.csv" "$WORK/sorted.csv")
    news=("$NEW0" "$NEW1")
    span=$((dur * 13 / 10))
    [ "$span" -ge 400 ] || span=400
    killed=0 old=0 new=0
    for ((i = 0; i < ROUNDS; i++)); do
        db="$WORK/victim.db"
        rm -f "$db" "$db-journal"
        cp "$EMPTY" "$db"
        delay=$((span * i / ROUNDS + RANDOM % (span / ROUNDS + 1)))
        "$SCOPEREG" -R "$db" import "${files[i % 2]}" --commit -m 'Fleet onboarding' >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        rc=$?
        [ "$rc" -eq 137 ] && killed=$((killed + 1))
        [ "$rc" -eq 137 ] || [ "$rc" -eq 0 ] || fail "scopereg exited $rc (not killed, not success)"
        run "$SCOPEREG" -R "$db" verify
        [ "$RC" -eq 0 ] || fail "verify after the kill exited $RC"
        d=$(dump_sha "$db")
        if [ "$d" = "$OLD" ]; then old=$((old + 1));
        elif [ "$d" = "${news[i % 2]}" ]; then new=$((new + 1));
        else fail "killed after $delay ms: neither the empty register nor the committed one"; fi
        pass "${files[i % 2]##*/} killed after $delay ms (exit $rc): register verifies, old or new state"
    done
    [ "$killed" -ge 1 ] || fail "no run was killed before it ended; the kills test nothing"
    pass "$ROUNDS kills, $killed in flight: $old old, $new new, nothing else"
else
    pass "sqlite3 shell absent: kill rounds not run"
fi
done_checks
