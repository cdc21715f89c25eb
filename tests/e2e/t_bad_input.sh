#!/usr/bin/env bash
# t_bad_input.sh - every bad input gets one error line naming what is wrong,
# exit status 2, and leaves the register byte-for-byte as it was.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
init_reg_ok ACME-2026-01
for a in "PC-01 --kind poste --name Compta" "SRV-01 --kind serveur"; do
    # shellcheck disable=SC2086
    sr add $a >/dev/null 2>&1 || fail "add $a failed"
done
sr commit -m 'Initial inventory' --author jm >/dev/null 2>&1 || fail "first commit failed"

refused -m "commit with nothing staged" 2 "nothing to commit" -- sr commit -m 'nothing'

refused -m "unknown kind" 2 "unknown kind 'toaster'" "workstation" "server" "software" "network" \
    "printer" "vpn" "other" "poste" "serveur" "logiciel" "switch" "routeur" "pare-feu" \
    "firewall" "imprimante" "VPN" -- sr add X-1 --kind toaster
refused -m "unknown kind on edit" 2 "unknown kind 'grille-pain'" "accepted kinds" -- \
    sr edit PC-01 --kind grille-pain
refused -m "add without a kind" 2 "--kind" "workstation" -- sr add X-1

refused -m "duplicate id on add (in scope)" 2 "'PC-01'" "already in scope" -- \
    sr add PC-01 --kind pc
sr add NEW-1 --kind pc >/dev/null 2>&1 || fail "add NEW-1 failed"
refused -m "duplicate id on add (staged)" 2 "'NEW-1'" "already staged" -- sr add NEW-1 --kind serveur

refused -m "edit of an unknown id" 2 "'NOPE'" -- sr edit NOPE --name x
refused -m "remove of an unknown id" 2 "'NOPE'" -- sr remove NOPE --reason 'gone'
refused -m "reset of an id with nothing staged" 2 "'SRV-01'" -- sr reset SRV-01

refused -m "empty id on add" 2 "empty item id" -- sr add '' --kind pc
refused -m "empty id on remove" 2 "empty item id" -- sr remove '' --reason gone
refused -m "id with a leading space" 2 "' PC-02'" "space" -- sr add ' PC-02' --kind pc
refused -m "id with a trailing space" 2 "'PC-02 '" "space" -- sr add 'PC-02 ' --kind pc
refused -m "control character in an id" 2 "item id" "control character" -- \
    sr add $'PC\x01-02' --kind pc
refused -m "line feed in an id" 2 "item id" "control character" -- sr add $'PC\n02' --kind pc
refused -m "escape character in an id on remove" 2 "item id" "control character" -- \
    sr remove $'PC\x1b-01' --reason gone
refused -m "invalid UTF-8 in an id" 2 "item id" "invalid UTF-8" -- sr add $'PC-\xe9' --kind pc

refused -m "control character in a value (add)" 2 "field 'notes'" "control character" -- \
    sr add PC-03 --kind pc --set notes=$'a\x01b'
refused -m "control character in a value (edit)" 2 "field 'owner'" "control character" -- \
    sr edit PC-01 --set owner=$'J.\x07Muller'
refused -m "control character in a name" 2 "field 'name'" "control character" -- \
    sr edit PC-01 --name $'Compta\x1b[31m'
# docs/DESIGN.md: control characters other than TAB and LF are refused; a CR LF
# is kept as LF, a lone CR is refused
refused -m "carriage return in a value" 2 "field 'notes'" "control character" -- \
    sr edit PC-01 --set notes=$'line1\rline2'
refused -m "invalid UTF-8 in a value" 2 "field 'location'" "invalid UTF-8" -- \
    sr edit SRV-01 --set location=$'Z\xfcrich'
refused -m "control character in a reason" 2 "reason" "control character" -- \
    sr remove SRV-01 --reason $'sold\x01'
refused -m "--set without '='" 2 "--set" "KEY=VALUE" -- sr edit PC-01 --set owner
refused -m "--set id=" 2 "id" -- sr edit PC-01 --set id=PC-99
refused -m "--unset of an absent attribute" 2 "'PC-01'" "'serial'" -- sr edit PC-01 --unset serial
refused -m "--unset of a field" 2 "'kind'" -- sr edit PC-01 --unset kind
refused -m "edit with no change option" 2 "--kind, --name, --set, --unset" -- sr edit PC-01

refused -m "remove without --reason" 2 "--reason" -- sr remove PC-01
refused -m "remove with an empty reason" 2 "--reason" -- sr remove PC-01 --reason ''

refused -m "commit without a message" 2 "-m MESSAGE" -- sr commit
refused -m "commit with an empty message" 2 "message" -- sr commit -m ''
refused -m "commit with a line feed in the author" 2 "author" -- sr commit -m x --author $'j\nm'
refused -m "commit dated before the previous version" 2 "before the date of version 1" \
    "2026-01-09T09:00:00Z" -- env SCOPEREG_NOW=2026-01-09T09:00:00Z "$SCOPEREG" -R "$REG" commit -m early

refused -m "impossible date in \$SCOPEREG_NOW" 2 "\$SCOPEREG_NOW" "'2026-02-30'" -- \
    env SCOPEREG_NOW=2026-02-30 "$SCOPEREG" -R "$REG" add PC-04 --kind pc
refused -m "\$SCOPEREG_NOW without a zone" 2 "\$SCOPEREG_NOW" "'2026-03-01T10:00:00'" -- \
    env SCOPEREG_NOW=2026-03-01T10:00:00 "$SCOPEREG" -R "$REG" commit -m x
refused -m "garbage in \$SCOPEREG_NOW" 2 "\$SCOPEREG_NOW" "'tomorrow'" -- \
    env SCOPEREG_NOW=tomorrow "$SCOPEREG" -R "$REG" log

refused -m "show of a version that does not exist" 2 "no version 7" -- sr show 7
refused -m "show of a date before the first version" 2 "2025-12-31" -- sr show 2025-12-31
refused -m "diff with a bad date" 2 "'2026-02-30'" -- sr diff 1 2026-02-30

echo "# a path that is not a register"
TEXT="$WORK/notes.txt"
printf 'Inventaire ACME\nPC-01;poste\n' >"$TEXT"
for cmd in "add X-1 --kind pc" "status" "show" "verify" "log" "commit -m x"; do
    # shellcheck disable=SC2086
    refused -f "$TEXT" -m "$cmd on a text file" 2 "notes.txt" "not a scopereg register" -- \
        "$SCOPEREG" -R "$TEXT" $cmd
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

refused -m "init over an existing register" 2 "already exists" -- \
    sr init --contract OTHER --provider P --provider-key "$PKEY" --client C --client-key "$CKEY"
refused -f "$TEXT" -m "init over an existing text file" 2 "already exists" -- \
    "$SCOPEREG" -R "$TEXT" init --contract OTHER --provider P --provider-key "$PKEY" \
    --client C --client-key "$CKEY"

# the register still holds after all that
expect_ok sr verify
run sr status
expect_stdout_contains "1 added, 0 modified, 0 removed"

init_refused "missing provider key file" "nope.pub" --provider-key "$WORK/nope.pub" \
    --client C --client-key "$CKEY"

done_checks
