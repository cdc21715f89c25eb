#!/usr/bin/env bash
# t_sign_twoparty.sh - the two-party signature flow on two machines: the
# provider keeps the register; the client has no register. keygen for both
# parties, init, add, commit, sign (provider), export, cosign (client, in
# its own directory), attach (provider), log and verify say agreed; every
# exported signature verifies with stock minisign and the document hash is
# b2sum -l 256 of the file; verify --documents checks the exported files
# and their chain with no register; a key pair made by 'minisign -G'
# (encrypted, passphrase given to minisign on stdin) signs through
# 'scopereg sign'.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROV="$WORK/provider" # the provider's machine: the register lives here
CLI="$WORK/client"    # the client's machine: no register at all
XFER="$WORK/mail"     # what travels between them
mkdir -p "$PROV" "$CLI" "$XFER"
have_minisign=0
command -v minisign >/dev/null 2>&1 && have_minisign=1

echo "# each party makes its key pair on its own machine"
expect_ok "$SCOPEREG" keygen -o "$PROV/provider" --unencrypted
expect_stdout_contains "key id: "
expect_ok "$SCOPEREG" keygen -o "$CLI/client" --unencrypted
PID=$(key_id "$PROV/provider.pub")
CID=$(key_id "$CLI/client.pub")
[ ${#PID} -eq 16 ] && [ ${#CID} -eq 16 ] || fail "cannot read the key ids"
cp "$CLI/client.pub" "$XFER/client.pub" # the client sends its public key once

cd "$PROV" || fail "cd $PROV"
REG="$PROV/acme.db"
PKEY="$PROV/provider.pub"
CKEY="$XFER/client.pub"

echo "# the provider's register, version 1"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg 'ACME/INFOG 2026'
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5 --set os='Windows Server 2022'
expect_ok sr add PC-01 --kind poste --name 'Poste compta' --set serial=SN-001
expect_ok sr add FW-01 --kind pare-feu --name 'Main firewall'
expect_ok sr commit -m 'Initial inventory' --author 'J. Muller'
expect_ok sr log
expect_stdout_contains "    proposed"
expect_ok sr verify
expect_stdout_contains "version 1: pending (no signature yet)"

echo "# the provider signs (default: the latest version)"
export SCOPEREG_NOW="2026-01-10T10:00:00Z"
expect_ok sr sign --key "$PROV/provider.key"
expect_stdout_contains "version 1 signed by the provider (key $PID) at 2026-01-10T10:00:00Z"
expect_stdout_contains "version 1: signed by provider 2026-01-10T10:00:00Z"
expect_ok sr sign 1 --key "$PROV/provider.key"
expect_stdout_contains "already carries the provider's signature"
expect_ok sr log
expect_stdout_contains "    signed by provider 2026-01-10T10:00:00Z"

echo "# export for the client"
expect_ok sr export 1 -o "$XFER/v1"
STEM="ACME_INFOG_2026"
for f in "$STEM-v1.scope" "$STEM-v1.provider.minisig" "$STEM.provider.pub" "$STEM.client.pub"; do
    [ -f "$XFER/v1/$f" ] || fail "export did not write $f"
done
pass "export wrote the document, the provider's signature and both keys"
[ ! -e "$XFER/v1/$STEM-v1.client.minisig" ] || fail "export wrote a client signature that does not exist"
expect_ok sr show 1
expect_file_equal "$XFER/v1/$STEM-v1.scope" "$OUT_FILE" "the exported document is the document"
expect_file_equal "$XFER/v1/$STEM.client.pub" "$XFER/client.pub" "the exported client key"
# a second export is a no-op; a different file in the way is refused
expect_ok sr export 1 -o "$XFER/v1"
expect_stdout_contains "(unchanged)"
echo "not the document" >"$XFER/v1/$STEM-v1.scope.bak"
cp "$XFER/v1/$STEM-v1.scope" "$WORK/keep.scope"
echo "x" >"$XFER/v1/$STEM-v1.scope"
expect_exit 2 sr export 1 -o "$XFER/v1"
expect_one_error_line
expect_stderr_contains "already exists with other content"
expect_ok sr export 1 -o "$XFER/v1" --force
expect_file_equal "$XFER/v1/$STEM-v1.scope" "$WORK/keep.scope" "--force rewrote the document"
rm -f "$XFER/v1/$STEM-v1.scope.bak"

echo "# the client reviews and countersigns, with no register"
cp "$XFER/v1/"* "$CLI/"
cd "$CLI" || fail "cd $CLI"
[ ! -e scope.db ] || fail "the client's directory holds a register"
export SCOPEREG_NOW="2026-01-12T14:00:00Z"
expect_ok "$SCOPEREG" cosign "$STEM-v1.scope" --key client.key
expect_stdout_contains "contract: ACME/INFOG 2026"
expect_stdout_contains "provider signature (key $PID): valid, signed 2026-01-10T10:00:00Z"
expect_stdout_contains "items:    3 in scope"
expect_stdout_contains "changes in version 1: 3 (3 added, 0 modified, 0 removed)"
expect_stdout_contains "+ FW-01"
expect_stdout_contains "+ SRV-01"
expect_stdout_contains "signed version 1 as the client (key $CID)"
[ -f "$STEM-v1.client.minisig" ] || fail "cosign did not write $STEM-v1.client.minisig"
pass "cosign wrote $STEM-v1.client.minisig"
[ ! -e scope.db ] || fail "cosign created a register"
pass "no register on the client's side"
# signed already, document and checkpoint: nothing to sign, nothing rewritten
CSHA=$(sha_of "$STEM-v1.client.minisig")
expect_ok "$SCOPEREG" cosign "$STEM-v1.scope" --key client.key
expect_stdout_contains "already carries your signature and your checkpoint signature; nothing to sign"
expect_same_sha "$STEM-v1.client.minisig" "$CSHA" "a second cosign"
cp "$STEM-v1.client.minisig" "$XFER/"

echo "# back at the provider: attach"
cd "$PROV" || fail "cd $PROV"
export SCOPEREG_NOW="2026-01-13T08:00:00Z"
expect_ok sr attach "$XFER/$STEM-v1.client.minisig"
expect_stdout_contains "attached the client's signature of version 1 (key $CID, signed 2026-01-12T14:00:00Z)"
expect_stdout_contains "version 1: agreed (provider 2026-01-10T10:00:00Z, client 2026-01-12T14:00:00Z)"
SHA=$(sha_of "$PROV/acme.db")
expect_ok sr attach "$XFER/$STEM-v1.client.minisig"
expect_stdout_contains "already attached"
expect_same_sha "$PROV/acme.db" "$SHA" "attaching twice"
expect_ok sr log
expect_stdout_contains "    agreed (provider 2026-01-10T10:00:00Z, client 2026-01-12T14:00:00Z)"
expect_ok sr verify
expect_stdout_contains "version 1: agreed (provider 2026-01-10T10:00:00Z, client 2026-01-12T14:00:00Z)"

echo "# version 2: the client signs first this time"
export SCOPEREG_NOW="2026-02-01T10:00:00Z"
expect_ok sr edit SRV-01 --set ip=10.0.0.6
expect_ok sr remove PC-01 --reason 'laptop stolen, police report 2026-0042'
expect_ok sr add VPN-01 --kind vpn --name 'Remote access'
expect_ok sr commit -m 'Q1 changes' --author jm
expect_ok sr export -o "$XFER/v2"
cp "$XFER/v2/$STEM-v2.scope" "$CLI/"
cd "$CLI" || fail "cd $CLI"
export SCOPEREG_NOW="2026-02-02T09:00:00Z"
expect_ok "$SCOPEREG" cosign "$STEM-v2.scope" --key client.key -o "$XFER/client-v2.minisig"
expect_stdout_contains "provider signature (key $PID): none beside the document"
expect_stdout_contains "changes in version 2: 3 (1 added, 1 modified, 1 removed)"
expect_stdout_contains '  ip: "10.0.0.5" -> "10.0.0.6"'
expect_stdout_contains "  reason: laptop stolen, police report 2026-0042"
expect_stdout_contains "items:    3 in scope"
cd "$PROV" || fail "cd $PROV"
expect_ok sr attach "$XFER/client-v2.minisig"
expect_stdout_contains "version 2: signed by client 2026-02-02T09:00:00Z"
expect_ok sr verify
expect_stdout_contains "version 2: pending (client 2026-02-02T09:00:00Z; awaiting the provider)"
export SCOPEREG_NOW="2026-02-03T09:00:00Z"
expect_ok sr sign 2 --key "$PROV/provider.key"
expect_stdout_contains "version 2: agreed (provider 2026-02-03T09:00:00Z, client 2026-02-02T09:00:00Z)"
expect_ok sr verify
expect_stdout_contains "version 1: agreed"
expect_stdout_contains "version 2: agreed"
expect_stdout_contains "2 agreed, 0 pending"

echo "# everything exported, checked without the register"
EVID="$WORK/evidence"
expect_ok sr export 1 -o "$EVID"
expect_ok sr export 2 -o "$EVID"
expect_ok "$SCOPEREG" verify --documents "$EVID"
expect_stdout_contains "$STEM-v1.scope: version 1: agreed (provider 2026-01-10T10:00:00Z, client 2026-01-12T14:00:00Z)"
expect_stdout_contains "$STEM-v2.scope: version 2: agreed"
expect_stdout_contains "provider Helvetia IT SA (key $PID), client ACME SA (key $CID)"
expect_stdout_contains "2 documents: 2 agreed, 0 pending, 0 broken"

echo "# stock tools: minisign -Vm and b2sum -l 256"
for v in 1 2; do
    H=$(sed -n 's/^    \(blake2b-256:[0-9a-f]*\)$/\1/p' <<<"$(sr log)" | sed -n "$((3 - v))p")
    B=$(b2_of "$EVID/$STEM-v$v.scope")
    if [ -n "$B" ]; then
        [ "$B" = "$H" ] || fail "b2sum -l 256 of v$v ($B) is not the logged hash ($H)"
        pass "b2sum -l 256 $STEM-v$v.scope is the document hash"
    fi
    for role in provider client; do
        if [ $have_minisign = 0 ]; then
            echo "# minisign absent: $STEM-v$v.$role.minisig not checked with stock minisign"
            continue
        fi
        expect_ok minisign -Vm "$EVID/$STEM-v$v.scope" -p "$EVID/$STEM.$role.pub" \
            -x "$EVID/$STEM-v$v.$role.minisig"
        expect_stdout_contains "role:$role"
        expect_stdout_contains "version:$v "
        [ -z "$B" ] || expect_stdout_contains "document:$B"
    done
done
if [ $have_minisign = 1 ]; then
    # the provider's key does not verify the client's signature
    run minisign -Vm "$EVID/$STEM-v1.scope" -p "$EVID/$STEM.provider.pub" -x "$EVID/$STEM-v1.client.minisig"
    [ "$RC" -ne 0 ] || fail "minisign accepted the client's signature with the provider's key"
    pass "minisign refuses the client's signature with the provider's key"
fi

echo "# a key pair from 'minisign -G' (encrypted) signs through scopereg sign"
if [ $have_minisign = 0 ]; then
    echo "# minisign absent: skipped"
else
    M="$WORK/mkeys"
    mkdir -p "$M"
    printf 'minisign pass phrase\nminisign pass phrase\n' |
        minisign -G -p "$M/m.pub" -s "$M/m.key" >/dev/null 2>&1 ||
        fail "minisign -G failed"
    chmod 600 "$M/m.key"
    printf 'minisign pass phrase\n' >"$M/pass.txt"
    R2="$WORK/second.db"
    export SCOPEREG_NOW="2026-03-01T08:00:00Z"
    expect_ok "$SCOPEREG" -R "$R2" init --contract 'M-1' --provider 'P' --provider-key "$M/m.pub" \
        --client 'C' --client-key "$XFER/client.pub"
    expect_ok "$SCOPEREG" -R "$R2" add X-1 --kind other
    expect_ok "$SCOPEREG" -R "$R2" commit -m one --author t
    expect_ok "$SCOPEREG" -R "$R2" sign --key "$M/m.key" --passphrase-file "$M/pass.txt"
    expect_stdout_contains "signed by the provider (key $(key_id "$M/m.pub"))"
    expect_ok "$SCOPEREG" -R "$R2" export -o "$WORK/m-out"
    expect_ok minisign -Vm "$WORK/m-out/M-1-v1.scope" -p "$M/m.pub" -x "$WORK/m-out/M-1-v1.provider.minisig"
    expect_stdout_contains "role:provider"
    expect_ok "$SCOPEREG" -R "$R2" verify
    expect_stdout_contains "version 1: pending (provider 2026-03-01T08:00:00Z; awaiting the client)"
fi

done_checks
