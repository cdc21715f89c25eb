#!/usr/bin/env bash
# t_sign_rotation.sh - replacing a party's key: rekey stages it, the next
# commit makes a version of it alone whose document names the new key and
# records "key client: OLD -> NEW"; that version is agreed only once
# signed by the client's old key, its new key and the provider (the old
# key's signature made on the client's machine with cosign); after it the
# old key signs nothing; verify follows the rotation, on the register and
# on exported files (both keys exported under distinct names); stock
# minisign checks each signature with the right key; a rotation row edited
# with sqlite3 breaks the version that names it.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

have_minisign=0
command -v minisign >/dev/null 2>&1 && have_minisign=1
parties client2027
OLD=$CID
NEW=$(key_id "$K/client2027.pub")
STEM=ACME-1

echo "# version 1, agreed with the first keys"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg ACME-1
expect_exit 2 sr rekey --role client --key "$K/client2027.pub"
expect_stderr_contains "no version yet"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server'
expect_ok sr commit -m one --author jm
expect_ok sr sign --key "$K/provider.key"
expect_ok sr sign --key "$K/client.key"
expect_ok sr export 1 -o "$WORK/ev"

echo "# the client's key is replaced by a version of its own"
export SCOPEREG_NOW="2026-02-01T09:00:00Z"
expect_ok sr rekey
expect_stdout_contains "no key replacement staged"
expect_ok sr rekey --role client --key "$K/client2027.pub"
expect_stdout_contains "staged for version 2: key client: $OLD -> $NEW"
expect_ok sr rekey
expect_stdout_contains "staged: key client: $OLD -> $NEW"
expect_ok sr rekey --role client --cancel
expect_ok sr rekey
expect_stdout_contains "no key replacement staged"
expect_exit 2 sr rekey --role client --cancel
expect_ok sr rekey --role client --key "$K/client2027.pub"
expect_ok sr commit -m 'client key replaced' --author jm
expect_stdout_contains "version 2 committed"
expect_ok sr rekey
expect_stdout_contains "no key replacement staged"
expect_ok sr show 2
expect_stdout_contains "client-key: $NEW"
expect_stdout_contains "provider-key: $PID"
expect_stdout_contains "changes: 1
key client: $OLD -> $NEW

item: SRV-01"
expect_ok sr show 1
expect_stdout_contains "client-key: $OLD"

echo "# only the client's new key has signed: verify names the key missing"
export SCOPEREG_NOW="2026-02-01T10:00:00Z"
SAVED=$REG
REG="$WORK/new-key-only.db"
cp "$SAVED" "$REG"
expect_ok sr sign 2 --key "$K/client2027.key"
expect_ok sr verify
NEWONLY="  checkpoint signed by the client's new key only: the key it replaces must sign it too ('scopereg sign 2 --key OLD.key', or 'scopereg cosign --previous-key OLD.key')"
expect_stdout_contains "$NEWONLY"
expect_stdout_lacks "signed before checkpoints"
expect_stdout_lacks "  no checkpoint"
LC_ALL=fr_CH.UTF-8 LANGUAGE=fr expect_ok sr verify
expect_stdout_contains "signé par la nouvelle clé du client seulement"
expect_ok sr verify --json
expect_stdout_contains '"one_key":{"provider":null,"client":"new"}'
echo "# only the client's replaced key has signed: verify names the new key as missing"
REG="$WORK/old-key-only.db"
cp "$SAVED" "$REG"
expect_ok sr sign 2 --key "$K/client.key"
expect_ok sr verify
expect_stdout_contains "  checkpoint signed by the client's replaced key only: the new key must sign it too ('scopereg sign 2 --key NEW.key', or 'scopereg cosign --key NEW.key')"
expect_stdout_lacks "signed before checkpoints"
expect_ok sr verify --json
expect_stdout_contains '"one_key":{"provider":null,"client":"replaced"}'
REG=$SAVED

echo "# agreed only with the old key, the new key and the provider"
expect_ok sr sign 2 --key "$K/provider.key"
expect_ok sr sign 2 --key "$K/client2027.key"
expect_stdout_contains "version 2: signed by provider (provider 2026-02-01T10:00:00Z; client with 1 of its 2 keys 2026-02-01T10:00:00Z)"
expect_ok sr verify
expect_stdout_contains "version 2: pending (provider 2026-02-01T10:00:00Z, client with 1 of its 2 keys 2026-02-01T10:00:00Z; awaiting the other key of the client)"
expect_stdout_contains "  checkpoint signed by the provider only"
expect_stdout_contains "$NEWONLY"
expect_ok sr export 2 -o "$WORK/to-client"
expect_stdout_contains "$STEM.client.$OLD.pub"
[ -f "$WORK/to-client/$STEM-v2.client.minisig" ] || fail "the new key's signature is not exported"
[ -f "$WORK/to-client/$STEM.client.pub" ] && [ -f "$WORK/to-client/$STEM.client.$OLD.pub" ] ||
    fail "the old and the new client keys are not both exported"
expect_file_equal "$WORK/to-client/$STEM.client.pub" "$K/client2027.pub" "the key in force is the new one"
expect_file_equal "$WORK/to-client/$STEM.client.$OLD.pub" "$K/client.pub" "the replaced key has its own name"
pass "export wrote both client keys under distinct names"

echo "# the client signs with its old key on its own machine"
mkdir -p "$WORK/client"
cp "$WORK/to-client/"* "$WORK/client/"
export SCOPEREG_NOW="2026-02-02T09:00:00Z"
expect_ok "$SCOPEREG" cosign "$WORK/client/$STEM-v2.scope" --key "$K/client.key"
expect_stdout_contains "client:   ACME SA (key $NEW, replacing key $OLD)"
expect_stdout_contains "client signature (key $NEW): valid"
expect_stdout_contains "key client: $OLD -> $NEW"
expect_stdout_contains "and a key replacement"
expect_stdout_contains "signed version 2 as the client (previous key $OLD)"
[ -f "$WORK/client/$STEM-v2.client.old.minisig" ] || fail "cosign did not write $STEM-v2.client.old.minisig"
pass "cosign wrote the old key's signature as $STEM-v2.client.old.minisig"
expect_ok sr attach "$WORK/client/$STEM-v2.client.old.minisig"
expect_stdout_contains "version 2: agreed (provider 2026-02-01T10:00:00Z, client 2026-02-02T09:00:00Z (old and new key))"
expect_ok sr log
expect_stdout_contains "    agreed (provider 2026-02-01T10:00:00Z, client 2026-02-02T09:00:00Z (old and new key))"

echo "# evidence of the rotation's version: the replaced key's checkpoint signature has a file of its own"
# Regression: both client checkpoint signatures were planned under one
# name, and evidence failed with an internal error (exit 3).
[ -f "$WORK/client/$STEM-v2.checkpoint.client.old.minisig" ] ||
    fail "cosign did not write $STEM-v2.checkpoint.client.old.minisig"
expect_ok sr attach "$WORK/client/$STEM-v2.checkpoint.client.old.minisig"
expect_ok sr evidence SRV-01 --at 2026-02-15 -o "$WORK/evid"
expect_stdout_contains "$STEM-v2.checkpoint.client.old.minisig"
expect_stdout_contains "$STEM-v2.checkpoint.client.minisig"
expect_ok "$SCOPEREG" verify --documents "$WORK/evid"
expect_stdout_contains "$STEM-v2.scope: version 2: agreed"
if [ $have_minisign = 1 ]; then
    expect_ok minisign -Vm "$WORK/evid/$STEM-v2.checkpoint" -p "$WORK/evid/$STEM.client.$OLD.pub" \
        -x "$WORK/evid/$STEM-v2.checkpoint.client.old.minisig"
    expect_ok minisign -Vm "$WORK/evid/$STEM-v2.checkpoint" -p "$WORK/evid/$STEM.client.pub" \
        -x "$WORK/evid/$STEM-v2.checkpoint.client.minisig"
    grep -q -- "-x $STEM-v2.checkpoint.client.old.minisig" "$WORK/evid/VERIFY.txt" ||
        fail "VERIFY.txt does not check the replaced key's checkpoint signature"
    pass "VERIFY.txt checks the replaced key's checkpoint signature"
fi

echo "# after the rotation the old key signs nothing"
export SCOPEREG_NOW="2026-03-01T09:00:00Z"
expect_ok sr add VPN-01 --kind vpn --name 'Remote access'
expect_ok sr commit -m three --author jm
SHA=$(sha_of "$REG")
expect_exit 2 sr sign 3 --key "$K/client.key"
expect_stderr_contains "neither the provider's nor the client's key for version 3"
expect_same_sha "$REG" "$SHA" "a refused signature by the old key"
expect_exit 2 sr sign 1 --key "$K/client2027.key"
expect_stderr_contains "for version 1"
expect_ok sr sign 3 --key "$K/client2027.key"
expect_ok sr sign 3 --key "$K/provider.key"
expect_ok sr verify
expect_stdout_contains "version 1: agreed"
expect_stdout_contains "version 2: agreed"
expect_stdout_contains "version 3: agreed"

echo "# exported files, all versions in one directory"
expect_ok sr export 2 -o "$WORK/ev"
expect_ok sr export 3 -o "$WORK/ev"
expect_stdout_contains "$STEM.client.$NEW.pub"
expect_ok "$SCOPEREG" verify --documents "$WORK/ev"
expect_stdout_contains "$STEM-v2.scope: version 2: agreed (provider 2026-02-01T10:00:00Z, client 2026-02-02T09:00:00Z (old and new key))"
expect_stdout_contains "$STEM-v3.scope: version 3: agreed"
expect_stdout_contains "3 documents: 3 agreed"
if [ $have_minisign = 1 ]; then
    # version 1's export gave the old key the plain name in this directory
    expect_file_equal "$WORK/ev/$STEM.client.pub" "$K/client.pub" "the plain name keeps the first key"
    expect_ok minisign -Vm "$WORK/ev/$STEM-v2.scope" -p "$WORK/ev/$STEM.client.$OLD.pub" -x "$WORK/ev/$STEM-v2.client.old.minisig"
    expect_stdout_contains "role:client"
    expect_ok minisign -Vm "$WORK/ev/$STEM-v2.scope" -p "$WORK/ev/$STEM.client.$NEW.pub" -x "$WORK/ev/$STEM-v2.client.minisig"
    expect_stdout_contains "role:client"
    run minisign -Vm "$WORK/ev/$STEM-v2.scope" -p "$K/client.pub" -x "$WORK/ev/$STEM-v2.client.minisig"
    [ "$RC" -ne 0 ] || fail "minisign accepted the new key's signature with the old key"
    pass "minisign refuses the new key's signature with the old key"
else
    echo "# minisign absent: stock checks skipped"
fi
# without the old key's signature the rotation version is pending
cp -r "$WORK/ev" "$WORK/ev2"
rm "$WORK/ev2/$STEM-v2.client.old.minisig" "$WORK/ev2/$STEM-v2.checkpoint.client.old.minisig"
expect_ok "$SCOPEREG" verify --documents "$WORK/ev2"
expect_stdout_contains "$STEM-v2.scope: version 2: pending"
# the replaced key's checkpoint signature without its document signature
cp -r "$WORK/ev" "$WORK/ev4"
rm "$WORK/ev4/$STEM-v2.client.old.minisig"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ev4"
expect_stdout_contains "no document signature by key $OLD lies beside it"
# a key change without its key line breaks the chain
cp -r "$WORK/ev" "$WORK/ev3"
sed -i "s/^client-key: $NEW\$/client-key: $OLD/" "$WORK/ev3/$STEM-v3.scope"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ev3"
expect_stdout_contains "$STEM-v3.scope: version 3: BROKEN"

echo "# a rotation row edited behind the tool's back"
command -v sqlite3 >/dev/null 2>&1 || { done_checks; }
cp "$REG" "$WORK/t.db"
B64=$(sed -n 2p "$K/provider.pub")
sqlite3 "$WORK/t.db" "UPDATE party_key SET public_key = '$B64', key_id = '$PID' WHERE role = 'client' AND since = 2"
expect_exit 1 "$SCOPEREG" -R "$WORK/t.db" verify
expect_stdout_contains "version 2: BROKEN"
cp "$REG" "$WORK/t2.db"
sqlite3 "$WORK/t2.db" "DELETE FROM party_key WHERE role = 'client' AND since = 2"
expect_exit 1 "$SCOPEREG" -R "$WORK/t2.db" verify
expect_stdout_contains "version 2: BROKEN"
cp "$REG" "$WORK/t3.db"
sqlite3 "$WORK/t3.db" "INSERT INTO party_key VALUES ('provider', 4, '$OLD', '$(sed -n 2p "$K/client.pub")')"
expect_exit 1 "$SCOPEREG" -R "$WORK/t3.db" verify
expect_stdout_contains "beyond the latest version"

done_checks
