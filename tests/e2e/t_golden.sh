#!/usr/bin/env bash
# t_golden.sh - a register made by the release before the layered inventory/
# (tests/fixtures/golden/, made by its make.sh: 20 versions with re-imports,
# --sync, edits, removals, re-additions, both key rotations and escaped
# values) keeps verifying, and every version re-renders to the exact bytes
# that release wrote: the hash of `show N` is the one recorded then.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FIX="$SCOPEREG_SOURCE/tests/fixtures/golden"
[ -f "$FIX/register.db" ] || fail "the fixture $FIX/register.db is missing"
cp "$FIX/register.db" "$WORK/golden.db"
REG="$WORK/golden.db"
SHA=$(sha_of "$REG")
export SCOPEREG_NOW="2026-01-01T00:00:00Z"

expect_ok "$SCOPEREG" -R "$REG" verify
expect_stdout_contains "20 versions re-render to the recorded hashes"
expect_same_sha "$REG" "$SHA" "verify"

while read -r n want; do
    got="blake2b-256:$("$SCOPEREG" -R "$REG" show "$n" | b2sum -l 256 | cut -d' ' -f1)"
    [ "$got" = "$want" ] || fail "version $n renders to $got, the earlier release wrote $want"
    pass "version $n: byte-identical to the earlier release's document"
done <"$FIX/documents.b2"

echo "# the exported documents verify without the register"
expect_ok "$SCOPEREG" -R "$REG" export 1 -o "$WORK/v1"
expect_ok "$SCOPEREG" verify --documents "$WORK/v1"
expect_stdout_contains "agreed"
expect_ok "$SCOPEREG" -R "$REG" export 20 -o "$WORK/v20"
expect_ok "$SCOPEREG" verify --documents "$WORK/v20"
expect_same_sha "$REG" "$SHA" "export and verify"
done_checks
