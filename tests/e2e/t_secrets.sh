#!/usr/bin/env bash
# t_secrets.sh - how scopereg treats secret keys and passphrases, seen from
# outside:
#  - a passphrase (right or wrong, from a file or $SCOPEREG_PASSPHRASE) and
#    the contents of a passphrase or key file never appear in any output
#    or error message, whatever goes wrong;
#  - secret keys are created 0600 whatever the umask, and read only when
#    neither group nor others may access them (the error says
#    "run: chmod 600 FILE"), never through a symbolic link;
#  - a failed signature changes nothing in the register;
#  - a running scopereg cannot dump core (RLIMIT_CORE is 0), and holds the
#    passphrase in locked memory (libsodium's sodium_malloc).
# The sign/cosign cases run when the binary has those commands.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PASS='Zq9-SECRET-pass-xyzzy'
WRONG='Wr0ng-guess-plugh'
cd "$WORK" || fail "cd $WORK"
printf '%s\n' "$PASS" >pass.txt
printf '%s\n' "$WRONG" >wrong.txt
chmod 600 pass.txt wrong.txt

# no_secret WHAT: neither the passphrases nor any line of the given files
# appear in the last command's stdout or stderr.
no_secret() {
    local what=$1 f line
    shift
    for s in "$PASS" "$WRONG"; do
        if grep -qF -- "$s" "$OUT_FILE" "$ERR_FILE"; then
            fail "$what: the passphrase '$s' appears in the output"
        fi
    done
    for f in "$@"; do
        while IFS= read -r line || [ -n "$line" ]; do
            line=${line%$'\r'}
            case "$line" in "" | "untrusted comment:"*) continue ;; esac
            [ "${#line}" -ge 8 ] || continue
            grep -qF -- "$line" "$OUT_FILE" "$ERR_FILE" && fail "$what: a line of $f appears in the output"
        done <"$f"
    done
    pass "$what: no passphrase or file content in the output"
}
mode_of() { stat -c %a "$1"; }

echo "# keygen: modes whatever the umask, no passphrase in the output"
(
    umask 000
    "$SCOPEREG" keygen -o provider --kdf interactive --passphrase-file pass.txt >"$OUT_FILE" 2>"$ERR_FILE"
) || fail "keygen with a passphrase file failed: $(cat "$ERR_FILE")"
no_secret "keygen --passphrase-file"
[ "$(mode_of provider.key)" = 600 ] || fail "provider.key has mode $(mode_of provider.key) under umask 000"
pass "provider.key is 0600 under umask 000"
[ "$(mode_of provider.pub)" = 644 ] || fail "provider.pub has mode $(mode_of provider.pub)"
pass "provider.pub is 0644"
grep -qF -- "$PASS" provider.key && fail "the passphrase is in the key file"
grep -q '^untrusted comment: minisign encrypted secret key$' provider.key || fail "provider.key is not an encrypted minisign key"
pass "provider.key is encrypted and does not hold the passphrase"
expect_ok "$SCOPEREG" keygen -o client --unencrypted
[ "$(mode_of client.key)" = 600 ] || fail "client.key has mode $(mode_of client.key)"
pass "client.key (unencrypted) is 0600"

echo "# bad passphrase sources: a clear error that quotes nothing, no key written"
printf '%s\n%s\n' "$PASS" "$WRONG" >two-lines.txt
printf '%s\0%s\n' "$PASS" "$WRONG" >nul.txt
: >empty.txt
{ for _ in $(seq 1 60); do printf '%s' "$PASS"; done; echo; } >long.txt
mkdir dir.txt
chmod 600 two-lines.txt nul.txt empty.txt long.txt
for f in two-lines.txt nul.txt empty.txt long.txt dir.txt missing.txt; do
    expect_exit 2 "$SCOPEREG" keygen -o "bad-$f" --passphrase-file "$f"
    expect_one_error_line
    [ -f "$f" ] && no_secret "keygen --passphrase-file $f" "$f" || no_secret "keygen --passphrase-file $f"
    [ ! -e "bad-$f.key" ] && [ ! -e "bad-$f.pub" ] || fail "keygen wrote a key despite the bad passphrase file $f"
    pass "no key written for $f"
done
SCOPEREG_PASSPHRASE="" expect_exit 2 "$SCOPEREG" keygen -o bad-env
expect_stderr_contains "empty"
LONG=$(head -c 2000 long.txt)
SCOPEREG_PASSPHRASE="$LONG" expect_exit 2 "$SCOPEREG" keygen -o bad-env
no_secret "keygen with a passphrase of 2000 bytes in the environment" long.txt

echo "# a running scopereg: no core dump, the passphrase in locked memory"
mkfifo pass.fifo
(
    ulimit -c unlimited 2>/dev/null || ulimit -S -c "$(ulimit -H -c)"
    exec "$SCOPEREG" keygen -o fifo-key --passphrase-file pass.fifo
) >"$OUT_FILE" 2>"$ERR_FILE" &
PID=$!
exec 8>pass.fifo # scopereg's open() returns; its read() then waits for a line
# Once open() returned, scopereg allocates the passphrase buffer (locked)
# and waits in read(); give it up to 5 s to get there.
for _ in $(seq 1 50); do
    [ "$(awk '/^VmLck:/ { print $2 }' "/proc/$PID/status" 2>/dev/null)" -gt 0 ] 2>/dev/null && break
    sleep 0.1
done
[ -r "/proc/$PID/limits" ] || skip "no /proc/$PID/limits to look at"
core=$(awk '/^Max core file size/ { print $5 " " $6 }' "/proc/$PID/limits")
[ "$core" = "0 0" ] || [ "${core%% *}" = 0 ] || fail "scopereg runs with core file size limit '$core', expected 0"
pass "scopereg runs with RLIMIT_CORE 0 (limits: '$core'; the shell allowed $(ulimit -H -c))"
locked=$(awk '/^VmLck:/ { print $2 }' "/proc/$PID/status")
memlock=$(ulimit -l)
if ldd "$SCOPEREG" 2>/dev/null | grep -q libasan; then
    echo "note: AddressSanitizer build: its mlock() does nothing; the locked-memory check is left out"
elif [ "$memlock" = unlimited ] || [ "$memlock" -ge 64 ]; then
    [ "${locked:-0}" -gt 0 ] || fail "scopereg waits for the passphrase with no locked memory (VmLck ${locked:-?} kB)"
    pass "the passphrase buffer is locked memory (VmLck $locked kB)"
else
    echo "note: RLIMIT_MEMLOCK is $memlock kB; the locked-memory check is left out"
fi
printf '%s\n' "$PASS" >&8
exec 8>&-
wait "$PID" || fail "keygen from a fifo failed: $(cat "$ERR_FILE")"
no_secret "keygen --passphrase-file FIFO"
[ -s fifo-key.key ] || fail "keygen from a fifo wrote no key"
pass "keygen read the passphrase from the fifo"

if ! "$SCOPEREG" help sign >/dev/null 2>&1; then
    echo "note: this scopereg has no 'sign' command; the signing cases are left out"
    done_checks
fi

echo "# sign: wrong passphrase, bad modes, symlinks, corrupt keys"
PKEY=provider.pub # made above by keygen, in $WORK
CKEY=client.pub
expect_ok init_reg ACME-1
expect_ok "$SCOPEREG" -R "$REG" add SRV-01 --kind server
expect_ok "$SCOPEREG" -R "$REG" commit -m 'Initial inventory'
BEFORE=$(sha_of "$REG")

expect_exit 2 "$SCOPEREG" -R "$REG" sign --key provider.key --passphrase-file wrong.txt
expect_stderr_contains "wrong passphrase"
expect_one_error_line
no_secret "sign with a wrong passphrase file" provider.key
expect_same_sha "$REG" "$BEFORE" "sign with a wrong passphrase"
SCOPEREG_PASSPHRASE="$WRONG" expect_exit 2 "$SCOPEREG" -R "$REG" sign --key provider.key
expect_stderr_contains "wrong passphrase"
no_secret "sign with a wrong \$SCOPEREG_PASSPHRASE" provider.key
expect_same_sha "$REG" "$BEFORE" "sign with a wrong \$SCOPEREG_PASSPHRASE"

for m in 640 604 660 644; do
    chmod "$m" provider.key
    expect_exit 2 "$SCOPEREG" -R "$REG" sign --key provider.key --passphrase-file pass.txt
    expect_stderr_contains "run: chmod 600 provider.key"
    no_secret "sign with a key of mode $m" provider.key
done
chmod 604 client.key
expect_exit 2 "$SCOPEREG" -R "$REG" sign --key client.key
expect_stderr_contains "run: chmod 600 client.key"
no_secret "sign with an unencrypted key of mode 604" client.key
chmod 600 provider.key client.key
expect_same_sha "$REG" "$BEFORE" "signatures refused for the key's mode"

ln -s provider.key link.key
expect_exit 2 "$SCOPEREG" -R "$REG" sign --key link.key --passphrase-file pass.txt
expect_output_contains "link.key"
no_secret "sign through a symbolic link" provider.key
cp client.key corrupt.key
chmod 600 corrupt.key
# Change one base64 character of the key line: the 100th encodes a byte
# of the Ed25519 seed (bytes 62-93 of the decoded key).
awk 'NR == 2 { c = substr($0, 100, 1); $0 = substr($0, 1, 99) (c == "A" ? "B" : "A") substr($0, 101) } { print }' \
    client.key >corrupt.tmp && cat corrupt.tmp >corrupt.key && rm corrupt.tmp
expect_exit 2 "$SCOPEREG" -R "$REG" sign --key corrupt.key
no_secret "sign with a corrupt key" client.key corrupt.key
mkdir dir.key
expect_fail_quietly() { [ "$RC" -eq 2 ] || [ "$RC" -eq 3 ] || fail "exit $RC, expected 2 or 3"; expect_one_error_line; }
run "$SCOPEREG" -R "$REG" sign --key dir.key
expect_fail_quietly
run "$SCOPEREG" -R "$REG" sign --key /dev/zero
expect_fail_quietly
expect_same_sha "$REG" "$BEFORE" "signatures refused for bad key files"

expect_ok "$SCOPEREG" -R "$REG" sign --key provider.key --passphrase-file pass.txt
no_secret "sign with the right passphrase" provider.key
SCOPEREG_PASSPHRASE="$PASS" expect_ok "$SCOPEREG" -R "$REG" verify
no_secret "verify"

if "$SCOPEREG" help cosign >/dev/null 2>&1 && "$SCOPEREG" help export >/dev/null 2>&1; then
    echo "# cosign: the client reviews and signs elsewhere"
    expect_ok "$SCOPEREG" -R "$REG" export -o out
    doc=$(ls out/*.scope | head -n 1)
    expect_exit 2 "$SCOPEREG" cosign "$doc" --key provider.key --passphrase-file wrong.txt -o c.minisig
    expect_stderr_contains "wrong passphrase"
    no_secret "cosign with a wrong passphrase" provider.key
    [ ! -e c.minisig ] || fail "cosign wrote a signature with a wrong passphrase"
    pass "no signature written"
    chmod 644 client.key
    expect_exit 2 "$SCOPEREG" cosign "$doc" --key client.key -o c.minisig
    expect_stderr_contains "chmod 600"
    no_secret "cosign with a key of mode 644" client.key
    [ ! -e c.minisig ] || fail "cosign wrote a signature with a key of mode 644"
    chmod 600 client.key
fi

done_checks
