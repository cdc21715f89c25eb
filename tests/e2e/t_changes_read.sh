#!/usr/bin/env bash
# t_changes_read.sh - the changes section of a version is read in one
# pass over the rows that begin at it, each row's op read by its first
# byte ('A' an addition, 'R' a removal, anything else a modification), and
# for each modification the row(s) it ends looked up by themselves (same
# id, until = the version, op not 'R'). The documents must be those of
# the join the section was first read with, whatever a stored op holds:
# the text 'A' or 'R' and anything starting with them read as an addition
# or a removal, a blob or a number as a modification (the first byte of
# its text decides the line, as before). Each altered copy is rendered by
# show and judged by verify, and the document of an intact version never
# changes with the way it was read. A column holding another type than
# commit writes, with the same bytes (so the same digest and document), is
# an alteration too: sign and the look-ups by op or id would read another
# value than verify.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "the sqlite3 shell is not installed"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
sr_ok add PC-001 --kind workstation --name 'Poste accueil' --set serial=S1
sr_ok add PC-002 --kind workstation --name 'Poste compta' --set serial=S2
sr_ok add SRV-01 --kind server --name 'Serveur fichiers'
sr_ok commit -m 'first scope'
export SCOPEREG_NOW=2026-02-01T08:00:00Z
sr_ok edit PC-001 --name 'Poste réception'
sr_ok remove PC-002 --reason 'sold'
sr_ok add PC-003 --kind workstation --name 'Poste direction'
sr_ok commit -m 'second scope'
export SCOPEREG_NOW=2026-03-01T08:00:00Z
sr_ok add PC-004 --kind workstation --name 'Poste atelier'
sr_ok add PC-005 --kind workstation --name 'Poste stock'
sr_ok commit -m 'two more'

for n in 1 2 3; do
    sr show "$n" >"$WORK/v$n.scope" || fail "show $n of the intact register"
done
expect_ok sr verify
grep -qx '+ PC-001' "$WORK/v1.scope" || fail "version 1 does not add PC-001: $(head -n 20 "$WORK/v1.scope")"
grep -q 'name: "Poste accueil" -> "Poste réception"' "$WORK/v2.scope" ||
    fail "version 2 does not show the modification of PC-001: $(grep -n PC-001 "$WORK/v2.scope")"
pass "versions of additions only (1, 3) and with a modification (2) render"

# copy NAME SQL: the register altered by SQL, in $WORK/NAME.db
copy() {
    cp "$REG" "$WORK/$1.db"
    sqlite3 "$WORK/$1.db" "PRAGMA ignore_check_constraints = ON; $2" ||
        fail "sqlite3 could not alter the copy $1"
}

echo "# an op starting with A, in a version of additions only: still an addition"
copy ax "UPDATE item SET op = 'Ax' WHERE id = 'PC-002' AND since = 1"
expect_ok "$SCOPEREG" -R "$WORK/ax.db" show 1
"$SCOPEREG" -R "$WORK/ax.db" show 1 >"$WORK/ax1.scope"
expect_file_equal "$WORK/ax1.scope" "$WORK/v1.scope" "version 1 with op 'Ax' renders as with 'A'"
expect_exit 1 "$SCOPEREG" -R "$WORK/ax.db" verify
expect_stdout_contains "item 'PC-002' (row of version 1) was altered after commit"

echo "# a blob op 'A': an addition for the line, as the join read it"
copy blob "UPDATE item SET op = CAST('A' AS BLOB) WHERE id = 'PC-001' AND since = 1"
"$SCOPEREG" -R "$WORK/blob.db" show 1 >"$WORK/blob1.scope" || fail "show 1 of the blob copy"
expect_file_equal "$WORK/blob1.scope" "$WORK/v1.scope" "version 1 with a blob op renders as with 'A'"
# the same bytes, so the same digest and document; but sign and the other
# commands that compare op with 'A' see another value: an alteration
expect_exit 1 "$SCOPEREG" -R "$WORK/blob.db" verify
expect_stdout_contains "version 1: BROKEN: item 'PC-001' (row of version 1) was altered after commit"
SCOPEREG_NOW=2026-03-02T08:00:00Z expect_exit 1 "$SCOPEREG" -R "$WORK/blob.db" sign 1 --key "$K/provider.key"
expect_stderr_contains "refusing to sign"

echo "# a value of another type than commit writes, its bytes and digest unchanged: altered"
for change in "id = CAST(id AS BLOB)" "kind = CAST(kind AS BLOB)" "name = CAST(name AS BLOB)" \
    "attrs = CAST(attrs AS TEXT)" "digest = CAST(digest AS BLOB)"; do
    copy typed "UPDATE item SET $change WHERE id = 'PC-003' AND since = 2"
    expect_exit 1 "$SCOPEREG" -R "$WORK/typed.db" verify
    expect_stdout_contains "version 2: BROKEN: "
    expect_stdout_contains "item 'PC-003' (row of version 2) was altered after commit"
    rm -f "$WORK/typed.db"
done
copy typed "UPDATE item SET digest = digest || char(0) || 'tail' WHERE id = 'PC-003' AND since = 2"
expect_exit 1 "$SCOPEREG" -R "$WORK/typed.db" verify
expect_stdout_contains "item 'PC-003' (row of version 2) was altered after commit"
rm -f "$WORK/typed.db"
copy typed "UPDATE item SET reason = CAST(reason AS BLOB) WHERE id = 'PC-002' AND since = 2"
expect_exit 1 "$SCOPEREG" -R "$WORK/typed.db" verify
expect_stdout_contains "item 'PC-002' (row of version 2) was altered after commit"

echo "# a number as op in a version of additions: a modification that ends no row"
copy num "UPDATE item SET op = 65 WHERE id = 'SRV-01' AND since = 1"
expect_exit 1 "$SCOPEREG" -R "$WORK/num.db" verify
expect_stdout_contains "item 'SRV-01': modified at version 1 but no earlier row ends there"

echo "# an op starting with R, in a version with a modification: still a removal"
copy rz "UPDATE item SET op = 'Rz' WHERE id = 'PC-002' AND since = 2"
"$SCOPEREG" -R "$WORK/rz.db" show 2 >"$WORK/rz2.scope" || fail "show 2 of the 'Rz' copy"
expect_file_equal "$WORK/rz2.scope" "$WORK/v2.scope" "version 2 with op 'Rz' renders as with 'R'"
expect_exit 1 "$SCOPEREG" -R "$WORK/rz.db" verify
expect_stdout_contains "item 'PC-002' (row of version 2) was altered after commit"

echo "# a removal alone in a version: its reason kept"
copy rm "UPDATE item SET op = 'R', until = 3, reason = 'gone' WHERE id = 'PC-005' AND since = 3"
"$SCOPEREG" -R "$WORK/rm.db" show 3 >"$WORK/rm3.scope" || fail "show 3 of the removal copy"
grep -q 'PC-005' "$WORK/rm3.scope" && grep -q 'gone' "$WORK/rm3.scope" ||
    fail "the removal of PC-005 and its reason are not in version 3: $(grep -n PC-005 "$WORK/rm3.scope")"
pass "a removal in a version without modification keeps its reason"

echo "# a modification that ends two rows (one forged beside it): a change line for each, and altered"
copy twice "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)
    SELECT id, since, until, op, kind, name || ' bis', attrs, reason, digest FROM item
    WHERE id = 'PC-001' AND until = 2"
"$SCOPEREG" -R "$WORK/twice.db" show 2 >"$WORK/twice2.scope" || fail "show 2 of the copy with two ended rows"
[ "$(grep -c '^~ PC-001$' "$WORK/twice2.scope")" -eq 2 ] ||
    fail "version 2 does not show two modifications of PC-001: $(grep -n PC-001 "$WORK/twice2.scope")"
grep -q 'name: "Poste accueil bis" -> "Poste réception"' "$WORK/twice2.scope" ||
    fail "the forged ended row is not compared: $(grep -n -A2 PC-001 "$WORK/twice2.scope")"
expect_exit 1 "$SCOPEREG" -R "$WORK/twice.db" verify
expect_stdout_contains "version 2: BROKEN"
pass "each ended row gives its line, and the copy is refused"

echo "# a modification whose only ended row is a removal: no earlier row ends there"
copy endr "UPDATE item SET op = 'R', reason = 'x' WHERE id = 'PC-001' AND until = 2"
expect_exit 1 "$SCOPEREG" -R "$WORK/endr.db" show 2
expect_stderr_contains "item 'PC-001': modified at version 2 but no earlier row ends there"

echo "# a blob op 'R' on a removal: the removal's line once, as intact; the row altered"
# (the join read it twice: the removal row ends at its own version, and a
# blob is not the text 'R', so it took itself for the row it ends)
copy blobr "UPDATE item SET op = CAST('R' AS BLOB) WHERE id = 'PC-002' AND since = 2"
"$SCOPEREG" -R "$WORK/blobr.db" show 2 >"$WORK/blobr2.scope" || fail "show 2 of the blob 'R' copy"
expect_file_equal "$WORK/blobr2.scope" "$WORK/v2.scope" "version 2 with a blob op 'R' renders as with 'R'"
expect_exit 1 "$SCOPEREG" -R "$WORK/blobr.db" verify
expect_stdout_contains "version 2: BROKEN: item 'PC-002' (row of version 2) was altered after commit"

echo "# a change row without id (its NOT NULL dropped from the schema): refused, no crash"
# Regression: an addition or removal row whose id is NULL crashed show and
# verify (a NULL string formatted as the change's id).
for which in "PC-002' AND since = 2" "PC-004' AND since = 3"; do
    cp "$REG" "$WORK/noid.db"
    sqlite3 "$WORK/noid.db" "PRAGMA writable_schema = ON;
        UPDATE sqlite_schema SET sql = replace(sql, 'id TEXT NOT NULL,  since', 'id TEXT,  since')
        WHERE name = 'item';" || fail "sqlite3 could not drop NOT NULL from the copy"
    sqlite3 "$WORK/noid.db" "UPDATE item SET id = NULL WHERE id = '$which" ||
        fail "sqlite3 could not set an id to NULL"
    n=${which##*since = }
    run "$SCOPEREG" -R "$WORK/noid.db" show "$n"
    [ "$RC" -eq 1 ] || fail "show $n of a change row without id: exit $RC, expected 1: $ERR"
    expect_stderr_contains "version $n: a change row has no id"
    expect_exit 1 "$SCOPEREG" -R "$WORK/noid.db" verify
    expect_stdout_contains "version $n: BROKEN"
    rm -f "$WORK/noid.db"
done

echo "# an item table whose rowid is not its rows' own: the changes read as before"
# A modification's fields are read again by rowid; a column named rowid (it
# hides the rowid, and may repeat) or a table WITHOUT ROWID makes the rendering
# read every row's fields in its changes query instead: the same documents, and
# no other row's fields under a modification's id.
cp "$REG" "$WORK/rowid.db"
sqlite3 "$WORK/rowid.db" "ALTER TABLE item ADD COLUMN rowid INTEGER; UPDATE item SET rowid = 1;" ||
    fail "sqlite3 could not declare the column"
cp "$REG" "$WORK/norowid.db"
cols=$(sqlite3 "$REG" "SELECT group_concat(name, ', ') FROM pragma_table_info('item')")
sqlite3 "$WORK/norowid.db" "PRAGMA foreign_keys = OFF; BEGIN;
    CREATE TABLE item2(rev INTEGER PRIMARY KEY, id TEXT NOT NULL, since INTEGER NOT NULL,
        until INTEGER, op TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, attrs BLOB NOT NULL,
        reason TEXT, digest TEXT NOT NULL, svc TEXT, sla TEXT, own INTEGER) WITHOUT ROWID;
    INSERT INTO item2($cols) SELECT $cols FROM item; DROP TABLE item;
    ALTER TABLE item2 RENAME TO item;
    CREATE INDEX item_by_id ON item(id, since); CREATE INDEX item_by_version ON item(since, id);
    COMMIT;" || fail "sqlite3 could not rebuild the table WITHOUT ROWID"
for db in rowid norowid; do
    for n in 1 2 3; do
        "$SCOPEREG" -R "$WORK/$db.db" show "$n" >"$WORK/$db$n.scope" || fail "show $n of the $db copy"
        expect_file_equal "$WORK/$db$n.scope" "$WORK/v$n.scope" "$db: version $n renders as intact"
    done
done
expect_ok "$SCOPEREG" -R "$WORK/rowid.db" verify

echo "# term rows: another type than commit writes, the same bytes: altered"
export SCOPEREG_NOW=2026-04-01T08:00:00Z
sr_ok service add backup --name 'Sauvegarde' --description 'Sauvegarde quotidienne'
sr_ok commit -m 'a service'
sr show 4 >"$WORK/v4.scope" || fail "show 4 of the intact register"
expect_ok sr verify
for change in "type = CAST(type AS BLOB)" "id = CAST(id AS BLOB)" "op = CAST(op AS BLOB)" \
    "body = CAST(body AS TEXT)" "digest = CAST(digest AS BLOB)" \
    "digest = digest || char(0) || 'tail'"; do
    copy term "UPDATE term SET $change WHERE id = 'backup'"
    expect_exit 1 "$SCOPEREG" -R "$WORK/term.db" verify
    expect_stdout_contains "version 4: BROKEN: "
    expect_stdout_contains "service 'backup' (row of version 4) was altered after commit"
    rm -f "$WORK/term.db"
done

echo "# the intact register: the same documents after every copy was read"
for n in 1 2 3; do
    sr show "$n" >"$WORK/again$n.scope" || fail "show $n again"
    expect_file_equal "$WORK/again$n.scope" "$WORK/v$n.scope" "version $n re-renders to the same bytes"
done
expect_ok sr verify
done_checks
