#!/usr/bin/env bash
# t_verify_pool.sh - verify renders a register of two versions or more on
# two handles at once with two jobs, each keeping the leaf hashes of its
# last rendering by item revision (inventory/work/verify.c, the pool;
# inventory/document/leafmem.c): nothing of it may show. On a register of
# 8 signed versions (additions, edits, removals, an item removed and added
# again under its id, an item with coverage of its own, a change of a
# kind's default coverage, one version of 200 changes), verify and verify
# --json say byte for byte the same with --jobs 1 and --jobs 2, every
# checkpoint agreed; and again on copies altered behind the tool's back
# (an item live in every version, a row live in one middle version only,
# the services of a row, a version row unreadable, a version row gone,
# revisions swapped between rows); and on the earlier releases' registers
# (tests/fixtures/golden*), one of them carried on into scope-register/2.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GEN=${GENFLEET:-$(dirname "$SCOPEREG")/tests/bench/genfleet}
[ -x "$GEN" ] || skip "no genfleet beside \$SCOPEREG (tests/bench): cannot make the fleet"
command -v sqlite3 >/dev/null 2>&1 || skip "no sqlite3 command: cannot alter a register behind the tool's back"
T0=$(now_ms)

parties

# signed N WHEN: both parties sign version N of $REG at WHEN (a step).
signed() {
    SCOPEREG_NOW=$2 sr_ok sign "$1" --key "$K/provider.key"
    SCOPEREG_NOW=$2 sr_ok sign "$1" --key "$K/client.key"
}

echo "# a register of 8 versions, every one agreed by both parties"
export SCOPEREG_NOW=2026-01-05T08:00:00Z
expect_ok init_reg ACME-1
"$GEN" 300 >"$WORK/fleet.csv" || fail "genfleet 300"
"$GEN" 255 >"$WORK/fleet255.csv" || fail "genfleet 255" # the first 255 rows of the 300
"$GEN" -d 1 -m 200 300 >"$WORK/delta1.csv" || fail "genfleet -d 1"
sr_ok service add backup --name 'Daily backup'
sr_ok service add monitoring --name Monitoring
sr_ok sla add gold --name Gold --hours 24/7 --availability 99.9
sr_ok coverage --kind server --service backup --sla gold
sr_ok import "$WORK/fleet255.csv" --commit -m initial --author jm
signed 1 2026-01-06T09:00:00Z
# 2: additions (the other 45 rows) and edits of attributes
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_ok import "$WORK/fleet.csv"
sr_ok edit PC-0000001 --set notes='v2 note'
sr_ok edit PC-0000002 --set owner='Anne Muster' --set notes=middle
sr_ok edit SRV-0000004 --set ip=10.20.0.191
sr_ok commit -m two --author jm
signed 2 2026-02-02T09:00:00Z
# 3: removals, SRV-0000005 among them; PC-0000002's row of version 2 ends
export SCOPEREG_NOW=2026-03-01T09:00:00Z
sr_ok remove PC-0000006 --reason stolen
sr_ok remove OS-0000003 --reason 'licence ended'
sr_ok remove SRV-0000005 --reason 'decommissioned, to be reinstalled'
sr_ok edit PC-0000002 --set notes=after
sr_ok commit -m three --author jm
signed 3 2026-03-02T09:00:00Z
# 4: SRV-0000005 added again under its id; SRV-0000011 gets services of its own
export SCOPEREG_NOW=2026-04-01T09:00:00Z
sr_ok add SRV-0000005 --kind server --name 'Serveur de sauvegarde (reinstalled)' --set ip=10.20.3.85
sr_ok edit SRV-0000011 --service monitoring
sr_ok commit -m four --author jm
signed 4 2026-04-02T09:00:00Z
# 5: the servers' default coverage changes (every server row but
# SRV-0000011's follows), a new class, a class of its own for a workstation
export SCOPEREG_NOW=2026-05-01T09:00:00Z
sr_ok sla add silver --name Silver --hours 8-18
sr_ok coverage --kind server --service backup,monitoring --sla gold
sr_ok edit PC-0000007 --sla silver
sr_ok commit -m five --author jm
signed 5 2026-05-02T09:00:00Z
# 6: 200 changes (160 edits and 40 additions, a quarterly re-export)
export SCOPEREG_NOW=2026-06-01T09:00:00Z
sr_ok import "$WORK/delta1.csv" --commit -m six --author jm
signed 6 2026-06-02T09:00:00Z
export SCOPEREG_NOW=2026-07-01T09:00:00Z
sr_ok edit PC-0000008 --name 'Poste renamed'
sr_ok remove PC-0000010 --reason sold
sr_ok add PRN-9000001 --kind printer --name 'Copieur 3e'
sr_ok commit -m seven --author jm
signed 7 2026-07-02T09:00:00Z
export SCOPEREG_NOW=2026-08-01T09:00:00Z
sr_ok edit PC-0000001 --unset notes
sr_ok commit -m eight --author jm
signed 8 2026-08-02T09:00:00Z
export SCOPEREG_NOW=2026-09-01T09:00:00Z

q() { sqlite3 "$REG" "$1" || fail "sqlite3: $1"; }
[ "$(q "SELECT count(*) FROM version")" = 8 ] || fail "the register does not hold 8 versions"
[ "$(q "SELECT count(*) FROM item WHERE since = 6")" = 200 ] || fail "version 6 does not make 200 changes"
[ "$(q "SELECT count(*) FROM item WHERE id = 'SRV-0000005' AND op = 'A'")" = 2 ] ||
    fail "SRV-0000005 is not added twice"
[ "$(q "SELECT svc || '/' || own FROM item WHERE id = 'SRV-0000011' AND until IS NULL")" = monitoring/1 ] ||
    fail "SRV-0000011 has no services of its own"
[ "$(q "SELECT count(*) FROM item WHERE since = 5 AND svc = 'backup, monitoring'")" -gt 5 ] ||
    fail "the change of the servers' default did not reach their rows"
# A: an item live from version 1 to 8 and never changed
A=$(q "SELECT id FROM item WHERE since = 1 AND until IS NULL ORDER BY id LIMIT 1 OFFSET 50")
[ -n "$A" ] || fail "no item live from version 1 to 8"
# B: PC-0000002's row of version 2, live in that version only
BREV=$(q "SELECT rev FROM item WHERE id = 'PC-0000002' AND since = 2 AND until = 3")
[ -n "$BREV" ] || fail "no row of PC-0000002 live in version 2 only"
pass "8 versions: 200 changes in one, SRV-0000005 added twice, coverage of its own and of a kind; '$A' live from 1 to 8"

# both_ways CODE T: verify and verify --json of $WORK/T.db, with --jobs 1
# (SCOPEREG_JOBS=1 for the --json run) and with --jobs 2 (SCOPEREG_JOBS=2
# for the --json run), each on a copy of its own named acme.db in a
# directory of its own, exit CODE, leave the copy as it was, and print the
# same standard output and standard error byte for byte; they are left in
# $WORK/T-1.txt, T-1.err, T-1.json and T-1.json.err.
both_ways() {
    local code=$1 t=$2 j f sha
    for j in 1 2; do
        mkdir -p "$WORK/$t-$j"
        cp "$WORK/$t.db" "$WORK/$t-$j/acme.db"
        sha=$(sha_of "$WORK/$t-$j/acme.db")
        cd "$WORK/$t-$j" || fail "cd $WORK/$t-$j"
        expect_exit "$code" "$SCOPEREG" --jobs "$j" -R acme.db verify
        cp "$OUT_FILE" "$WORK/$t-$j.txt"
        cp "$ERR_FILE" "$WORK/$t-$j.err"
        expect_exit "$code" env SCOPEREG_JOBS="$j" "$SCOPEREG" -R acme.db verify --json
        json_ok "$t, SCOPEREG_JOBS=$j"
        cp "$OUT_FILE" "$WORK/$t-$j.json"
        cp "$ERR_FILE" "$WORK/$t-$j.json.err"
        expect_same_sha acme.db "$sha" "verify of $t with $j job(s)"
        cd "$WORK" || fail "cd $WORK"
    done
    for f in txt err json json.err; do
        expect_file_equal "$WORK/$t-2.$f" "$WORK/$t-1.$f" "$t: verify's $f is byte-identical with one and two jobs"
    done
}

# text_has T WHAT: $WORK/T-1.txt holds WHAT (a fixed string).
text_has() {
    grep -qF -- "$2" "$WORK/$1-1.txt" || fail "$1: verify does not say '$2': $(head -c 1500 "$WORK/$1-1.txt")"
    pass "$1: verify says '$2'"
}

# cps_agreed T N...: versions N... are agreed, their checkpoints too, in
# $WORK/T-1.txt (and, as both are identical, in T-2.txt), and in T-1.json.
cps_agreed() {
    local t=$1 n
    shift
    for n in "$@"; do
        grep -A1 "^version $n: agreed (" "$WORK/$t-1.txt" | grep -q "^  checkpoint agreed (root [0-9a-f]\{64\}, [0-9]* items)$" ||
            fail "$t: version $n and its checkpoint are not reported agreed: $(grep -A1 "^version $n:" "$WORK/$t-1.txt" | head -c 600)"
    done
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$WORK/$t-1.json" "$@" <<'PYEOF' || fail "$t: verify --json does not report every checkpoint of versions $* agreed"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
by = {v["version"]: v for v in d["versions"]}
for n in map(int, sys.argv[2:]):
    v = by[n]
    assert v["status"] == "agreed" and v["checkpoint"]["status"] == "agreed", (n, v)
PYEOF
    fi
    pass "$t: versions $* and their checkpoints agreed, in the text and the JSON"
}

# broken T N WHAT: version N of $WORK/T-1.txt is BROKEN and its line holds WHAT.
broken() {
    grep "^version $2: BROKEN: " "$WORK/$1-1.txt" | grep -qF -- "$3" ||
        fail "$1: version $2 is not reported BROKEN with '$3': $(grep "^version $2:" "$WORK/$1-1.txt" | head -c 800)"
    pass "$1: version $2 BROKEN: ...$3..."
}

# altered T SQL: $WORK/T.db, a copy of the register altered with SQL.
altered() {
    cp "$REG" "$WORK/$1.db"
    sqlite3 "$WORK/$1.db" "$2" || fail "sqlite3 could not alter the copy $1.db"
}

echo "# the register as signed"
cp "$REG" "$WORK/clean.db"
both_ways 0 clean
cps_agreed clean 1 2 3 4 5 6 7 8
text_has clean "8 versions re-render to the recorded hashes, the chain is intact; 8 agreed, 0 pending"
[ "$(grep -c '^  checkpoint agreed (root' "$WORK/clean-1.txt")" -eq 8 ] || fail "clean: not 8 checkpoints agreed"
pass "clean: 8 checkpoints agreed, no other"
# two renderings at once run as they come: more runs, other interleavings
for i in 1 2 3; do
    cp "$REG" "$WORK/again-$i.db"
    (cd "$WORK" && "$SCOPEREG" --jobs 2 -R again-$i.db verify >"$WORK/again-$i.txt" 2>&1) ||
        fail "verify --jobs 2, run $i, exits non-zero: $(tail -n 3 "$WORK/again-$i.txt")"
    sed "s/again-$i\.db/acme.db/" "$WORK/again-$i.txt" >"$WORK/again-$i.norm"
    expect_file_equal "$WORK/again-$i.norm" "$WORK/clean-1.txt" "verify --jobs 2, run $i: the same text"
done

echo "# (a) the name of '$A', live in every version, altered"
altered a "UPDATE item SET name = name || ' (altered)' WHERE id = '$A'"
both_ways 1 a
text_has a "item '$A' (row of version 1) was altered after commit"
for n in 1 2 3 4 5 6 7 8; do
    broken a $n "its document no longer matches the hash recorded at commit"
    broken a $n "item '$A' (row of version 1) was altered after commit"
done

echo "# (b) the attributes of PC-0000002's row of version 2 (live in no other) altered"
altered b "UPDATE item SET attrs = CAST(replace(CAST(attrs AS TEXT), 'middle', 'muddle') AS BLOB) WHERE rev = $BREV"
[ "$(sqlite3 "$WORK/b.db" "SELECT instr(CAST(attrs AS TEXT), 'muddle') > 0 FROM item WHERE rev = $BREV")" = 1 ] ||
    fail "the row of PC-0000002 of version 2 was not altered"
both_ways 1 b
text_has b "item 'PC-0000002' (row of version 2) was altered after commit"
broken b 2 "its document no longer matches the hash recorded at commit"
broken b 3 "its document no longer matches the hash recorded at commit" # its change line shows the row
broken b 4 "its link to version 3 does not hold"
cps_agreed b 1 5 6 7 8

echo "# (c) the services of SRV-0000011's row (its own, from version 4) swapped"
altered c "UPDATE item SET svc = 'backup' WHERE id = 'SRV-0000011' AND since = 4"
both_ways 1 c
for n in 4 5 6 7 8; do
    broken c $n "its document no longer matches the hash recorded at commit"
    broken c $n "item 'SRV-0000011' (row of version 4) was altered after commit"
done
cps_agreed c 1 2 3

echo "# (c') the services SRV-0000005 takes from its kind's default, from version 5, swapped"
altered c2 "UPDATE item SET svc = 'backup' WHERE id = 'SRV-0000005' AND since = 5"
both_ways 1 c2
for n in 5 6 7 8; do
    broken c2 $n "version $n: item 'SRV-0000005' records services 'backup' from its kind's default, but the default of server at this version is 'backup, monitoring'"
done
cps_agreed c2 1 2 3 4

echo "# (d) version 4's row unreadable (its date), (e) version 6's row gone"
altered d "UPDATE version SET date = 'yesterday' WHERE number = 4"
both_ways 1 d
broken d 4 "version 4: stored date 'yesterday' is malformed"
cps_agreed d 1 2 3 6 7 8
altered e "DELETE FROM version WHERE number = 6"
both_ways 1 e
broken e 6 "version 6 is missing from the register"
cps_agreed e 1 2 3 4 5 8

echo "# (f) the revisions of PC-0000002's rows of versions 1 and 2 swapped (no document shows one)"
R1=$(q "SELECT rev FROM item WHERE id = 'PC-0000002' AND since = 1")
altered f "UPDATE item SET rev = -1 WHERE rev = $R1;
    UPDATE item SET rev = $R1 WHERE rev = $BREV;
    UPDATE item SET rev = $BREV WHERE rev = -1;"
[ "$(sqlite3 "$WORK/f.db" "SELECT since FROM item WHERE rev IN ($R1, $BREV) ORDER BY rev = $R1")" = "$(printf '1\n2')" ] ||
    fail "the revisions were not swapped"
both_ways 0 f
cps_agreed f 1 2 3 4 5 6 7 8

echo "# (g) the item table re-declared with rev a plain column: every rev reads NULL, so no"
# revision names a row and the leaf memory must keep nothing (two rows of one
# id would otherwise pass for one)
altered g "PRAGMA writable_schema = ON;
    UPDATE sqlite_master SET sql = replace(sql, 'rev INTEGER PRIMARY KEY', 'rev INTEGER') WHERE name = 'item';
    PRAGMA writable_schema = OFF;"
[ "$(sqlite3 "$WORK/g.db" "SELECT count(rev) FROM item")" = 0 ] || fail "(g): the revisions still read"
both_ways 0 g
cps_agreed g 1 2 3 4 5 6 7 8

echo "# (h) a UTF-16 copy of a register whose modification row has op 'Ł': the changes query"
# must take it as C does (its first UTF-8 byte is no 'A' or 'R': a modification),
# as substr(op, 1, 1) did, though 'Ł' sorts between 'A' and 'B' in UTF-16
H="$WORK/h8.db"
REGSAVE=$REG
REG=$H
export SCOPEREG_NOW=2026-01-05T08:00:00Z
expect_ok init_reg H-1
sr_ok add PC-1 --kind workstation --name 'Poste 1'
sr_ok add PC-2 --kind workstation --name 'Poste 2'
sr_ok commit -m one --author a
export SCOPEREG_NOW=2026-02-05T08:00:00Z
sr_ok edit PC-2 --set notes=two
sr_ok commit -m two --author a
REG=$REGSAVE
{ echo "PRAGMA encoding = 'UTF-16le';"; sqlite3 "$H" .dump
  echo "PRAGMA application_id = $(sqlite3 "$H" 'PRAGMA application_id');"
  echo "PRAGMA user_version = $(sqlite3 "$H" 'PRAGMA user_version');"; } | sqlite3 "$WORK/h.db" ||
    fail "(h): cannot make the UTF-16 copy"
[ "$(sqlite3 "$WORK/h.db" 'PRAGMA encoding')" = UTF-16le ] || fail "(h): the copy is not UTF-16"
sqlite3 "$WORK/h.db" "PRAGMA ignore_check_constraints = ON;
    UPDATE item SET op = 'Ł' WHERE id = 'PC-2' AND since = 2" || fail "(h): cannot alter the copy"
export SCOPEREG_NOW=2026-09-01T00:00:00Z
for j in 1 2; do
    expect_ok "$SCOPEREG" --jobs $j -R "$WORK/h.db" show 2
    grep -q '^~ PC-2$' "$OUT_FILE" || fail "(h): show 2 does not show PC-2's row as a modification: $(head -c 400 "$OUT_FILE")"
done
both_ways 1 h
text_has h "item 'PC-2' (row of version 2) was altered after commit"
grep -q "no earlier row ends there" "$WORK/h-1.txt" && fail "(h): the row is read as an addition or removal"
pass "(h): a UTF-16 register's op 'Ł' is a modification for the query as for C, with one and two jobs"

echo "# the earlier releases' registers (tests/fixtures): 20 versions of scope-register/1"
for fixture in golden golden2; do
    FIX="$SCOPEREG_SOURCE/tests/fixtures/$fixture/register.db"
    [ -f "$FIX" ] || fail "the fixture $FIX is missing"
    cp "$FIX" "$WORK/$fixture.db"
    SCOPEREG_NOW=2026-01-01T00:00:00Z both_ways 0 "$fixture"
    text_has "$fixture" "20 versions re-render to the recorded hashes"
done

echo "# golden2 carried on: versions 1 to 20 scope-register/1, 21 to 23 scope-register/2"
# The parties' keys replaced by ours at 21 (agreed only with the old keys,
# which the fixture does not hold), 22 and 23 agreed and checkpointed:
# each is rendered on a handle whose last rendering may be a /1 version,
# whose leaf hashes must not be taken for /2 blocks.
REG="$WORK/upgraded.db"
cp "$WORK/golden2.db" "$REG"
export SCOPEREG_NOW=2026-01-01T00:00:00Z
sr_ok rekey --role provider --key "$PKEY"
sr_ok rekey --role client --key "$CKEY"
sr_ok service add backup --name Backup
sr_ok coverage --kind server --service backup
sr_ok edit PC-001 --set notes=upgraded
sr_ok commit -m 'v21: our keys, services' --author golden
export SCOPEREG_NOW=2026-01-02T00:00:00Z
sr_ok add WS-21 --kind workstation --name 'Poste 21'
sr_ok commit -m 'v22' --author golden
export SCOPEREG_NOW=2026-01-03T00:00:00Z
sr_ok edit FW-01 --set notes='checked'
sr_ok commit -m 'v23' --author golden
for n in 21 22 23; do
    signed $n 2026-01-04T00:00:00Z
done
[ "$(sr show 20 | head -n 1)/$(sr show 21 | head -n 1)" = "scope-register/1/scope-register/2" ] ||
    fail "versions 20 and 21 are not scope-register/1 and /2"
export SCOPEREG_NOW=2026-01-05T00:00:00Z
both_ways 0 upgraded
text_has upgraded "23 versions re-render to the recorded hashes"
cps_agreed upgraded 22 23
# FW-01 (live from 7 on, one row until 23) renamed: /1 and /2 documents
ID=$(sqlite3 "$REG" "SELECT id || ':' || since FROM item WHERE id = 'FW-01' AND until = 23")
[ "$ID" = "FW-01:7" ] || fail "FW-01 has no row from version 7 to 22 (got '$ID')"
cp "$REG" "$WORK/upgraded-a.db"
sqlite3 "$WORK/upgraded-a.db" "UPDATE item SET name = name || ' x' WHERE id = 'FW-01' AND since = 7" ||
    fail "sqlite3 could not alter the copy"
both_ways 1 upgraded-a
text_has upgraded-a "item 'FW-01' (row of version 7) was altered after commit"
for n in 7 20 21 22; do
    broken upgraded-a $n "its document no longer matches the hash recorded at commit"
done

# The time is a figure for people, not a verdict: speed is the benchmark's
# (tests/bench/run.sh), and a loaded machine must not fail this test.
echo "# the whole test took $(($(now_ms) - T0)) ms"
done_checks
