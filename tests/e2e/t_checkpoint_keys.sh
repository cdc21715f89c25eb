#!/usr/bin/env bash
# t_checkpoint_keys.sh - a checkpoint names both parties' keys and each
# checkpoint signature states when its key signed the document
# (document-signed:): a proof folder follows document agreement dates, not
# checkpoint signing dates (a late checkpoint proves the right period), a
# signature by a key the checkpoint does not name does not count, and a
# key change is vouched for by the old key's signature of the rotating
# checkpoint. Forged folders are refused with exit 1 naming the version,
# role or key; nothing is written.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is needed to read the register"
command -v minisign >/dev/null 2>&1 || skip "minisign is needed to forge signatures"
parties client2 stranger
C2ID=$(key_id "$K/client2.pub")
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok add SRV-01 --kind server --name 'File server'
sr_ok add PC-001 --kind workstation --name Compta
sr_ok commit -m one --author jm
SCOPEREG_NOW=2026-01-11T09:00:00Z sr_ok sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-12T09:00:00Z sr_ok sign 1 --key "$K/client.key"

echo "# version 2's document agreed on 2026-02-03, its checkpoint signed by the client only in May"
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_ok remove SRV-01 --reason decommissioned
sr_ok commit -m two --author jm
SCOPEREG_NOW=2026-02-02T09:00:00Z sr_ok sign 2 --key "$K/provider.key"
SCOPEREG_NOW=2026-02-02T10:00:00Z sr_ok export 2 -o "$WORK/x"
sign_as "$WORK/x/ACME-1-v2.scope" client client 2026-02-03T09:00:00Z
SCOPEREG_NOW=2026-02-03T10:00:00Z sr_ok attach "$WORK/x/ACME-1-v2.client.minisig"
SCOPEREG_NOW=2026-05-01T09:00:00Z sr_ok sign 2 --key "$K/client.key"
tc=$(sqlite3 "$REG" "SELECT minisig FROM checkpoint_signature WHERE version = 2 AND role = 'client'")
case $tc in
*"document-signed:2026-02-03T09:00:00Z signed:2026-05-01T09:00:00Z"*) pass "the late checkpoint signature states the document date" ;;
*) fail "checkpoint TC lacks document-signed:2026-02-03T09:00:00Z: $tc" ;;
esac

export SCOPEREG_NOW=2026-06-01T00:00:00Z
expect_exit 1 sr prove SRV-01 --at 2026-03-01T00:00:00Z -o "$WORK/pm"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/pm"
expect_stdout_contains "version 2"
expect_ok sr prove SRV-01 --at 2026-01-20T00:00:00Z -o "$WORK/pj"
expect_ok "$SCOPEREG" verify --proof "$WORK/pj"
cp -r "$WORK/pj" "$WORK/forged"
sed -i 's/^at: .*/at: 2026-03-01T00:00:00Z/' "$WORK/forged/proof.txt"
refused -f "$WORK/forged/proof.txt" -m "F2: a complete folder with 'at:' moved past version 2's document agreement" \
    1 "version 2 was in force" -- "$SCOPEREG" verify --proof "$WORK/forged"

echo "# F2: a checkpoint signature whose document-signed: is not its document signature's date"
RID=$(sqlite3 "$REG" "SELECT value FROM meta WHERE key = 'register'")
ROOT2=$(sed -n 's/^root: //p' "$WORK/pj/ACME-1-v2.checkpoint")
minisign -S -s "$K/client.key" -m "$WORK/pj/ACME-1-v2.checkpoint" -x "$WORK/early.minisig" \
    -t "scopereg-checkpoint register:$RID version:2 role:client root:blake2b-256:$ROOT2 document-signed:2026-02-02T12:00:00Z signed:2026-05-01T09:00:00Z" \
    </dev/null >/dev/null 2>&1 || fail "minisign -S failed"
refused -m "attach of a checkpoint signature antedating the document agreement" 1 \
    "version 2, client" "document-signed:2026-02-02T12:00:00Z" "dated 2026-02-03T09:00:00Z" -- \
    sr attach "$WORK/early.minisig"
echo "# version 3 replaces the client's key; old and new keys sign document and checkpoint"
export SCOPEREG_NOW=2026-06-01T09:00:00Z
sr_ok rekey --role client --key "$K/client2.pub"
sr_ok add PC-002 --kind workstation --name Labo
sr_ok commit -m three --author jm
SCOPEREG_NOW=2026-06-02T09:00:00Z sr_ok sign 3 --key "$K/provider.key"
SCOPEREG_NOW=2026-06-03T09:00:00Z sr_ok sign 3 --key "$K/client.key"
SCOPEREG_NOW=2026-06-03T09:00:00Z sr_ok sign 3 --key "$K/client2.key"
[ "$(sqlite3 "$REG" "SELECT count(*) FROM checkpoint_signature WHERE version = 3 AND role = 'client'")" = 2 ] ||
    fail "the old key did not sign version 3's checkpoint"
pass "version 3's checkpoint carries the client's old and new keys' signatures"
export SCOPEREG_NOW=2026-07-01T09:00:00Z
sr_ok add PC-003 --kind workstation --name Atelier
sr_ok commit -m four --author jm
SCOPEREG_NOW=2026-07-02T09:00:00Z sr_ok sign 4 --key "$K/provider.key"
SCOPEREG_NOW=2026-07-03T09:00:00Z sr_ok sign 4 --key "$K/client2.key"
export SCOPEREG_NOW=2026-08-01T09:00:00Z
expect_ok sr verify
expect_ok sr prove PC-001 --at 2026-07-15T00:00:00Z -o "$WORK/p4"
[ -f "$WORK/p4/ACME-1-v3.checkpoint.client.old.minisig" ] || fail "the old key's checkpoint signature is not in the folder"
grep -qx "client-key: $C2ID" "$WORK/p4/ACME-1-v3.checkpoint" || fail "version 3's checkpoint does not name the new key"
grep -qx "client-key: $CID" "$WORK/p4/ACME-1-v2.checkpoint" || fail "version 2's checkpoint does not name the old key"
expect_ok "$SCOPEREG" verify --proof "$WORK/p4"
expect_stdout_contains "both parties had signed its document by 2026-07-03T09:00:00Z, as their checkpoint signatures state (provider 2026-07-02T09:00:00Z with key $PID, client 2026-07-03T09:00:00Z with key $C2ID)"
pass "the rotation is vouched for in the folder"
# a key file whose name names another key than the one it holds: refused,
# the file and the name it should have named, nothing written
cp -r "$WORK/p4" "$WORK/p4-misnamed"
mv "$WORK/p4-misnamed/ACME-1.client.$CID.pub" "$WORK/p4-misnamed/ACME-1.client.0000000000000000.pub" ||
    fail "no ACME-1.client.$CID.pub in the folder: $(ls "$WORK/p4")"
before=$(cd "$WORK/p4-misnamed" && sha256sum * | sha256sum)
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/p4-misnamed"
expect_one_error_line
expect_stderr_contains "names key $CID as the client's, but the file that holds it, ACME-1.client.0000000000000000.pub, names another key: rename it ACME-1.client.$CID.pub"
[ "$(cd "$WORK/p4-misnamed" && sha256sum * | sha256sum)" = "$before" ] || fail "verify --proof changed the folder"
pass "a .pub file named after another key id is refused, naming the file and its right name"
# the same misnamed copy beside the right file (sorting before or after it):
# the right file is used, whatever the order of the names
for wrong in 0000000000000000 FFFFFFFFFFFFFFFF; do
    cp -r "$WORK/p4" "$WORK/p4-extra-$wrong"
    cp "$WORK/p4/ACME-1.client.$CID.pub" "$WORK/p4-extra-$wrong/ACME-1.client.$wrong.pub"
    expect_ok "$SCOPEREG" verify --proof "$WORK/p4-extra-$wrong"
    expect_stdout_contains "client key $CID (ACME-1.client.$CID.pub)"
done
pass "a misnamed copy beside the right .pub file: the right one is used, before or after it in name order"

if command -v python3 >/dev/null 2>&1; then
    echo "# VERIFY.txt of a folder with a key rotation: key lines, document-signed dates, the old key's signature"
    V="$WORK/p4/VERIFY.txt"
    grep -qF "minisign -Vm ACME-1-v3.checkpoint -p ACME-1.client.$CID.pub -x ACME-1-v3.checkpoint.client.old.minisig" "$V" ||
        fail "VERIFY.txt does not check the old key's signature of version 3's checkpoint"
    grep -qF "grep -E '^(provider|client)-key: ' ACME-1-v3.checkpoint" "$V" ||
        fail "VERIFY.txt does not show the keys version 3's checkpoint names"
    grep -qF "Version 3 replaces the client's key $CID" "$V" || fail "VERIFY.txt does not explain the key change at version 3"
    tr "\n" " " <"$V" | grep -qF "the client 2026-07-03T09:00:00Z (the document-signed:" || fail "VERIFY.txt does not give the client's document-signed date"
    pass "VERIFY.txt names the keys, the key change and the document-signed dates"
    verify_txt_holds "$WORK/p4" "VERIFY.txt commands"
    pass "every command of VERIFY.txt prints what it says: $VERIFY_RUN"
    expect_ok sr prove PC-001 --at 2026-07-15T00:00:00Z --lang de -o "$WORK/p4de"
    verify_txt_holds "$WORK/p4de" "German VERIFY.txt commands"
    pass "German VERIFY.txt: $VERIFY_RUN"
    cp -r "$WORK/p4" "$WORK/p4x"
    cp "$WORK/p4x/ACME-1-v3.checkpoint.client.minisig" "$WORK/p4x/ACME-1-v3.checkpoint.client.old.minisig"
    verify_txt_fails "$WORK/p4x" "with the new key's signature as the old key's"
    pass "a swapped old-key signature makes VERIFY.txt commands print something else: $VERIFY_RUN"
fi

echo "# F3: version 4's client checkpoint signature re-made with the key replaced at version 3"
cp -r "$WORK/p4" "$WORK/f3a"
ROOT4=$(sed -n 's/^root: //p' "$WORK/f3a/ACME-1-v4.checkpoint")
minisign -S -s "$K/client.key" -m "$WORK/f3a/ACME-1-v4.checkpoint" \
    -x "$WORK/f3a/ACME-1-v4.checkpoint.client.minisig" \
    -t "scopereg-checkpoint register:$RID version:4 role:client root:blake2b-256:$ROOT4 document-signed:2026-07-03T09:00:00Z signed:2026-07-03T09:00:00Z" \
    </dev/null >/dev/null 2>&1 || fail "minisign -S failed"
cp "$K/client.pub" "$WORK/f3a/ACME-1.client.$CID.pub" 2>/dev/null || true
refused -f "$WORK/f3a/proof.txt" -m "F3: a signature by a key the checkpoint does not name" 1 \
    "ACME-1-v4.checkpoint.client.minisig" "is by key $CID" "names $C2ID" -- \
    "$SCOPEREG" verify --proof "$WORK/f3a"

cp -r "$WORK/p4" "$WORK/f3b"
rm "$WORK/f3b/ACME-1-v3.checkpoint.client.old.minisig"
refused -f "$WORK/f3b/proof.txt" -m "F3: a key change that the old key does not vouch for" 1 \
    "version 3 replaces the client's key $CID by $C2ID" "is missing" -- \
    "$SCOPEREG" verify --proof "$WORK/f3b"

cp -r "$WORK/p4" "$WORK/f3c"
cp "$K/stranger.pub" "$WORK/f3c/ACME-1.client.$(key_id "$K/stranger.pub").pub"
expect_ok "$SCOPEREG" verify --proof "$WORK/f3c"
pass "a .pub that no checkpoint names is ignored"

echo "# prove: a key change the replaced key has not vouched for is refused before anything is written"
SID=$(key_id "$K/stranger.pub")
export SCOPEREG_NOW=2026-09-01T09:00:00Z
sr_ok rekey --role client --key "$K/stranger.pub"
sr_ok add PC-004 --kind workstation --name Stock
sr_ok commit -m five --author jm
SCOPEREG_NOW=2026-09-02T09:00:00Z sr_ok sign 5 --key "$K/provider.key"
SCOPEREG_NOW=2026-09-03T09:00:00Z sr_ok sign 5 --key "$K/stranger.key"
export SCOPEREG_NOW=2026-10-01T09:00:00Z
sr_ok add PC-005 --kind workstation --name Hall
sr_ok commit -m six --author jm
SCOPEREG_NOW=2026-10-02T09:00:00Z sr_ok sign 6 --key "$K/provider.key"
SCOPEREG_NOW=2026-10-03T09:00:00Z sr_ok sign 6 --key "$K/stranger.key"
export SCOPEREG_NOW=2026-11-01T09:00:00Z
refused -m "version 5's checkpoint lacks the signature of the key it replaces" 1 \
    "version 5 replaces the client's key $C2ID by $SID" "key $C2ID has not signed version 5's checkpoint" \
    "scopereg sign 5 --key" "nothing written" -- sr prove PC-001 --at 2026-10-15T00:00:00Z -o "$WORK/p6"
[ ! -e "$WORK/p6" ] || fail "a refused prove wrote $WORK/p6"
pass "the refused prove wrote no folder"
SCOPEREG_NOW=2026-11-01T08:30:00Z sr_ok sign 5 --key "$K/client2.key"
[ "$(sqlite3 "$REG" "SELECT count(*) FROM checkpoint_signature WHERE version = 5 AND role = 'client'")" = 2 ] ||
    fail "the old key did not sign version 5's checkpoint"
expect_ok sr prove PC-001 --at 2026-10-15T00:00:00Z -o "$WORK/p6"
[ -f "$WORK/p6/ACME-1-v5.checkpoint.client.old.minisig" ] || fail "the old key's checkpoint signature of version 5 is not in the folder"
expect_ok "$SCOPEREG" verify --proof "$WORK/p6"
pass "once the replaced key signed, the folder is made and holds"
done_checks
