#!/usr/bin/env bash
# t_jobs.sh - the hashing pipeline changes nothing but speed: the same
# commands on two copies of one register, one with SCOPEREG_JOBS=1 (every
# hash on the rendering thread), one with --jobs 2 (leaf hashes and document
# hashes on a second thread, the rows of commit and sign formatted on
# another), give byte-identical registers, documents, checkpoints,
# signatures, verify outputs and proof folders, on a fleet of 100,000 items;
# --jobs refuses what is not a number of threads.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GEN=${GENFLEET:-$(dirname "$SCOPEREG")/tests/bench/genfleet}
[ -x "$GEN" ] || skip "no genfleet beside \$SCOPEREG (tests/bench): cannot make a 100000-item fleet"
N=100000

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
expect_ok init_reg ACME-1
"$GEN" "$N" >"$WORK/fleet.csv" || fail "genfleet $N"
export SCOPEREG_NOW=2026-01-10T09:00:00Z
SCOPEREG_JOBS=1 expect_ok sr import "$WORK/fleet.csv" --commit -m initial
mkdir -p "$WORK/one" "$WORK/two" # one register file name: outputs name it
cp "$REG" "$WORK/one/acme.db"
cp "$REG" "$WORK/two/acme.db"
ID=$(sr show 1 | awk -v n=$((N / 2)) '/^item: / && ++k == n { print substr($0, 7) }')
[ -n "$ID" ] || fail "no item in the middle of version 1"

# steps DB SCOPEREG...: the same commands on DB, run from DB's directory
# (outputs name the register as given: acme.db in both), each output kept
# under $WORK/out-DIR.
steps() {
    local db out="$WORK/out-$(basename "$(dirname "$1")")"
    cd "$(dirname "$1")" || fail "cd $(dirname "$1")"
    db=$(basename "$1")
    shift
    mkdir -p "$out"
    export SCOPEREG_NOW=2026-02-01T09:00:00Z
    expect_ok "$@" -R "$db" edit "$ID" --set notes=replaced
    expect_ok "$@" -R "$db" commit -m two --author jm
    SCOPEREG_NOW=2026-02-02T09:00:00Z expect_ok "$@" -R "$db" sign 1 --key "$K/provider.key"
    SCOPEREG_NOW=2026-02-02T09:00:00Z expect_ok "$@" -R "$db" sign 1 --key "$K/client.key"
    SCOPEREG_NOW=2026-02-03T09:00:00Z expect_ok "$@" -R "$db" sign 2 --key "$K/provider.key"
    SCOPEREG_NOW=2026-02-03T09:00:00Z expect_ok "$@" -R "$db" sign 2 --key "$K/client.key"
    SCOPEREG_NOW=2026-02-04T09:00:00Z expect_ok "$@" -R "$db" verify
    cp "$OUT_FILE" "$out/verify.txt"
    expect_ok "$@" -R "$db" show 2
    cp "$OUT_FILE" "$out/v2.scope"
    SCOPEREG_NOW=2026-02-04T09:00:00Z expect_ok "$@" -R "$db" export 2 -o "$out/export"
    SCOPEREG_NOW=2026-02-04T09:00:00Z expect_ok "$@" -R "$db" prove "$ID" --at 2026-02-04T08:00:00Z -o "$out/proof"
    cd "$WORK" || fail "cd $WORK"
}

echo "# one thread"
steps "$WORK/one/acme.db" env SCOPEREG_JOBS=1 "$SCOPEREG"
echo "# two threads"
steps "$WORK/two/acme.db" "$SCOPEREG" --jobs 2

[ "$(sha_of "$WORK/one/acme.db")" = "$(sha_of "$WORK/two/acme.db")" ] ||
    fail "the registers differ between one and two threads"
pass "the registers are byte-identical"
diff -r "$WORK/out-one" "$WORK/out-two" >"$WORK/diff.txt" 2>&1 ||
    fail "the outputs differ between one and two threads: $(head -n 5 "$WORK/diff.txt")"
n=$(find "$WORK/out-one" -type f | wc -l)
[ "$n" -ge 8 ] || fail "only $n files compared"
pass "verify, the document, the export (checkpoints, signatures) and the proof folder: $n files byte-identical"
grep -q "checkpoint" "$WORK/out-one/verify.txt" || fail "verify says nothing of the checkpoints"
pass "verify checked the checkpoints (leaf hashes) in both"

echo "# a register altered behind the tool's back: verify's scan of every row"
# runs on a thread of its own with two jobs (inventory/work/verify.c): the
# same faults, named the same way, in the same order, text and JSON
# same_with_jobs T: verify of $WORK/T.db (an altered copy) with one and with
# two jobs, each on a copy of its own, exits 1 both times with the same
# text, JSON and errors (the copy's name aside); leaves them in
# $WORK/T1.txt, T1.json, T1.err and T1.json.err
same_with_jobs() {
    local t=$1 j f
    for j in 1 2; do
        cp "$WORK/$t.db" "$WORK/$t$j.db"
        SCOPEREG_NOW=2026-02-04T09:00:00Z expect_exit 1 "$SCOPEREG" --jobs $j -R "$WORK/$t$j.db" verify
        sed "s/$t$j\.db/$t.db/g" "$OUT_FILE" >"$WORK/$t$j.txt"
        sed "s/$t$j\.db/$t.db/g" "$ERR_FILE" >"$WORK/$t$j.err"
        SCOPEREG_NOW=2026-02-04T09:00:00Z expect_exit 1 "$SCOPEREG" --jobs $j -R "$WORK/$t$j.db" verify --json
        sed "s/$t$j\.db/$t.db/g" "$OUT_FILE" >"$WORK/$t$j.json"
        sed "s/$t$j\.db/$t.db/g" "$ERR_FILE" >"$WORK/$t$j.json.err"
    done
    for f in txt err json json.err; do
        cmp -s "$WORK/${t}1.$f" "$WORK/${t}2.$f" ||
            fail "$t: verify's $f differs between one and two jobs: $(diff "$WORK/${t}1.$f" "$WORK/${t}2.$f" | head -c 400)"
    done
}
cp "$WORK/one/acme.db" "$WORK/bad.db"
sqlite3 "$WORK/bad.db" "UPDATE item SET name = name || ' x' WHERE id = '$ID';
    UPDATE item SET until = 1 WHERE rev = (SELECT min(rev) FROM item WHERE id <> '$ID');
    UPDATE party_key SET since = 7 WHERE role = 'client';
    INSERT INTO item(id, since, until, op, kind, name, attrs, digest)
        SELECT id || '-stray', 9, NULL, op, kind, name, attrs, digest FROM item LIMIT 3;" ||
    fail "sqlite3 could not alter the copy"
same_with_jobs bad
grep -q "item '$ID' (row of version 1) was altered after commit" "$WORK/bad1.txt" ||
    fail "verify does not name the altered item: $(head -c 600 "$WORK/bad1.txt")"
grep -q "beyond the latest version" "$WORK/bad1.txt" ||
    fail "verify does not count the rows naming a version past the latest: $(head -c 600 "$WORK/bad1.txt")"
pass "an altered register: verify's text, JSON and errors are byte-identical with one and two jobs"

echo "# more faults than verify describes in full, then one found by the main thread"
# (the provider's key given to the client at version 2): described or
# counted alike with one and two jobs; and a register in WAL mode, where a
# second connection could see a later commit, is scanned on one connection
cp "$WORK/one/acme.db" "$WORK/many.db"
sqlite3 "$WORK/many.db" "UPDATE item SET op = 'M' WHERE since = 1;
    INSERT INTO party_key SELECT 'client', 2, key_id, public_key FROM party_key
        WHERE role = 'provider' AND since = (SELECT min(since) FROM party_key WHERE role = 'provider');" ||
    fail "sqlite3 could not alter the copy"
n=$(sqlite3 "$WORK/many.db" "SELECT count(*) FROM item WHERE since = 1 AND op = 'M'")
[ "$n" -gt 10000 ] || fail "only $n rows of version 1 made modifications: fewer faults than verify describes in full"
cp "$WORK/one/acme.db" "$WORK/wal.db"
sqlite3 "$WORK/wal.db" "PRAGMA journal_mode = WAL; UPDATE item SET name = name || ' y' WHERE id = '$ID';" >/dev/null ||
    fail "sqlite3 could not switch the copy to WAL"
same_with_jobs many
same_with_jobs wal
grep -q "more rows that do not follow from the previous version" "$WORK/many1.json" ||
    fail "verify does not count the faults it does not describe: $(head -c 400 "$WORK/many1.json")"
grep -q "the provider and the client hold the same key" "$WORK/many1.json" ||
    fail "after $n faults, verify does not name the key both parties hold at version 2: $(grep -o '"number":2[^}]*' "$WORK/many1.json" | head -c 600)"
grep -q "item '$ID' (row of version 1) was altered after commit" "$WORK/wal1.json" ||
    fail "verify of the WAL register does not name the altered item"
pass "$n faults and a shared key, and a WAL register: verify's text, JSON and errors are byte-identical with one and two jobs"

echo "# a row that cannot be rendered: commit and sign, whose items section is read on one"
# thread and formatted on another with two jobs (render.c, items_split), fail
# alike with one and two jobs, naming the first such item in id order, and
# change nothing
cp "$WORK/one/acme.db" "$WORK/rows.db"
first=$(sqlite3 "$WORK/rows.db" "SELECT id FROM item WHERE until IS NULL ORDER BY id LIMIT 1 OFFSET 1000")
later=$(sqlite3 "$WORK/rows.db" "SELECT id FROM item WHERE until IS NULL ORDER BY id LIMIT 1 OFFSET 15000")
other=$(sqlite3 "$WORK/rows.db" "SELECT id FROM item WHERE until IS NULL ORDER BY id LIMIT 1 OFFSET 5")
[ -n "$first" ] && [ -n "$later" ] && [ -n "$other" ] || fail "no items to alter"
sqlite3 "$WORK/rows.db" "UPDATE item SET attrs = X'6B6579' WHERE id IN ('$first', '$later') AND until IS NULL" ||
    fail "sqlite3 could not alter the copy"
for j in 1 2; do
    cp "$WORK/rows.db" "$WORK/rows$j.db"
    export SCOPEREG_NOW=2026-02-05T09:00:00Z
    expect_ok "$SCOPEREG" --jobs $j -R "$WORK/rows$j.db" edit "$other" --set notes=again
    sha=$(sha_of "$WORK/rows$j.db")
    expect_exit 2 "$SCOPEREG" --jobs $j -R "$WORK/rows$j.db" commit -m three
    expect_one_error_line
    expect_stderr_contains "item '$first': malformed stored attributes"
    cp "$ERR_FILE" "$WORK/rows-commit$j.err"
    expect_same_sha "$WORK/rows$j.db" "$sha" "commit with --jobs $j over a row that cannot be rendered"
    expect_ok "$SCOPEREG" --jobs $j -R "$WORK/rows$j.db" reset
    sha=$(sha_of "$WORK/rows$j.db")
    expect_exit 2 "$SCOPEREG" --jobs $j -R "$WORK/rows$j.db" sign 2 --key "$K/provider.key"
    expect_one_error_line
    expect_stderr_contains "item '$first': malformed stored attributes"
    cp "$ERR_FILE" "$WORK/rows-sign$j.err"
    expect_same_sha "$WORK/rows$j.db" "$sha" "sign with --jobs $j over a row that cannot be rendered"
done
cmp -s "$WORK/rows-commit1.err" "$WORK/rows-commit2.err" || fail "commit's error differs between one and two jobs"
cmp -s "$WORK/rows-sign1.err" "$WORK/rows-sign2.err" || fail "sign's error differs between one and two jobs"
pass "commit and sign over rows that cannot be rendered: the first named, the same error with one and two jobs, nothing written"

echo "# --jobs refuses what is not a number of threads"
for bad in 0 1025 two -1 ''; do
    sha=$(sha_of "$WORK/one/acme.db")
    expect_exit 2 "$SCOPEREG" --jobs "$bad" -R "$WORK/one/acme.db" verify
    expect_one_error_line
    expect_stderr_contains "--jobs: expected a number of threads from 1 to 1024, not '$bad'"
    expect_same_sha "$WORK/one/acme.db" "$sha" "--jobs '$bad'"
done
expect_exit 2 "$SCOPEREG" --jobs
expect_stderr_contains "--jobs: expected a number of threads from 1 to 1024, not ''"
done_checks
