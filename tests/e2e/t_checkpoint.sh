#!/usr/bin/env bash
# t_checkpoint.sh - the checkpoint both parties sign (docs/FORMAT.md,
# scope-checkpoint/1): sign signs the document and its checkpoint with one
# key load, export writes the .checkpoint and its signatures, cosign
# signs both with one passphrase read, attach stores the checkpoint
# signature, verify says "checkpoint agreed"; stock minisign verifies a
# checkpoint signature; the root is recomputed here with python3 hashlib
# from the document's item blocks; registers made before checkpoints say
# "no checkpoint" and get one by sign / cosign; tampering with a
# .checkpoint, a checkpoint .minisig, a stored row or a trusted comment is
# refused or BROKEN, nothing written.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is needed to reach into the register"
have_minisign=0
command -v minisign >/dev/null 2>&1 && have_minisign=1
parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
sr_ok add PC-001 --kind workstation --name 'Compta\tA'
sr_ok add FW-01 --kind network
sr_ok commit -m one --author jm
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_ok add PC-002 --kind workstation --name Accueil
sr_ok remove FW-01 --reason replaced
sr_ok commit -m two --author jm

echo "# the provider signs version 1 and 2: document and checkpoint"
SCOPEREG_NOW=2026-01-11T09:00:00Z expect_ok sr sign 1 --key "$K/provider.key"
expect_stdout_contains "version 1 signed by the provider"
expect_stdout_contains "  checkpoint root "
SCOPEREG_NOW=2026-01-12T09:00:00Z expect_ok sr sign 1 --key "$K/client.key"
export SCOPEREG_NOW=2026-02-02T09:00:00Z
expect_ok sr sign 2 --key "$K/provider.key"
expect_stdout_contains "checkpoint signed by the provider only"
[ "$(sqlite3 "$REG" 'SELECT count(*) FROM checkpoint_signature')" = 3 ] ||
    fail "expected 3 checkpoint signature rows"
pass "the register holds 3 checkpoint signatures"
expect_ok sr sign 2 --key "$K/provider.key"
expect_stdout_contains "nothing changed"
expect_ok sr verify
expect_stdout_contains "version 1: agreed"
expect_stdout_contains "  checkpoint agreed (root "
expect_stdout_contains "  checkpoint signed by the provider only (root "

echo "# export writes the checkpoints of N and N-1 and their signatures"
OUTD="$WORK/exp"
expect_ok sr export 2 -o "$OUTD"
for f in ACME-1-v2.checkpoint ACME-1-v2.checkpoint.provider.minisig ACME-1-v1.checkpoint \
    ACME-1-v1.checkpoint.provider.minisig ACME-1-v1.checkpoint.client.minisig; do
    [ -f "$OUTD/$f" ] || fail "export did not write $f"
    pass "export wrote $f"
done
[ ! -e "$OUTD/ACME-1-v2.checkpoint.client.minisig" ] || fail "a client signature of v2 exported"
head -n 1 "$OUTD/ACME-1-v2.checkpoint" | grep -qx 'scope-checkpoint/1' || fail "format tag"
grep -qx 'items: 3' "$OUTD/ACME-1-v2.checkpoint" || fail "items: 3 expected"
grep -qx "document: $(b2_of "$OUTD/ACME-1-v2.scope")" "$OUTD/ACME-1-v2.checkpoint" ||
    fail "the checkpoint does not name the document's b2sum"
grep -qx "previous: $(b2_of "$OUTD/ACME-1-v1.scope")" "$OUTD/ACME-1-v2.checkpoint" ||
    fail "the checkpoint does not name the previous document's b2sum"
pass "the checkpoint names version 2's and version 1's document hashes (b2sum)"

echo "# the root, recomputed from the document's item blocks with python3 hashlib"
if command -v python3 >/dev/null 2>&1; then
    for n in 1 2; do
        want=$(python3 - "$OUTD/ACME-1-v$n.scope" <<'EOF'
import hashlib, sys
doc = open(sys.argv[1], 'rb').read()
leaves, lines, cur, after_blank = [], doc.split(b'\n')[:-1], None, False
for l in lines:
    if l == b'':
        if cur is not None:
            leaves.append(cur)
        cur, after_blank = None, True
        continue
    if after_blank and l.startswith(b'item: '):
        cur = b''
    if cur is not None:
        cur += l + b'\n'
    after_blank = False
def mth(h):
    if not h:
        return hashlib.blake2b(b'', digest_size=32).digest()
    if len(h) == 1:
        return h[0]
    k = 1
    while k * 2 < len(h):
        k *= 2
    return hashlib.blake2b(b'\x01' + mth(h[:k]) + mth(h[k:]), digest_size=32).digest()
print(mth([hashlib.blake2b(b'\x00' + x, digest_size=32).digest() for x in leaves]).hex(), len(leaves))
EOF
)
        got="$(sed -n 's/^root: //p' "$OUTD/ACME-1-v$n.checkpoint") $(sed -n 's/^items: //p' "$OUTD/ACME-1-v$n.checkpoint")"
        [ "$want" = "$got" ] || fail "version $n: python3 computes root/items '$want', the checkpoint says '$got'"
        pass "version $n: root and item count recomputed by python3 hashlib: $want"
    done
else
    pass "(python3 absent: the root is not recomputed)"
fi

echo "# stock minisign verifies a checkpoint signature"
if [ $have_minisign = 1 ]; then
    expect_ok minisign -Vm "$OUTD/ACME-1-v2.checkpoint" -p "$PKEY" \
        -x "$OUTD/ACME-1-v2.checkpoint.provider.minisig"
    expect_stdout_contains "scopereg-checkpoint register:"
    expect_stdout_contains "root:blake2b-256:$(sed -n 's/^root: //p' "$OUTD/ACME-1-v2.checkpoint")"
else
    echo "# minisign absent: the stock minisign check is skipped"
fi

echo "# attacks on the exported files: cosign refuses, nothing written"
cp -r "$OUTD" "$WORK/bad1"
sed -i 's/^items: 3$/items: 4/' "$WORK/bad1/ACME-1-v2.checkpoint"
DSHA=$(cat "$WORK"/bad1/* | sha256sum)
SCOPEREG_NOW=2026-02-03T09:00:00Z refused -f "$WORK/bad1/ACME-1-v2.scope" -m "a changed .checkpoint" \
    1 "ACME-1-v2.checkpoint does not match" "field items" -- \
    "$SCOPEREG" cosign "$WORK/bad1/ACME-1-v2.scope" --key "$K/client.key"
[ ! -e "$WORK/bad1/ACME-1-v2.client.minisig" ] && [ "$(cat "$WORK"/bad1/* | sha256sum)" = "$DSHA" ] ||
    fail "cosign wrote something after refusing"
pass "cosign wrote nothing"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/bad1"
expect_stdout_contains "BROKEN: $WORK/bad1/ACME-1-v2.checkpoint does not match the checkpoint of its document: field items differs"

cp -r "$OUTD" "$WORK/bad2"
# one byte of the signature line (line 2) of the provider's checkpoint signature
python3 - "$WORK/bad2/ACME-1-v2.checkpoint.provider.minisig" <<'EOF'
import sys
p = sys.argv[1]
l = open(p).read().split('\n')
c = l[1][20]
l[1] = l[1][:20] + ('A' if c != 'A' else 'B') + l[1][21:]
open(p, 'w').write('\n'.join(l))
EOF
SCOPEREG_NOW=2026-02-03T09:00:00Z refused -f "$WORK/bad2/ACME-1-v2.scope" -m "a changed checkpoint .minisig" \
    1 "ACME-1-v2.checkpoint.provider.minisig" "refusing to sign" -- \
    "$SCOPEREG" cosign "$WORK/bad2/ACME-1-v2.scope" --key "$K/client.key"
[ ! -e "$WORK/bad2/ACME-1-v2.client.minisig" ] || fail "cosign wrote a signature after refusing"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/bad2"
expect_stdout_contains "BROKEN"
expect_stdout_contains "ACME-1-v2.checkpoint.provider.minisig"

echo "# the client cosigns document and checkpoint with one passphrase read"
CK="$K/client.key"
if [ $have_minisign = 1 ]; then
    # the client's key, encrypted: the passphrase comes from a pipe that can
    # be read once only, so a second prompt would fail
    printf 'client pass phrase\nclient pass phrase\n' |
        minisign -G -p "$WORK/cenc.pub" -s "$WORK/cenc.key" >/dev/null 2>&1 || fail "minisign -G"
    chmod 600 "$WORK/cenc.key"
fi
export SCOPEREG_NOW=2026-02-03T09:00:00Z
expect_ok "$SCOPEREG" cosign "$OUTD/ACME-1-v2.scope" --key "$CK"
expect_stdout_contains "checkpoint of version 2 signed as the client"
[ -f "$OUTD/ACME-1-v2.client.minisig" ] && [ -f "$OUTD/ACME-1-v2.checkpoint.client.minisig" ] ||
    fail "cosign did not write both signatures"
pass "cosign wrote ACME-1-v2.client.minisig and ACME-1-v2.checkpoint.client.minisig"
if [ $have_minisign = 1 ]; then
    expect_ok minisign -Vm "$OUTD/ACME-1-v2.checkpoint" -p "$CKEY" \
        -x "$OUTD/ACME-1-v2.checkpoint.client.minisig"
fi
expect_ok "$SCOPEREG" verify --documents "$OUTD"
expect_stdout_contains "checkpoint agreed (root"

echo "# attack: a changed byte in the client's checkpoint .minisig is refused by attach"
cp "$OUTD/ACME-1-v2.checkpoint.client.minisig" "$WORK/cbad.minisig"
python3 - "$WORK/cbad.minisig" <<'EOF'
import sys
p = sys.argv[1]
l = open(p).read().split('\n')
c = l[1][30]
l[1] = l[1][:30] + ('A' if c != 'A' else 'B') + l[1][31:]
open(p, 'w').write('\n'.join(l))
EOF
refused -m "attach of a changed checkpoint signature" 1 "cbad.minisig" "checkpoint signature of version 2" -- \
    sr attach "$WORK/cbad.minisig"

echo "# attach both; verify: checkpoint agreed"
expect_ok sr attach "$OUTD/ACME-1-v2.client.minisig"
expect_ok sr attach "$OUTD/ACME-1-v2.checkpoint.client.minisig"
expect_stdout_contains "attached the client's checkpoint signature of version 2"
expect_stdout_contains "version 2: checkpoint agreed"
expect_ok sr attach "$OUTD/ACME-1-v2.checkpoint.client.minisig"
expect_stdout_contains "already attached"
expect_ok sr verify
expect_stdout_contains "version 2: agreed"
[ "$(grep -c '  checkpoint agreed (root ' "$OUT_FILE")" = 2 ] ||
    fail "expected two 'checkpoint agreed' lines"
pass "both versions: checkpoint agreed"
expect_ok sr verify --json
json_ok "verify --json"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert [v["checkpoint"]["status"] for v in d["versions"]]==["agreed","agreed"], d' <"$OUT_FILE" ||
    fail "verify --json does not say checkpoint agreed for both versions"
pass "verify --json: checkpoint.status agreed for both versions"

echo "# evidence ships the checkpoints and their signatures, and VERIFY.txt checks them"
expect_ok sr evidence SRV-01 -o "$WORK/ev"
for f in ACME-1-v1.checkpoint ACME-1-v2.checkpoint ACME-1-v2.checkpoint.provider.minisig \
    ACME-1-v2.checkpoint.client.minisig; do
    [ -f "$WORK/ev/$f" ] || fail "evidence lacks $f"
    pass "evidence holds $f"
done
expect_file_equal "$WORK/ev/ACME-1-v2.checkpoint" "$OUTD/ACME-1-v2.checkpoint" "the evidence's checkpoint is the exported one"
grep -q "minisign -Vm ACME-1-v2.checkpoint -p ACME-1.client.pub -x ACME-1-v2.checkpoint.client.minisig" "$WORK/ev/VERIFY.txt" ||
    fail "VERIFY.txt does not check the client's checkpoint signature of version 2"
pass "VERIFY.txt checks the checkpoint signatures"
expect_ok "$SCOPEREG" verify --documents "$WORK/ev"
expect_stdout_contains "checkpoint agreed (root"

echo "# a checkpoint trusted comment with a wrong root (signed by the client's own key)"
if [ $have_minisign = 1 ]; then
    RID=$(sqlite3 "$REG" "SELECT value FROM meta WHERE key = 'register'")
    cp "$OUTD/ACME-1-v2.checkpoint" "$WORK/cp2"
    minisign -S -s "$K/client.key" -m "$WORK/cp2" -x "$WORK/wrongroot.minisig" \
        -t "scopereg-checkpoint register:$RID version:2 role:client root:blake2b-256:$(printf '%064d' 0) document-signed:2026-02-03T10:00:00Z signed:2026-02-03T10:00:00Z" \
        </dev/null >/dev/null 2>&1 || fail "minisign -S failed"
    refused -m "a checkpoint signature naming a wrong root" 1 "names root 0000" -- \
        sr attach "$WORK/wrongroot.minisig"
else
    echo "# minisign absent: the wrong-root signature cannot be made; skipped"
fi

echo "# attack: a stored checkpoint signature row altered with sqlite3"
cp "$REG" "$WORK/tamper.db"
sqlite3 "$WORK/tamper.db" "UPDATE checkpoint_signature SET signed_at = '2026-02-05T09:00:00Z' WHERE version = 2 AND role = 'client'"
TSHA=$(sha_of "$WORK/tamper.db")
expect_exit 1 "$SCOPEREG" -R "$WORK/tamper.db" verify
expect_stdout_contains "version 2: BROKEN: stored client checkpoint signature does not hold: the row was altered"
expect_same_sha "$WORK/tamper.db" "$TSHA" "verify of the altered register"
cp "$REG" "$WORK/tamper2.db"
sqlite3 "$WORK/tamper2.db" "UPDATE checkpoint_signature SET minisig = replace(minisig, 'version:1 role:provider', 'version:1 role:client') WHERE version = 1 AND role = 'provider'"
expect_exit 1 "$SCOPEREG" -R "$WORK/tamper2.db" verify
expect_stdout_contains "version 1: BROKEN: stored provider checkpoint signature does not hold"
T2SHA=$(sha_of "$WORK/tamper2.db")
REGSAVE=$REG
REG="$WORK/tamper2.db"
SCOPEREG_NOW=2026-02-03T09:00:00Z refused -m "export refuses a version whose stored checkpoint signature does not hold" \
    1 "version 1" "checkpoint signature" -- sr export 1 -o "$WORK/never"
REG=$REGSAVE
[ ! -e "$WORK/never" ] || fail "export wrote $WORK/never"
expect_same_sha "$WORK/tamper2.db" "$T2SHA" "export refused"

cp "$REG" "$WORK/tamper3.db"
sqlite3 "$WORK/tamper3.db" "INSERT INTO checkpoint_signature SELECT 9, role, key_id, signed_at, minisig FROM checkpoint_signature WHERE version = 2 AND role = 'client'"
T3SHA=$(sha_of "$WORK/tamper3.db")
expect_exit 1 "$SCOPEREG" -R "$WORK/tamper3.db" verify
expect_stdout_contains "version 2: BROKEN: 1 checkpoint signature row names a version the register does not hold (version 9)"
expect_same_sha "$WORK/tamper3.db" "$T3SHA" "verify of a register with a stray checkpoint row"

echo "# a register made before checkpoints: no checkpoint, then sign N / cosign give it one"
cp "$SCOPEREG_SOURCE/tests/fixtures/golden2/register.db" "$WORK/golden2.db"
GSHA=$(sha_of "$WORK/golden2.db")
expect_ok "$SCOPEREG" -R "$WORK/golden2.db" verify
expect_stdout_contains "  no checkpoint: signed before checkpoints; 'scopereg sign 20' and 'scopereg cosign' give it one"
expect_same_sha "$WORK/golden2.db" "$GSHA" "verify of the register made before checkpoints"
# (its make.sh deleted its secret keys: our own register, made the same way, signs)
OLD="$WORK/old.db"
cp "$REG" "$OLD"
sqlite3 "$OLD" "DROP TABLE checkpoint_signature"
expect_ok "$SCOPEREG" -R "$OLD" verify
expect_stdout_contains "version 2: agreed"
expect_stdout_contains "  no checkpoint: signed before checkpoints; 'scopereg sign 2' and 'scopereg cosign' give it one"
expect_ok "$SCOPEREG" -R "$OLD" sign 2 --key "$K/provider.key"
expect_stdout_contains "version 2: the document already carried the provider's signature (signed before checkpoints); its checkpoint is now signed by the provider"
expect_ok "$SCOPEREG" -R "$OLD" verify
expect_stdout_contains "  checkpoint signed by the provider only"
OLDX="$WORK/oldexp"
expect_ok "$SCOPEREG" -R "$OLD" export 2 -o "$OLDX"
expect_ok "$SCOPEREG" cosign "$OLDX/ACME-1-v2.scope" --key "$K/client.key"
expect_stdout_contains "already carries your signature (made before checkpoints): signing its checkpoint only"
expect_ok "$SCOPEREG" -R "$OLD" attach "$OLDX/ACME-1-v2.checkpoint.client.minisig"
expect_ok "$SCOPEREG" -R "$OLD" verify
expect_stdout_contains "version 2: agreed"
[ "$(grep -c '  checkpoint agreed' "$OUT_FILE")" = 1 ] || fail "expected v2 'checkpoint agreed'"
pass "the old register's version 2 now has an agreed checkpoint"

echo "# one passphrase read signs document and checkpoint (encrypted key)"
if [ $have_minisign = 1 ]; then
    E="$WORK/enc.db"
    export SCOPEREG_NOW=2026-03-01T08:00:00Z
    expect_ok "$SCOPEREG" -R "$E" init --contract 'E-1' --provider P --provider-key "$PKEY" \
        --client C --client-key "$WORK/cenc.pub"
    expect_ok "$SCOPEREG" -R "$E" add X-1 --kind other
    expect_ok "$SCOPEREG" -R "$E" commit -m one --author t
    expect_ok "$SCOPEREG" -R "$E" sign 1 --key "$WORK/cenc.key" \
        --passphrase-file <(printf 'client pass phrase\n')
    expect_stdout_contains "checkpoint signed by the client only"
    expect_ok "$SCOPEREG" -R "$E" sign 1 --key "$K/provider.key"
    expect_ok "$SCOPEREG" -R "$E" export 1 -o "$WORK/eexp"
    rm "$WORK/eexp/E-1-v1.client.minisig" "$WORK/eexp/E-1-v1.checkpoint.client.minisig"
    expect_ok "$SCOPEREG" cosign "$WORK/eexp/E-1-v1.scope" --key "$WORK/cenc.key" \
        --passphrase-file <(printf 'client pass phrase\n')
    [ -f "$WORK/eexp/E-1-v1.client.minisig" ] && [ -f "$WORK/eexp/E-1-v1.checkpoint.client.minisig" ] ||
        fail "cosign with one passphrase read did not write both signatures"
    pass "cosign: both signatures with one passphrase read"
else
    echo "# minisign absent: no encrypted key to test one passphrase read with"
fi

done_checks
