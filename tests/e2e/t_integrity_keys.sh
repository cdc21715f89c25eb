#!/usr/bin/env bash
# t_integrity_keys.sh - hostile key and signature files: a secret key whose
# scrypt limits exceed what minisign writes is refused at once (exit 2,
# before any passphrase or key derivation), and a FIFO given as a
# signature, a public key or a secret key is refused without blocking;
# keygen --force refuses to replace anything but a regular file; in every
# case the register and the files are left byte for byte as they were.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties

export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg ACME-1
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server'
expect_ok sr commit -m one --author jm
SHA=$(sha_of "$REG")

echo "# a secret key whose scrypt opslimit is 2^40: refused before any derivation"
export SCOPEREG_PASSPHRASE="pass phrase"
expect_ok "$SCOPEREG" keygen -o "$WORK/enc" --kdf interactive
# Bytes 38..45 of the decoded key are the opslimit (little-endian).
python3 - "$WORK/enc.key" "$WORK/huge.key" <<'EOF' || fail "cannot craft the key file"
import base64, sys
lines = open(sys.argv[1]).read().splitlines()
b = bytearray(base64.b64decode(lines[1]))
b[38:46] = (1 << 40).to_bytes(8, "little")
open(sys.argv[2], "w").write(lines[0] + "\n" + base64.b64encode(bytes(b)).decode() + "\n")
EOF
chmod 600 "$WORK/huge.key"
start=$(date +%s)
expect_exit 2 timeout 60 "$SCOPEREG" -R "$REG" sign 1 --key "$WORK/huge.key"
end=$(date +%s)
expect_one_error_line
expect_stderr_contains "huge.key"
expect_stderr_contains "opslimit 1099511627776"
expect_stderr_contains "scopereg keygen"
[ $((end - start)) -le 5 ] || fail "the refusal took $((end - start)) s: the limits were not checked first"
pass "refused in $((end - start)) s, without deriving the key"
expect_same_sha "$REG" "$SHA" "sign with an out-of-bounds key"

echo "# memlimit one byte above 1 GiB"
python3 - "$WORK/enc.key" "$WORK/mem.key" <<'EOF' || fail "cannot craft the key file"
import base64, sys
lines = open(sys.argv[1]).read().splitlines()
b = bytearray(base64.b64decode(lines[1]))
b[46:54] = ((1 << 30) + 1).to_bytes(8, "little")
open(sys.argv[2], "w").write(lines[0] + "\n" + base64.b64encode(bytes(b)).decode() + "\n")
EOF
chmod 600 "$WORK/mem.key"
expect_exit 2 timeout 60 "$SCOPEREG" -R "$REG" sign 1 --key "$WORK/mem.key"
expect_stderr_contains "memlimit 1073741825"
expect_same_sha "$REG" "$SHA" "sign with an out-of-bounds memlimit"
unset SCOPEREG_PASSPHRASE

echo "# FIFOs instead of files: refused at once, never waited for"
mkfifo "$WORK/sig.minisig" "$WORK/key.pub" "$WORK/fifo.key"
expect_exit 2 timeout 10 "$SCOPEREG" -R "$REG" attach "$WORK/sig.minisig"
expect_stderr_contains "sig.minisig is not a regular file"
expect_same_sha "$REG" "$SHA" "attach a FIFO"
expect_exit 2 timeout 10 "$SCOPEREG" -R "$REG" rekey --role client --key "$WORK/key.pub"
expect_stderr_contains "key.pub is not a regular file"
expect_same_sha "$REG" "$SHA" "rekey with a FIFO"
expect_exit 2 timeout 10 "$SCOPEREG" -R "$REG" sign 1 --key "$WORK/fifo.key"
expect_stderr_contains "fifo.key"
expect_same_sha "$REG" "$SHA" "sign with a FIFO as secret key"

echo "# keygen --force replaces regular files only"
ln -s "$WORK/enc.key" "$WORK/link.key"
before=$(sha_of "$WORK/enc.key")
expect_exit 2 "$SCOPEREG" keygen -o "$WORK/link" --unencrypted --force
expect_stderr_contains "link.key is not a regular file"
[ -L "$WORK/link.key" ] || fail "the symbolic link was replaced"
expect_same_sha "$WORK/enc.key" "$before" "keygen --force over a symbolic link"
mkfifo "$WORK/pipe.pub"
expect_exit 2 timeout 10 "$SCOPEREG" keygen -o "$WORK/pipe" --unencrypted --force
expect_stderr_contains "pipe.pub is not a regular file"
[ -p "$WORK/pipe.pub" ] || fail "the FIFO was replaced"
pass "keygen --force left the FIFO in place"

done_checks
