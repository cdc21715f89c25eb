#!/usr/bin/env bash
# t_bad_input.sh - every bad input gets one error line naming what is wrong,
# exit status 2, and leaves the register byte-for-byte as it was.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_keys provider client
PKEY="$WORK/keys/provider.pub"
CKEY="$WORK/keys/client.pub"
REG="$WORK/acme.db"
sr() { "$SCOPEREG" -R "$REG" "$@"; }

export SCOPEREG_NOW="2026-01-10T09:00:00Z"
sr init --contract ACME-2026-01 --provider 'Helvetia IT SA' --provider-key "$PKEY" \
    --client 'ACME SA' --client-key "$CKEY" >/dev/null 2>"$WORK/init.err" ||
    fail "init failed: $(cat "$WORK/init.err")"
for a in "PC-01 --kind poste --name Compta" "SRV-01 --kind serveur"; do
    # shellcheck disable=SC2086
    sr add $a >/dev/null 2>&1 || fail "add $a failed"
done
sr commit -m 'Initial inventory' --author jm >/dev/null 2>&1 || fail "first commit failed"

# refused WHAT WORD... -- CMD...: CMD exits 2 with one error line holding
# every WORD, and the register is byte-for-byte unchanged.
refused() {
    local what=$1 words=() before
    shift
    while [ "$1" != "--" ]; do
        words+=("$1")
        shift
    done
    shift
    before=$(sha_of "$REG")
    echo "# $what"
    expect_exit 2 "$@"
    expect_one_error_line
    local w
    for w in "${words[@]}"; do
        expect_stderr_contains "$w"
    done
    expect_same_sha "$REG" "$before" "$what"
}

refused "commit with nothing staged" "nothing to commit" -- sr commit -m 'nothing'

refused "unknown kind" "unknown kind 'toaster'" "workstation" "server" "software" "network" \
    "printer" "vpn" "other" "poste" "serveur" "logiciel" "switch" "routeur" "pare-feu" \
    "firewall" "imprimante" "VPN" -- sr add X-1 --kind toaster
refused "unknown kind on edit" "unknown kind 'grille-pain'" "accepted kinds" -- \
    sr edit PC-01 --kind grille-pain
refused "add without a kind" "--kind" "workstation" -- sr add X-1

refused "duplicate id on add (in scope)" "'PC-01'" "already in scope" -- \
    sr add PC-01 --kind pc
sr add NEW-1 --kind pc >/dev/null 2>&1 || fail "add NEW-1 failed"
refused "duplicate id on add (staged)" "'NEW-1'" "already staged" -- sr add NEW-1 --kind serveur

refused "edit of an unknown id" "'NOPE'" -- sr edit NOPE --name x
refused "remove of an unknown id" "'NOPE'" -- sr remove NOPE --reason 'gone'
refused "reset of an id with nothing staged" "'SRV-01'" -- sr reset SRV-01

refused "empty id on add" "empty item id" -- sr add '' --kind pc
refused "empty id on remove" "empty item id" -- sr remove '' --reason gone
refused "id with a leading space" "' PC-02'" "space" -- sr add ' PC-02' --kind pc
refused "id with a trailing space" "'PC-02 '" "space" -- sr add 'PC-02 ' --kind pc
refused "control character in an id" "item id" "control character" -- \
    sr add $'PC\x01-02' --kind pc
refused "line feed in an id" "item id" "control character" -- sr add $'PC\n02' --kind pc
refused "escape character in an id on remove" "item id" "control character" -- \
    sr remove $'PC\x1b-01' --reason gone
refused "invalid UTF-8 in an id" "item id" "invalid UTF-8" -- sr add $'PC-\xe9' --kind pc

refused "control character in a value (add)" "field 'notes'" "control character" -- \
    sr add PC-03 --kind pc --set notes=$'a\x01b'
refused "control character in a value (edit)" "field 'owner'" "control character" -- \
    sr edit PC-01 --set owner=$'J.\x07Muller'
refused "control character in a name" "field 'name'" "control character" -- \
    sr edit PC-01 --name $'Compta\x1b[31m'
# docs/DESIGN.md: control characters other than TAB and LF are refused; a CR LF
# is kept as LF, a lone CR is refused
refused "carriage return in a value" "field 'notes'" "control character" -- \
    sr edit PC-01 --set notes=$'line1\rline2'
refused "invalid UTF-8 in a value" "field 'location'" "invalid UTF-8" -- \
    sr edit SRV-01 --set location=$'Z\xfcrich'
refused "control character in a reason" "reason" "control character" -- \
    sr remove SRV-01 --reason $'sold\x01'
refused "--set without '='" "--set" "KEY=VALUE" -- sr edit PC-01 --set owner
refused "--set id=" "id" -- sr edit PC-01 --set id=PC-99
refused "--unset of an absent attribute" "'PC-01'" "'serial'" -- sr edit PC-01 --unset serial
refused "--unset of a field" "'kind'" -- sr edit PC-01 --unset kind
refused "edit with no change option" "--kind, --name, --set, --unset" -- sr edit PC-01

refused "remove without --reason" "--reason" -- sr remove PC-01
refused "remove with an empty reason" "--reason" -- sr remove PC-01 --reason ''

refused "commit without a message" "-m MESSAGE" -- sr commit
refused "commit with an empty message" "message" -- sr commit -m ''
refused "commit with a line feed in the author" "author" -- sr commit -m x --author $'j\nm'
refused "commit dated before the previous version" "before the date of version 1" \
    "2026-01-09T09:00:00Z" -- env SCOPEREG_NOW=2026-01-09T09:00:00Z "$SCOPEREG" -R "$REG" commit -m early

refused "impossible date in \$SCOPEREG_NOW" "\$SCOPEREG_NOW" "'2026-02-30'" -- \
    env SCOPEREG_NOW=2026-02-30 "$SCOPEREG" -R "$REG" add PC-04 --kind pc
refused "\$SCOPEREG_NOW without a zone" "\$SCOPEREG_NOW" "'2026-03-01T10:00:00'" -- \
    env SCOPEREG_NOW=2026-03-01T10:00:00 "$SCOPEREG" -R "$REG" commit -m x
refused "garbage in \$SCOPEREG_NOW" "\$SCOPEREG_NOW" "'tomorrow'" -- \
    env SCOPEREG_NOW=tomorrow "$SCOPEREG" -R "$REG" log

refused "show of a version that does not exist" "no version 7" -- sr show 7
refused "show of a date before the first version" "2025-12-31" -- sr show 2025-12-31
refused "diff with a bad date" "'2026-02-30'" -- sr diff 1 2026-02-30

echo "# a path that is not a register"
TEXT="$WORK/notes.txt"
printf 'Inventaire ACME\nPC-01;poste\n' >"$TEXT"
tsha=$(sha_of "$TEXT")
for cmd in "add X-1 --kind pc" "status" "show" "verify" "log" "commit -m x"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$SCOPEREG" -R "$TEXT" $cmd
    expect_one_error_line
    expect_stderr_contains "notes.txt"
    expect_stderr_contains "not a scopereg register"
    expect_same_sha "$TEXT" "$tsha" "$cmd on a text file"
done
[ "$(ls "$WORK" | grep -c 'notes.txt')" -eq 1 ] || fail "files appeared next to notes.txt"
pass "nothing created next to the text file"

echo "# a path that does not exist"
MISSING="$WORK/missing.db"
for cmd in "add X-1 --kind pc" "status" "show 1" "verify"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$SCOPEREG" -R "$MISSING" $cmd
    expect_one_error_line
    expect_stderr_contains "missing.db"
    [ ! -e "$MISSING" ] || fail "$cmd created $MISSING"
    pass "$cmd did not create the missing register"
done
expect_exit 2 "$SCOPEREG" -R "$WORK" status
expect_one_error_line
expect_stderr_contains "not a scopereg register"

echo "# init refusals"
NEW="$WORK/new.db"
printf 'not a key\n' >"$WORK/bad.pub"
head -n 1 "$PKEY" >"$WORK/truncated.pub"
init_refused() {
    local what=$1 word=$2
    shift 2
    echo "# init: $what"
    expect_exit 2 "$SCOPEREG" -R "$NEW" init --contract C-1 --provider P "$@"
    expect_one_error_line
    expect_stderr_contains "$word"
    [ ! -e "$NEW" ] || fail "init ($what) left $NEW behind"
    [ -z "$(ls "$WORK" | grep '^new\.db')" ] || fail "init ($what) left a temporary file: $(ls "$WORK")"
    pass "init ($what) left nothing behind"
}
init_refused "invalid provider key file" "bad.pub" --provider-key "$WORK/bad.pub" \
    --client C --client-key "$CKEY"
init_refused "truncated client key file" "truncated.pub" --provider-key "$PKEY" \
    --client C --client-key "$WORK/truncated.pub"
init_refused "the same key for both parties" "same public key" --provider-key "$PKEY" \
    --client C --client-key "$PKEY"
init_refused "a missing option" "--client-key" --provider-key "$PKEY" --client C
init_refused "an empty contract reference" "contract" --provider-key "$PKEY" --client C \
    --client-key "$CKEY" --contract ''

refused "init over an existing register" "already exists" -- \
    sr init --contract OTHER --provider P --provider-key "$PKEY" --client C --client-key "$CKEY"
echo "# init over an existing text file"
expect_exit 2 "$SCOPEREG" -R "$TEXT" init --contract OTHER --provider P --provider-key "$PKEY" \
    --client C --client-key "$CKEY"
expect_one_error_line
expect_stderr_contains "already exists"
expect_same_sha "$TEXT" "$tsha" "init over a text file"

# the register still holds after all that
expect_ok sr verify
run sr status
expect_stdout_contains "1 added, 0 modified, 0 removed"

init_refused "missing provider key file" "nope.pub" --provider-key "$WORK/nope.pub" \
    --client C --client-key "$CKEY"

done_checks
