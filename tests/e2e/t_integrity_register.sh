#!/usr/bin/env bash
# t_integrity_register.sh - the register side of the integrity rules: what
# a party reviews and signs is what decides a dispute. Each attack is made
# the way a hostile provider, client or outsider would (the sqlite3 shell on
# the register, stock minisign for signatures) and must end in a refusal or
# a BROKEN verdict with exit 1 (2 for a malformed input), a message naming
# the version and the item, field or role, and nothing written:
#  1. items(N) = items(N-1) + changes(N): a row ended without a change, a
#     removal while the item stays listed, an addition of a listed item, a
#     modification that changes nothing, rows prepared for the next commit;
#     with the item count and the stored hash fixed so that the version
#     re-renders to it. verify, commit, sign, attach, at, history and
#     evidence all refuse.
#  2. trusted comments: exactly the documented grammar (text before a
#     field, a field twice, out of order, a leading zero, upper-case hex,
#     spaces, trailing text): attach refuses, verify and log report it.
#  3. signing dates: before the version, or after the clock plus 300 s:
#     attach refuses, verify reports a stored one, at refuses the early one.
#  4. dates from signed bytes only: a signature row's date column (or its
#     trusted comment) edited on a later version: at, evidence, log and
#     history refuse to answer; verify reports it.
#  5. each party its own key: the same key (or key id) for both, through
#     init, party_key, a staged key or a committed version: refused by
#     init, rekey, commit, sign and attach; BROKEN in verify.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "the sqlite3 shell is not installed"
command -v minisign >/dev/null 2>&1 || skip "stock minisign is not installed"
command -v b2sum >/dev/null 2>&1 || skip "b2sum is not installed"

parties stranger
STEM=ACME-1
ATTACKS=0

# ---- helpers ----

# The document of version N of DB, as scopereg renders it.
doc_of() { "$SCOPEREG" -R "$1" show "$2"; }
# fix_hash DB N: what an attacker does after editing rows: record the hash
# of what version N now renders to, so that it "re-renders to its hash".
fix_hash() {
    local h
    h=$(doc_of "$1" "$2" | b2sum -l 256 | cut -d' ' -f1)
    sqlite3 "$1" "UPDATE version SET hash = 'blake2b-256:$h' WHERE number = $2" ||
        fail "sqlite3: fix the hash of version $2"
}
# tc N ROLE HASH DATE: the trusted comment scopereg writes.
tc() { echo "scopereg register:$RID version:$1 role:$2 document:$3 signed:$4"; }
# msig DOC OUT KEYNAME COMMENT: a signature made with stock minisign.
msig() {
    minisign -S -s "$K/$3.key" -m "$1" -x "$2" -t "$4" </dev/null >/dev/null 2>&1 ||
        fail "minisign -S -t '$4'"
}
# store_sig DB N ROLE KEYNAME FILE DATE: a signature row written behind the
# tool's back.
store_sig() {
    sqlite3 "$1" "INSERT INTO signature(version, role, key_id, signed_at, minisig)
        VALUES ($2, '$3', '$(key_id "$K/$4.pub")', '$6', CAST(readfile('$5') AS TEXT))" ||
        fail "sqlite3: store a $3 signature of version $2"
}
# sign_both DB N DATE_P DATE_C: both parties sign what version N of DB
# renders to now, with stock minisign, and the rows are stored by hand.
sign_both() {
    local db=$1 n=$2 h
    doc_of "$db" "$n" >"$WORK/sb.scope"
    h=$(b2_of "$WORK/sb.scope")
    msig "$WORK/sb.scope" "$WORK/sb.p.minisig" provider "$(tc "$n" provider "$h" "$3")"
    msig "$WORK/sb.scope" "$WORK/sb.c.minisig" client "$(tc "$n" client "$h" "$4")"
    store_sig "$db" "$n" provider provider "$WORK/sb.p.minisig" "$3"
    store_sig "$db" "$n" client client "$WORK/sb.c.minisig" "$4"
}
# attack WHAT: counts an attack case.
attack() {
    ATTACKS=$((ATTACKS + 1))
    echo "# attack $ATTACKS: $1"
}
# broken DB N WHAT...: verify exits 1, prints "version N: BROKEN" with
# every WHAT on that line, says so on stderr, and writes nothing.
broken() {
    local db=$1 n=$2 sha w line
    shift 2
    sha=$(sha_of "$db")
    expect_exit 1 "$SCOPEREG" -R "$db" verify
    line=$(grep "^version $n: BROKEN" "$OUT_FILE") || fail "no 'version $n: BROKEN' line"
    for w in "$@"; do
        case "$line" in
        *"$w"*) pass "version $n: BROKEN line names '$w'" ;;
        *) fail "the 'version $n: BROKEN' line does not name '$w': $line" ;;
        esac
    done
    expect_stderr_contains "does not hold"
    expect_same_sha "$db" "$sha" "verify"
}
# no_dir DIR: nothing was written there.
no_dir() {
    [ ! -e "$1" ] || fail "$1 was created"
    pass "$(basename "$1") not created"
}

# ---- the register: version 1 agreed, version 2 (+ PC-002) committed ----

echo "# a register: version 1 agreed by both parties, version 2 committed"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
REG="$WORK/base.db"
BASE=$REG
expect_ok init_reg ACME-1
RID=$(sqlite3 "$BASE" "SELECT value FROM meta WHERE key = 'register'")
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
expect_ok sr add PC-001 --kind workstation --name 'Compta'
expect_ok sr commit -m 'one' --author jm
SCOPEREG_NOW=2026-01-11T09:00:00Z expect_ok sr sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-12T09:00:00Z expect_ok sr sign 1 --key "$K/client.key"
export SCOPEREG_NOW="2026-02-01T09:00:00Z"
expect_ok sr add PC-002 --kind workstation --name 'Accueil'
expect_ok sr commit -m 'two' --author jm
export SCOPEREG_NOW="2026-02-10T09:00:00Z"
expect_ok sr verify
expect_stdout_contains "version 2: pending (no signature yet)"

echo
echo "# 1. the changes a party reviews are bound to the items"

attack "version 2 ends SRV-01's row without a change (count and hash fixed)"
R1="$WORK/ended.db"
cp "$BASE" "$R1"
sqlite3 "$R1" "UPDATE item SET until = 2 WHERE id = 'SRV-01' AND until IS NULL;
    UPDATE version SET items = items - 1 WHERE number = 2" || fail "sqlite3"
fix_hash "$R1" 2
doc_of "$R1" 2 >"$WORK/ended.scope"
grep -q '^+ PC-002$' "$WORK/ended.scope" && ! grep -q 'SRV-01' "$WORK/ended.scope" ||
    fail "the tampered document should show '+ PC-002' and no SRV-01"
pass "the tampered version 2 shows '+ PC-002' only and lists no SRV-01"
ENDED="item 'SRV-01': its row ends at version 2 but version 2 records no change of 'SRV-01'"
broken "$R1" 2 "$ENDED"
expect_stdout_contains "version 1: agreed"
refused -f "$R1" 1 "refusing to sign: version 2: $ENDED" -- \
    "$SCOPEREG" -R "$R1" sign 2 --key "$K/provider.key"
H=$(b2_of "$WORK/ended.scope")
msig "$WORK/ended.scope" "$WORK/ended.client.minisig" client \
    "$(tc 2 client "$H" 2026-02-03T09:00:00Z)"
refused -f "$R1" 1 "version 2: $ENDED" -- "$SCOPEREG" -R "$R1" attach "$WORK/ended.client.minisig"
# both parties' signatures over the tampered document, stored by hand
sign_both "$R1" 2 2026-02-02T09:00:00Z 2026-02-03T09:00:00Z
refused -f "$R1" 1 "version 2: $ENDED" -- "$SCOPEREG" -R "$R1" at 2026-02-05 SRV-01
expect_stdout_lacks "SRV-01 was"
refused -f "$R1" 1 "version 2: $ENDED" -- "$SCOPEREG" -R "$R1" at 2026-02-05
refused -f "$R1" 1 "version 2: $ENDED" -- "$SCOPEREG" -R "$R1" history SRV-01
expect_stdout_lacks "in scope of the latest version"
refused -f "$R1" 1 "version 2" "SRV-01" "no evidence written" -- \
    "$SCOPEREG" -R "$R1" evidence --at 2026-02-05 -o "$WORK/ev1"
no_dir "$WORK/ev1"
refused -f "$R1" 1 "version 2: $ENDED" -- \
    "$SCOPEREG" -R "$R1" evidence SRV-01 --at 2026-02-05 -o "$WORK/ev2"
no_dir "$WORK/ev2"
# the same register with version 1 answering: untouched, still answers
expect_ok "$SCOPEREG" -R "$R1" at 2026-01-20 SRV-01
expect_stdout_contains "SRV-01 was in scope at 2026-01-20T23:59:59Z, as signed in version 1"

attack "version 2 records '- SRV-01' while SRV-01 stays listed (hash fixed)"
R2="$WORK/removed.db"
cp "$BASE" "$R2"
sqlite3 "$R2" "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)
    SELECT id, 2, 2, 'R', kind, name, attrs, 'client request',
    '00000000000000000000000000000000' FROM item WHERE id = 'SRV-01'" || fail "sqlite3"
fix_hash "$R2" 2
doc_of "$R2" 2 | grep -q '^- SRV-01$' || fail "the tampered document should show '- SRV-01'"
pass "the tampered version 2 shows '- SRV-01' and still lists it"
STILL="version 2 removes 'SRV-01' but it is still listed"
broken "$R2" 2 "$STILL"
refused -f "$R2" 1 "refusing to sign: $STILL" -- "$SCOPEREG" -R "$R2" sign 2 --key "$K/client.key"
sign_both "$R2" 2 2026-02-02T09:00:00Z 2026-02-03T09:00:00Z
refused -f "$R2" 1 "$STILL" -- "$SCOPEREG" -R "$R2" at 2026-02-05 SRV-01
expect_stdout_lacks "SRV-01 was in scope"
refused -f "$R2" 1 "$STILL" -- "$SCOPEREG" -R "$R2" history SRV-01

attack "version 2 records '+ SRV-01' for an item version 1 lists (an M row turned into A)"
R3="$WORK/readded.db"
cp "$BASE" "$R3"
expect_ok "$SCOPEREG" -R "$R3" edit SRV-01 --set ip=10.0.0.6
SCOPEREG_NOW=2026-02-01T09:00:00Z expect_ok "$SCOPEREG" -R "$R3" commit -m 'three' --author jm
sqlite3 "$R3" "UPDATE item SET op = 'A' WHERE id = 'SRV-01' AND since = 3" || fail "sqlite3"
fix_hash "$R3" 3
broken "$R3" 3 "version 3 adds 'SRV-01' but version 2 lists it"
refused -f "$R3" 1 "version 3 adds 'SRV-01' but version 2 lists it" -- \
    "$SCOPEREG" -R "$R3" sign 3 --key "$K/provider.key"

attack "version 3 records '~ SRV-01' that changes nothing (the new row set back)"
R4="$WORK/nochange.db"
cp "$BASE" "$R4"
expect_ok "$SCOPEREG" -R "$R4" edit SRV-01 --set ip=10.0.0.6
SCOPEREG_NOW=2026-02-01T09:00:00Z expect_ok "$SCOPEREG" -R "$R4" commit -m 'three' --author jm
sqlite3 "$R4" "UPDATE item SET attrs = (SELECT attrs FROM item WHERE id = 'SRV-01' AND since = 1)
    WHERE id = 'SRV-01' AND since = 3" || fail "sqlite3"
fix_hash "$R4" 3
broken "$R4" 3 "version 3 modifies 'SRV-01' without changing it"
refused -f "$R4" 1 "version 3 modifies 'SRV-01' without changing it" -- \
    "$SCOPEREG" -R "$R4" sign 3 --key "$K/provider.key"

attack "a row prepared to end at the next version, then a commit of other changes"
R5="$WORK/precommit.db"
cp "$BASE" "$R5"
sqlite3 "$R5" "UPDATE item SET until = 3 WHERE id = 'SRV-01' AND until IS NULL" || fail "sqlite3"
expect_ok "$SCOPEREG" -R "$R5" add PC-003 --kind workstation
refused -f "$R5" 1 "refusing to commit: version 3: item 'SRV-01': its row ends at version 3 but version 3 records no change of 'SRV-01'" -- \
    "$SCOPEREG" -R "$R5" commit -m 'three' --author jm
broken "$R5" 2 "item 'SRV-01': its row ends at version 3" "there is no version 3"

attack "a row slipped in for the next version, then a commit"
R6="$WORK/slipped.db"
cp "$BASE" "$R6"
sqlite3 "$R6" "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)
    VALUES ('EVIL-01', 3, NULL, 'A', 'server', 'x', x'', NULL, '0')" || fail "sqlite3"
expect_ok "$SCOPEREG" -R "$R6" add PC-003 --kind workstation
refused -f "$R6" 1 "refusing to commit: a row of item 'EVIL-01' already names version 3" -- \
    "$SCOPEREG" -R "$R6" commit -m 'three' --author jm

echo
echo "# 2. trusted comments: exactly the documented grammar"
GOOD="$WORK/good.db"
cp "$BASE" "$GOOD"
doc_of "$GOOD" 2 >"$WORK/v2.scope"
H2=$(b2_of "$WORK/v2.scope")
D="2026-02-03T09:00:00Z"
# bad_tc WHAT COMMENT MESSAGE: a client signature with that trusted
# comment, made with stock minisign, is refused by attach (exit 2).
bad_tc() {
    attack "trusted comment: $1"
    msig "$WORK/v2.scope" "$WORK/tc.minisig" client "$2"
    minisign -Vm "$WORK/v2.scope" -p "$K/client.pub" -x "$WORK/tc.minisig" >/dev/null 2>&1 ||
        fail "stock minisign does not verify the signature with comment '$2'"
    refused -f "$GOOD" 2 "trusted comment" "$3" -- "$SCOPEREG" -R "$GOOD" attach "$WORK/tc.minisig"
}
bad_tc "text before the fields" \
    "scopereg I DO NOT AGREE status:REJECTED register:$RID version:2 role:client document:$H2 signed:$D" \
    "unexpected text 'I DO NOT AGREE status:REJECTED' after 'scopereg'"
bad_tc "a field twice" \
    "scopereg register:$RID version:2 version:5 role:client document:$H2 signed:$D" \
    "'version:' appears twice ('version:2' and 'version:5')"
bad_tc "text after the last field" \
    "scopereg register:$RID version:2 role:client document:$H2 signed:$D status:REJECTED" \
    "unexpected text 'status:REJECTED' after 'signed:$D'"
bad_tc "fields out of order" \
    "scopereg register:$RID role:client version:2 document:$H2 signed:$D" \
    "'version:' is missing: 'role:' comes after 'register:$RID'"
bad_tc "a version with a leading zero" \
    "scopereg register:$RID version:02 role:client document:$H2 signed:$D" \
    "version: '02' is not a version number"
bad_tc "upper-case hex in the document hash" \
    "scopereg register:$RID version:2 role:client document:blake2b-256:$(echo "${H2#blake2b-256:}" | tr 'a-f' 'A-F') signed:$D" \
    "document: 'blake2b-256:$(echo "${H2#blake2b-256:}" | tr 'a-f' 'A-F' | cut -c 1-20)"
bad_tc "two spaces between fields" \
    "scopereg register:$RID version:2  role:client document:$H2 signed:$D" \
    "two spaces after 'version:2'"
bad_tc "a space at the end" \
    "scopereg register:$RID version:2 role:client document:$H2 signed:$D " \
    "a space after 'signed:$D' at the end"
bad_tc "a field missing" \
    "scopereg register:$RID version:2 role:client document:$H2" \
    "'signed:' is missing after 'document:"
# the exact comment is accepted (control)
msig "$WORK/v2.scope" "$WORK/tc-ok.minisig" client "$(tc 2 client "$H2" "$D")"
expect_ok "$SCOPEREG" -R "$GOOD" attach "$WORK/tc-ok.minisig"
expect_stdout_contains "attached the client's signature of version 2"

attack "a stored signature whose trusted comment does not follow the grammar"
R7="$WORK/looseTC.db"
cp "$BASE" "$R7"
msig "$WORK/v2.scope" "$WORK/loose.minisig" client \
    "scopereg I DO NOT AGREE status:REJECTED register:$RID version:2 role:client document:$H2 signed:$D"
store_sig "$R7" 2 client client "$WORK/loose.minisig" "$D"
broken "$R7" 2 "stored client signature does not hold: trusted comment: unexpected text 'I DO NOT AGREE status:REJECTED'"
SHA7=$(sha_of "$R7")
expect_exit 1 "$SCOPEREG" -R "$R7" log
expect_stdout_contains "signatures not counted: version 2: the stored client signature does not hold: trusted comment: unexpected text"
expect_stderr_contains "version 2: the stored client signature does not hold"
expect_same_sha "$R7" "$SHA7" "log"

echo
echo "# 3. signing dates are checked"
attack "a client signature dated 2099 (keeps an agreed version out of force)"
msig "$WORK/v2.scope" "$WORK/late.minisig" client "$(tc 2 client "$H2" 2099-01-01T00:00:00Z)"
refused -f "$BASE" 1 "client signature of version 2 is dated 2099-01-01T00:00:00Z, later than this machine's clock (2026-02-10T09:00:00Z) plus 300 s" -- \
    "$SCOPEREG" -R "$BASE" attach "$WORK/late.minisig"
attack "a client signature dated before its version"
msig "$WORK/v2.scope" "$WORK/early.minisig" client "$(tc 2 client "$H2" 2026-01-20T00:00:00Z)"
refused -f "$BASE" 1 "client signature of version 2 is dated 2026-01-20T00:00:00Z, before the version itself (2026-02-01T09:00:00Z)" -- \
    "$SCOPEREG" -R "$BASE" attach "$WORK/early.minisig"
attack "a signature stored with a date after verify's clock"
R8="$WORK/future.db"
cp "$BASE" "$R8"
store_sig "$R8" 2 client client "$WORK/late.minisig" 2099-01-01T00:00:00Z
broken "$R8" 2 "stored client signature does not hold: client signature of version 2 is dated 2099-01-01T00:00:00Z, later than this machine's clock"
attack "a signature stored with a date before its version"
R9="$WORK/early.db"
cp "$BASE" "$R9"
store_sig "$R9" 2 client client "$WORK/early.minisig" 2026-01-20T00:00:00Z
msig "$WORK/v2.scope" "$WORK/early-p.minisig" provider "$(tc 2 provider "$H2" 2026-01-21T00:00:00Z)"
store_sig "$R9" 2 provider provider "$WORK/early-p.minisig" 2026-01-21T00:00:00Z
broken "$R9" 2 "client signature of version 2 is dated 2026-01-20T00:00:00Z, before the version itself"
refused -f "$R9" 1 "version 2: the stored" "before the version itself" -- \
    "$SCOPEREG" -R "$R9" at 2026-02-05 PC-002
expect_stdout_lacks "PC-002 was"
# within the clock skew: accepted (control)
SCOPEREG_NOW=2026-02-03T08:56:00Z expect_ok "$SCOPEREG" -R "$WORK/good.db" verify

echo
echo "# 4. at, evidence, log and history take dates from signed bytes only"
# version 2 removes SRV-01: provider signs 02-02, client 02-05
TWO="$WORK/two.db"
cp "$BASE" "$TWO"
expect_ok "$SCOPEREG" -R "$TWO" remove SRV-01 --reason 'decommissioned'
SCOPEREG_NOW=2026-02-01T10:00:00Z expect_ok "$SCOPEREG" -R "$TWO" commit -m 'three' --author jm
SCOPEREG_NOW=2026-02-02T09:00:00Z expect_ok "$SCOPEREG" -R "$TWO" sign 3 --key "$K/provider.key"
SCOPEREG_NOW=2026-02-05T09:00:00Z expect_ok "$SCOPEREG" -R "$TWO" sign 3 --key "$K/client.key"
expect_exit 1 "$SCOPEREG" -R "$TWO" at 2026-02-08 SRV-01
expect_stdout_contains "SRV-01 was not in scope at 2026-02-08T23:59:59Z: version 3 does not list it"
expect_ok "$SCOPEREG" -R "$TWO" at 2026-02-04 SRV-01
expect_stdout_contains "SRV-01 was in scope at 2026-02-04T23:59:59Z, as signed in version 1"

attack "the client's signed_at column of version 3 moved later (at would answer from version 1)"
R10="$WORK/moved.db"
cp "$TWO" "$R10"
sqlite3 "$R10" "UPDATE signature SET signed_at = '2026-03-01T00:00:00Z'
    WHERE version = 3 AND role = 'client'" || fail "sqlite3"
MOVED="version 3: the stored client signature row was altered: its date says 2026-03-01T00:00:00Z but its trusted comment signs 2026-02-05T09:00:00Z"
refused -f "$R10" 1 "$MOVED" -- "$SCOPEREG" -R "$R10" at 2026-02-08 SRV-01
expect_stdout_lacks "SRV-01 was"
refused -f "$R10" 1 "$MOVED" -- "$SCOPEREG" -R "$R10" evidence SRV-01 --at 2026-02-08 -o "$WORK/ev3"
no_dir "$WORK/ev3"
SHA10=$(sha_of "$R10")
expect_exit 1 "$SCOPEREG" -R "$R10" log
expect_stdout_contains "signatures not counted: $MOVED"
expect_stderr_contains "$MOVED"
expect_same_sha "$R10" "$SHA10" "log"
expect_exit 1 "$SCOPEREG" -R "$R10" log --json
expect_stderr_contains "$MOVED"
refused -f "$R10" 1 "$MOVED" -- "$SCOPEREG" -R "$R10" history SRV-01
broken "$R10" 3 "stored client signature row was altered"

attack "the date in the stored trusted comment edited too (its global signature breaks)"
R11="$WORK/moved-tc.db"
cp "$TWO" "$R11"
sqlite3 "$R11" "UPDATE signature SET signed_at = '2026-03-01T00:00:00Z',
    minisig = replace(minisig, 'signed:2026-02-05T09:00:00Z', 'signed:2026-03-01T00:00:00Z')
    WHERE version = 3 AND role = 'client'" || fail "sqlite3"
refused -f "$R11" 1 "version 3: the trusted comment of the stored client signature was altered" -- \
    "$SCOPEREG" -R "$R11" at 2026-02-08 SRV-01
expect_stdout_lacks "SRV-01 was"
refused -f "$R11" 1 "version 3: the trusted comment of the stored client signature was altered" -- \
    "$SCOPEREG" -R "$R11" evidence --at 2026-02-08 -o "$WORK/ev4"
no_dir "$WORK/ev4"
broken "$R11" 3 "stored client signature does not hold" "global signature does not verify"

attack "a later version's stored date moved after the question (its signatures then predate it)"
R12="$WORK/vdate.db"
cp "$TWO" "$R12"
sqlite3 "$R12" "UPDATE version SET date = '2026-02-20T00:00:00Z' WHERE number = 3" || fail "sqlite3"
fix_hash "$R12" 3
refused -f "$R12" 1 "version 3: the stored" -- "$SCOPEREG" -R "$R12" at 2026-02-08 SRV-01
expect_stdout_lacks "SRV-01 was"

echo
echo "# 5. each party its own key"
attack "init with the same key for both parties"
refused -f "$WORK/same.db" 2 "the provider and the client have the same public key" -- \
    "$SCOPEREG" -R "$WORK/same.db" init --contract X --provider P --provider-key "$K/provider.pub" \
    --client C --client-key "$K/provider.pub"
no_dir "$WORK/same.db"
attack "init with another key under the provider's key id"
# the stranger's key with the provider's key id bytes (bytes 2..9)
python3 - "$K/stranger.pub" "$K/provider.pub" "$WORK/twin-id.pub" <<'EOF' || fail "python3"
import base64, sys
s = base64.b64decode(open(sys.argv[1]).read().split("\n")[1])
p = base64.b64decode(open(sys.argv[2]).read().split("\n")[1])
t = s[:2] + p[2:10] + s[10:]
open(sys.argv[3], "w").write("untrusted comment: a key with another's key id\n" + base64.b64encode(t).decode() + "\n")
EOF
refused -f "$WORK/twin.db" 2 "have the same key id $PID" -- \
    "$SCOPEREG" -R "$WORK/twin.db" init --contract X --provider P --provider-key "$K/provider.pub" \
    --client C --client-key "$WORK/twin-id.pub"
no_dir "$WORK/twin.db"
attack "rekey of the client to the provider's key"
refused -f "$BASE" 2 "is, was or is staged as the provider's key" -- \
    "$SCOPEREG" -R "$BASE" rekey --role client --key "$K/provider.pub"
PB64=$(sed -n 2p "$K/provider.pub")
attack "the provider's key staged for the client in meta, then a commit"
R13="$WORK/staged.db"
cp "$BASE" "$R13"
sqlite3 "$R13" "INSERT INTO meta(key, value) VALUES ('staged-key:client', '$PB64')" || fail "sqlite3"
refused -f "$R13" 1 "refusing to commit: version 3: the provider and the client hold the same key $PID" -- \
    "$SCOPEREG" -R "$R13" commit -m 'three' --author jm
attack "the provider's key written as the client's before the first commit"
R14="$WORK/fresh.db"
SCOPEREG_NOW=2026-01-05T08:00:00Z expect_ok "$SCOPEREG" -R "$R14" init --contract ACME-1 \
    --provider P --provider-key "$K/provider.pub" --client C --client-key "$K/client.pub"
sqlite3 "$R14" "UPDATE party_key SET public_key = '$PB64', key_id = '$PID' WHERE role = 'client'" ||
    fail "sqlite3"
expect_ok "$SCOPEREG" -R "$R14" add SRV-01 --kind server
refused -f "$R14" 1 "refusing to commit: version 1: the provider and the client hold the same key $PID" -- \
    "$SCOPEREG" -R "$R14" commit -m 'one' --author jm
attack "a committed version made to replace the client's key by the provider's (hash fixed)"
R15="$WORK/samekey.db"
cp "$BASE" "$R15"
sqlite3 "$R15" "INSERT INTO party_key(role, since, key_id, public_key)
    VALUES ('client', 2, '$PID', '$PB64')" || fail "sqlite3"
fix_hash "$R15" 2
doc_of "$R15" 2 | grep -q "^key client: $CID -> $PID$" || fail "version 2 should record the key change"
pass "version 2 now records 'key client: $CID -> $PID'"
broken "$R15" 2 "the provider and the client hold the same key $PID"
refused -f "$R15" 1 "refusing to sign: version 2: the provider and the client hold the same key $PID" -- \
    "$SCOPEREG" -R "$R15" sign 2 --key "$K/provider.key"
doc_of "$R15" 2 >"$WORK/same.scope"
msig "$WORK/same.scope" "$WORK/same.minisig" provider \
    "$(tc 2 client "$(b2_of "$WORK/same.scope")" 2026-02-03T09:00:00Z)"
refused -f "$R15" 1 "version 2: the provider and the client hold the same key $PID" -- \
    "$SCOPEREG" -R "$R15" attach "$WORK/same.minisig"

echo
echo "# the honest register still holds, signs, attaches and answers"
expect_ok "$SCOPEREG" -R "$BASE" verify
SCOPEREG_NOW=2026-02-11T09:00:00Z expect_ok "$SCOPEREG" -R "$BASE" sign 2 --key "$K/provider.key"
expect_ok "$SCOPEREG" -R "$BASE" export 2 -o "$WORK/out"
minisign -Vm "$WORK/out/$STEM-v2.scope" -p "$WORK/out/$STEM.provider.pub" \
    -x "$WORK/out/$STEM-v2.provider.minisig" >/dev/null 2>&1 || fail "minisign -V of the export"
pass "stock minisign verifies the provider's signature"
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" cosign "$WORK/out/$STEM-v2.scope" \
    --key "$K/client.key" --force
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" -R "$BASE" attach "$WORK/out/$STEM-v2.client.minisig"
expect_stdout_contains "version 2: agreed (provider 2026-02-11T09:00:00Z, client 2026-02-12T09:00:00Z)"
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" -R "$BASE" at 2026-02-12 PC-002
expect_stdout_contains "PC-002 was in scope at 2026-02-12T23:59:59Z, as signed in version 2"
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" -R "$BASE" log
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" -R "$BASE" evidence PC-002 -o "$WORK/ev-ok"
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" verify --documents "$WORK/ev-ok"
SCOPEREG_NOW=2026-02-12T09:00:00Z expect_ok "$SCOPEREG" -R "$BASE" verify

echo "# $ATTACKS attack cases, each refused or reported BROKEN"
done_checks
