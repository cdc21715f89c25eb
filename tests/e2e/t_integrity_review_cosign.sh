#!/usr/bin/env bash
# t_integrity_review_cosign.sh - the client's side of the review of issue 10,
# the documents forged as the reviewer did (the provider re-signs them with
# stock minisign):
#   F3  a rotation of the signer's own key: the new key alone is refused;
#       --previous-key OLD.key checks version N-1 with the old key and signs
#       with both; the provider's own "client key" rotated to the client's
#       real new key is refused; the old key alone works as before;
#       --without-previous says what it did not check;
#   F14 a second version N of the register that this key signed, whatever
#       the file's name: refused; another register of the same parties'
#       keys (other contract text): a WARNING;
#   F13 changes that contradict the document's own items (version N, and
#       version N-1 beside it), with or without --without-previous: refused;
#   F7  invisible and ambiguous characters in what cosign and verify
#       --documents print: shown as \u{XXXX};
#   F8  attach stores scopereg's untrusted comment, not the signer's text.
# Each refusal checks the exit code, the message and that nothing was written.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v minisign >/dev/null 2>&1 || skip "needs stock minisign to sign as the provider"
command -v b2sum >/dev/null 2>&1 || skip "needs b2sum (GNU coreutils)"
command -v sqlite3 >/dev/null 2>&1 || skip "needs the sqlite3 shell"
command -v python3 >/dev/null 2>&1 || skip "needs python3 to forge documents"

parties client2 fake
NID=$(key_id "$K/client2.pub")
FID=$(key_id "$K/fake.pub")
S=$SCOPEREG
STEM=ACME-1
XFER="$WORK/mail"
mkdir -p "$XFER"

# client_dir NAME FILES...: a fresh directory of the client holding FILES.
client_dir() {
    local d="$WORK/$1"
    shift
    rm -rf "$d"
    mkdir -p "$d"
    [ $# -eq 0 ] || cp "$@" "$d/"
    echo "$d"
}

# resign DOC N [DATE]: DOC's provider signature made again over its bytes
# with stock minisign, as a provider forging a document would.
resign() {
    local doc=$1 n=$2 at=${3:-$SCOPEREG_NOW} rid
    rid=$(sed -n 's/^register: //p' "$doc")
    rm -f "${doc%.scope}.provider.minisig"
    minisign -S -s "$K/provider.key" -m "$doc" -x "${doc%.scope}.provider.minisig" \
        -t "scopereg register:$rid version:$n role:provider document:$(b2_of "$doc") signed:$at" \
        </dev/null >/dev/null 2>&1 || fail "minisign -S over $doc"
}

# edit FILE PYTHON-EXPRESSION-OF-s: FILE's text replaced by the expression.
edit() {
    python3 -c 'import sys; p=sys.argv[1]; s=open(p,encoding="utf-8").read(); s=eval(sys.argv[2]); open(p,"w",encoding="utf-8").write(s)' "$1" "$2" ||
        fail "cannot edit $1"
}

echo "# the register: versions 1-3 agreed, 4 agreed (the client's signature by stock minisign)"
agreed_history
export SCOPEREG_NOW=2026-03-04T09:00:00Z
sr_ok export 3 -o "$XFER/v3"
sr_ok export 2 -o "$XFER/v3" # and version 1 beside them
export SCOPEREG_NOW=2026-04-01T09:00:00Z
sr_ok edit PC-001 --set ip=10.0.0.9
sr_ok commit -m four --author jm
SCOPEREG_NOW=2026-04-02T09:00:00Z sr_ok sign 4 --key "$K/provider.key"
SCOPEREG_NOW=2026-04-02T10:00:00Z sr_ok export 4 -o "$XFER/v4"

echo
echo "# F8: attach stores scopereg's untrusted comment, not the signer's free text"
export SCOPEREG_NOW=2026-04-03T09:00:00Z
D4="$XFER/v4/$STEM-v4.scope"
minisign -S -s "$K/client.key" -m "$D4" -x "$WORK/c4.minisig" \
    -c "scopereg: contract ACME-1, version 4, client signature -- I DO NOT AGREE" \
    -t "scopereg register:$RID version:4 role:client document:$(b2_of "$D4") signed:2026-04-03T09:00:00Z" \
    </dev/null >/dev/null 2>&1 || fail "minisign -S of version 4 as the client"
expect_ok sr attach "$WORK/c4.minisig"
expect_stdout_contains "version 4: agreed"
sqlite3 "$REG" "SELECT minisig FROM signature WHERE version = 4 AND role = 'client'" >"$WORK/row4"
[ "$(head -n 1 "$WORK/row4")" = "untrusted comment: scopereg: contract ACME-1, version 4, client signature" ] ||
    fail "the stored signature's untrusted comment is '$(head -n 1 "$WORK/row4")'"
pass "the register stores scopereg's untrusted comment"
grep -q "I DO NOT AGREE" "$WORK/row4" && fail "the signer's text is stored"
pass "the signer's free text is not stored"
expect_ok sr export 4 -o "$WORK/ex4"
[ "$(head -n 1 "$WORK/ex4/$STEM-v4.client.minisig")" = "untrusted comment: scopereg: contract ACME-1, version 4, client signature" ] ||
    fail "export wrote the untrusted comment '$(head -n 1 "$WORK/ex4/$STEM-v4.client.minisig")'"
pass "export writes scopereg's untrusted comment"
expect_ok minisign -Vm "$WORK/ex4/$STEM-v4.scope" -p "$CKEY" -x "$WORK/ex4/$STEM-v4.client.minisig"
expect_stdout_contains "version:4 role:client"
SHA=$(sha_of "$REG")
expect_ok sr attach "$WORK/c4.minisig"
expect_stdout_contains "is already attached: the client's signature of version 4"
expect_same_sha "$REG" "$SHA" "the same file attached twice"
expect_ok sr attach "$WORK/ex4/$STEM-v4.client.minisig"
expect_stdout_contains "is already attached"
expect_same_sha "$REG" "$SHA" "the exported file attached"
# a row stored with another untrusted comment (before attach rewrote it): the same signature
Q="UPDATE signature SET minisig = replace(minisig, 'version 4, client signature', '%s') WHERE version = 4 AND role = 'client'"
sqlite3 "$REG" "$(printf "$Q" 'version 4, client signature -- I DO NOT AGREE')"
sqlite3 "$REG" "SELECT minisig FROM signature WHERE version = 4 AND role = 'client'" | grep -q 'I DO NOT AGREE' ||
    fail "the stored row was not given another untrusted comment"
SHA=$(sha_of "$REG")
expect_ok sr attach "$WORK/c4.minisig"
expect_stdout_contains "is already attached"
expect_same_sha "$REG" "$SHA" "the same signature beside a row with another untrusted comment"
sqlite3 "$REG" "$(printf "$Q" 'version 4, client signature')"
expect_ok sr verify

echo
echo "# F3: the client's key replaced in version 5 (client -> client2)"
export SCOPEREG_NOW=2026-05-01T09:00:00Z
sr_ok rekey --role client --key "$K/client2.pub"
sr_ok commit -m 'client key replaced' --author jm
SCOPEREG_NOW=2026-05-02T09:00:00Z sr_ok sign 5 --key "$K/provider.key"
SCOPEREG_NOW=2026-05-02T10:00:00Z sr_ok export 5 -o "$XFER/v5"
export SCOPEREG_NOW=2026-05-03T09:00:00Z
C=$(client_dir r-new "$XFER/v5/"*)
refused_in 2 "version 5 replaces the client's key $CID by $NID, the key you sign with: that new key cannot vouch for version 4, which key $CID signed" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key"
expect_stderr_contains "--previous-key OLD.key"
refused_in 2 "is not the key version 5 replaces: it replaces the client's key $CID by $NID" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --previous-key "$K/fake.key"
refused_in 2 "(key $CID) is the key version 5 replaces; with --previous-key, --key is the new key" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client.key" --previous-key "$K/client.key"
refused_in 2 "with --previous-key cosign writes two signatures" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --previous-key "$K/client.key" -o "$C/x.minisig"
C4=$(client_dir r-v4 "$XFER/v4/"*)
refused_in 2 "version 4 does not replace the client's key $CID: --previous-key is only for a version that replaces your key" "$C4" \
    "$S" cosign "$C4/$STEM-v4.scope" --key "$K/client.key" --previous-key "$K/client2.key"
# version 4 beside it without the old key's signature
C=$(client_dir r-nosig "$XFER/v5/"*)
rm "$C/$STEM-v4.client.minisig"
refused_in 1 "version 4 ($STEM-v4.scope) carries no client signature" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --previous-key "$K/client.key"
# version 4's client signature made by another key than the old one
C=$(client_dir r-badsig "$XFER/v5/"*)
cp "$C/$STEM-v4.client.minisig" "$C/keep"
minisign -S -s "$K/fake.key" -m "$C/$STEM-v4.scope" -x "$C/$STEM-v4.client.minisig" \
    -t "$(sed -n 's/^trusted comment: //p' "$C/keep")" </dev/null >/dev/null 2>&1 || fail "minisign -S"
rm "$C/keep"
refused_in 1 "version 4 ($STEM-v4.scope) does not carry a client signature by your key $CID" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --previous-key "$K/client.key"

echo "# F3: the new key with --previous-key: version 4 checked with the old key, both sign"
C=$(client_dir r-both "$XFER/v5/"*)
expect_ok "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --previous-key "$K/client.key"
expect_stdout_contains "previous: version 4 ($STEM-v4.scope), signed by your previous key $CID on 2026-04-03T09:00:00Z: version 5 is version 4 with the changes below"
expect_stdout_contains "key client: $CID -> $NID"
expect_stdout_contains "signed version 5 as the client (previous key $CID)"
expect_stdout_contains "signed version 5 as the client (key $NID)"
expect_stdout_lacks "NOTE:"
expect_ok minisign -Vm "$C/$STEM-v5.scope" -p "$K/client.pub" -x "$C/$STEM-v5.client.old.minisig"
expect_stdout_contains "version:5 role:client"
expect_ok minisign -Vm "$C/$STEM-v5.scope" -p "$K/client2.pub" -x "$C/$STEM-v5.client.minisig"
expect_stdout_contains "version:5 role:client"
# a second run refuses to overwrite either file
refused_in 2 "already exists" "$C" \
    "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --previous-key "$K/client.key"
cp "$REG" "$WORK/base5.db"
expect_ok sr attach "$C/$STEM-v5.client.old.minisig"
expect_ok sr attach "$C/$STEM-v5.client.minisig"
expect_stdout_contains "version 5: agreed (provider 2026-05-02T09:00:00Z, client 2026-05-03T09:00:00Z (old and new key))"
expect_ok sr verify

echo "# F3: the old key alone still signs (the .old.minisig)"
C=$(client_dir r-old "$XFER/v5/"*)
expect_ok "$S" cosign "$C/$STEM-v5.scope" --key "$K/client.key"
expect_stdout_contains "previous: version 4 ($STEM-v4.scope), signed by your key $CID"
expect_stdout_contains "signed version 5 as the client (previous key $CID)"
[ -f "$C/$STEM-v5.client.old.minisig" ] && [ ! -e "$C/$STEM-v5.client.minisig" ] ||
    fail "cosign with the old key did not write the .old.minisig alone"
pass "the old key alone writes $STEM-v5.client.old.minisig only"

echo "# F3: the new key alone with --without-previous says what it did not check"
C=$(client_dir r-without "$XFER/v5/"*)
expect_ok "$S" cosign "$C/$STEM-v5.scope" --key "$K/client2.key" --without-previous
expect_stdout_contains "previous: version 4 ($STEM-v4.scope): version 5 is version 4 with the changes below"
expect_stdout_contains "previous: NOT CHECKED (--without-previous): that key $CID, which version 5 replaces, is yours and signed version 4"
expect_stderr_contains "NOT CHECKED: that key $CID, which version 5 replaces, is yours and signed version 4"
expect_stdout_lacks "your previous key"
[ -f "$C/$STEM-v5.client.minisig" ] && [ ! -e "$C/$STEM-v5.client.old.minisig" ] ||
    fail "cosign --without-previous with the new key wrote other files"
pass "the new key alone wrote $STEM-v5.client.minisig only"

echo "# F3: encrypted keys, one passphrase each (from the same file)"
printf 'correct horse\n' >"$WORK/pass"
"$S" keygen -o "$K/encold" --kdf interactive --passphrase-file "$WORK/pass" >/dev/null 2>&1 &&
    "$S" keygen -o "$K/encnew" --kdf interactive --passphrase-file "$WORK/pass" >/dev/null 2>&1 || fail "keygen of encrypted keys"
ER="$WORK/enc.db"
export SCOPEREG_NOW=2026-01-05T08:00:00Z
sr_on "$ER" init --contract ENC-1 --provider P --provider-key "$PKEY" --client C --client-key "$K/encold.pub"
sr_on "$ER" add A-1 --kind other
sr_on "$ER" commit -m one --author jm
sr_on "$ER" sign 1 --key "$K/provider.key"
sr_on "$ER" sign 1 --key "$K/encold.key" --passphrase-file "$WORK/pass"
sr_on "$ER" rekey --role client --key "$K/encnew.pub"
sr_on "$ER" commit -m rekey --author jm
sr_on "$ER" sign 2 --key "$K/provider.key"
sr_on "$ER" export 2 -o "$WORK/enc"
expect_ok "$S" cosign "$WORK/enc/ENC-1-v2.scope" --key "$K/encnew.key" --previous-key "$K/encold.key" \
    --passphrase-file "$WORK/pass"
expect_stdout_contains "signed by your previous key $(key_id "$K/encold.pub")"
expect_ok "$S" -R "$ER" attach "$WORK/enc/ENC-1-v2.client.old.minisig"
expect_ok "$S" -R "$ER" attach "$WORK/enc/ENC-1-v2.client.minisig"
expect_stdout_contains "version 2: agreed"

echo "# F3 attack: the provider's own 'client key' rotated to the client's real new key"
FR="$WORK/fr.db"
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_on "$FR" init --contract ACME-1 --provider 'Helvetia IT SA' --provider-key "$PKEY" \
    --client 'ACME SA' --client-key "$K/fake.pub"
sr_on "$FR" add SRV-01 --kind server --name 'File server'
sr_on "$FR" commit -m one --author jm
sr_on "$FR" sign 1 --key "$K/provider.key"
sr_on "$FR" sign 1 --key "$K/fake.key"
export SCOPEREG_NOW=2026-05-01T09:00:00Z
sr_on "$FR" rekey --role client --key "$K/client2.pub"
sr_on "$FR" commit -m 'client key replaced' --author jm
sr_on "$FR" sign 2 --key "$K/provider.key"
sr_on "$FR" sign 2 --key "$K/fake.key"
sr_on "$FR" export 2 -o "$WORK/fr"
export SCOPEREG_NOW=2026-05-02T10:00:00Z
refused_in 2 "that new key cannot vouch for version 1, which key $FID signed" "$WORK/fr" \
    "$S" cosign "$WORK/fr/$STEM-v2.scope" --key "$K/client2.key"
# the client's real old key is not the key the document replaces
refused_in 2 "is not the key version 2 replaces: it replaces the client's key $FID by $NID" "$WORK/fr" \
    "$S" cosign "$WORK/fr/$STEM-v2.scope" --key "$K/client2.key" --previous-key "$K/client.key"
# signed on purpose without the check: the fake key is never called the client's
C=$(client_dir fr-without "$WORK/fr/"*)
expect_ok "$S" cosign "$C/$STEM-v2.scope" --key "$K/client2.key" --without-previous
expect_stdout_contains "NOT CHECKED (--without-previous): that key $FID, which version 2 replaces, is yours"
expect_stdout_lacks "your previous key"

echo
echo "# F14: another version 3 of this register that the client signed: refused"
FO=$(client_dir fo "$XFER/v3/"*)
[ -f "$FO/$STEM-v3.client.minisig" ] || fail "export 3 did not ship the client's signature"
for name in "$STEM-v3-final.scope" "final.scope"; do
    C=$(client_dir "fo-$name" "$FO/"*)
    cp "$FO/$STEM-v3.scope" "$C/$name"
    edit "$C/$name" "s.replace('reason: decommissioned', 'reason: decommissioned (final)')"
    grep -q 'decommissioned (final)' "$C/$name" || fail "the forged version 3 holds no new reason"
    SCOPEREG_NOW=2026-03-02T09:00:00Z resign "$C/$name" 3
    export SCOPEREG_NOW=2026-03-05T09:00:00Z
    refused_in 1 "$C/$STEM-v3.scope, which you signed (key $CID), is another version 3 of register $RID with other bytes" "$C" \
        "$S" cosign "$C/$name" --key "$K/client.key"
    expect_stderr_contains "two versions 3 are a fork: the register can hold only one of them; refusing to sign"
    refused_in 1 "is another version 3 of register $RID" "$C" \
        "$S" cosign "$C/$name" --key "$K/client.key" --without-previous
done
# the same bytes under another name are no fork
C=$(client_dir fo-copy "$FO/"*)
cp "$FO/$STEM-v3.scope" "$C/copy.scope"
cp "$FO/$STEM-v3.provider.minisig" "$C/copy.provider.minisig"
expect_ok "$S" cosign "$C/copy.scope" --key "$K/client.key"
expect_stdout_lacks "fork"

echo "# F14: version 1 of another register of the same parties' keys ('ACME-1 '): a WARNING"
F3DB="$WORK/f3.db"
export SCOPEREG_NOW=2026-04-04T09:00:00Z
sr_on "$F3DB" init --contract 'ACME-1 ' --provider 'Helvetia IT SA' --provider-key "$PKEY" \
    --client 'ACME SA' --client-key "$CKEY"
sr_on "$F3DB" add SRV-01 --kind server --name 'File server'
sr_on "$F3DB" commit -m one --author jm
sr_on "$F3DB" sign 1 --key "$K/provider.key"
sr_on "$F3DB" export 1 -o "$WORK/f3x"
C=$(client_dir cf "$FO/$STEM-v1.scope" "$FO/$STEM-v1.client.minisig" "$FO/$STEM-v1.provider.minisig" "$FO/"*.pub)
cp "$WORK/f3x/ACME-1_-v1.scope" "$WORK/f3x/ACME-1_-v1.provider.minisig" "$C/"
F3RID=$(sed -n 's/^register: //p' "$C/ACME-1_-v1.scope")
export SCOPEREG_NOW=2026-04-05T09:00:00Z
expect_ok "$S" cosign "$C/ACME-1_-v1.scope" --key "$K/client.key"
expect_stdout_contains "WARNING: $C/$STEM-v1.scope, which you signed (key $CID, version 1), belongs to register $RID; this document belongs to register $F3RID"
expect_stderr_contains "a second register for one contract is a fork"

echo
echo "# F13: changes that contradict the document's own items"
# version 3 listing SRV-01 again while its changes remove it
C=$(client_dir n3a "$FO/$STEM-v3.scope" "$FO/$STEM-v3.provider.minisig" "$FO/"*.pub)
edit "$C/$STEM-v3.scope" "s.replace('items: 2', 'items: 3').replace('end of scope', 'item: SRV-01\n  kind: server\n  name: File server\n  services: none (kind default)\n  sla: none (kind default)\n  ip: 10.0.0.5\n\nend of scope')"
SCOPEREG_NOW=2026-03-02T09:00:00Z resign "$C/$STEM-v3.scope" 3
export SCOPEREG_NOW=2026-03-05T09:00:00Z
refused_in 1 "$C/$STEM-v3.scope does not hold: version 3 removes SRV-01 (reason: decommissioned) but still lists it; refusing to sign" "$C" \
    "$S" cosign "$C/$STEM-v3.scope" --key "$K/client.key" --without-previous
expect_stdout_lacks "changes in version 3"
# the same with version 2 beside it
cp "$FO/$STEM-v2."* "$C/"
refused_in 1 "version 3 removes SRV-01 (reason: decommissioned) but still lists it" "$C" \
    "$S" cosign "$C/$STEM-v3.scope" --key "$K/client.key"
# version 2 adding an item it does not list
C=$(client_dir n2 "$FO/$STEM-v2.scope" "$FO/$STEM-v2.provider.minisig" "$FO/"*.pub)
edit "$C/$STEM-v2.scope" "s.replace('changes: 1\n+ PC-002\n', 'changes: 2\n+ PC-002\n+ PC-003\n')"
grep -q '^+ PC-003$' "$C/$STEM-v2.scope" || fail "the forged version 2 adds no PC-003"
SCOPEREG_NOW=2026-02-02T09:00:00Z resign "$C/$STEM-v2.scope" 2
export SCOPEREG_NOW=2026-02-05T09:00:00Z
refused_in 1 "$C/$STEM-v2.scope does not hold: version 2 adds PC-003 but does not list it" "$C" \
    "$S" cosign "$C/$STEM-v2.scope" --key "$K/client.key" --without-previous
# version 1 whose changes add another item than it lists
C=$(client_dir v1a "$FO/$STEM-v1.scope" "$FO/$STEM-v1.provider.minisig" "$FO/"*.pub)
edit "$C/$STEM-v1.scope" "s.replace('+ SRV-01\n', '+ SRV-09\n')"
grep -q '^+ SRV-09$' "$C/$STEM-v1.scope" || fail "the forged version 1 adds no SRV-09"
SCOPEREG_NOW=2026-01-11T09:00:00Z resign "$C/$STEM-v1.scope" 1
export SCOPEREG_NOW=2026-01-12T09:00:00Z
refused_in 1 "$C/$STEM-v1.scope does not hold: version 1 lists item SRV-01 but its changes do not add it" "$C" \
    "$S" cosign "$C/$STEM-v1.scope" --key "$K/client.key"
# version 2 beside a genuine version 3 contradicts itself
C=$(client_dir n2b "$FO/"*)
edit "$C/$STEM-v2.scope" "s.replace('changes: 1\n+ PC-002\n', 'changes: 2\n+ PC-002\n+ PC-003\n')"
SCOPEREG_NOW=2026-02-02T09:00:00Z resign "$C/$STEM-v2.scope" 2
rm -f "$C/$STEM-v3.client.minisig"
export SCOPEREG_NOW=2026-03-05T09:00:00Z
refused_in 1 "version 2 beside the document ($STEM-v2.scope) does not hold: version 2 adds PC-003 but does not list it" "$C" \
    "$S" cosign "$C/$STEM-v3.scope" --key "$K/client.key"
refused_in 1 "version 2 adds PC-003 but does not list it" "$C" \
    "$S" cosign "$C/$STEM-v3.scope" --key "$K/client.key" --without-previous

echo
echo "# F7: invisible and ambiguous characters are shown escaped"
ZR="$WORK/zw.db"
export SCOPEREG_NOW=2026-01-05T08:00:00Z
sr_on "$ZR" init --contract $'ACME-Z\u2060' --provider $'Helvetia\u00a0IT SA' --provider-key "$PKEY" \
    --client 'ACME SA' --client-key "$CKEY"
sr_on "$ZR" add SRV-01 --kind server --name 'File server'
sr_on "$ZR" commit -m one --author jm
sr_on "$ZR" sign 1 --key "$K/provider.key"
sr_on "$ZR" sign 1 --key "$K/client.key"
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_on "$ZR" edit SRV-01 --name $'File\u00a0server\u200b' --set $'note=e\u0301\ufeff\u202f|'
sr_on "$ZR" commit -m $'two\u202e' --author jm
sr_on "$ZR" sign 2 --key "$K/provider.key"
sr_on "$ZR" export 2 -o "$WORK/zx"
ZSTEM=$(basename "$WORK/zx/"*-v2.scope -v2.scope)
# raw_free WHAT: stdout and stderr hold none of the characters as bytes
raw_free() {
    local c
    for c in $'\u2060' $'\u00a0' $'\u200b' $'\u0301' $'\ufeff' $'\u202f' $'\u202e'; do
        if LC_ALL=C grep -qF "$c" "$OUT_FILE" "$ERR_FILE"; then
            fail "$1: a raw $(printf '%s' "$c" | od -An -tx1 | tr -d ' ') is printed"
        fi
    done
    pass "$1: no invisible character printed raw"
}
export SCOPEREG_NOW=2026-02-02T09:00:00Z
C=$(client_dir zc "$WORK/zx/"*)
expect_ok "$S" cosign "$C/$ZSTEM-v2.scope" --key "$K/client.key"
expect_stdout_contains 'contract: ACME-Z\u{2060}'
expect_stdout_contains 'provider: Helvetia\u{00A0}IT SA'
expect_stdout_contains '"two\u{202E}"'
expect_stdout_contains 'File\u{00A0}server\u{200B}'
expect_stdout_contains 'e\u{0301}\u{FEFF}\u{202F}|'
raw_free "cosign"
expect_ok "$S" verify --documents "$C"
expect_stdout_contains 'contract ACME-Z\u{2060}: provider Helvetia\u{00A0}IT SA'
raw_free "verify --documents"
# a reason naming a value: the item's name edited under the provider's signature
edit "$C/$ZSTEM-v2.scope" "s.replace('  name: File\u00a0server\u200b\n', '  name: File server\n')"
expect_exit 1 "$S" verify --documents "$C"
expect_stdout_contains 'BROKEN'
expect_stdout_contains 'File\u{00A0}server\u{200B}'
raw_free "verify --documents, a broken version"
# an id the register refuses, in a document forged outside it
C=$(client_dir zid "$FO/$STEM-v1.scope" "$FO/$STEM-v1.provider.minisig" "$FO/"*.pub)
edit "$C/$STEM-v1.scope" "s.replace('SRV-01', 'SRV-01\u200b')"
SCOPEREG_NOW=2026-01-11T09:00:00Z resign "$C/$STEM-v1.scope" 1
export SCOPEREG_NOW=2026-01-12T09:00:00Z
run "$S" cosign "$C/$STEM-v1.scope" --key "$K/client.key" -o "$WORK/zid.minisig"
if [ "$RC" -eq 0 ]; then
    expect_stdout_contains '+ SRV-01\u{200B}'
else
    [ "$RC" -eq 2 ] || fail "cosign of an id holding U+200B: exit $RC"
    pass "the document's grammar refuses an id holding U+200B (exit 2)"
    [ ! -e "$WORK/zid.minisig" ] || fail "a refused cosign wrote its signature"
fi
raw_free "cosign of a forged id"

done_checks
