#!/usr/bin/env bash
# scopereg keygen writes key pairs that stock minisign uses: it signs with
# the secret key (unencrypted, or scrypt-encrypted with the passphrase),
# verifies with the public key, and rebuilds the same public key from the
# secret key. Also: file modes, refusal to overwrite, --force, passphrase
# sources and their errors. Needs $SCOPEREG and minisign; exits 77 to skip.
set -u

if [ -z "${SCOPEREG:-}" ] || [ ! -x "$SCOPEREG" ]; then
    echo "skipped: \$SCOPEREG is not set to the scopereg binary"
    exit 77
fi
if ! command -v minisign >/dev/null 2>&1; then
    echo "skipped: minisign is not on PATH"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scopereg-e2e-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
unset SCOPEREG_PASSPHRASE

fails=0
fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}
# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND (output in out/err);
# CODE "fail" accepts any non-zero exit.
expect() {
    local want=$1 what=$2
    shift 3
    "$@" >out 2>err
    local got=$?
    if [ "$got" != "$want" ] && { [ "$want" != fail ] || [ "$got" = 0 ]; }; then
        fail "$what: exit $got, expected $want"
        sed 's/^/  stdout: /' out >&2
        sed 's/^/  stderr: /' err >&2
    fi
}
mode() { stat -c %a "$1"; }
b64line() { sed -n 2p "$1"; }

printf 'scope-register/1\nversion: 1\n' >doc.scope

# --- unencrypted key ---
expect 0 "keygen --unencrypted" -- "$SCOPEREG" keygen -o prov --unencrypted
[ "$(mode prov.key)" = 600 ] || fail "prov.key has mode $(mode prov.key), expected 600"
[ -f prov.pub ] || fail "prov.pub not written"
id=$(sed -n 's/^key id: //p' out)
[ -n "$id" ] || fail "keygen printed no key id"
grep -qx "untrusted comment: minisign public key $id" prov.pub ||
    fail "prov.pub comment does not name key id $id"
grep -q "prov.pub" out && grep -q "prov.key" out || fail "keygen did not print both paths"
expect 0 "minisign -S with scopereg's unencrypted key" -- \
    minisign -S -s prov.key -m doc.scope -t "role:provider" </dev/null
expect 0 "minisign -V with scopereg's public key" -- minisign -V -p prov.pub -m doc.scope
grep -q "role:provider" out || fail "minisign -V did not show the trusted comment"
expect 0 "minisign -R from scopereg's unencrypted key" -- \
    minisign -R -s prov.key -p prov-r.pub </dev/null
[ "$(b64line prov.pub)" = "$(b64line prov-r.pub)" ] ||
    fail "minisign -R rebuilt another public key from prov.key"
# Other bytes: refused.
printf 'scope-register/1\nversion: 2\n' >other.scope
cp doc.scope.minisig other.scope.minisig
expect fail "minisign -V over other bytes" -- minisign -V -p prov.pub -m other.scope

# --- no silent overwrite; --force replaces ---
before=$(cat prov.key prov.pub | sha256sum)
expect 2 "keygen over existing files" -- "$SCOPEREG" keygen -o prov --unencrypted
grep -q "prov.key already exists" err || fail "no 'already exists' message: $(cat err)"
[ "$(cat prov.key prov.pub | sha256sum)" = "$before" ] || fail "existing key files were changed"
rm prov.pub
expect 2 "keygen over an existing .key alone" -- "$SCOPEREG" keygen -o prov --unencrypted
[ ! -e prov.pub ] || fail "prov.pub written although prov.key exists"
chmod 644 prov.key
expect 0 "keygen --force" -- "$SCOPEREG" keygen -o prov --unencrypted --force
[ "$(mode prov.key)" = 600 ] || fail "--force left prov.key with mode $(mode prov.key)"
[ "$(sed -n 's/^key id: //p' out)" != "$id" ] || fail "--force did not make a new key"

# --- encrypted key, passphrase from a file ---
printf 'client pass phrase\n' >pass.txt
expect 0 "keygen --passphrase-file" -- "$SCOPEREG" keygen -o cli --passphrase-file pass.txt
[ "$(mode cli.key)" = 600 ] || fail "cli.key has mode $(mode cli.key), expected 600"
expect fail "minisign -S with a wrong password" -- \
    sh -c 'printf "wrong\n" | minisign -S -s cli.key -m doc.scope'
expect 0 "minisign -S with scopereg's encrypted key" -- \
    sh -c 'printf "client pass phrase\n" | minisign -S -s cli.key -m doc.scope -t role:client'
expect 0 "minisign -V with the encrypted key's public key" -- minisign -V -p cli.pub -m doc.scope
expect 0 "minisign -R from scopereg's encrypted key" -- \
    sh -c 'printf "client pass phrase\n" | minisign -R -s cli.key -p cli-r.pub'
[ "$(b64line cli.pub)" = "$(b64line cli-r.pub)" ] ||
    fail "minisign -R rebuilt another public key from cli.key"

# --- the interactive scrypt cost: 16 MiB, stored in the file, read by minisign ---
# memlimit is bytes 46-53 of the decoded key (after sig_alg, kdf_alg, chk_alg,
# salt and opslimit), little-endian.
limits() { b64line "$1" | base64 -d | od -An -t u8 -j 38 -N 16 | tr -s ' ' | sed 's/^ //'; }
expect 0 "keygen --kdf interactive" -- \
    "$SCOPEREG" keygen -o light --kdf interactive --passphrase-file pass.txt
grep -q "interactive cost: 16 MiB" out || fail "keygen --kdf interactive did not say its cost: $(cat out)"
[ "$(limits light.key)" = "524288 16777216" ] ||
    fail "light.key has scrypt limits '$(limits light.key)', expected '524288 16777216'"
[ "$(limits cli.key)" = "33554432 1073741824" ] ||
    fail "cli.key (default cost) has scrypt limits '$(limits cli.key)', expected minisign's"
expect 0 "minisign -S with a key of the interactive cost" -- \
    sh -c 'printf "client pass phrase\n" | minisign -S -s light.key -m doc.scope'
expect 0 "minisign -V with light.pub" -- minisign -V -p light.pub -m doc.scope
expect fail "minisign -S with a wrong password (interactive cost)" -- \
    sh -c 'printf "wrong\n" | minisign -S -s light.key -m doc.scope'
expect 0 "keygen --kdf sensitive (the default, named)" -- \
    "$SCOPEREG" keygen -o heavy --kdf sensitive --passphrase-file pass.txt
[ "$(limits heavy.key)" = "33554432 1073741824" ] ||
    fail "heavy.key has scrypt limits '$(limits heavy.key)', expected minisign's"
expect 0 "keygen --force --kdf interactive" -- \
    "$SCOPEREG" keygen -o heavy --force --kdf interactive --passphrase-file pass.txt
[ "$(limits heavy.key)" = "524288 16777216" ] ||
    fail "keygen --force --kdf interactive wrote limits '$(limits heavy.key)'"

# --- passphrase from the environment ---
expect 0 "keygen with \$SCOPEREG_PASSPHRASE" -- \
    env SCOPEREG_PASSPHRASE='env pass' "$SCOPEREG" keygen -o envk
expect 0 "minisign -S with the \$SCOPEREG_PASSPHRASE key" -- \
    sh -c 'printf "env pass\n" | minisign -S -s envk.key -m doc.scope'
expect 0 "minisign -V with envk.pub" -- minisign -V -p envk.pub -m doc.scope

# --- refusals: nothing written ---
: >empty.txt
expect 2 "empty passphrase file" -- "$SCOPEREG" keygen -o e1 --passphrase-file empty.txt
grep -q "empty passphrase" err || fail "no 'empty passphrase' message: $(cat err)"
expect 2 "empty \$SCOPEREG_PASSPHRASE" -- env SCOPEREG_PASSPHRASE= "$SCOPEREG" keygen -o e2
expect 2 "missing passphrase file" -- "$SCOPEREG" keygen -o e3 --passphrase-file nowhere.txt
grep -q "nowhere.txt" err || fail "missing passphrase file not named: $(cat err)"
expect 2 "keygen without -o" -- "$SCOPEREG" keygen --unencrypted
expect 2 "keygen with an unknown option" -- "$SCOPEREG" keygen -o e4 --bogus
expect 2 "--unencrypted with --passphrase-file" -- \
    "$SCOPEREG" keygen -o e5 --unencrypted --passphrase-file pass.txt
expect 2 "--kdf with an unknown cost" -- \
    "$SCOPEREG" keygen -o e7 --kdf fast --passphrase-file pass.txt
grep -q "unknown cost 'fast': use sensitive" err || fail "no 'unknown cost' message: $(cat err)"
expect 2 "--unencrypted with --kdf" -- "$SCOPEREG" keygen -o e8 --unencrypted --kdf interactive
grep -q "\-\-unencrypted and \-\-kdf exclude each other" err ||
    fail "no '--unencrypted and --kdf' message: $(cat err)"
if command -v setsid >/dev/null 2>&1; then
    expect 2 "no terminal and no passphrase source" -- setsid -w "$SCOPEREG" keygen -o e6 </dev/null
    grep -q "no terminal" err || fail "no 'no terminal' message: $(cat err)"
fi
for n in e1 e2 e3 e4 e5 e6 e7 e8; do
    [ ! -e $n.key ] && [ ! -e $n.pub ] || fail "refused keygen -o $n left files behind"
done

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "ok: keygen key pairs work with minisign $(minisign -v 2>&1 | head -1)"
