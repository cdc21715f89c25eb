#!/usr/bin/env bash
# t_golden.sh - registers made by earlier releases keep verifying, and every
# version re-renders to the exact bytes that release wrote (the hash of
# `show N` is the one recorded then):
#   tests/fixtures/golden/   the release before the layered inventory/;
#   tests/fixtures/golden2/  the release before services, service levels and
#                            checkpoints (scope-register/1), with version 20
#                            agreed and that release's export of it kept.
# Both hold 20 versions with re-imports, --sync, edits, removals,
# re-additions, both key rotations and escaped values (their make.sh).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export SCOPEREG_NOW="2026-01-01T00:00:00Z"
for fixture in golden golden2; do
echo "# $fixture"
FIX="$SCOPEREG_SOURCE/tests/fixtures/$fixture"
[ -f "$FIX/register.db" ] || fail "the fixture $FIX/register.db is missing"
cp "$FIX/register.db" "$WORK/$fixture.db"
REG="$WORK/$fixture.db"
SHA=$(sha_of "$REG")

expect_ok "$SCOPEREG" -R "$REG" verify
expect_stdout_contains "20 versions re-render to the recorded hashes"
expect_same_sha "$REG" "$SHA" "verify"

while read -r n want; do
    got="blake2b-256:$("$SCOPEREG" -R "$REG" show "$n" | b2sum -l 256 | cut -d' ' -f1)"
    [ "$got" = "$want" ] || fail "version $n renders to $got, the earlier release wrote $want"
    pass "version $n: byte-identical to the earlier release's document"
done <"$FIX/documents.b2"

echo "# the exported documents verify without the register"
expect_ok "$SCOPEREG" -R "$REG" export 1 -o "$WORK/$fixture-v1"
expect_ok "$SCOPEREG" verify --documents "$WORK/$fixture-v1"
expect_stdout_contains "agreed"
expect_ok "$SCOPEREG" -R "$REG" export 20 -o "$WORK/$fixture-v20"
expect_ok "$SCOPEREG" verify --documents "$WORK/$fixture-v20"
expect_same_sha "$REG" "$SHA" "export and verify"
done
echo "# the earlier release's own export of version 20, countersigned, verifies"
cp -r "$SCOPEREG_SOURCE/tests/fixtures/golden2/exported" "$WORK/exported2"
expect_ok "$SCOPEREG" verify --documents "$WORK/exported2"
expect_stdout_contains "version 20: agreed (provider 2025-02-24T09:51:00Z, client 2025-03-01T10:00:00Z)"
for f in "$WORK"/exported2/*-v20.scope; do
    got="blake2b-256:$(b2sum -l 256 "$f" | cut -d' ' -f1)"
    want=$(sed -n 's/^20 //p' "$SCOPEREG_SOURCE/tests/fixtures/golden2/documents.b2")
    [ "$got" = "$want" ] || fail "the exported version 20 hashes to $got, the register recorded $want"
    pass "the exported version 20 is the recorded document"
done
done_checks
