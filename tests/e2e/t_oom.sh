#!/usr/bin/env bash
# t_oom.sh - out of memory, a full disk and a failed read at every moment
# of a command: scopereg run with one allocation, one write or one read of
# a file made to fail (tests/fault/failalloc.so, LD_PRELOAD), one after
# the other, for the commands that stage, write a version, sign it and
# verify it. Whatever call fails, the command
#   - does not crash (no signal),
#   - never says that the register, a stage or a document was altered or
#     written outside scopereg (a machine's failure is not tampering),
#   - when it fails, names the cause on one error line and leaves the
#     register byte for byte as it was;
#   - when it succeeds (an allocation whose failure has a fallback), gives
#     the register and the output of a run without the fault.
# Regression: a failed read in commit's conflict check let SQLite's own
# rollback of the transaction go unnoticed; the statements after it then
# committed alone, and commit reported "the register was changed outside
# scopereg". An allocation failure while commit re-checked the stage was
# reported as a stage "written outside scopereg".
#
# $OOM_POINTS (default 120) is the number of calls tried per command and
# kind of fault, spread over all of them; OOM_POINTS=all tries every one
# (half an hour).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SHIM=${FAILALLOC:-$(dirname "$SCOPEREG")/tests/fault/failalloc.so}
[ -f "$SHIM" ] || skip "no failalloc.so beside \$SCOPEREG (tests/fault)"
if ldd "$SCOPEREG" 2>/dev/null | grep -q 'libasan\|libtsan'; then
    skip "a sanitizer build replaces malloc itself: the fault library cannot be preloaded"
fi
POINTS=${OOM_POINTS:-120}

parties
# Unencrypted keys: no passphrase prompt under a fault.
export SCOPEREG_AUTHOR=jm
BASE="$WORK/base.db"
REG=$BASE
init_reg_ok OOM-1
fleet="$SCOPEREG_SAMPLES/fleet.csv"
[ -f "$fleet" ] || fleet="$SCOPEREG_SOURCE/samples/fleet.csv"
cp "$BASE" "$WORK/empty.db" # for the first imports, direct and mixed
sr_ok import "$fleet" --commit -m one
sr_ok sign 1 --key "$K/provider.key"
sr_ok sign 1 --key "$K/client.key"
# The next file: one item renamed, one added.
sed -e 's/Poste Zoë Steiner/Poste Zoe Steiner-Favre/' "$fleet" >"$WORK/next.csv"
echo 'PC-999,workstation,Poste accueil,SN999,HP,EliteDesk,Windows 11 Pro,Lausanne,Accueil,10.20.9.99,' >>"$WORK/next.csv"
# STAGED: the next file staged, to be committed; SIGNED: version 2
# committed and signed by the provider, awaiting the client.
STAGED="$WORK/staged.db"
cp "$BASE" "$STAGED"
sr_on "$STAGED" import "$WORK/next.csv"
SIGNED="$WORK/signed.db"
cp "$STAGED" "$SIGNED"
sr_on "$SIGNED" commit -m two
sr_on "$SIGNED" sign 2 --key "$K/provider.key"

# The words of a tamper verdict; none may appear because the machine
# failed ("BROKEN" in capitals: a summary line counts "0 broken").
TAMPER='outside scopereg|altered|was changed|were changed|changed while|tamper|does not match|mismatch|does not hold|no document signature|carries no signature'

# sweep KIND NAME START_DB CMD...: runs CMD on a copy of START_DB once
# without a fault (the reference), then once per call tried; KIND is alloc
# (an allocation fails: out of memory), write (a write or sync of a file
# fails: the disk is full) or read (a read of a file fails: EIO).
sweep() {
    local kind=$1 name=$2 start=$3 n total step k tried=0 failed=0 same=0 sha0 db="$WORK/sweep.db"
    local var
    shift 3
    case $kind in
    alloc) var=SCOPEREG_FAIL_ALLOC ;;
    write) var=SCOPEREG_FAIL_WRITE ;;
    read) var=SCOPEREG_FAIL_READ ;;
    esac
    name="$name, $kind"
    cp "$start" "$db"
    sha0=$(sha_of "$db")
    [ -z "${SWEEP_OUT:-}" ] || rm -rf $SWEEP_OUT
    SCOPEREG_COUNT_ALLOC="$WORK/count" SCOPEREG_COUNT_IO="$WORK/count.io" LD_PRELOAD="$SHIM" \
        "$SCOPEREG" -R "$db" "$@" >"$WORK/ref.out" 2>"$WORK/ref.err" ||
        fail "$name without a fault: exit $?: $(cat "$WORK/ref.err")"
    case $kind in
    alloc) total=$(cat "$WORK/count") ;;
    write) total=$(cut -d' ' -f1 "$WORK/count.io") ;;
    read) total=$(cut -d' ' -f2 "$WORK/count.io") ;;
    esac
    [ "$total" -gt 2 ] || fail "$name: only $total calls counted: the fault library is not in use"
    "$SCOPEREG" -R "$db" log >"$WORK/ref.log" 2>&1
    "$SCOPEREG" -R "$db" show >"$WORK/ref.show" 2>&1
    rm -rf "$WORK/ref.outdir"
    if [ -n "${SWEEP_OUT:-}" ]; then
        mkdir "$WORK/ref.outdir"
        cp -r $SWEEP_OUT "$WORK/ref.outdir/"
    fi
    local points=${SWEEP_POINTS:-$POINTS}
    if [ "$points" = all ]; then step=1; else step=$(((total + points - 1) / points)); fi
    for ((k = 0; k * step < total; k++)); do
        # a different offset inside each stride, so that the points do not
        # all fall on the same kind of allocation
        n=$((k * step + (k * 7919) % step + 1))
        [ "$n" -le "$total" ] || continue
        cp "$start" "$db"
        [ -z "${SWEEP_OUT:-}" ] || rm -rf $SWEEP_OUT
        env "$var=$n" LD_PRELOAD="$SHIM" "$SCOPEREG" -R "$db" "$@" >"$OUT_FILE" 2>"$ERR_FILE"
        RC=$?
        OUT=$(cat "$OUT_FILE")
        ERR=$(cat "$ERR_FILE")
        tried=$((tried + 1))
        [ "$RC" -lt 128 ] || fail "$name, call $n of $total failed: killed by signal $((RC - 128))"
        if grep -q -i -E "$TAMPER" "$OUT_FILE" "$ERR_FILE" || grep -q -w BROKEN "$OUT_FILE" "$ERR_FILE"; then
            fail "$name, call $n of $total failed: a tamper verdict for want of memory"
        fi
        if [ "$RC" -ne 0 ]; then
            failed=$((failed + 1))
            grep -q '^error: ' "$ERR_FILE" ||
                fail "$name, call $n of $total failed: exit $RC without an error line"
            [ "$(sha_of "$db")" = "$sha0" ] ||
                fail "$name, call $n of $total failed: exit $RC, and the register changed"
            [ ! -e "$db-journal" ] ||
                fail "$name, call $n of $total failed: a journal was left behind"
            for o in ${SWEEP_OUT:-}; do
                [ ! -e "$o" ] || fail "$name, call $n of $total failed: exit $RC, and $o was left behind"
            done
            # the cause, named
            case $kind in
            write) grep -q -E 'the disk is full|disk I/O error' "$ERR_FILE" ||
                fail "$name, call $n of $total failed: the error does not name the cause" ;;
            esac
        else
            same=$((same + 1))
            cmp -s "$OUT_FILE" "$WORK/ref.out" || {
                diff "$WORK/ref.out" "$OUT_FILE" >&2
                fail "$name, call $n of $total failed: exit 0 with another output"
            }
            "$SCOPEREG" -R "$db" log >"$WORK/got.log" 2>&1
            "$SCOPEREG" -R "$db" show >"$WORK/got.show" 2>&1
            cmp -s "$WORK/got.log" "$WORK/ref.log" && cmp -s "$WORK/got.show" "$WORK/ref.show" ||
                fail "$name, call $n of $total failed: exit 0 with another register"
            for o in ${SWEEP_OUT:-}; do
                diff -r "$o" "$WORK/ref.outdir/$(basename "$o")" >/dev/null ||
                    fail "$name, call $n of $total failed: exit 0 with another $o"
            done
        fi
    done
    [ "$failed" -gt 0 ] || fail "$name: no call tried made the command fail: the sweep tested nothing"
    pass "$name: $tried of $total calls failed in turn: $failed refusals with the register unchanged, $same runs as without the fault, no crash, no tamper verdict"
}

echo "# out of memory"
sweep alloc "import --commit" "$BASE" import "$WORK/next.csv" --commit -m two
# into an empty register: the fleet's ids come out of order (mixed: written,
# then staged); a file in id order is written directly
{
    echo 'id,kind,name,serial,location'
    for i in $(seq 1 40); do printf 'PC-%03d,workstation,Poste %d,SN%05d,"Lausanne, étage %d"\n' "$i" "$i" "$i" $((i % 4)); done
} >"$WORK/sorted.csv"
sweep alloc "import --commit, first import, mixed" "$WORK/empty.db" import "$fleet" --commit -m one
sweep alloc "import --commit, first import, direct" "$WORK/empty.db" import "$WORK/sorted.csv" --commit -m one
sweep alloc "import" "$BASE" import "$WORK/next.csv"
sweep alloc "commit" "$STAGED" commit -m two
sweep alloc "commit --sign" "$STAGED" commit -m two --sign --key "$K/provider.key"
sweep alloc "sign" "$SIGNED" sign 2 --key "$K/client.key"
sweep alloc "verify --jobs 1" "$SIGNED" --jobs 1 verify
sweep alloc "verify" "$SIGNED" verify

echo "# out of memory at every allocation of the rendering of a modification"
# Regression: the look-up of the row a modification ends bound the id
# without checking the bind, which needs memory: a failed bind looked
# nothing up, and show and verify said "modified at version 2 but no
# earlier row ends there" (a tamper verdict). Every allocation of show
# on a register of two items, one modified (about 1,700 calls).
TINY="$WORK/tiny.db"
REG=$TINY
init_reg_ok OOM-2
sr_ok add PC-001 --kind workstation --name 'Poste'
sr_ok add PC-002 --kind workstation --name 'Poste compta'
sr_ok commit -m one
sr_ok edit PC-001 --name 'Poste accueil'
sr_ok commit -m two
REG=$BASE
SWEEP_POINTS=all sweep alloc "show of a modification" "$TINY" show 2
# Regression: sign read the checkpoint from its digest cache with an
# allocation that could fail silently; SQLite had then rolled back the
# transaction holding the document signature just stored, and sign said
# "the document carries no signature by the provider's key" or "the
# register holds no document signature by that key" (exit 1). Every
# allocation of sign on the same register (about 5,600 calls).
SWEEP_POINTS=all sweep alloc "sign" "$TINY" sign 2 --key "$K/provider.key"

echo "# out of memory, in the commands that stage"
make_keys client2
sweep alloc "add" "$BASE" add SRV-NEW --kind server --name 'Serveur de fichiers' --set ip=10.0.0.9
sweep alloc "service add" "$BASE" service add backup --name 'Sauvegarde quotidienne'
sweep alloc "rekey" "$BASE" rekey --role client --key "$K/client2.pub"
sweep alloc "reset" "$STAGED" reset
sweep alloc "status" "$STAGED" status
sweep alloc "import --dry-run" "$BASE" import "$WORK/next.csv" --dry-run

echo "# out of memory, in the commands of a dispute and of the client"
sweep alloc "at" "$SIGNED" at 2026-01-10 PC-002
sweep alloc "history" "$SIGNED" history PC-002
SWEEP_OUT="$WORK/evidence" sweep alloc "evidence" "$SIGNED" evidence PC-002 --at 2026-01-10 -o "$WORK/evidence"
SWEEP_OUT="$WORK/proof" sweep alloc "prove" "$SIGNED" prove PC-002 --at 2026-01-10T09:00:00Z -o "$WORK/proof"
SWEEP_OUT="$WORK/outbox" sweep alloc "export" "$SIGNED" export 2 -o "$WORK/outbox"
sweep alloc "export-csv" "$SIGNED" export-csv 2
sweep alloc "show" "$SIGNED" show 2
SWEEP_OUT="$WORK/annex.html" sweep alloc "report" "$SIGNED" report 2 --html -o "$WORK/annex.html"
sr_on "$SIGNED" export 2 -o "$WORK/outbox2"
doc=$(ls "$WORK/outbox2"/*-v2.scope)
sweep alloc "verify --documents" "$SIGNED" verify --documents "$WORK/outbox2"
SWEEP_OUT="${doc%.scope}.client.minisig ${doc%.scope}.checkpoint.client.minisig" sweep alloc "cosign" "$SIGNED" cosign "$doc" --key "$K/client.key"
"$SCOPEREG" cosign "$doc" --key "$K/client.key" >"$WORK/cosign.out" 2>&1 || fail "cosign of version 2 failed: $(cat "$WORK/cosign.out")"
sweep alloc "attach" "$SIGNED" attach "${doc%.scope}.client.minisig"
rm -f "${doc%.scope}.client.minisig" "${doc%.scope}.checkpoint.client.minisig"

echo "# a cosign --force that fails keeps the file it replaced"
# Regression: the cleanup after a failed checkpoint signature removed the
# -o file, which --force had replaced: the user lost a file it had.
echo 'a file the user had' >"$WORK/mine.minisig"
run env SCOPEREG_FAIL_WRITE=2 LD_PRELOAD="$SHIM" "$SCOPEREG" cosign "$doc" --key "$K/client.key" \
    -o "$WORK/mine.minisig" --force
[ "$RC" -eq 3 ] || fail "cosign with its second write failing: exit $RC, expected 3"
expect_stderr_contains "No space left on device"
[ -s "$WORK/mine.minisig" ] || fail "the failed cosign removed $WORK/mine.minisig"
[ ! -e "${doc%.scope}.checkpoint.client.minisig" ] || fail "the failed cosign left its checkpoint signature"
pass "the failed cosign kept the file --force replaced, and left no checkpoint signature"

# replace_sweep NAME "FILE..." CMD...: CMD replaces each FILE (--force);
# the write (or sync) of a file made to fail at each call in turn. A
# failed run leaves every FILE byte for byte as it was and no temporary
# file beside it; a run that succeeds replaced every FILE. $RS_CLEAN: the
# files a run writes beside, removed before each.
# Regression: with --force, cr_write_file removed the file before writing
# the new one, so a full disk lost it: keygen --force lost the party's
# secret key, and a key pair could be left half replaced.
replace_sweep() {
    local name="$1, a full disk, --force" files=$2 n total failed=0 replaced=0 f
    shift 2
    for f in $files; do echo "old $f" >"$f"; done
    rm -f ${RS_CLEAN:-}
    SCOPEREG_COUNT_IO="$WORK/count.io" LD_PRELOAD="$SHIM" "$@" >"$OUT_FILE" 2>"$ERR_FILE" ||
        fail "$name without a fault: exit $?: $(cat "$ERR_FILE")"
    total=$(cut -d' ' -f1 "$WORK/count.io")
    [ "$total" -ge 1 ] || fail "$name: no write counted: the fault library is not in use"
    for ((n = 1; n <= total; n++)); do
        for f in $files; do echo "old $f" >"$f"; done
        rm -f ${RS_CLEAN:-}
        env SCOPEREG_FAIL_WRITE=$n LD_PRELOAD="$SHIM" "$@" >"$OUT_FILE" 2>"$ERR_FILE"
        RC=$?
        [ "$RC" -lt 128 ] || fail "$name, write $n of $total failed: killed by signal $((RC - 128))"
        for f in $files; do
            ! ls "$f".*.tmp >/dev/null 2>&1 || fail "$name, write $n of $total failed: a temporary file was left beside $f"
        done
        if [ "$RC" -ne 0 ]; then
            failed=$((failed + 1))
            grep -q 'No space left on device' "$ERR_FILE" ||
                fail "$name, write $n of $total failed: the error does not name the full disk: $(cat "$ERR_FILE")"
            for f in $files; do
                [ "$(cat "$f" 2>/dev/null)" = "old $f" ] ||
                    fail "$name, write $n of $total failed: exit $RC, and $f is not the file it replaced"
            done
        else
            replaced=$((replaced + 1))
            for f in $files; do
                [ "$(cat "$f")" != "old $f" ] || fail "$name, write $n of $total failed: exit 0, and $f was not replaced"
            done
        fi
    done
    [ "$failed" -gt 0 ] || fail "$name: no write made the command fail: the sweep tested nothing"
    pass "$name: each of $total writes failed in turn: $failed refusals with the old files whole, $replaced runs that replaced them"
}

echo "# --force on a full disk keeps the files it would replace"
replace_sweep "keygen" "$WORK/kg.key $WORK/kg.pub" "$SCOPEREG" keygen -o "$WORK/kg" --unencrypted --force
replace_sweep "export-csv -o" "$WORK/items.csv" "$SCOPEREG" -R "$SIGNED" export-csv 2 -o "$WORK/items.csv" --force
echo 'a file the user had' >"$WORK/items.csv"
run "$SCOPEREG" -R "$SIGNED" export-csv 2 -o "$WORK/items.csv"
[ "$RC" -eq 2 ] || fail "export-csv -o over a file without --force: exit $RC, expected 2"
expect_stderr_contains "use --force to overwrite"
[ "$(cat "$WORK/items.csv")" = 'a file the user had' ] || fail "export-csv without --force changed the file"
! ls "$WORK"/items.csv.*.tmp >/dev/null 2>&1 || fail "export-csv left a temporary file"
pass "export-csv -o without --force refuses a file that is there and leaves it whole"
chmod 600 "$WORK/items.csv"
expect_ok "$SCOPEREG" -R "$SIGNED" export-csv 2 -o "$WORK/items.csv" --force
[ "$(stat -c %a "$WORK/items.csv")" = 600 ] ||
    fail "export-csv --force changed the mode of the file it replaced: $(stat -c %a "$WORK/items.csv")"
grep -q '^PC-001,' "$WORK/items.csv" || fail "export-csv --force did not write the items: $(head -n 3 "$WORK/items.csv")"
pass "export-csv --force keeps the permissions of the file it replaces (a private export stays private)"
replace_sweep "report -o" "$WORK/annex2.html" "$SCOPEREG" -R "$SIGNED" report 2 --html -o "$WORK/annex2.html" --force
RS_CLEAN="${doc%.scope}.checkpoint.client.minisig" replace_sweep "cosign -o" "$WORK/mine2.minisig" "$SCOPEREG" cosign "$doc" --key "$K/client.key" -o "$WORK/mine2.minisig" --force
rm -f "${doc%.scope}.checkpoint.client.minisig"

echo "# a full disk"
sweep write "import --commit" "$BASE" import "$WORK/next.csv" --commit -m two
sweep write "import --commit, first import, mixed" "$WORK/empty.db" import "$fleet" --commit -m one
sweep write "import" "$BASE" import "$WORK/next.csv"
sweep write "commit" "$STAGED" commit -m two
sweep write "commit --sign" "$STAGED" commit -m two --sign --key "$K/provider.key"
sweep write "sign" "$SIGNED" sign 2 --key "$K/client.key"

echo "# a failed read"
sweep read "commit" "$STAGED" commit -m two
sweep read "commit --sign" "$STAGED" commit -m two --sign --key "$K/provider.key"
sweep read "sign" "$SIGNED" sign 2 --key "$K/client.key"
sweep read "verify --jobs 1" "$SIGNED" --jobs 1 verify
sweep read "verify" "$SIGNED" verify

done_checks
