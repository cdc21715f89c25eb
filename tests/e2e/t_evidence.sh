#!/usr/bin/env bash
# t_evidence.sh - 'scopereg evidence' on a history built at several dates
# ($SCOPEREG_NOW) with the two-party flow (sign, export, cosign on the
# client's side, attach) and a client key rotation: an item asked about at
# a date when it was in scope (exit 0) and at one when it was not (exit 1,
# the folder still written); no version agreed by the date (exit 1,
# nothing written). On each folder: verify --documents holds; every
# minisign, b2sum and grep command of VERIFY.txt runs from the folder and
# prints what VERIFY.txt says it must; the checksum list covers every
# other file and 'b2sum -c' accepts it; the hash of VERIFY.txt printed by
# the command is right. A byte changed in a copy: verify --documents and
# the minisign command fail. File names never hold '/' or '..', even from
# the contract reference '../../etc/x y'. Refusals (non-empty DIR, a
# symbolic link, bad date or id, a register edited behind the tool's back)
# write nothing. status shows a staged key rotation; diff shows key changes.
# Every .pub and .minisig file's key id, printed by the coreutils command
# VERIFY.txt gives, is the one it says, and each .pub's is named by a
# document's header. The contract's language: after 'lang fr' (no new
# version), VERIFY.txt is French (OUI/NON, what the folder cannot prove),
# --lang de German (JA/NEIN), --lang it Italian (SÌ), --lang en the English
# text byte for byte; every
# command still passes literally, and every other file of the folder is
# byte-identical whatever the language.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

have_minisign=0
command -v minisign >/dev/null 2>&1 && have_minisign=1
command -v b2sum >/dev/null 2>&1 || skip "b2sum (GNU coreutils) is absent"
"$SCOPEREG" help evidence >/dev/null 2>&1 || fail "scopereg has no evidence command"

PROV="$WORK/provider"
CLI="$WORK/client"
XFER="$WORK/mail"
mkdir -p "$PROV" "$CLI" "$XFER"
for k in provider; do expect_ok "$SCOPEREG" keygen -o "$PROV/$k" --unencrypted; done
for k in client client2027; do expect_ok "$SCOPEREG" keygen -o "$CLI/$k" --unencrypted; done
PID=$(key_id "$PROV/provider.pub")
CID=$(key_id "$CLI/client.pub")
NID=$(key_id "$CLI/client2027.pub")
cp "$CLI/client.pub" "$CLI/client2027.pub" "$XFER/"
REG="$PROV/acme.db"
sr() { "$SCOPEREG" -R "$REG" "$@"; }
# run_in DIR COMMAND-LINE: run (lib.sh) of a command line, from DIR.
run_in() { run bash -c 'cd "$1" && eval "$2"' run_in "$1" "$2"; }
STEM="_._.__etc_x_y" # inv_doc_stem('../../etc/x y')
cd "$PROV" || fail "cd $PROV"

# exchange N PROVIDER_TIME CLIENT_TIME [CLIENT_KEY...]: the provider signs
# and exports; the client cosigns with each key given, on its side (NEW+OLD:
# at a rotation, the new key with --previous-key the old one); the provider
# attaches.
exchange() {
    local n=$1 pt=$2 ct=$3 key prev
    shift 3
    SCOPEREG_NOW=$pt expect_ok sr sign "$n" --key "$PROV/provider.key"
    rm -rf "$XFER/v$n"
    expect_ok sr export "$n" -o "$XFER/v$n"
    cp "$XFER/v$n/"* "$CLI/"
    for key in "$@"; do
        prev=()
        case $key in *+*) prev=(--previous-key "$CLI/${key#*+}.key"); key=${key%+*} ;; esac
        SCOPEREG_NOW=$ct expect_ok "$SCOPEREG" cosign "$CLI/$STEM-v$n.scope" --key "$CLI/$key.key" \
            "${prev[@]}"
    done
    for sig in "$CLI/$STEM-v$n.client.minisig" "$CLI/$STEM-v$n.client.old.minisig"; do
        [ -f "$sig" ] || continue
        SCOPEREG_NOW=$ct expect_ok sr attach "$sig"
    done
}

echo "# the history: version 1 in January, 2 in February, 3 (client key replaced) in March, 4 unsigned"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok sr init --contract '../../etc/x y' --provider 'Helvetia IT SA' \
    --provider-key "$PROV/provider.pub" --client 'ACME SA' --client-key "$XFER/client.pub"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5 --set notes=$'line1\nline2'
expect_ok sr add PC-01 --kind poste --name 'Poste compta' --set serial=SN-001
expect_ok sr add FW-01 --kind pare-feu --name 'Main firewall'
expect_ok sr commit -m 'Initial inventory' --author 'J. Muller'
exchange 1 2026-01-10T10:00:00Z 2026-01-12T14:00:00Z client

export SCOPEREG_NOW="2026-02-01T10:00:00Z"
expect_ok sr edit SRV-01 --set ip=10.0.0.6
expect_ok sr remove PC-01 --reason 'laptop stolen, police report 2026-0042'
expect_ok sr add VPN-01 --kind vpn --name 'Remote access'
expect_ok sr commit -m 'Q1 changes' --author jm
exchange 2 2026-02-03T09:00:00Z 2026-02-03T15:00:00Z client

export SCOPEREG_NOW="2026-03-01T09:00:00Z"
expect_ok sr rekey --role client --key "$XFER/client2027.pub"
expect_ok sr add PRN-01 --kind imprimante --name 'Printer'
expect_ok sr status
expect_stdout_contains "staged for version 3: 1 added, 0 modified, 0 removed, 1 key replaced"
expect_stdout_contains "key client: $CID -> $NID
+ PRN-01"
expect_ok sr commit -m 'client key replaced, printer' --author jm
expect_ok sr status
expect_stdout_contains "nothing staged"
exchange 3 2026-03-01T10:00:00Z 2026-03-02T11:00:00Z client2027+client

export SCOPEREG_NOW="2026-04-01T10:00:00Z"
expect_ok sr add X-1 --kind other
expect_ok sr commit -m four --author jm
SCOPEREG_NOW=2026-04-01T11:00:00Z expect_ok sr sign 4 --key "$PROV/provider.key"
SCOPEREG_NOW=2026-04-01T11:00:00Z expect_ok sr verify
expect_stdout_contains "3 agreed, 1 pending"

echo "# diff shows the keys that differ before the item changes"
expect_ok sr diff 1 3
expect_stdout_contains "changes from version 1 to version 3
key client: $CID -> $NID
- PC-01"
expect_ok sr diff 3 4
expect_stdout_lacks "key client"
expect_ok sr diff 4 2
expect_stdout_contains "key client: $NID -> $CID"
expect_ok sr diff 2026-01-31 2026-03-31
expect_stdout_contains "key client: $CID -> $NID"

export SCOPEREG_NOW="2026-05-01T08:00:00Z"
REGSHA=$(sha_of "$REG")

# check_folder DIR VERIFY_HASH [WORD]: everything VERIFY.txt tells a third
# party to run, run from DIR, prints what it says on the line after it
# ("      WORD: ...", WORD "expected" in English).
check_folder() {
    local dir=$1 vhash=$2 word=${3:-expected} cmd expect n_min=0 n_b2=0 n_grep=0 line
    local n_pub=0 n_sig=0
    local safe="^[][A-Za-z0-9._ ^:{}|'-]+\$"
    [ -f "$dir/VERIFY.txt" ] || fail "$dir has no VERIFY.txt"
    expect_ok "$SCOPEREG" verify --documents "$dir"
    expect_stdout_contains "0 broken"
    # names: plain files directly in DIR, from the stem, never '/' or '..'
    [ -z "$(find "$dir" -mindepth 1 ! -type f)" ] || fail "$dir holds something else than files"
    [ -z "$(find "$dir" -mindepth 2)" ] || fail "$dir has subdirectories"
    while IFS= read -r f; do
        case "$f" in
        *..* | */* | .*) fail "file name '$f' in $dir" ;;
        "$STEM"-v*.scope | "$STEM"-v*.minisig | "$STEM"-v*.checkpoint | "$STEM".*.pub | VERIFY.txt) ;;
        *) fail "unexpected file name '$f' in $dir" ;;
        esac
    done < <(ls -A "$dir")
    pass "$(basename "$dir"): $(ls -A "$dir" | wc -l) files, named from the stem, none with '/' or '..'"
    # every command, with the line after it ("expected: ...")
    mapfile -t lines <"$dir/VERIFY.txt"
    for ((i = 0; i < ${#lines[@]}; i++)); do
        line=${lines[i]}
        [[ $line =~ ^\ \ (minisign|b2sum|grep|tail|sed)\  ]] || continue
        cmd=${line#  }
        [[ $cmd =~ $safe ]] || fail "unexpected characters in command: $cmd"
        expect=${lines[i + 1]:-}
        if [[ $expect =~ ^\ {6}$word\ ?:\ (.*)$ ]]; then
            expect=${BASH_REMATCH[1]}
        else
            expect=""
        fi
        case $cmd in
        minisign*)
            n_min=$((n_min + 1))
            if [ $have_minisign = 0 ]; then
                echo "# minisign absent: not run: $cmd"
                continue
            fi
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] || fail "'$cmd' failed in $dir: $ERR"
            case "$OUT" in *"Signature and comment signature verified"*) ;; *) fail "'$cmd': $OUT" ;; esac
            case "$OUT" in *"$expect"*) ;; *) fail "'$cmd' did not print '$expect'" ;; esac
            ;;
        b2sum*VERIFY.txt)
            n_b2=$((n_b2 + 1))
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] && [ "${OUT%% *}" = "${vhash#blake2b-256:}" ] ||
                fail "'$cmd' printed '$OUT', evidence printed $vhash"
            ;;
        b2sum*)
            n_b2=$((n_b2 + 1))
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] && [ "$OUT" = "$expect" ] || fail "'$cmd' printed '$OUT', expected '$expect'"
            ;;
        grep\ -E*)
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] || fail "'$cmd' failed in $dir: $OUT $ERR"
            [ "$(grep -vc ': OK$' <<<"$OUT")" -eq 0 ] || fail "'$cmd': $OUT"
            ;;
        grep*)
            n_grep=$((n_grep + 1))
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] && [ "$OUT" = "$expect" ] || fail "'$cmd' printed '$OUT', expected '$expect'"
            ;;
        tail\ -n\ 1\ *.pub\ \|*)
            n_pub=$((n_pub + 1))
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] && [[ $OUT =~ ^[0-9A-F]{16}$ ]] && [ "$OUT" = "$expect" ] ||
                fail "'$cmd' printed '$OUT', expected '$expect'"
            cat "$dir"/*.scope | grep -qE "^(provider|client)-key: $OUT\$" ||
                fail "no document of $dir names the key id $OUT of '$cmd'"
            ;;
        sed\ -n\ 2p\ *.minisig\ \|*)
            n_sig=$((n_sig + 1))
            run_in "$dir" "$cmd"
            [ "$RC" -eq 0 ] && [[ $OUT =~ ^[0-9A-F]{16}$ ]] && [ "$OUT" = "$expect" ] ||
                fail "'$cmd' printed '$OUT', expected '$expect'"
            ;;
        *) fail "unexpected command in VERIFY.txt: $cmd" ;;
        esac
    done
    local ndocs nsigs
    ndocs=$(ls "$dir" | grep -c '\.scope$')
    nsigs=$(ls "$dir" | grep -c '\.minisig$')
    [ "$n_min" -eq "$nsigs" ] || fail "VERIFY.txt has $n_min minisign commands for $nsigs signatures"
    [ "$n_b2" -eq $((ndocs + 1)) ] || fail "VERIFY.txt has $n_b2 b2sum commands for $ndocs documents"
    [ "$n_grep" -eq "$ndocs" ] || fail "VERIFY.txt has $n_grep previous: commands for $ndocs documents"
    [ "$n_pub" -eq "$(ls "$dir" | grep -c '\.pub$')" ] || fail "VERIFY.txt has $n_pub key id commands for the .pub files"
    [ "$n_sig" -eq "$nsigs" ] || fail "VERIFY.txt has $n_sig key id commands for $nsigs signatures"
    pass "$(basename "$dir"): $n_min minisign, $n_b2 b2sum, $n_grep grep and $((n_pub + n_sig)) key id commands of VERIFY.txt print what it says"
    # the checksum list names every file but VERIFY.txt, with its hash
    local listed actual
    listed=$(grep -E '^[0-9a-f]{64}  ' "$dir/VERIFY.txt" | sed 's/^[0-9a-f]*  //' | sort)
    actual=$(ls -A "$dir" | grep -vx VERIFY.txt | sort)
    [ "$listed" = "$actual" ] || fail "the checksum list of VERIFY.txt ($listed) is not the files ($actual)"
    (cd "$dir" && grep -E '^[0-9a-f]{64}  ' VERIFY.txt | b2sum -l 256 -c --quiet) ||
        fail "b2sum -c rejects the checksum list of $dir"
    pass "$(basename "$dir"): the checksum list covers every other file and b2sum -c accepts it"
}

echo "# PC-01 on 2 February: in scope (version 1; version 2 not yet countersigned)"
expect_ok sr evidence PC-01 --at 2026-02-02 -o "$WORK/ev-yes"
expect_stdout_contains "at 2026-02-02T23:59:59Z the scope in force was version 1"
expect_stdout_contains "PC-01 was in scope"
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
expect_same_sha "$REG" "$REGSHA" "evidence"
V="$WORK/ev-yes/VERIFY.txt"
grep -q '^Answer: YES\.$' "$V" || fail "VERIFY.txt does not answer YES"
grep -q 'was the item "PC-01" in the scope agreed by both parties' "$V" || fail "VERIFY.txt does not say what was asked"
grep -q '^      serial: SN-001$' "$V" || fail "VERIFY.txt does not give the item as signed"
grep -q '^Version 2, committed 2026-02-01T10:00:00Z, was not in force then' "$V" ||
    fail "VERIFY.txt does not name the later version"
pass "VERIFY.txt: asked, YES, the item's fields as signed, the later version not in force"
[ "$(ls "$WORK/ev-yes" | grep -c '\.scope$')" -eq 1 ] || fail "ev-yes holds other versions than 1"
expect_file_equal "$WORK/ev-yes/$STEM-v1.scope" "$XFER/v1/$STEM-v1.scope" "the document is the exported one"
expect_file_equal "$WORK/ev-yes/$STEM.client.pub" "$XFER/client.pub" "the client's key"
check_folder "$WORK/ev-yes" "$VH"

echo "# PC-01 on 20 February: withdrawn in version 2 (exit 1, the folder proves it)"
expect_exit 1 sr evidence PC-01 --at 2026-02-20 -o "$WORK/ev-no"
expect_stdout_contains "PC-01 was not in scope at 2026-02-20T23:59:59Z: version 2 does not list it"
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
V="$WORK/ev-no/VERIFY.txt"
grep -q '^Answer: NO\.$' "$V" || fail "VERIFY.txt does not answer NO"
grep -q 'version 2: removed (reason: laptop stolen, police report 2026-0042)' "$V" ||
    fail "VERIFY.txt does not say when and why the item left"
pass "VERIFY.txt: NO, removed in version 2 with its reason"
check_folder "$WORK/ev-no" "$VH"

echo "# now (version 4 unsigned): version 3 with the client's key rotation"
expect_ok sr evidence SRV-01 -o "$WORK/ev-now"
expect_stdout_contains "at 2026-05-01T08:00:00Z the scope in force was version 3"
expect_stdout_contains "versions 1 to 3, 7 signatures, 3 public keys"
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
for f in "$STEM-v3.client.old.minisig" "$STEM.client.$CID.pub" "$STEM.client.pub" "$STEM.provider.pub"; do
    [ -f "$WORK/ev-now/$f" ] || fail "ev-now lacks $f"
done
expect_file_equal "$WORK/ev-now/$STEM.client.pub" "$XFER/client2027.pub" "the key in force is the new one"
expect_file_equal "$WORK/ev-now/$STEM.client.$CID.pub" "$XFER/client.pub" "the replaced key has its own name"
[ ! -e "$WORK/ev-now/$STEM-v4.scope" ] || fail "the unsigned version 4 is in the folder"
grep -q '^      notes: line1\\nline2$' "$WORK/ev-now/VERIFY.txt" || fail "a value with a line feed is not escaped"
grep -q "^    key client: $CID -> $NID$" "$WORK/ev-now/VERIFY.txt" || fail "VERIFY.txt does not explain the rotation"
pass "rotation: both client keys under distinct names, the old key's signature, the rotation explained"
check_folder "$WORK/ev-now" "$VH"
expect_ok sr evidence SRV-01 -o "$WORK/ev-again"
expect_file_equal "$WORK/ev-again/VERIFY.txt" "$WORK/ev-now/VERIFY.txt" "the same register and clock give the same VERIFY.txt"

echo "# a byte changed in a copy of the folder"
cp -r "$WORK/ev-now" "$WORK/ev-bad"
DOC="$WORK/ev-bad/$STEM-v2.scope"
off=$(grep -b -o 'Remote access' "$DOC" | head -n 1 | cut -d: -f1)
printf 'r' | dd of="$DOC" bs=1 seek="$off" conv=notrunc status=none
cmp -s "$DOC" "$WORK/ev-now/$STEM-v2.scope" && fail "the byte was not changed"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/ev-bad"
expect_stdout_contains "$STEM-v2.scope: version 2: BROKEN"
expect_stderr_contains "does not hold"
if [ $have_minisign = 1 ]; then
    cmd=$(grep "^  minisign -Vm $STEM-v2.scope " "$WORK/ev-bad/VERIFY.txt" | head -n 1)
    [ -n "$cmd" ] || fail "no minisign command for version 2"
    run_in "$WORK/ev-bad" "$cmd"
    [ "$RC" -ne 0 ] || fail "'$cmd' accepted the changed document"
    pass "minisign refuses the changed document: $(echo "$ERR$OUT" | head -n 1)"
else
    echo "# minisign absent: the changed document is not checked with stock minisign"
fi
(cd "$WORK/ev-bad" && grep -E '^[0-9a-f]{64}  ' VERIFY.txt | b2sum -l 256 -c --quiet >/dev/null 2>&1) &&
    fail "b2sum -c accepted the changed document"
pass "b2sum -c refuses the changed document"

echo "# no version agreed by then: refused, nothing written"
expect_exit 1 sr evidence PC-01 --at 2026-01-11 -o "$WORK/ev-none"
expect_one_error_line
expect_stderr_contains "no version of contract ../../etc/x y had been agreed by both parties by 2026-01-11T23:59:59Z"
expect_stdout_empty
[ ! -e "$WORK/ev-none" ] || fail "a refused evidence left $WORK/ev-none"
pass "nothing written"

echo "# refusals write nothing"
mkdir "$WORK/full" && echo keep >"$WORK/full/notes.txt"
expect_exit 2 sr evidence -o "$WORK/full"
expect_one_error_line
expect_stderr_contains "is not empty"
[ "$(ls -A "$WORK/full")" = "notes.txt" ] || fail "a refused evidence wrote into a non-empty DIR"
expect_ok sr evidence -o "$WORK/full" --force
expect_stderr_contains "notes.txt"
[ -f "$WORK/full/VERIFY.txt" ] && [ "$(cat "$WORK/full/notes.txt")" = keep ] || fail "--force"
pass "--force writes into a non-empty DIR, leaves other files and warns about them"
mkdir "$WORK/empty"
expect_ok sr evidence --at 2026-03-05 -o "$WORK/empty"
ln -s "$WORK/empty2" "$WORK/link"
mkdir "$WORK/empty2"
expect_exit 2 sr evidence -o "$WORK/link"
expect_stderr_contains "symbolic link"
[ -z "$(ls -A "$WORK/empty2")" ] || fail "evidence wrote through a symbolic link"
pass "nothing written through a symbolic link"
expect_exit 2 sr evidence SRV-01 --at 2026-13-45 -o "$WORK/ev-x"
expect_exit 2 sr evidence $'SRV\x01' -o "$WORK/ev-x"
expect_exit 2 sr evidence SRV-01
expect_exit 2 sr evidence SRV-01 PC-01 -o "$WORK/ev-x"
[ ! -e "$WORK/ev-x" ] || fail "a refused evidence left $WORK/ev-x"
[ ! -e "$WORK/etc" ] && [ ! -e "$PROV/etc" ] && [ -z "$(find "$WORK" -name 'x y*')" ] ||
    fail "the contract reference steered a path"
pass "usage errors write nothing; the contract reference never steers a path"
expect_same_sha "$REG" "$REGSHA" "every evidence command"

if command -v sqlite3 >/dev/null 2>&1; then
    echo "# a register edited behind the tool's back gives no evidence"
    cp "$REG" "$WORK/tampered.db"
    sqlite3 "$WORK/tampered.db" "UPDATE item SET name = 'Firewall' WHERE id = 'FW-01'" ||
        fail "sqlite3 could not edit the copy"
    expect_exit 1 "$SCOPEREG" -R "$WORK/tampered.db" evidence FW-01 -o "$WORK/ev-tampered"
    expect_one_error_line
    expect_stderr_contains "version 1 does not hold"
    [ ! -e "$WORK/ev-tampered" ] || fail "evidence from a tampered register left $WORK/ev-tampered"
    pass "nothing written from a tampered register"
else
    echo "# sqlite3 absent: the tampered-register case is not run"
fi

# same_files DIR1 DIR2: the same file names, and every file but VERIFY.txt
# byte for byte the same.
same_files() {
    [ "$(ls -A "$1")" = "$(ls -A "$2")" ] || fail "$1 and $2 do not hold the same files"
    local f
    for f in $(ls -A "$1" | grep -vx VERIFY.txt); do
        cmp -s "$1/$f" "$2/$f" || fail "$f differs between $(basename "$1") and $(basename "$2")"
    done
    pass "$(basename "$2"): documents, signatures and keys byte-identical to $(basename "$1")'s"
}

echo "# the contract's language: French, set after the fact, makes no version"
expect_ok sr lang
[ "$OUT" = en ] || fail "a register made without --lang is not in English: '$OUT'"
LOGBEFORE=$(sr log 2>&1)
expect_ok sr lang fr
expect_stdout_contains "language fr (was en); no new version"
expect_ok sr lang
[ "$OUT" = fr ] || fail "lang does not show fr: '$OUT'"
[ "$(sr log 2>&1)" = "$LOGBEFORE" ] || fail "lang fr changed the versions"
SCOPEREG_NOW=2026-05-01T08:00:00Z expect_ok sr verify
expect_stdout_contains "3 agreed, 1 pending"
pass "lang fr: no new version, every signature still holds"
REGSHA=$(sha_of "$REG")

echo "# VERIFY.txt in French: OUI, what the folder cannot prove, the commands pass"
expect_ok sr evidence SRV-01 -o "$WORK/ev-fr"
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
V="$WORK/ev-fr/VERIFY.txt"
grep -qx 'COMMENT VÉRIFIER CE DOSSIER' "$V" || fail "VERIFY.txt has no French title"
grep -qx 'Réponse :  OUI.' "$V" || fail "VERIFY.txt does not answer OUI"
grep -q "^Question : l'élément « SRV-01 » faisait-il partie du périmètre approuvé par$" "$V" ||
    fail "VERIFY.txt does not ask in French"
grep -q "^Ce que ce dossier ne peut pas prouver à lui seul, c'est qu'aucune version$" "$V" ||
    fail "VERIFY.txt does not say in French what the folder cannot prove"
grep -q "contrat$" "$V" && grep -q "^d'infogérance : les listes des équipements" "$V" ||
    fail "VERIFY.txt does not name the contrat d'infogérance"
grep -q "minisign -V n'affiche aucun identifiant de clé" "$V" ||
    fail "VERIFY.txt does not say that minisign -V prints no key id"
grep -q "minisign prints the key id" "$V" "$WORK/ev-now/VERIFY.txt" &&
    fail "VERIFY.txt still says that minisign prints the key id"
for w in 'HOW TO VERIFY' 'Answer:' 'expected:' 'What this folder cannot show' 'THE FILES' \
    'signed by the provider'; do
    grep -q "$w" "$V" && fail "the French VERIFY.txt holds the English '$w'"
done
pass "VERIFY.txt in French: title, question, OUI, what the folder cannot prove, no English left"
check_folder "$WORK/ev-fr" "$VH" attendu
same_files "$WORK/ev-now" "$WORK/ev-fr"
expect_same_sha "$REG" "$REGSHA" "evidence in French"

echo "# NON in French: PC-01 withdrawn in version 2, with its reason"
expect_exit 1 sr evidence PC-01 --at 2026-02-20 -o "$WORK/ev-fr-no"
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
V="$WORK/ev-fr-no/VERIFY.txt"
grep -qx 'Réponse :  NON.' "$V" || fail "VERIFY.txt does not answer NON"
grep -q 'version 2 : retrait (motif : laptop stolen, police report 2026-0042)' "$V" ||
    fail "VERIFY.txt does not say in French when and why the item left"
pass "VERIFY.txt: NON, retrait in version 2 with its motif"
check_folder "$WORK/ev-fr-no" "$VH" attendu
same_files "$WORK/ev-no" "$WORK/ev-fr-no"

echo "# --lang overrides the register's language: German, and English byte for byte"
expect_ok sr evidence SRV-01 -o "$WORK/ev-de" --lang de
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
V="$WORK/ev-de/VERIFY.txt"
grep -qx 'Antwort: JA.' "$V" || fail "VERIFY.txt does not answer JA"
grep -q '^Was dieser Ordner allein nicht beweisen kann, ist, dass bis zu diesem$' "$V" ||
    fail "VERIFY.txt does not say in German what the folder cannot prove"
grep -q 'IT-Outsourcing-Vertrags' "$V" || fail "VERIFY.txt does not name the IT-Outsourcing-Vertrag"
for w in 'HOW TO VERIFY' 'Answer:' 'expected:' 'ß'; do
    grep -q "$w" "$V" && fail "the German VERIFY.txt holds '$w'"
done
pass "VERIFY.txt in German: JA, what the folder cannot prove, no English, Swiss spelling"
check_folder "$WORK/ev-de" "$VH" erwartet
same_files "$WORK/ev-now" "$WORK/ev-de"
expect_exit 1 sr evidence PC-01 --at 2026-02-20 -o "$WORK/ev-de-no" --lang de
grep -qx 'Antwort: NEIN.' "$WORK/ev-de-no/VERIFY.txt" || fail "VERIFY.txt does not answer NEIN"
pass "VERIFY.txt in German: NEIN"
expect_ok sr evidence SRV-01 -o "$WORK/ev-it" --lang it
VH=$(sed -n 's/^BLAKE2b-256 of VERIFY.txt: //p' "$OUT_FILE")
grep -qx 'Risposta: SÌ.' "$WORK/ev-it/VERIFY.txt" || fail "VERIFY.txt does not answer SÌ"
grep -q "^Ciò che questa cartella non può provare da sola" "$WORK/ev-it/VERIFY.txt" ||
    fail "VERIFY.txt does not say in Italian what the folder cannot prove"
pass "VERIFY.txt in Italian: SÌ, what the folder cannot prove"
check_folder "$WORK/ev-it" "$VH" atteso
same_files "$WORK/ev-now" "$WORK/ev-it"
expect_ok sr evidence SRV-01 -o "$WORK/ev-en" --lang en
expect_file_equal "$WORK/ev-en/VERIFY.txt" "$WORK/ev-now/VERIFY.txt" "--lang en gives the English VERIFY.txt"
same_files "$WORK/ev-now" "$WORK/ev-en"
expect_exit 2 sr evidence SRV-01 -o "$WORK/ev-xx" --lang xx
expect_one_error_line
expect_stderr_contains "--lang 'xx': scopereg writes VERIFY.txt in en, fr, de and it"
[ ! -e "$WORK/ev-xx" ] || fail "a refused --lang left $WORK/ev-xx"
expect_same_sha "$REG" "$REGSHA" "evidence in every language"

done_checks
