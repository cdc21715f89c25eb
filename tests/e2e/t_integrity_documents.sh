#!/usr/bin/env bash
# t_integrity_documents.sh - verify --documents on a folder of exported
# documents, with no register, against a party that forges documents with
# its own key (and the other party's signature where the attack is that the
# other party signed what it was shown):
#   honest folders: four agreed versions; a folder with a version absent and
#   the same keys on both sides of the gap (agreed, with a note);
#   version N that is not version N-1 with its changes applied (an item
#   dropped or added silently, a removal listed but the item kept, a
#   modification whose values are not the item's, a field changed silently,
#   a wrong previous:, a contract or party renamed, a key changed without a
#   key line or from another key);
#   key continuity: a client key the provider made, across an absent
#   version, with and without a key line, and the version after it: never
#   agreed (UNVERIFIED), the earlier key never printed as the key; both
#   parties with one key, a rotation to the other party's key;
#   a second register for the same contract in the folder (fork);
#   signing dates in the future or before the version;
#   trusted comments that say something else than the grammar (stock
#   minisign: "I DO NOT AGREE", a field twice);
#   FIFOs, a directory and a dangling link named *.scope, *.minisig, *.pub
#   (never read, never blocking).
# Each attack checks the exit code, the message naming the file, version and
# item, and that the folder is as it was. The number of attack cases caught
# is printed at the end.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v minisign >/dev/null 2>&1 || skip "needs stock minisign to forge signatures"
command -v b2sum >/dev/null 2>&1 || skip "needs b2sum (GNU coreutils)"
command -v python3 >/dev/null 2>&1 || skip "needs python3 to edit documents"
command -v timeout >/dev/null 2>&1 || skip "needs timeout (GNU coreutils)"

parties fake
FID=$(key_id "$K/fake.pub") # a key the provider made and passes off as the client's
STEM=ACME-1

# folder NAME: a copy of the honest folder.
folder() {
    local d="$WORK/f-$1"
    rm -rf "$d"
    cp -r "$WORK/honest" "$d"
    echo "$d"
}

# edit FILE OLD NEW: replaces the first OLD (python escapes: \n) by NEW;
# fails when OLD is not there.
edit() {
    python3 - "$@" <<'EOF' || fail "edit $1: '$2' not found"
import sys
path, old, new = sys.argv[1], sys.argv[2].encode().decode('unicode_escape').encode('latin-1'), sys.argv[3].encode().decode('unicode_escape').encode('latin-1')
data = open(path, 'rb').read()
if old not in data:
    sys.exit(1)
open(path, 'wb').write(data.replace(old, new, 1))
EOF
}

# drop_item FILE ID: removes ID's item block.
drop_item() {
    awk -v id="item: $2" '$0 == id {skip = 1} skip && /^$/ {skip = 0; next} !skip' "$1" >"$1.new" &&
        mv "$1.new" "$1"
    ! grep -q "^item: $2\$" "$1" || fail "drop_item $2"
}

echo "# the register: four versions, each agreed by both parties"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg "$STEM"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
expect_ok sr add PC-001 --kind workstation --name 'Accounting'
expect_ok sr add FW-01 --kind network --name 'Main firewall'
expect_ok sr commit -m 'Initial inventory' --author jm
export SCOPEREG_NOW="2026-02-01T10:00:00Z"
expect_ok sr add PC-002 --kind workstation --name 'Reception'
expect_ok sr edit SRV-01 --set ip=10.0.0.6
expect_ok sr remove FW-01 --reason 'client request'
expect_ok sr commit -m 'Q1' --author jm
export SCOPEREG_NOW="2026-03-01T10:00:00Z"
expect_ok sr add PC-003 --kind workstation --name 'Sales'
expect_ok sr edit SRV-01 --set ip=10.0.0.7 --set 'notes=say "hi"'
expect_ok sr commit -m 'Q2' --author jm
export SCOPEREG_NOW="2026-03-15T10:00:00Z"
expect_ok sr add PC-004 --kind workstation --name 'Warehouse'
expect_ok sr commit -m 'Q2b' --author jm
export SCOPEREG_NOW="2026-03-20T10:00:00Z"
for n in 1 2 3 4; do
    expect_ok sr sign $n --key "$K/provider.key"
    expect_ok sr sign $n --key "$K/client.key"
done
for n in 1 2 3 4; do
    expect_ok sr export $n -o "$WORK/honest"
done
export SCOPEREG_NOW="2026-05-01T08:00:00Z"
V3="$STEM-v3.scope"

echo "# honest: every version agreed, the chain and the item lists follow"
grep -q '^  ip: "10.0.0.6" -> "10.0.0.7"$' "$WORK/honest/$V3" || fail "version 3 does not change the ip as the test means"
expect_ok timeout 10 "$SCOPEREG" verify --documents "$WORK/honest"
expect_stdout_contains "$STEM-v3.scope: version 3: agreed"
expect_stdout_contains "4 documents: 4 agreed, 0 pending, 0 broken"
expect_stdout_lacks "keys of version"

echo "# honest: version 2 absent, the same keys on both sides of the gap"
D=$(folder gap)
rm "$D/$STEM-v2."*
expect_ok timeout 10 "$SCOPEREG" verify --documents "$D"
expect_stdout_contains "$STEM-v3.scope: version 3: agreed"
expect_stdout_contains "note: version 2 is absent: the link to it is not checked"
expect_stdout_contains "3 documents: 3 agreed, 0 pending, 0 broken"

# ---------------------------------------------------------------------------
echo "# hole 1: version 3 is not version 2 with its changes (both parties signed it)"

echo "# an item dropped without a change"
D=$(folder dropped)
drop_item "$D/$V3" PC-001
edit "$D/$V3" 'items: 4\n' 'items: 3\n'
both_sign "$D/$V3"
docs_caught "$D" "$V3: version 3: BROKEN: version 3: item PC-001 is listed in version 2 and absent from version 3, but version 3 records no change of PC-001"

echo "# an item added without a change"
D=$(folder added)
edit "$D/$V3" 'item: PC-001\n' 'item: PC-000\n  kind: workstation\n  name: Ghost\n  services: none (kind default)\n  sla: none (kind default)\n\nitem: PC-001\n'
edit "$D/$V3" 'items: 4\n' 'items: 5\n'
both_sign "$D/$V3"
docs_caught "$D" "version 3: item PC-000 is absent from version 2 and listed in version 3, but version 3 records no addition of PC-000"

echo "# a removal listed, the item kept (at would still say yes)"
D=$(folder kept)
edit "$D/$V3" 'changes: 2\n' 'changes: 3\n'
edit "$D/$V3" '+ PC-003\n' '- PC-001\n  reason: client request\n+ PC-003\n'
both_sign "$D/$V3"
docs_caught "$D" "$V3: version 3: BROKEN: version 3 removes PC-001 (reason: client request) but still lists it"

echo "# a modification whose new value is not the item's"
D=$(folder value)
edit "$D/$V3" '  ip: 10.0.0.7\n' '  ip: 10.0.0.9\n'
both_sign "$D/$V3"
docs_caught "$D" 'version 3 changes ip of SRV-01 to "10.0.0.7", but lists SRV-01 with ip "10.0.0.9"'

echo "# a modification whose old value is not version 2's"
D=$(folder oldvalue)
edit "$D/$V3" '  ip: "10.0.0.6" -> ' '  ip: "10.0.0.1" -> '
both_sign "$D/$V3"
docs_caught "$D" 'version 3 changes ip of SRV-01 from "10.0.0.1", but version 2 has "10.0.0.6"'

echo "# a field of an item changed silently"
D=$(folder silent)
edit "$D/$V3" '  name: Accounting\n' '  name: Accounting and HR\n'
both_sign "$D/$V3"
docs_caught "$D" 'version 3: the name of item PC-001 is "Accounting" in version 2 and "Accounting and HR" in version 3, but version 3 records no change of PC-001'

echo "# a field of a modified item that the modification does not name"
D=$(folder extra)
edit "$D/$V3" '  name: File server\n  services: none (kind default)\n  sla: none (kind default)\n' '  name: File server\n  services: none (kind default)\n  sla: none (kind default)\n  cpu: 64\n'
both_sign "$D/$V3"
docs_caught "$D" 'version 3: item SRV-01 has cpu "64" in version 3 and no cpu in version 2, but the modification of SRV-01 in version 3 does not name cpu'

echo "# a previous: that is not version 2's hash"
D=$(folder previous)
H1=$(b2_of "$D/$STEM-v1.scope")
python3 - "$D/$V3" "$H1" <<'EOF'
import re, sys
p, h = sys.argv[1], sys.argv[2]
s = open(p).read()
open(p, 'w').write(re.sub(r'(?m)^previous: .*$', 'previous: ' + h, s, count=1))
EOF
both_sign "$D/$V3"
docs_caught "$D" "version 3: its previous: field ($H1) is not the hash of version 2"

echo "# the contract renamed"
D=$(folder contract)
edit "$D/$V3" "contract: $STEM\n" 'contract: ACME-2\n'
both_sign "$D/$V3"
docs_caught "$D" 'version 3 names contract "ACME-2", version 2 "ACME-1"'

echo "# the client's key replaced by one the provider made, without a key line"
D=$(folder nokeyline)
edit "$D/$V3" "client-key: $CID\n" "client-key: $FID\n"
sign_as "$D/$V3" provider provider
sign_as "$D/$V3" client fake
cp "$K/fake.pub" "$D/$STEM.client.$FID.pub"
docs_caught "$D" "version 3 names the client's key $FID, version 2 $CID, and version 3 records no key change for the client"

echo "# ... with a key line from another key than version 2's"
D=$(folder wrongold)
edit "$D/$V3" "client-key: $CID\n" "client-key: $FID\n"
edit "$D/$V3" 'changes: 2\n' "changes: 3\nkey client: 0123456789ABCDEF -> $FID\n"
sign_as "$D/$V3" provider provider
sign_as "$D/$V3" client fake
cp "$K/fake.pub" "$D/$STEM.client.$FID.pub"
docs_caught "$D" "version 3 replaces the client's key 0123456789ABCDEF, but the client's key of version 2 is $CID"

# ---------------------------------------------------------------------------
echo "# hole 5: a client key the provider made, across an absent version 2"
D=$(folder gapkey)
rm "$D/$STEM-v2."* "$D/$STEM-v4."*
edit "$D/$V3" "client-key: $CID\n" "client-key: $FID\n"
sign_as "$D/$V3" provider provider
sign_as "$D/$V3" client fake
cp "$K/fake.pub" "$D/$STEM.client.$FID.pub"
docs_caught "$D" "$V3: version 3: UNVERIFIED: client key $FID differs from version 1's ($CID) and version 2 is absent: the key change cannot be checked" \
    "keys of version 3: provider $PID, client $FID (not traced to an earlier version)" \
    "2 documents: 1 agreed, 0 pending, 0 broken, 1 unverified"
expect_stdout_lacks "version 3: agreed"
expect_stderr_contains "$V3 cannot be verified"

echo "# ... with a key line claiming version 2 had another key"
D=$(folder gapkeyline)
rm "$D/$STEM-v2."* "$D/$STEM-v4."*
edit "$D/$V3" "client-key: $CID\n" "client-key: $FID\n"
edit "$D/$V3" 'changes: 2\n' "changes: 3\nkey client: 0123456789ABCDEF -> $FID\n"
sign_as "$D/$V3" provider provider
sign_as "$D/$V3" client fake
cp "$K/fake.pub" "$D/$STEM.client.$FID.pub"
docs_caught "$D" "$V3: version 3: UNVERIFIED: client key $FID differs from version 1's ($CID) and version 2 is absent"
expect_stdout_lacks "version 3: agreed"

echo "# ... and a version 4 that follows the forged version 3: it rests on the same key"
D=$(folder gapkey4)
rm "$D/$STEM-v2."*
edit "$D/$V3" "client-key: $CID\n" "client-key: $FID\n"
sign_as "$D/$V3" provider provider
sign_as "$D/$V3" client fake
H3=$(b2_of "$D/$V3")
python3 - "$D/$STEM-v4.scope" "$H3" "$CID" "$FID" <<'EOF'
import re, sys
p, h, cid, fid = sys.argv[1:]
s = open(p).read()
s = re.sub(r'(?m)^previous: .*$', 'previous: ' + h, s, count=1)
s = s.replace('client-key: ' + cid + '\n', 'client-key: ' + fid + '\n', 1)
open(p, 'w').write(s)
EOF
sign_as "$D/$STEM-v4.scope" provider provider
sign_as "$D/$STEM-v4.scope" client fake
cp "$K/fake.pub" "$D/$STEM.client.$FID.pub"
docs_caught "$D" "$STEM-v4.scope: version 4: UNVERIFIED: client key $FID rests on the key change at version 3, which cannot be checked (version 2 is absent)" \
    "3 documents: 1 agreed, 0 pending, 0 broken, 2 unverified"
expect_stdout_lacks "version 4: agreed"

echo "# both parties with one key"
D=$(folder samekey)
edit "$D/$V3" "client-key: $CID\n" "client-key: $PID\n"
sign_as "$D/$V3" provider provider
sign_as "$D/$V3" client provider
docs_caught "$D" "$V3: BROKEN" "provider-key: and client-key: name the same key"

echo "# a rotation of the client's key to the provider's key"
D=$(folder rotother)
edit "$D/$V3" "client-key: $CID\n" "client-key: $PID\n"
edit "$D/$V3" 'changes: 2\n' "changes: 3\nkey client: $CID -> $PID\n"
sign_as "$D/$V3" provider provider
docs_caught "$D" "$V3: BROKEN" "name the same key"

# ---------------------------------------------------------------------------
echo "# hole 6: a second register for the same contract in the folder"
TWIN="$WORK/twin.db"
tw() { "$SCOPEREG" -R "$TWIN" "$@"; }
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok tw init --contract "$STEM" --provider 'Helvetia IT SA' --provider-key "$K/provider.pub" \
    --client 'ACME SA' --client-key "$K/client.pub"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok tw add SRV-01 --kind server --name 'File server'
expect_ok tw commit -m 'Initial inventory' --author jm
expect_ok tw sign 1 --key "$K/provider.key"
expect_ok tw sign 1 --key "$K/client.key"
expect_ok tw export 1 -o "$WORK/twin"
export SCOPEREG_NOW="2026-05-01T08:00:00Z"
D=$(folder fork)
for f in "$WORK/twin/$STEM-v1".*; do
    cp "$f" "$D/twin-${f##*/$STEM-}"
done
[ -f "$D/twin-v1.scope" ] && [ -f "$D/twin-v1.client.minisig" ] || fail "the twin's files"
R1=$(sed -n 's/^register: //p' "$D/$STEM-v1.scope")
R2=$(sed -n 's/^register: //p' "$D/twin-v1.scope")
[ "$R1" != "$R2" ] || fail "the twin register has the same id"
if [[ "$R1" < "$R2" ]]; then PAIR="$R1 and $R2"; else PAIR="$R2 and $R1"; fi
docs_caught "$D" "fork: registers $PAIR both claim contract $STEM" "twin-v1.scope: version 1: BROKEN" \
    "$STEM-v4.scope: version 4: BROKEN" "5 documents: 0 agreed, 0 pending, 5 broken"

# ---------------------------------------------------------------------------
echo "# hole 3: signing dates"
D=$(folder future)
sign_as "$D/$V3" client client 2099-01-01T00:00:00Z
docs_caught "$D" "$V3: version 3: BROKEN" "$STEM-v3.client.minisig: client signature is dated 2099-01-01T00:00:00Z, later than now"
D=$(folder early)
sign_as "$D/$V3" provider provider 2026-02-15T00:00:00Z
docs_caught "$D" "$V3: version 3: BROKEN" "$STEM-v3.provider.minisig: provider signature is dated 2026-02-15T00:00:00Z, before version 3 was made"

# ---------------------------------------------------------------------------
echo "# hole 2: trusted comments that say something else (stock minisign, the client's own key)"
R=$(sed -n 's/^register: //p' "$WORK/honest/$V3")
H=$(b2_of "$WORK/honest/$V3")
D=$(folder disagree)
sign_as "$D/$V3" client client "" \
    "scopereg I DO NOT AGREE status:REJECTED register:$R version:3 role:client document:$H signed:2026-04-01T10:00:00Z"
docs_caught "$D" "$V3: version 3: BROKEN" "$STEM-v3.client.minisig: client signature: trusted comment:"
expect_stdout_lacks "version 3: agreed"
D=$(folder twice)
sign_as "$D/$V3" client client "" \
    "scopereg register:$R version:3 version:4 role:client document:$H signed:2026-04-01T10:00:00Z"
docs_caught "$D" "$V3: version 3: BROKEN" "$STEM-v3.client.minisig: client signature: trusted comment:"
expect_stdout_lacks "version 3: agreed"

# ---------------------------------------------------------------------------
echo "# hole 7: FIFOs, a directory, a dangling link: never read, never blocking"
D=$(folder fifoscope)
mkfifo "$D/$STEM-v9.scope"
docs_caught "$D" "$STEM-v9.scope: BROKEN: $D/$STEM-v9.scope: a FIFO, not read"
D=$(folder fifosig)
rm "$D/$STEM-v3.client.minisig"
mkfifo "$D/$STEM-v3.client.minisig"
docs_caught "$D" "$V3: version 3: BROKEN: $D/$STEM-v3.client.minisig: a FIFO, not read"
D=$(folder fifopub)
rm "$D/$STEM.client.pub"
mkfifo "$D/$STEM.client.pub"
docs_caught "$D" "$STEM-v1.scope: version 1: BROKEN" "no .pub file in $D holds key $CID (unreadable: $D/$STEM.client.pub: not a regular file)"
D=$(folder extrapub)
mkfifo "$D/$STEM.extra.pub"
before=$(snap "$D")
expect_ok timeout 10 "$SCOPEREG" verify --documents "$D"
expect_stdout_contains "4 documents: 4 agreed"
[ "$(snap "$D")" = "$before" ] || fail "verify --documents wrote into $D"
pass "a FIFO named *.pub that no document needs is left alone"
CASES=$((CASES + 1))
D=$(folder dirscope)
mkdir "$D/$STEM-v9.scope"
docs_caught "$D" "$STEM-v9.scope: BROKEN: $D/$STEM-v9.scope: a directory, not read"
D=$(folder danglingsig)
rm "$D/$STEM-v3.client.minisig"
ln -s "$WORK/nowhere" "$D/$STEM-v3.client.minisig"
docs_caught "$D" "$V3: version 3: BROKEN: $D/$STEM-v3.client.minisig: a dangling link, not read"

# the honest folder was never touched by all this
expect_ok timeout 10 "$SCOPEREG" verify --documents "$WORK/honest"
expect_stdout_contains "4 documents: 4 agreed, 0 pending, 0 broken"

echo "# $CASES attack cases tried, $CASES caught"
[ "$CASES" -eq 27 ] || fail "expected 27 attack cases, counted $CASES"
pass "$CASES attack cases caught"
done_checks
