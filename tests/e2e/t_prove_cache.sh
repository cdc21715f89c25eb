#!/usr/bin/env bash
# t_prove_cache.sh - the leaf cache (table leaf_cache) that sign fills and
# prove reads: it is not evidence. On a register of 400 items and 3
# versions: sign fills one row per item revision; prove writes the same
# folder, byte for byte, with the cache, after DELETE FROM leaf_cache,
# without the table and with SCOPEREG_JOBS=1; a cached hash changed with
# sqlite3 (the item asked about, a neighbour, another item) still gives
# that folder, which verify --proof accepts; the cache is used (prove
# answers from it when another item's rows no longer render); prove, a
# read-only command, never creates the table; verify is not affected.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v minisign >/dev/null 2>&1 || skip "minisign is absent"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is absent"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-LEAF
fleet() {
    awk -v v="$1" 'BEGIN {
        print "Asset Tag,Type,Nom,Serial"
        for (i = 0; i < 400 + 10 * (v - 1); i++) {
            if (v >= 3 && i % 50 == 7) continue
            rev = (i % 31 == 5 && v >= 2) ? v : 1
            printf "PC-%05d,%s,Poste-%05d-r%d,SN%07d\n", 2 * i, (i % 5 ? "poste" : "serveur"), 2 * i, rev, i
        }
    }'
}
for v in 1 2 3; do
    fleet $v >"$WORK/fleet-v$v.csv"
    sync=; [ $v -gt 1 ] && sync="--sync --reason retired"
    # shellcheck disable=SC2086
    SCOPEREG_NOW=2026-0$v-01T09:00:00Z sr_ok import "$WORK/fleet-v$v.csv" --source fleet \
        $sync --commit -m "v$v" --author jm
    SCOPEREG_NOW=2026-0$v-02T09:00:00Z sr_ok sign $v --key "$K/provider.key"
    SCOPEREG_NOW=2026-0$v-03T09:00:00Z sr_ok sign $v --key "$K/client.key"
done
export SCOPEREG_NOW=2026-06-01T09:00:00Z
expect_ok sr verify

# one row per item revision in scope at some version, each a 32-byte hash
want=$(sqlite3 "$REG" "SELECT count(DISTINCT i.rev) FROM item i, version v WHERE i.since <= v.number AND (i.until IS NULL OR i.until > v.number)")
got=$(sqlite3 "$REG" "SELECT count(*) FROM leaf_cache WHERE length(hash) = 32")
[ "$want" -gt 400 ] && [ "$got" = "$want" ] || fail "leaf_cache: $got rows, $want revisions"
pass "sign filled leaf_cache: $got rows, one per item revision"

# on DB CMD...: scopereg on DB (any exit, for expect_exit and run).
on() {
    local db=$1
    shift
    "$SCOPEREG" -R "$db" "$@"
}
tree_sha() {
    (cd "$1" && find . -printf '%p %y\n' | LC_ALL=C sort &&
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-64
}
# prove_in REG DIR ID DATE CODE: prove on REG, exit CODE, folder into DIR.
prove_in() {
    rm -rf "$2"
    expect_exit "$5" on "$1" prove "$3" --at "$4" -o "$2"
}
# cases: present at v3, modified at v2, absent between two, before the first, after the last
CASES="PC-00010@2026-03-15@0 PC-00072@2026-02-15@0 PC-00011@2026-03-15@1 PC-00000-@2026-03-15@1 PC-99999@2026-01-15@1 PC-00014@2026-03-15@1"
cp "$REG" "$WORK/nocache.reg"
sqlite3 "$WORK/nocache.reg" "DELETE FROM leaf_cache"
cp "$REG" "$WORK/notable.reg"
sqlite3 "$WORK/notable.reg" "DROP TABLE leaf_cache"
n=0
for c in $CASES; do
    id=${c%%@*}; rest=${c#*@}; at=${rest%@*}; code=${rest#*@}
    n=$((n + 1))
    prove_in "$REG" "$WORK/c$n" "$id" "$at" "$code"
    expect_exit "$code" "$SCOPEREG" verify --proof "$WORK/c$n"
    ref=$(tree_sha "$WORK/c$n")
    prove_in "$WORK/nocache.reg" "$WORK/d$n" "$id" "$at" "$code"
    [ "$(tree_sha "$WORK/d$n")" = "$ref" ] || fail "$id at $at: the folder without cache rows differs"
    prove_in "$WORK/notable.reg" "$WORK/t$n" "$id" "$at" "$code"
    [ "$(tree_sha "$WORK/t$n")" = "$ref" ] || fail "$id at $at: the folder without the table differs"
    rm -rf "$WORK/j$n"
    SCOPEREG_JOBS=1 expect_exit "$code" sr prove "$id" --at "$at" -o "$WORK/j$n"
    [ "$(tree_sha "$WORK/j$n")" = "$ref" ] || fail "$id at $at: the folder with SCOPEREG_JOBS=1 differs"
    pass "$id at $at: the same folder with the cache, without its rows, without the table, with one job (exit $code)"
done
[ "$(sqlite3 "$WORK/notable.reg" "SELECT count(*) FROM sqlite_master WHERE name = 'leaf_cache'")" = 0 ] ||
    fail "prove created the table leaf_cache"
pass "prove, read-only, does not create leaf_cache"

# A cached hash changed behind the tool's back costs a rendering, never a
# wrong proof: the item asked about, the neighbour of an absent id, another item.
for tamper in PC-00010 PC-00012 PC-00300; do
    cp "$REG" "$WORK/t.reg"
    sqlite3 "$WORK/t.reg" "UPDATE leaf_cache SET hash = zeroblob(32) WHERE rev = (SELECT rev FROM item WHERE id = '$tamper' AND until IS NULL)"
    [ "$(sqlite3 "$WORK/t.reg" "SELECT count(*) FROM leaf_cache WHERE hash = zeroblob(32)")" = 1 ] ||
        fail "no cached hash of $tamper changed"
    prove_in "$WORK/t.reg" "$WORK/x" PC-00010 2026-03-15 0
    [ "$(tree_sha "$WORK/x")" = "$(tree_sha "$WORK/c1")" ] || fail "cached hash of $tamper changed: a different folder"
    expect_ok "$SCOPEREG" verify --proof "$WORK/x"
    prove_in "$WORK/t.reg" "$WORK/y" PC-00011 2026-03-15 1
    [ "$(tree_sha "$WORK/y")" = "$(tree_sha "$WORK/c3")" ] || fail "cached hash of $tamper changed: a different absence folder"
    expect_exit 1 "$SCOPEREG" verify --proof "$WORK/y"
    expect_ok on "$WORK/t.reg" verify
    pass "cached hash of $tamper changed: prove gives the same valid folders, verify still passes"
done
# a row removed for one item: the rendering
cp "$REG" "$WORK/t.reg"
sqlite3 "$WORK/t.reg" "DELETE FROM leaf_cache WHERE rev = (SELECT rev FROM item WHERE id = 'PC-00300' AND until IS NULL)"
prove_in "$WORK/t.reg" "$WORK/x" PC-00010 2026-03-15 0
[ "$(tree_sha "$WORK/x")" = "$(tree_sha "$WORK/c1")" ] || fail "one cache row missing: a different folder"
pass "one cache row missing: prove renders and gives the same folder"

# The cache is used: another item's stored attributes made unreadable
# (verify and a rendering refuse them), prove of PC-00010 still answers
# from the cache, with the same folder; without the cache it cannot.
cp "$REG" "$WORK/u.reg"
sqlite3 "$WORK/u.reg" "UPDATE item SET attrs = X'41' WHERE id = 'PC-00300' AND until IS NULL"
prove_in "$WORK/u.reg" "$WORK/x" PC-00010 2026-03-15 0
[ "$(tree_sha "$WORK/x")" = "$(tree_sha "$WORK/c1")" ] || fail "prove from the cache: a different folder"
pass "prove answers from the cache, rendering only the item it shows"
sqlite3 "$WORK/u.reg" "DELETE FROM leaf_cache"
rm -rf "$WORK/x"
run on "$WORK/u.reg" prove PC-00010 --at 2026-03-15 -o "$WORK/x"
[ "$RC" -ne 0 ] || fail "prove without the cache rendered an unreadable row"
pass "without the cache prove renders the version and refuses the unreadable row (exit $RC)"
expect_ok sr verify
done_checks
