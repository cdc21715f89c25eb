#!/usr/bin/env bash
# t_integrity_review_documents.sh - verify --documents against the document
# attacks of the review of the integrity work, forged as a hostile provider
# (or an outsider on the mail path) would, with python and stock minisign:
#   a document that contradicts itself, whatever other document is present:
#   version 1 whose changes are not one "+ ID" per listed item (an id
#   swapped, one fewer, one more); version N alone whose "- ID" is still
#   listed, whose "+ ID" is not, whose "~ ID" is not listed or sets a value
#   the item does not hold;
#   a second register naming the same parties' keys under a contract
#   spelled otherwise (a trailing space): a fork; another contract with
#   another client key beside it: no fork;
#   a key id carried by two keys: a second .pub, or the provider's .pub
#   swapped for a twin key that signs the next version: every document
#   naming that key id broken, not only those whose signature fails.
# Each attack checks the exit code, the message naming the file, version
# and item, and that the folder is as it was.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v minisign >/dev/null 2>&1 || skip "needs stock minisign to forge signatures"
command -v b2sum >/dev/null 2>&1 || skip "needs b2sum (GNU coreutils)"
command -v python3 >/dev/null 2>&1 || skip "needs python3 to edit documents and keys"
command -v timeout >/dev/null 2>&1 || skip "needs timeout (GNU coreutils)"

parties fake client2
STEM=ACME-1

# caught DIR WHAT...: lib.sh's docs_caught, and stderr names the first file of
# DIR that does not hold.
caught() {
    local dir=$1
    docs_caught "$@"
    expect_stderr_contains "error: $dir/"
    expect_stderr_contains " does not hold: "
}

# only NAME V...: a folder with the parties' .pub files and versions V of
# the honest folder (document and signatures).
only() {
    local d="$WORK/f-$1" v
    shift
    rm -rf "$d"
    mkdir "$d"
    cp "$WORK/honest/$STEM".*.pub "$d/"
    for v in "$@"; do
        cp "$WORK/honest/$STEM-v$v".* "$d/"
    done
    echo "$d"
}

# edit FILE OLD NEW: replaces the first OLD (python escapes: \n) by NEW;
# fails when OLD is not there.
edit() {
    python3 - "$@" <<'EOF' || fail "edit $1: '$2' not found"
import sys
path = sys.argv[1]
old, new = (a.encode().decode('unicode_escape').encode('latin-1') for a in sys.argv[2:4])
data = open(path, 'rb').read()
if old not in data:
    sys.exit(1)
open(path, 'wb').write(data.replace(old, new, 1))
EOF
}

SIGN_WHEN=2026-04-02T10:00:00Z # the default date of sign_as (lib.sh)

echo "# the register: version 1 (SRV-01, PC-001), 2 (+ PC-002), 3 (- SRV-01) agreed, 4 (~ PC-001) signed by the provider"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg "$STEM"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
expect_ok sr add PC-001 --kind workstation --name Compta
expect_ok sr commit -m one --author jm
export SCOPEREG_NOW="2026-02-01T09:00:00Z"
expect_ok sr add PC-002 --kind workstation --name Accueil
expect_ok sr commit -m two --author jm
export SCOPEREG_NOW="2026-03-01T09:00:00Z"
expect_ok sr remove SRV-01 --reason decommissioned
expect_ok sr commit -m three --author jm
export SCOPEREG_NOW="2026-04-01T09:00:00Z"
expect_ok sr edit PC-001 --set ip=10.0.0.9
expect_ok sr commit -m four --author jm
export SCOPEREG_NOW="2026-04-02T09:00:00Z"
for n in 1 2 3; do
    expect_ok sr sign $n --key "$K/provider.key"
    expect_ok sr sign $n --key "$K/client.key"
done
expect_ok sr sign 4 --key "$K/provider.key"
for n in 1 2 3 4; do
    expect_ok sr export $n -o "$WORK/honest"
done
RID=$(sed -n 's/^register: //p' "$WORK/honest/$STEM-v1.scope")
export SCOPEREG_NOW="2026-05-01T08:00:00Z"

echo "# honest: the folder and each version alone hold"
expect_ok timeout 10 "$SCOPEREG" verify --documents "$WORK/honest"
expect_stdout_contains "4 documents: 3 agreed, 1 pending, 0 broken"
grep -q '^changes: 2$' "$WORK/honest/$STEM-v1.scope" &&
    grep -q '^+ PC-001$' "$WORK/honest/$STEM-v1.scope" &&
    grep -q '^+ SRV-01$' "$WORK/honest/$STEM-v1.scope" || fail "version 1 is not as the test means"
grep -q '^  ip: (none) -> "10.0.0.9"$' "$WORK/honest/$STEM-v4.scope" ||
    fail "version 4 is not as the test means"
for v in 1 3 4; do
    D=$(only alone$v $v)
    expect_ok timeout 10 "$SCOPEREG" verify --documents "$D"
    expect_stdout_contains "$STEM-v$v.scope: version $v: "
    expect_stdout_lacks "BROKEN"
done

# ---------------------------------------------------------------------------
echo "# F12: version 1's changes are not its items (both parties signed what the client was shown)"
V1="$STEM-v1.scope"

echo "# an addition swapped for an id version 1 does not list"
D=$(only v1swap 1)
edit "$D/$V1" '+ SRV-01\n' '+ SRV-09\n'
both_sign "$D/$V1"
caught "$D" "$D/$V1: version 1: BROKEN: version 1 lists item SRV-01 but its changes do not add it"

echo "# one addition fewer"
D=$(only v1fewer 1)
edit "$D/$V1" 'changes: 2\n+ PC-001\n+ SRV-01\n' 'changes: 1\n+ PC-001\n'
both_sign "$D/$V1"
caught "$D" "$D/$V1: version 1: BROKEN: version 1 lists item SRV-01 but its changes do not add it"

echo "# one addition more"
D=$(only v1more 1)
edit "$D/$V1" 'changes: 2\n+ PC-001\n+ SRV-01\n' 'changes: 3\n+ PC-001\n+ SRV-01\n+ SRV-09\n'
both_sign "$D/$V1"
caught "$D" "$D/$V1: version 1: BROKEN: version 1 adds SRV-09 but does not list it"

echo "# the same forged version 1 among the later versions"
D=$(only v1chain 1 2 3)
edit "$D/$V1" '+ SRV-01\n' '+ SRV-09\n'
both_sign "$D/$V1"
caught "$D" "$D/$V1: version 1: BROKEN: version 1 lists item SRV-01 but its changes do not add it"

# ---------------------------------------------------------------------------
echo "# F13: version N alone (N-1 absent) whose changes contradict its own items"
V3="$STEM-v3.scope"
V4="$STEM-v4.scope"

echo "# a removal listed, the item kept"
D=$(only n3kept 3)
edit "$D/$V3" 'items: 2\n' 'items: 3\n'
edit "$D/$V3" 'end of scope' 'item: SRV-01\n  kind: server\n  name: File server\n  services: none (kind default)\n  sla: none (kind default)\n  ip: 10.0.0.5\n\nend of scope'
both_sign "$D/$V3"
caught "$D" "$D/$V3: version 3: BROKEN: version 3 removes SRV-01 (reason: decommissioned) but still lists it"

echo "# an addition the items lack"
D=$(only n3added 3)
edit "$D/$V3" 'changes: 1\n- SRV-01\n' 'changes: 2\n+ PC-003\n- SRV-01\n'
both_sign "$D/$V3"
caught "$D" "$D/$V3: version 3: BROKEN: version 3 adds PC-003 but does not list it"

echo "# a modification whose new value is not the item's"
D=$(only n4value 4)
edit "$D/$V4" '  ip: (none) -> "10.0.0.9"\n' '  ip: (none) -> "10.0.0.8"\n'
both_sign "$D/$V4"
caught "$D" "$D/$V4: version 4: BROKEN: version 4 changes ip of PC-001 to \"10.0.0.8\", but lists PC-001 with ip \"10.0.0.9\""

echo "# a modification of an item the items lack"
D=$(only n4gone 4)
python3 - "$D/$V4" <<'EOF' || fail "cannot drop PC-001 from version 4"
import re, sys
p = sys.argv[1]
s = open(p).read()
t = re.sub(r'item: PC-001\n(  .*\n)*\n', '', s, count=1)
t = t.replace('items: 2\n', 'items: 1\n', 1)
assert t != s
open(p, 'w').write(t)
EOF
both_sign "$D/$V4"
caught "$D" "$D/$V4: version 4: BROKEN: version 4 modifies PC-001 but does not list it"

echo "# ... and with version N-1 beside it, the same verdict"
D=$(only n4both 3 4)
edit "$D/$V4" '  ip: (none) -> "10.0.0.9"\n' '  ip: (none) -> "10.0.0.8"\n'
both_sign "$D/$V4"
caught "$D" "$D/$V4: version 4: BROKEN: version 4 changes ip of PC-001 to \"10.0.0.8\"" \
    "$STEM-v3.scope: version 3: agreed"

# ---------------------------------------------------------------------------
echo "# F2: a second register naming the same parties' keys, its contract spelled with a trailing space"
F3="$WORK/f3.db"
export SCOPEREG_NOW="2026-04-04T09:00:00Z"
expect_ok "$SCOPEREG" -R "$F3" init --contract "$STEM " --provider 'Helvetia IT SA' \
    --provider-key "$PKEY" --client 'ACME SA' --client-key "$CKEY"
expect_ok "$SCOPEREG" -R "$F3" add SRV-01 --kind server --name 'File server'
expect_ok "$SCOPEREG" -R "$F3" commit -m one --author jm
export SCOPEREG_NOW="2026-04-05T00:00:00Z"
expect_ok "$SCOPEREG" -R "$F3" sign 1 --key "$K/provider.key"
expect_ok "$SCOPEREG" -R "$F3" sign 1 --key "$K/client.key"
D=$(only fork 1 2 3)
expect_ok "$SCOPEREG" -R "$F3" export 1 -o "$D"
[ -f "$D/${STEM}_-v1.scope" ] || fail "the second register's document is not ${STEM}_-v1.scope"
R2=$(sed -n 's/^register: //p' "$D/${STEM}_-v1.scope")
[ "$R2" != "$RID" ] || fail "the second register has the same id"
export SCOPEREG_NOW="2026-05-01T08:00:00Z"
caught "$D" "fork: registers $RID and $R2 name the same parties' keys (contracts '$STEM' and '$STEM ')" \
    "$D/${STEM}_-v1.scope: version 1: BROKEN" "$D/$STEM-v3.scope: version 3: BROKEN" \
    "4 documents: 0 agreed, 0 pending, 4 broken"

echo "# another contract, another client key, in the same folder: no fork"
OTHER="$WORK/other.db"
export SCOPEREG_NOW="2026-04-04T09:00:00Z"
expect_ok "$SCOPEREG" -R "$OTHER" init --contract ACME-2 --provider 'Helvetia IT SA' \
    --provider-key "$PKEY" --client 'Other SA' --client-key "$K/client2.pub"
expect_ok "$SCOPEREG" -R "$OTHER" add SRV-01 --kind server --name 'File server'
expect_ok "$SCOPEREG" -R "$OTHER" commit -m one --author jm
export SCOPEREG_NOW="2026-04-05T00:00:00Z"
expect_ok "$SCOPEREG" -R "$OTHER" sign 1 --key "$K/provider.key"
expect_ok "$SCOPEREG" -R "$OTHER" sign 1 --key "$K/client2.key"
D=$(only nofork 1 2 3)
expect_ok "$SCOPEREG" -R "$OTHER" export 1 -o "$D"
export SCOPEREG_NOW="2026-05-01T08:00:00Z"
expect_ok timeout 10 "$SCOPEREG" verify --documents "$D"
expect_stdout_contains "4 documents: 4 agreed, 0 pending, 0 broken"
expect_stdout_lacks "fork:"

# ---------------------------------------------------------------------------
echo "# F11: a key id carried by two keys"
# twin.pub / twin.key: the fake key under the provider's key id (a key id is
# 8 free bytes of the key files)
python3 - "$K/fake.pub" "$K/fake.key" "$PKEY" "$WORK/twin.pub" "$WORK/twin.key" <<'EOF' ||
import base64, hashlib, sys
fpub, fkey, ppub, tpub, tkey = sys.argv[1:6]
def body(p):
    return base64.b64decode(open(p).read().splitlines()[1])
pid = body(ppub)[2:10]
pub = body(fpub)
open(tpub, 'w').write('untrusted comment: minisign public key %016X\n%s\n' % (
    int.from_bytes(pid, 'little'), base64.b64encode(pub[:2] + pid + pub[10:]).decode()))
key = bytearray(body(fkey))
if key[2:4] != b'\0\0':
    sys.exit('the fake key is encrypted')
key[54:62] = pid
if any(key[126:158]):
    key[126:158] = hashlib.blake2b(bytes(key[0:2]) + pid + bytes(key[62:126]), digest_size=32).digest()
open(tkey, 'w').write('untrusted comment: minisign secret key\n%s\n' % base64.b64encode(bytes(key)).decode())
EOF
    fail "cannot make the twin key"
[ "$(key_id "$WORK/twin.pub")" = "$PID" ] || fail "the twin key does not carry the provider's key id"
cmp -s "$WORK/twin.pub" "$PKEY" && fail "the twin key is the provider's key"

echo "# a second .pub under the provider's key id: every document naming it, signed by it or not"
D=$(only twopubs 1 2 3 4)
rm "$D/$STEM-v4.provider.minisig"
cp "$WORK/twin.pub" "$D/twin.pub"
caught "$D" "$D/$STEM-v4.scope: version 4: BROKEN: the provider's key $PID is not known: $D/$STEM.provider.pub and $D/twin.pub hold two different public keys with the same key id $PID" \
    "$D/$STEM-v1.scope: version 1: BROKEN" "4 documents: 0 agreed, 0 pending, 4 broken"

echo "# the provider's .pub swapped for the twin, which signs version 4 (an outsider on the mail path)"
cp "$WORK/twin.key" "$K/twin.key"
D=$(only swapped 3 4)
cp "$WORK/twin.pub" "$D/$STEM.provider.pub"
sign_as "$D/$V4" provider twin
minisign -Vm "$D/$V4" -p "$D/$STEM.provider.pub" -x "$D/$STEM-v4.provider.minisig" >/dev/null 2>&1 ||
    fail "stock minisign does not accept the twin's signature with the twin key"
pass "stock minisign: the twin's signature of version 4 verifies under the swapped .pub"
caught "$D" "$D/$V3: version 3: BROKEN" \
    "$D/$V4: version 4: BROKEN: the provider's key $PID is not known: $D/$STEM-v3.provider.minisig carries that key id but was not made by the key of $D/$STEM.provider.pub" \
    "2 documents: 0 agreed, 0 pending, 2 broken"
expect_stdout_lacks "version 4: agreed"
expect_stdout_lacks "version 4: pending"

echo "# a changed document is not a twin key: the other versions still hold"
D=$(only changed 1 2 3)
edit "$D/$V3" 'message: three' 'message: thrEE'
caught "$D" "$D/$V3: version 3: BROKEN" "3 documents: 2 agreed, 0 pending, 1 broken"
expect_stdout_lacks "is not known"

# the honest folder was never touched by all this
expect_ok timeout 10 "$SCOPEREG" verify --documents "$WORK/honest"
expect_stdout_contains "4 documents: 3 agreed, 1 pending, 0 broken"

echo "# $CASES attack cases tried, $CASES caught"
[ "$CASES" -eq 13 ] || fail "expected 13 attack cases, counted $CASES"
pass "$CASES attack cases caught"
done_checks
