#!/usr/bin/env bash
# t_integrity_review_register.sh - the register side of the review of the
# integrity work (issue 10). Each finding is reproduced the way the review
# made it (the sqlite3 shell on the register, stock minisign for hand-made
# signatures) and must end in a refusal or a BROKEN verdict with its exit
# code, a message naming the version, item or field, and nothing written:
#  F1. commit checks every staged row again: a CR in a name, a kind that is
#      none, an empty id, a line feed as id, invalid UTF-8, an invisible id,
#      a control character in an attribute.
#  F9. a removal reason is a value: refused at staging and at commit; a
#      stored one with ESC or CR makes its version BROKEN in verify.
#  F4. a version dated before the one it follows: verify BROKEN, and sign,
#      at, history and evidence refuse, naming both dates.
#  F6, F5. rows naming a version the register does not hold (2^63-1, 0,
#      -3, a BLOB, a key row of no party): verify reports them in one line
#      with their count, in well under a second; at, evidence and commit
#      refuse a version table that is not 1..N.
#  F7. new ids hold no invisible character, no space but U+0020 and start
#      with no combining mark: add, edit and import refuse them naming the
#      character as U+XXXX and its position; a register made before that
#      holds one keeps verifying.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "the sqlite3 shell is not installed"
command -v minisign >/dev/null 2>&1 || skip "stock minisign is not installed"
command -v b2sum >/dev/null 2>&1 || skip "b2sum is not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

parties
ATTACKS=0
MAX=9223372036854775807

# ---- helpers ----

attack() {
    ATTACKS=$((ATTACKS + 1))
    echo "# attack $ATTACKS: $1"
}
# fresh NAME: a copy of the base register, in $REG and printed.
fresh() {
    cp "$BASE" "$WORK/$1.db"
    REG="$WORK/$1.db"
}
q() { sqlite3 "$REG" "$1" || fail "sqlite3: $1"; }
# fix_hash N: record the hash of what version N of $REG now renders to.
fix_hash() {
    local h
    h=$(sr show "$1" | b2sum -l 256 | cut -d' ' -f1)
    q "UPDATE version SET hash = 'blake2b-256:$h' WHERE number = $1"
}
# redigest: every item row's digest as commit computes it (BLAKE2b-256 of
# the length-prefixed fields, first 16 bytes): what a hand edit made by
# someone who knows the format, or an older release, leaves behind.
redigest() {
    python3 - "$REG" <<'EOF' || fail "python3: redigest"
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
db.text_factory = bytes
rows = db.execute("SELECT rev, id, since, op, kind, name, attrs, reason FROM item").fetchall()
for rev, id_, since, op, kind, name, attrs, reason in rows:
    h = hashlib.blake2b(digest_size=32)
    for i, x in enumerate([id_, str(since).encode(), op, kind, name, reason or b""]):
        h.update(struct.pack("<Q", len(x))); h.update(x)
        if i == 4:
            h.update(struct.pack("<Q", len(attrs))); h.update(attrs)
    h.update(struct.pack("<Q", 1 if reason is not None else 0))
    db.execute("UPDATE item SET digest = ? WHERE rev = ?", (h.hexdigest()[:32], rev))
db.commit()
EOF
}
# sign_by_hand N DATE_P DATE_C: both parties sign what version N of $REG
# renders to now, with stock minisign; the rows are stored by hand.
sign_by_hand() {
    local n=$1 h role date who
    sr show "$n" >"$WORK/hand.scope"
    h=$(b2_of "$WORK/hand.scope")
    for role in provider client; do
        if [ $role = provider ]; then date=$2 who=provider; else date=$3 who=client; fi
        minisign -S -s "$K/$who.key" -m "$WORK/hand.scope" -x "$WORK/hand.minisig" \
            -t "scopereg register:$RID version:$n role:$role document:$h signed:$date" \
            </dev/null >/dev/null 2>&1 || fail "minisign -S ($role)"
        q "INSERT INTO signature(version, role, key_id, signed_at, minisig) VALUES ($n,
           '$role', '$(key_id "$K/$who.pub")', '$date',
           CAST(readfile('$WORK/hand.minisig') AS TEXT))"
    done
}
# broken N WHAT...: verify of $REG exits 1, its "version N: BROKEN" line
# names every WHAT, and the register is unchanged.
broken() {
    local n=$1 sha line w
    shift
    sha=$(sha_of "$REG")
    expect_exit 1 sr verify
    line=$(grep "^version $n: BROKEN" "$OUT_FILE") || fail "no 'version $n: BROKEN' line"
    for w in "$@"; do
        case "$line" in
        *"$w"*) pass "version $n: BROKEN line names '$w'" ;;
        *) fail "the 'version $n: BROKEN' line does not name '$w': $line" ;;
        esac
    done
    expect_stderr_contains "version $n does not hold"
    expect_same_sha "$REG" "$sha" "verify"
}
no_dir() {
    [ ! -e "$1" ] || fail "$1 was created"
    pass "$(basename "$1") not created"
}
lines_of_stdout() { grep -v -e '^  checkpoint ' -e '^  no checkpoint' "$OUT_FILE" | wc -l; }

# ---- the register of the review: v1-v3 agreed, v4 committed ----

echo "# the review's register: v1 (SRV-01, PC-001), v2 (+ PC-002), v3 (- SRV-01) agreed; v4 (~ PC-001)"
BASE="$WORK/base.db"
REG=$BASE
agreed_history
export SCOPEREG_NOW=2026-04-01T09:00:00Z
sr_ok edit PC-001 --set ip=10.0.0.9
sr_ok commit -m four --author jm
export SCOPEREG_NOW=2026-04-05T00:00:00Z
expect_ok sr verify
expect_stdout_contains "version 3: agreed"
expect_stdout_contains "version 4: pending"

echo
echo "# F1. commit checks the staged rows again"
# stage_refused WHAT ROW WORD...: ROW put in the stage with the sqlite3
# shell; commit exits 2 naming WORDs, and writes nothing.
stage_refused() {
    local what=$1 row=$2
    shift 2
    attack "$what"
    fresh stage
    q "INSERT INTO stage(id, op, kind, name, attrs, reason) VALUES ($row)"
    refused 2 "refusing to commit" "$@" -- sr commit -m x --author jm
}
stage_refused "a CR in a staged name" \
    "'EVIL-01', 'A', 'server', 'x' || char(13) || 'item: FAKE', x'', NULL" \
    "the staged addition of item 'EVIL-01'" "field 'name': a control character at character 2"
expect_stderr_contains "run 'scopereg reset EVIL-01'"
stage_refused "a staged kind that is none" "'EVIL-01', 'A', 'spaceship', 'x', x'', NULL" \
    "item 'EVIL-01'" "field 'kind': 'spaceship' is not a kind"
stage_refused "an empty staged id" "'', 'A', 'server', 'x', x'', NULL" \
    "the staged addition of item ''" "field 'id': empty item id"
stage_refused "a line feed as staged id" "char(10), 'A', 'server', 'x', x'', NULL" \
    "item '\\x0a'" "field 'id': item id: a control character at character 1"
stage_refused "invalid UTF-8 in a staged name" "'EVIL-01', 'A', 'server', CAST(x'ff' AS TEXT), x'', NULL" \
    "item 'EVIL-01'" "field 'name': invalid UTF-8 at character 1"
stage_refused "invalid UTF-8 in a staged id" "CAST(x'41ff' AS TEXT), 'A', 'server', 'x', x'', NULL" \
    "item 'A\\xff'" "field 'id': item id: invalid UTF-8 at character 2"
stage_refused "an invisible staged id" "'SRV-02' || char(8203), 'A', 'server', 'x', x'', NULL" \
    "item 'SRV-02\\xe2\\x80\\x8b'" "field 'id': item id: U+200B"
stage_refused "an ESC in a staged attribute" \
    "'EVIL-01', 'A', 'server', 'x', CAST('ip' || char(31) || '1' || char(27) || '[2J' || char(30) AS BLOB), NULL" \
    "item 'EVIL-01'" "field 'ip': a control character at character 2"
stage_refused "a CR in a staged edit's name" "'PC-001', 'E', 'workstation', 'a' || char(13), x'', NULL" \
    "the staged change of item 'PC-001'" "field 'name': a control character at character 2"

echo
echo "# F9. a removal reason is a value"
attack "a reason with ESC and CR given to remove"
fresh reason
refused 2 "field 'reason': a control character at character 2" -- \
    sr remove PC-002 --reason $'a\e[2J\rok'
stage_refused "a staged reason with ESC and CR" \
    "'PC-001', 'R', NULL, NULL, NULL, 'a' || char(27) || '[2J' || char(13) || 'ok'" \
    "the staged removal of item 'PC-001'" "field 'reason': a control character at character 2"
stage_refused "an empty staged reason" "'PC-001', 'R', NULL, NULL, NULL, ''" \
    "the staged removal of item 'PC-001'" "field 'reason': empty"
attack "a stored reason with ESC and CR (digest and hash redone)"
fresh reason2
expect_ok sr remove PC-002 --reason returned
SCOPEREG_NOW=2026-04-06T00:00:00Z expect_ok sr commit -m five --author jm
q "UPDATE item SET reason = 'a' || char(27) || '[2J' || char(13) || 'ok' WHERE id = 'PC-002' AND op = 'R'"
redigest
fix_hash 5
broken 5 "item 'PC-002': its removal reason: field 'reason': a control character at character 2"
expect_stdout_lacks $'\e'
expect_stdout_contains "version 4: pending"
attack "a stored removal with its reason emptied"
q "UPDATE item SET reason = NULL WHERE id = 'PC-002' AND op = 'R'"
redigest
fix_hash 5
broken 5 "item 'PC-002': its removal has no reason"

echo
echo "# F4. a version dated before the one it follows"
attack "version 4 dated 2026-01-01 (hash redone), then signed by hand"
fresh backdated
q "UPDATE version SET date = '2026-01-01T00:00:00Z' WHERE number = 4"
fix_hash 4
DATES="version 4: its date (2026-01-01T00:00:00Z) is before the date of version 3 (2026-03-01T09:00:00Z)"
broken 4 "its date (2026-01-01T00:00:00Z) is before the date of version 3 (2026-03-01T09:00:00Z)"
SCOPEREG_NOW=2026-01-01T00:01:00Z refused 1 "refusing to sign: $DATES" -- \
    sr sign 4 --key "$K/provider.key"
sign_by_hand 4 2026-01-01T00:01:00Z 2026-01-01T00:02:00Z
refused 1 "$DATES" -- sr at 2026-02-15 SRV-01
expect_stdout_lacks "SRV-01 was"
refused 1 "$DATES" -- sr at 2026-02-15
expect_stdout_empty
refused 1 "$DATES" -- sr history PC-001
expect_stdout_lacks "PC-001"
refused 1 "$DATES" -- sr evidence SRV-01 --at 2026-02-15 -o "$WORK/dev2"
no_dir "$WORK/dev2"
refused 1 "$DATES" -- sr evidence --at 2026-02-15 -o "$WORK/dev3"
no_dir "$WORK/dev3"
refused 1 "$DATES" -- sr report 4 --html -o "$WORK/dev4.html"
[ ! -e "$WORK/dev4.html" ] || fail "report written"
pass "report not written"
attack "version 4 backdated, unsigned: at refuses to answer from that register"
fresh backdated2
q "UPDATE version SET date = '2026-01-01T00:00:00Z' WHERE number = 4"
fix_hash 4
refused 1 "$DATES" -- sr at 2026-02-15 SRV-01
expect_stdout_empty

echo
echo "# F6, F5. rows naming versions the register does not hold"
# A walk over 2^63 versions would never end: the 30 s bound catches that on
# any machine, loaded or under sanitizers, without timing verify itself.
attack "a signature row at version 2^63-1"
fresh hugesig
q "INSERT INTO signature SELECT $MAX, role, key_id, signed_at, minisig FROM signature WHERE version = 3 AND role = 'client'"
t0=$(now_ms)
broken $MAX "version $MAX is missing from the register" \
    "1 signature row names versions beyond the latest version 4 (version $MAX)"
ms=$(($(now_ms) - t0))
[ "$ms" -lt 30000 ] || fail "verify took $ms ms: it walks the missing versions one by one"
pass "verify ended in $ms ms"
[ "$(lines_of_stdout)" -eq 5 ] || fail "verify printed $(lines_of_stdout) lines, not 5"
pass "verify printed 5 lines: versions 1 to 4 and one for the row"
expect_stdout_contains "version 3: agreed"

attack "a version row numbered 2^63-1"
fresh hugever
q "INSERT INTO version VALUES ($MAX, '2026-05-01T00:00:00Z', 'jm', 'big', 'x', 'x', 0)"
t0=$(now_ms)
broken 5 "versions 5 to 9223372036854775806 (9223372036854775802 versions) are missing from the register"
ms=$(($(now_ms) - t0))
[ "$ms" -lt 30000 ] || fail "verify took $ms ms: it walks the missing versions one by one"
pass "verify ended in $ms ms"
[ "$(lines_of_stdout)" -eq 6 ] || fail "verify printed $(lines_of_stdout) lines, not 6"
pass "verify printed 6 lines: versions 1 to 4, the gap, version $MAX"
expect_stdout_contains "version $MAX: BROKEN"
GAP="the register holds 5 versions numbered up to $MAX: 9223372036854775802 versions between 1 and $MAX are missing"
refused 1 "$GAP" -- sr at 2026-04-05
expect_stdout_empty
refused 1 "$GAP" -- sr at 2026-04-05 PC-001
refused 1 "$GAP" -- sr evidence --at 2026-04-05 -o "$WORK/hv"
no_dir "$WORK/hv"
expect_ok sr add PC-003 --kind workstation
refused 1 "$GAP" -- sr commit -m x --author jm

attack "an item row at version 2^63-1"
fresh hugeitem
q "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest) VALUES ('EVIL-01', $MAX, NULL, 'A', 'server', 'x', x'', NULL, '0')"
t0=$(now_ms)
broken $MAX "1 item row names versions beyond the latest version 4"
ms=$(($(now_ms) - t0))
[ "$ms" -lt 30000 ] || fail "verify took $ms ms: it walks the missing versions one by one"
pass "verify ended in $ms ms"

attack "the last version deleted: its rows name it"
fresh lastgone
q "DELETE FROM version WHERE number = 4"
broken 4 "version 4 is missing from the register" "1 item row names versions beyond the latest version 3 (version 4)" \
    "its row ends at version 4"

attack "a version row 0 and signature rows for version 0"
fresh zero
q "INSERT INTO version VALUES (0, '2026-01-01T00:00:00Z', 'jm', 'zero', 'none', 'x', 0);
   INSERT INTO signature SELECT 0, role, key_id, signed_at, minisig FROM signature WHERE version = 1"
broken 4 "2 signature rows name version 0, a version below it or a version that is not a whole number" \
    "1 version row is numbered 0 or below (the lowest: 0)"
refused 1 "the register holds a version numbered 0" -- sr at 2026-01-11
expect_stdout_empty
refused 1 "the register holds a version numbered 0" -- sr evidence --at 2026-01-11 -o "$WORK/z"
no_dir "$WORK/z"

attack "signature rows for version -3 and for version '3' as a BLOB"
fresh oddsig
q "INSERT INTO signature SELECT -3, role, key_id, signed_at, minisig FROM signature WHERE version = 3;
   INSERT INTO signature SELECT CAST('3' AS BLOB), role, 'X' || key_id, signed_at, minisig FROM signature WHERE version = 3 AND role = 'client'"
broken 4 "3 signature rows name version 0, a version below it or a version that is not a whole number"

attack "key rows of no party (role 'Client') and with a since that is no number"
fresh oddkey
q "INSERT INTO party_key SELECT 'Client', since, key_id, public_key FROM party_key WHERE role = 'client';
   INSERT INTO party_key SELECT role, 'x', key_id, public_key FROM party_key WHERE role = 'provider'"
broken 4 "1 key row names a role other than provider or client" \
    "1 key row names version 0, a version below it or a version that is not a whole number"

echo
echo "# F7. ids hold no invisible character"
fresh ids
# id_refused ID WORD...: add ID exits 2 naming the character and writes nothing.
id_refused() {
    local id=$1
    shift
    attack "add an id holding $1"
    refused 2 "item id: $1" "$@" -- sr add "$id" --kind server --name 'Mail server'
}
id_refused $'SRV-02\u200b' "U+200B (an invisible format character) at character 7"
id_refused $'SRV\u2060-02' "U+2060 (an invisible format character) at character 4"
id_refused $'SRV-02\u00ad' "U+00AD (an invisible format character) at character 7"
id_refused $'\ufeffSRV-02' "U+FEFF (an invisible format character) at character 1"
id_refused $'SRV\u202e-02' "U+202E (an invisible format character) at character 4"
id_refused $'SRV\u00a0'02 "U+00A0 (a space other than U+0020) at character 4"
id_refused $'SRV\u3000'02 "U+3000 (a space other than U+0020) at character 4"
id_refused $'\u0301SRV-02' "U+0301 (a combining mark) at character 1: an id may not start with a combining mark"
attack "edit an id holding U+200B"
refused 2 "item id: U+200B (an invisible format character) at character 7" -- \
    sr edit $'PC-001\u200b' --name x
attack "import a file whose id holds U+00A0"
printf 'id,kind,name\nPC-007,workstation,ok\nSRV\xc2\xa002,server,Mail\n' >"$WORK/ids.csv"
refused -l "$WORK/ids.csv" 2 "1 error, nothing was staged" -- sr import "$WORK/ids.csv"
expect_stderr_contains "ids.csv:3: column 'id': item id: U+00A0 (a space other than U+0020) at character 4"
echo "# accents, composed or not, are no invisible characters"
expect_ok sr add $'e\u0301t\u00e9-1' --kind server
expect_ok sr add 'Poste é 2' --kind workstation

attack "a register made before the rule, holding an id with U+200B: it keeps verifying"
fresh legacy
expect_ok sr add SRV-02 --kind server --name 'Mail server'
SCOPEREG_NOW=2026-04-06T00:00:00Z expect_ok sr commit -m five --author jm
q "UPDATE item SET id = 'SRV-02' || char(8203) WHERE id = 'SRV-02'"
redigest
fix_hash 5
expect_ok sr verify
expect_stdout_contains "version 5: pending"
SCOPEREG_NOW=2026-04-06T00:01:00Z expect_ok sr sign 5 --key "$K/provider.key"
SCOPEREG_NOW=2026-04-06T00:02:00Z expect_ok sr sign 5 --key "$K/client.key"
SCOPEREG_NOW=2026-04-06T00:03:00Z expect_ok sr history $'SRV-02\u200b'
expect_stdout_contains "is in scope of the latest version (5)"
SCOPEREG_NOW=2026-04-06T00:03:00Z expect_ok sr evidence $'SRV-02\u200b' --at 2026-04-06T00:02:00Z \
    -o "$WORK/legacy-ev"
[ -d "$WORK/legacy-ev" ] || fail "no evidence folder"
pass "evidence written for the item stored before the rule"
echo "# and the item can be removed, to be added again under a clean id"
expect_ok sr remove $'SRV-02\u200b' --reason 'id with an invisible character'
expect_ok sr add SRV-02 --kind server --name 'Mail server'
SCOPEREG_NOW=2026-04-07T00:00:00Z expect_ok sr commit -m six --author jm
SCOPEREG_NOW=2026-04-08T00:00:00Z expect_ok sr verify
expect_stdout_contains "version 6: pending"

echo "# $ATTACKS attack cases, each refused or reported"
done_checks
