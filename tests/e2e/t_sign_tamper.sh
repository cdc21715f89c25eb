#!/usr/bin/env bash
# t_sign_tamper.sh - signed registers edited behind the tool's back with
# the sqlite3 shell (an item value, a version message, signature bytes, a
# trusted comment, a signature's date, signatures swapped between
# versions) make 'verify' exit 1 naming the version; a one-byte change to
# an exported document or signature makes 'verify --documents' exit 1
# naming the file; and every bad input to sign, cosign and attach (a
# signature over other bytes, for another version or register, by the
# other party's key or an unknown key, a truncated or non-base64 .minisig
# or key file, a wrong passphrase, a secret key others may read) is one
# clear error line, exit 1 (verification) or 2 (input), and leaves the
# register byte for byte as it was.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "the sqlite3 shell is not installed"
have_minisign=0
command -v minisign >/dev/null 2>&1 && have_minisign=1

parties stranger
STEM=ACME-1

echo "# a register with two agreed versions"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg ACME-1
RID=$(sqlite3 "$REG" "SELECT value FROM meta WHERE key = 'register'")
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
expect_ok sr add PC-01 --kind workstation --name 'Compta'
expect_ok sr commit -m 'one' --author jm
export SCOPEREG_NOW="2026-01-11T09:00:00Z"
expect_ok sr sign 1 --key "$K/provider.key"
expect_ok sr sign 1 --key "$K/client.key"
export SCOPEREG_NOW="2026-02-01T09:00:00Z"
expect_ok sr edit PC-01 --set owner=alice
expect_ok sr commit -m 'two' --author jm
export SCOPEREG_NOW="2026-02-02T09:00:00Z"
expect_ok sr sign 2 --key "$K/provider.key"
expect_ok sr sign 2 --key "$K/client.key"
expect_ok sr verify
expect_stdout_contains "version 1: agreed"
expect_stdout_contains "version 2: agreed"

# tamper N SQL WHAT: on a copy, SQL makes verify exit 1 naming version N
# (stdout "version N: BROKEN", stderr "version N does not hold") and WHAT
# in the reason; verify itself changes nothing.
i=0
tamper() {
    local n=$1 sql=$2 what=$3 copy
    i=$((i + 1))
    copy="$WORK/tampered-$i.db"
    cp "$REG" "$copy"
    sqlite3 "$copy" "$sql" || fail "sqlite3: $sql"
    local sha
    sha=$(sha_of "$copy")
    expect_exit 1 "$SCOPEREG" -R "$copy" verify
    expect_stdout_contains "version $n: BROKEN"
    expect_stdout_contains "$what"
    expect_stderr_contains "version $n does not hold"
    expect_same_sha "$copy" "$sha" "verify of a tampered register"
}

echo "# registers edited with the sqlite3 shell"
tamper 1 "UPDATE item SET name = 'Evil server' WHERE id = 'SRV-01'" "no longer matches"
tamper 2 "UPDATE version SET message = 'two (amended)' WHERE number = 2" "no longer matches"
# one base64 character of the client's signature of version 1
tamper 1 "UPDATE signature SET minisig = substr(minisig, 1, instr(minisig, char(10)) + 30)
  || CASE substr(minisig, instr(minisig, char(10)) + 31, 1) WHEN 'A' THEN 'B' ELSE 'A' END
  || substr(minisig, instr(minisig, char(10)) + 32) WHERE version = 1 AND role = 'client'" \
    "stored client signature does not hold"
# the signed date inside the trusted comment
tamper 2 "UPDATE signature SET minisig = replace(minisig, 'signed:2026-02-02', 'signed:2026-01-02'),
  signed_at = replace(signed_at, '2026-02-02', '2026-01-02') WHERE version = 2 AND role = 'provider'" \
    "trusted comment was altered"
# the date column alone
tamper 2 "UPDATE signature SET signed_at = '2026-02-05T00:00:00Z' WHERE version = 2 AND role = 'client'" \
    "row was altered"
# the client's signatures swapped between versions 1 and 2
tamper 1 "UPDATE signature SET version = version + 10 WHERE role = 'client';
  UPDATE signature SET version = 13 - version WHERE version > 10" \
    "stored client signature does not hold"
expect_stdout_contains "version 2: BROKEN"
# a party's key swapped for the stranger's
SB64=$(sed -n 2p "$K/stranger.pub")
SID=$(key_id "$K/stranger.pub")
tamper 1 "UPDATE party_key SET public_key = '$SB64', key_id = '$SID' WHERE role = 'client'" "BROKEN"
# a document signature row deleted: the client's checkpoint signature of
# version 2 states when that key signed the document (document-signed:),
# so the deletion is seen and reported, not taken for a pending version
cp "$REG" "$WORK/deleted.db"
sqlite3 "$WORK/deleted.db" "DELETE FROM signature WHERE version = 2 AND role = 'client'"
sha=$(sha_of "$WORK/deleted.db")
expect_exit 1 "$SCOPEREG" -R "$WORK/deleted.db" verify
expect_stdout_contains "version 1: agreed"
expect_stdout_contains "version 2: BROKEN"
expect_stdout_contains "version 2, client"
expect_stdout_contains "no document signature by that key"
expect_stderr_contains "version 2 does not hold"
expect_same_sha "$WORK/deleted.db" "$sha" "verify of a register missing a document signature"

echo "# exported files changed by one byte"
expect_ok sr export 1 -o "$WORK/ex"
expect_ok sr export 2 -o "$WORK/ex"
expect_ok "$SCOPEREG" verify --documents "$WORK/ex"
cp -r "$WORK/ex" "$WORK/ex1"
sed -i 's/^  name: Compta$/  name: Compte/' "$WORK/ex1/$STEM-v2.scope"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ex1"
expect_stdout_contains "$STEM-v2.scope: version 2: BROKEN"
expect_stdout_contains "does not verify"
expect_stderr_contains "$STEM-v2.scope does not hold"
cp -r "$WORK/ex" "$WORK/ex2"
sed -i 's/^previous: blake2b-256:\(.\)/previous: blake2b-256:0\1/; s/^previous: blake2b-256:\(.\{64\}\).*/previous: blake2b-256:\1/' \
    "$WORK/ex2/$STEM-v2.scope"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ex2"
expect_stdout_contains "$STEM-v2.scope: version 2: BROKEN"
cp -r "$WORK/ex" "$WORK/ex3"
printf 'item: X\n' >>"$WORK/ex3/$STEM-v1.scope"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ex3"
expect_stdout_contains "$STEM-v1.scope: BROKEN"
expect_stdout_contains "data after 'end of scope document'"
cp -r "$WORK/ex" "$WORK/ex4"
sed -i '2s/^\(.\{20\}\)./\1A/' "$WORK/ex4/$STEM-v1.client.minisig"
sed -i '2s/^\(.\{20\}\)A/\1B/' "$WORK/ex4/$STEM-v1.client.minisig"
cmp -s "$WORK/ex/$STEM-v1.client.minisig" "$WORK/ex4/$STEM-v1.client.minisig" &&
    sed -i '2s/^\(.\{20\}\)./\1C/' "$WORK/ex4/$STEM-v1.client.minisig"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ex4"
expect_stdout_contains "$STEM-v1.scope: version 1: BROKEN"
cp -r "$WORK/ex" "$WORK/ex5"
cp "$WORK/ex5/$STEM.provider.pub" "$WORK/ex5/$STEM.client.pub"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ex5"
expect_stdout_contains "no .pub file"

SHA=$(sha_of "$REG")

echo "# attach: signatures that do not belong here"
mkdir -p "$WORK/c"
cp "$WORK/ex/"* "$WORK/c/"
# over other bytes: the client countersigns a document it was not sent
sed -i 's/^  name: File server$/  name: File serveR/' "$WORK/c/$STEM-v1.scope"
rm -f "$WORK/c/$STEM-v1.client.minisig" "$WORK/c/$STEM-v1.provider.minisig"
rm -f "$WORK/c/$STEM-v1.checkpoint"* # the checkpoint of the bytes it was sent
expect_ok "$SCOPEREG" cosign "$WORK/c/$STEM-v1.scope" --key "$K/client.key" -o "$WORK/other-bytes.minisig"
refused 1 "does not verify" -- sr attach "$WORK/other-bytes.minisig"
# another register with the same keys and the same content
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok "$SCOPEREG" -R "$WORK/twin.db" init --contract ACME-1 --provider 'Helvetia IT SA' \
    --provider-key "$K/provider.pub" --client 'ACME SA' --client-key "$K/client.pub"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok "$SCOPEREG" -R "$WORK/twin.db" add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
expect_ok "$SCOPEREG" -R "$WORK/twin.db" add PC-01 --kind workstation --name 'Compta'
expect_ok "$SCOPEREG" -R "$WORK/twin.db" commit -m 'one' --author jm
expect_ok "$SCOPEREG" -R "$WORK/twin.db" sign --key "$K/client.key"
expect_ok "$SCOPEREG" -R "$WORK/twin.db" export -o "$WORK/twin"
refused 1 "not for $REG" -- sr attach "$WORK/twin/$STEM-v1.client.minisig"
# the provider's key signing again with another date: a second signature by the same key
export SCOPEREG_NOW="2026-03-01T09:00:00Z"
cp "$WORK/ex/$STEM-v1.scope" "$WORK/c/again.scope"
expect_ok "$SCOPEREG" cosign "$WORK/c/again.scope" --key "$K/provider.key" -o "$WORK/again.minisig"
refused 2 "already holds another signature by the provider's key" -- sr attach "$WORK/again.minisig"
if [ $have_minisign = 1 ]; then
    H1=$(sqlite3 "$REG" "SELECT hash FROM version WHERE number = 1")
    H2=$(sqlite3 "$REG" "SELECT hash FROM version WHERE number = 2")
    tc() { echo "scopereg register:$RID version:$1 role:$2 document:$3 signed:2026-03-01T09:00:00Z"; }
    # for another version: version 1's bytes, a trusted comment naming version 2
    minisign -S -s "$K/client.key" -m "$WORK/ex/$STEM-v1.scope" -x "$WORK/v2-claim.minisig" \
        -t "$(tc 2 client "$H2")" </dev/null >/dev/null 2>&1 || fail "minisign -S"
    refused 1 "does not verify" -- sr attach "$WORK/v2-claim.minisig"
    # by the other party's key: the provider's key, a trusted comment saying client
    minisign -S -s "$K/provider.key" -m "$WORK/ex/$STEM-v1.scope" -x "$WORK/role.minisig" \
        -t "$(tc 1 client "$H1")" </dev/null >/dev/null 2>&1 || fail "minisign -S"
    refused 1 "says role client but its key is the provider's" -- sr attach "$WORK/role.minisig"
    # by an unknown key
    minisign -S -s "$K/stranger.key" -m "$WORK/ex/$STEM-v1.scope" -x "$WORK/stranger.minisig" \
        -t "$(tc 1 client "$H1")" </dev/null >/dev/null 2>&1 || fail "minisign -S"
    refused 1 "neither the provider's nor the client's" -- sr attach "$WORK/stranger.minisig"
    # the right key and bytes, minisign's own trusted comment
    minisign -S -s "$K/client.key" -m "$WORK/ex/$STEM-v1.scope" -x "$WORK/plain.minisig" \
        </dev/null >/dev/null 2>&1 || fail "minisign -S"
    refused 2 "not a signature of a scope document" -- sr attach "$WORK/plain.minisig"
else
    echo "# minisign absent: hand-made signatures (another version, the other party's key) skipped"
fi
# malformed signature files
GOOD="$WORK/ex/$STEM-v1.client.minisig"
head -c 60 "$GOOD" >"$WORK/trunc.minisig"
refused 2 "trunc.minisig: line 2" -- sr attach "$WORK/trunc.minisig"
sed '2s/.*/this is not base64 at all !/' "$GOOD" >"$WORK/nob64.minisig"
refused 2 "not valid base64" -- sr attach "$WORK/nob64.minisig"
sed '2s/^\(.\{10\}\).*/\1/' "$GOOD" >"$WORK/short.minisig"
refused 2 "short.minisig: line 2" -- sr attach "$WORK/short.minisig"
refused 2 "nowhere.minisig" -- sr attach "$WORK/nowhere.minisig"

echo "# sign: keys that are not a party's, or not usable"
refused 2 "neither the provider's nor the client's" -- sr sign 2 --key "$K/stranger.key"
head -c 80 "$K/client.key" >"$WORK/trunc.key"
chmod 600 "$WORK/trunc.key"
refused 2 "trunc.key" -- sr sign 2 --key "$WORK/trunc.key"
sed '2s/.*/@@@@ not base64 @@@@/' "$K/client.key" >"$WORK/nob64.key"
chmod 600 "$WORK/nob64.key"
refused 2 "not valid base64" -- sr sign 2 --key "$WORK/nob64.key"
cp "$K/client.key" "$WORK/open.key"
chmod 640 "$WORK/open.key"
refused 2 "chmod 600" -- sr sign 2 --key "$WORK/open.key"
refused 2 "no version 9" -- sr sign 9 --key "$K/client.key"
refused 2 "needs --key" -- sr sign 2
echo "# an encrypted key with a wrong passphrase"
SCOPEREG_PASSPHRASE='right horse' expect_ok "$SCOPEREG" keygen -o "$WORK/enc"
SCOPEREG_PASSPHRASE='wrong horse' refused 2 "wrong passphrase" -- sr sign 2 --key "$WORK/enc.key"

echo "# cosign: documents and keys that do not fit"
cp "$WORK/ex/"* "$WORK/c/"
refused 2 "neither the client's key" -- "$SCOPEREG" cosign "$WORK/c/$STEM-v1.scope" --key "$K/stranger.key" -o "$WORK/x.minisig"
[ ! -e "$WORK/x.minisig" ] || fail "a refused cosign wrote its signature"
refused 2 "trunc.key" -- "$SCOPEREG" cosign "$WORK/c/$STEM-v1.scope" --key "$WORK/trunc.key" -o "$WORK/x.minisig"
printf 'scope-register/1\nregister: nothex\n' >"$WORK/c/bad.scope"
refused 2 "bad.scope: line 2: register:" -- "$SCOPEREG" cosign "$WORK/c/bad.scope" --key "$K/client.key"
# the provider's signature beside the document does not hold: nothing signed
cp "$WORK/ex/$STEM-v2.provider.minisig" "$WORK/c/$STEM-v1.provider.minisig"
rm -f "$WORK/c/$STEM-v1.client.minisig"
expect_exit 1 "$SCOPEREG" cosign "$WORK/c/$STEM-v1.scope" --key "$K/client.key"
expect_stderr_contains "$STEM-v1.provider.minisig"
[ ! -e "$WORK/c/$STEM-v1.client.minisig" ] || fail "cosign signed next to a bad provider signature"
pass "cosign refuses to sign next to a provider signature that does not hold"
# the client's checkpoint signature left beside the document without the
# client's document signature whose date it states: nothing signed, exit 1
cp "$WORK/ex/$STEM-v1.provider.minisig" "$WORK/c/"
csha=$(cat "$WORK/c/"* | sha256sum)
refused 1 "$STEM-v1.checkpoint.client.minisig: version 1, client" \
    "no document signature by key $CID" -- \
    "$SCOPEREG" cosign "$WORK/c/$STEM-v1.scope" --key "$K/client.key" -o "$WORK/y.minisig"
[ ! -e "$WORK/y.minisig" ] && [ "$(cat "$WORK/c/"* | sha256sum)" = "$csha" ] ||
    fail "a refused cosign wrote a file"
pass "cosign refuses a checkpoint signature whose document signature is gone"
rm "$WORK/c/$STEM-v1.checkpoint.client.minisig"
# a public key beside it that is not the document's provider key
cp "$K/stranger.pub" "$WORK/c/$STEM.provider.pub"
expect_ok "$SCOPEREG" cosign "$WORK/c/$STEM-v1.scope" --key "$K/client.key" -o "$WORK/y.minisig"
expect_stdout_contains "NOT CHECKED"
expect_stderr_contains "not checked"

echo "# rekey: public keys that are not usable"
sed '2s/.*/!!!/' "$K/client.pub" >"$WORK/bad.pub"
refused 2 "bad.pub" -- sr rekey --role client --key "$WORK/bad.pub"
refused 2 "already the client's key" -- sr rekey --role client --key "$K/client.pub"
refused 2 "provider's key" -- sr rekey --role client --key "$K/provider.pub"
refused 2 "must be provider or client" -- sr rekey --role auditor --key "$K/stranger.pub"
expect_same_sha "$REG" "$SHA" "the register, after every refused command above"

done_checks
