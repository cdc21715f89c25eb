#!/usr/bin/env bash
# t_commit_sign.sh - commit --sign: the committer's key signs the new
# version in the same command, from the commit's own rendering. On the
# same staged register, 'commit --sign' and 'commit' then 'sign' store the
# same rows (items, version, document and checkpoint signatures, leaf
# cache) and print the same lines; verify holds. The client's key signs as
# the client; at a key rotation the key it replaces signs. Each refusal
# (no --key, --key without --sign, a key of neither party, the key a
# staged rotation brings in, a wrong passphrase, nothing staged) names its
# fix on one error line, exits 2 and leaves the register byte for byte as
# it was.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is absent"

parties stranger provider2
export SCOPEREG_AUTHOR=jm
init_reg_ok ACME-CS
fleet="$SCOPEREG_SOURCE/samples/fleet.csv"
sr_ok import "$fleet"
TWO="$WORK/two.db"
cp "$REG" "$TWO"

# rows TABLE... : the rows of the tables, in a stable order, hashed.
rows() {
    local db=$1 t out=""
    shift
    for t in "$@"; do
        out+="$t $(sqlite3 "$db" "SELECT * FROM $t ORDER BY 1, 2" | sha256sum | cut -c1-16) "
    done
    echo "$out"
}
TABLES="item version signature checkpoint_signature leaf_cache party_key"

echo "# version 1: commit --sign against commit then sign"
export SCOPEREG_NOW=2026-02-02T09:00:00Z
expect_ok sr commit -m 'Initial inventory' --sign --key "$K/provider.key"
cp "$OUT_FILE" "$WORK/one.out"
expect_stdout_contains "version 1 committed: "
expect_stdout_contains "version 1 signed by the provider (key $PID)"
expect_ok "$SCOPEREG" -R "$TWO" commit -m 'Initial inventory'
cp "$OUT_FILE" "$WORK/two.out"
expect_ok "$SCOPEREG" -R "$TWO" sign 1 --key "$K/provider.key"
cat "$OUT_FILE" >>"$WORK/two.out"
cmp -s "$WORK/one.out" "$WORK/two.out" ||
    fail "commit --sign printed $(cat "$WORK/one.out"), commit then sign $(cat "$WORK/two.out")"
pass "commit --sign prints what commit then sign print"
a=$(rows "$REG" $TABLES)
b=$(rows "$TWO" $TABLES)
[ "$a" = "$b" ] || fail "rows differ: commit --sign $a; commit then sign $b"
[ "$(sqlite3 "$REG" 'SELECT count(*) FROM leaf_cache')" -gt 0 ] || fail "the leaf cache is empty"
pass "the same rows: $a"
expect_ok sr verify
expect_stdout_contains "version 1: pending"

echo "# version 2: the client commits and signs"
export SCOPEREG_NOW=2026-02-03T09:00:00Z
sr_ok edit PC-001 --name 'Poste compta (remplacé)'
expect_ok sr commit -m 'PC-001 replaced' --sign --key "$K/client.key"
expect_stdout_contains "version 2 signed by the client (key $CID)"
expect_ok sr verify

echo "# refusals: one error line naming the fix, nothing written"
sr_ok edit PC-001 --name 'Poste compta (2027)'
refused -m "commit --sign without --key" 2 "commit --sign needs --key K.key" -- \
    sr commit -m three --sign
refused -m "--key without --sign" 2 "add --sign to sign the new version" -- \
    sr commit -m three --key "$K/provider.key"
refused -m "--passphrase-file without --sign" 2 "add --sign" -- \
    sr commit -m three --passphrase-file "$WORK/none.txt"
refused -m "a key of neither party" 2 "is neither the provider's nor the client's key" \
    "sign with the provider's or the client's key" -- \
    sr commit -m three --sign --key "$K/stranger.key"
refused -m "a key file that does not exist" 2 "missing.key: no such file" \
    "--key takes your secret key file, the NAME.key that 'scopereg keygen -o NAME'" -- \
    sr commit -m three --sign --key "$WORK/missing.key"
refused -m "sign with a key file that does not exist" 2 "missing.key: no such file" -- \
    sr sign --key "$WORK/missing.key"
printf 'right horse battery\n' >"$WORK/pass.txt"
printf 'wrong horse battery\n' >"$WORK/wrong.txt"
(cd "$WORK" && "$SCOPEREG" keygen -o enc --kdf interactive --passphrase-file pass.txt \
    >/dev/null 2>&1) ||
    fail "keygen of an encrypted key failed"
refused -m "a wrong passphrase" 2 "enc.key" -- \
    sr commit -m three --sign --key "$WORK/enc.key" --passphrase-file "$WORK/wrong.txt"
sr_ok reset
refused -m "nothing staged" 2 "nothing to commit" -- \
    sr commit -m three --sign --key "$K/provider.key"

echo "# a key rotation: the key it replaces signs"
export SCOPEREG_NOW=2026-02-04T09:00:00Z
sr_ok rekey --role provider --key "$K/provider2.pub"
refused -m "the key the staged rotation brings in: the party's key only with this commit" 2 \
    "becomes the provider's key only with this commit (staged by rekey)" \
    "sign this version with the key it replaces, or commit, then 'scopereg sign --key" -- \
    sr commit -m 'provider key replaced' --sign --key "$K/provider2.key"
expect_ok sr commit -m 'provider key replaced' --sign --key "$K/provider.key"
expect_stdout_contains "version 3 signed by the provider (key $PID)"
expect_ok sr verify

echo "# a standard output that cannot be written: what was stored stands, one error line says so"
# full CMD...: scopereg on $REG with its standard output on /dev/full.
full() {
    "$SCOPEREG" -R "$REG" "$@" >/dev/full 2>"$ERR_FILE"
    RC=$?
    ERR=$(cat "$ERR_FILE")
    [ "$RC" -eq 3 ] || fail "$(show_cmd "$@") >/dev/full: exit $RC, expected 3"
    expect_stderr_contains "cannot write to standard output: No space left on device; what the command wrote to files or to the register stands"
    expect_one_error_line
}
if [ -w /dev/full ]; then
    export SCOPEREG_NOW=2026-02-05T09:00:00Z
    sr_ok add FULL-01 --kind server --name 'Full disk'
    full commit -m 'one more server' --sign --key "$K/provider2.key"
    full sign --key "$K/client.key"
    expect_ok sr log
    expect_stdout_contains "version 4 "
    expect_stdout_contains "agreed (provider 2026-02-05T09:00:00Z, client 2026-02-05T09:00:00Z)"
    expect_ok sr verify
    # the same check on every way out, --help and --version too
    for args in "--version" "--help" "commit --help" "help commit" "-R $REG log" \
        "-R $REG verify" "-R $REG status" "-R $REG at 2026-02-05 FULL-01" "-R $REG history FULL-01"; do
        # shellcheck disable=SC2086
        "$SCOPEREG" $args >/dev/full 2>"$ERR_FILE"
        RC=$?
        ERR=$(cat "$ERR_FILE")
        [ "$RC" -eq 3 ] || fail "scopereg $args >/dev/full: exit $RC, expected 3"
        expect_stderr_contains "cannot write to standard output: No space left on device"
        expect_one_error_line
    done
else
    echo "skipped: /dev/full is not writable here"
fi
done_checks
