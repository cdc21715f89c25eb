#!/usr/bin/env bash
# t_tamper.sh - edits made behind the tool's back with the sqlite3 shell
# (an item's value, id or kind, an item row deleted or added, a version's
# message, date or hash, a version deleted, the contract or a party) make
# 'scopereg verify' exit 1 and name the version that no longer holds.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties

echo "# a register with two versions"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
init_reg_ok ACME-2026-01
sr_ok add PC-01 --kind poste --name 'Poste compta' --set serial=SN-001
sr_ok add SRV-01 --kind serveur --name 'File server' --set ip=10.0.0.5
sr_ok add FW-01 --kind pare-feu
sr_ok add VPN-ACME --kind 'accès VPN'
sr_ok commit -m 'Initial inventory' --author 'J. Muller'
export SCOPEREG_NOW="2026-02-01T10:00:00Z"
sr_ok edit SRV-01 --set ip=10.0.0.6
sr_ok remove FW-01 --reason 'replaced'
sr_ok add FW-02 --kind firewall --name 'Edge firewall'
sr_ok commit -m 'Q1' --author jm
expect_ok "$SCOPEREG" -R "$REG" verify
expect_stdout_contains "version 1: pending (no signature yet)"
expect_stdout_contains "version 2: pending (no signature yet)"
ORIG=$(sha_of "$REG")

if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "SKIP: the sqlite3 shell is absent: the tamper cases cannot run (apt-get install sqlite3)"
    exit 77
fi

N=0
# tampered WHAT SQL BROKEN_VERSIONS [OK_VERSIONS] [WORD]: on a copy, SQL
# changes at least one row; verify exits 1, prints "version N: BROKEN" for
# each broken version, "version N: pending" for each intact (unsigned) one, and WORD.
tampered() {
    local what=$1 sql=$2 broken=$3 intact=${4:-} word=${5:-} v copy changes
    N=$((N + 1))
    copy="$WORK/tampered-$N.db"
    cp "$REG" "$copy"
    echo "# $what"
    changes=$(sqlite3 "$copy" "$sql; SELECT changes();" 2>&1) ||
        fail "sqlite3 could not run '$sql': $changes"
    [ "${changes##*$'\n'}" -ge 1 ] 2>/dev/null || fail "'$sql' changed no row ($changes)"
    [ "$(sha_of "$copy")" != "$ORIG" ] || fail "'$sql' left the file unchanged"
    expect_exit 1 "$SCOPEREG" -R "$copy" verify
    for v in $broken; do
        expect_stdout_contains "version $v: BROKEN"
    done
    for v in $intact; do
        expect_stdout_contains "version $v: pending"
    done
    [ -z "$word" ] || expect_output_contains "$word"
    expect_stderr_contains "does not hold"
}

tampered "an item value of version 2" \
    "UPDATE item SET attrs = CAST(replace(CAST(attrs AS TEXT), '10.0.0.6', '10.0.0.9') AS BLOB) WHERE id = 'SRV-01' AND since = 2" \
    2 1 "SRV-01"
tampered "an item value of version 1" \
    "UPDATE item SET attrs = CAST(replace(CAST(attrs AS TEXT), 'SN-001', 'SN-002') AS BLOB) WHERE id = 'PC-01'" \
    "1 2" "" "PC-01"
tampered "an item name" \
    "UPDATE item SET name = 'Firewall' WHERE id = 'FW-02'" 2 1 "FW-02"
tampered "an item id" \
    "UPDATE item SET id = 'SRV-99' WHERE id = 'SRV-01' AND since = 2" 2 1 "SRV-99"
tampered "an item kind" \
    "UPDATE item SET kind = 'printer' WHERE id = 'FW-02'" 2 1 "FW-02"
tampered "an item kind set to a non-kind" \
    "UPDATE item SET kind = 'toaster' WHERE id = 'VPN-ACME'" "1 2"
tampered "a removal reason" \
    "UPDATE item SET reason = 'stolen' WHERE id = 'FW-01' AND op = 'R'" 2 1
tampered "an item row deleted" \
    "DELETE FROM item WHERE id = 'VPN-ACME'" "1 2"
tampered "an item row added" \
    "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest) SELECT 'PC-99', since, until, op, kind, name, attrs, reason, digest FROM item WHERE id = 'FW-02'" \
    2 1
tampered "an item row moved to another version" \
    "UPDATE item SET since = 1 WHERE id = 'FW-02'" "1 2"
tampered "a control character put in a stored value" \
    "UPDATE item SET name = 'Poste' || char(1) WHERE id = 'PC-01'" "1 2"
tampered "the message of version 2" \
    "UPDATE version SET message = 'Q1 (amended)' WHERE number = 2" 2 1
tampered "the message of version 1" \
    "UPDATE version SET message = 'Initial' WHERE number = 1" "1 2" "" "link to version 1"
tampered "the date of version 2" \
    "UPDATE version SET date = '2026-02-02T10:00:00Z' WHERE number = 2" 2 1
tampered "the date of version 1" \
    "UPDATE version SET date = '2026-01-09T09:00:00Z' WHERE number = 1" "1 2"
tampered "a malformed date" \
    "UPDATE version SET date = 'yesterday' WHERE number = 2" 2 1
tampered "the author of version 2" \
    "UPDATE version SET author = 'someone' WHERE number = 2" 2 1
tampered "the stored hash of version 2" \
    "UPDATE version SET hash = 'blake2b-256:' || hex(randomblob(32)) WHERE number = 2" 2 1
tampered "the item count of version 1" \
    "UPDATE version SET items = 5 WHERE number = 1" "1 2"
tampered "the contract reference" \
    "UPDATE meta SET value = 'ACME-2026-02' WHERE key = 'contract'" "1 2"
tampered "the register id" \
    "UPDATE meta SET value = '00000000000000000000000000000000' WHERE key = 'register'" "1 2"
tampered "the client's name" \
    "UPDATE party SET name = 'ACME Holding SA' WHERE role = 'client'" "1 2"
tampered "the provider's key" \
    "UPDATE party_key SET public_key = (SELECT public_key FROM party_key WHERE role = 'client') WHERE role = 'provider'" \
    "1 2"
tampered "version 1 deleted" \
    "DELETE FROM version WHERE number = 1" 1 "" "missing"
tampered "version 2 deleted" \
    "DELETE FROM version WHERE number = 2" 2

tampered "an item name given a NUL byte and a hidden tail (its digest and every document stop at the NUL)" \
    "UPDATE item SET name = name || X'00' || 'hidden' WHERE id = 'PC-01'" "1 2" "" \
    "item 'PC-01' (row of version 1) was altered after commit"

# nulled COPY TABLE "COLS" SQL: a copy of the register whose TABLE no
# longer says NOT NULL for COLS (writable_schema), then SQL run on it, which
# must change one row
nulled() {
    local copy=$1 table=$2 cols=$3 sql=$4 c ddl="sql"
    cp "$REG" "$copy"
    for c in $cols; do
        ddl="replace($ddl, '$c TEXT NOT NULL', '$c TEXT')"
    done
    sqlite3 "$copy" "PRAGMA writable_schema = ON;
        UPDATE sqlite_master SET sql = $ddl WHERE name = '$table';
        PRAGMA writable_schema = OFF;" || fail "sqlite3 could not rewrite the schema of $copy"
    sqlite3 "$copy" "$sql; SELECT changes();" >"$WORK/null.out" 2>&1 ||
        fail "sqlite3 could not run '$sql': $(cat "$WORK/null.out")"
    [ "$(cat "$WORK/null.out")" = 1 ] || fail "'$sql' changed $(cat "$WORK/null.out") rows, not 1"
}

# broken_both COPY [TEXT...]: verify of COPY exits 1 with one and two jobs,
# version 2 BROKEN, version 1 pending, each TEXT in its output
broken_both() {
    local copy=$1 j t
    shift
    for j in 1 2; do
        expect_exit 1 "$SCOPEREG" --jobs $j -R "$copy" verify
        expect_stdout_contains "version 2: BROKEN"
        expect_stdout_contains "version 1: pending"
        expect_stderr_contains "does not hold"
        for t in "$@"; do
            expect_stdout_contains "$t"
        done
    done
}

echo "# NULL where the schema says NOT NULL (the schema rewritten first): verify says so, no crash"
for col in op id; do
    copy="$WORK/null-$col.db"
    nulled "$copy" item "$col" "UPDATE item SET $col = NULL WHERE id = 'SRV-01' AND since = 2"
    broken_both "$copy"
    "$SCOPEREG" -R "$copy" show 2 >"$WORK/null-show.out" 2>&1
    rc=$?
    [ "$rc" -le 1 ] || fail "show 2 with a NULL $col exits $rc: $(tail -n 2 "$WORK/null-show.out")"
    pass "show 2 with a NULL $col: exit $rc, no crash"
done

echo "# a version row's author and previous hash NULL (NOT NULL dropped first): read as empty"
copy="$WORK/null-version.db"
nulled "$copy" version "author previous" "UPDATE version SET author = NULL, previous = NULL WHERE number = 2"
broken_both "$copy" "its document no longer matches the hash recorded at commit"

echo "# the original register still holds"
expect_ok "$SCOPEREG" -R "$REG" verify
expect_same_sha "$REG" "$ORIG" "verify of the copies"

done_checks
