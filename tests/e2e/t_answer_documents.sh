#!/usr/bin/env bash
# t_answer_documents.sh - 'at --documents DIR' and 'history --documents DIR'
# answer with no register, from the folder of exported documents and
# signature files the client keeps: on a register of six versions (adds,
# edits, a removal, a re-addition, a rotation of the client's key, a last
# version signed by the provider only), exported version by version into
# one folder where the client cosigns each, they print what 'at' and
# 'history' print on the register (byte for byte but the line naming the
# source) with the same exit codes, in text and --json. A folder lacking a
# middle version, a tampered document, a folder with no document and a
# missing folder get no answer they cannot rely on.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to compare the JSON outputs"
parties client2
CID2=$(key_id "$K/client2.pub")
A="$WORK/archive"
STEM=ACME-1
mkdir -p "$A"

# version N agreed: the provider signs on the register at P, the folder
# gets version N, the client cosigns it there at C (with its previous key
# too when KEYS says so) and the provider attaches the client's signature.
agree() {
    local n=$1 p=$2 c=$3
    shift 3
    SCOPEREG_NOW=$p sr_ok sign "$n" --key "$K/provider.key"
    SCOPEREG_NOW=$p sr_ok export "$n" -o "$A" --force
    SCOPEREG_NOW=$c "$SCOPEREG" cosign "$A/$STEM-v$n.scope" "$@" >>"$WORK/build.log" 2>&1 ||
        fail "cosign of version $n: $(tail -n 3 "$WORK/build.log")"
    SCOPEREG_NOW=$c sr_ok attach "$A/$STEM-v$n.client.minisig"
    [ ! -f "$A/$STEM-v$n.client.old.minisig" ] || SCOPEREG_NOW=$c sr_ok attach "$A/$STEM-v$n.client.old.minisig"
}

echo "# a register of six versions, exported into one folder and cosigned there"
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
sr_ok add PC-001 --kind workstation --name Compta --set serial=SN-1
sr_ok add FW-01 --kind network --name 'Main firewall'
sr_ok commit -m one --author jm
agree 1 2026-01-11T09:00:00Z 2026-01-12T09:00:00Z --key "$K/client.key"
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_ok edit SRV-01 --set ip=10.0.0.6
sr_ok add PC-002 --kind workstation --name Accueil
sr_ok commit -m two --author jm
agree 2 2026-02-02T09:00:00Z 2026-02-03T09:00:00Z --key "$K/client.key"
export SCOPEREG_NOW=2026-03-01T09:00:00Z
sr_ok remove PC-001 --reason 'stolen, police report 42'
sr_ok commit -m three --author jm
agree 3 2026-03-02T09:00:00Z 2026-03-03T09:00:00Z --key "$K/client.key"
export SCOPEREG_NOW=2026-04-01T09:00:00Z
sr_ok add PC-001 --kind workstation --name 'Compta (replacement)' --set serial=SN-2
sr_ok commit -m four --author jm
agree 4 2026-04-02T09:00:00Z 2026-04-03T09:00:00Z --key "$K/client.key"
export SCOPEREG_NOW=2026-05-01T09:00:00Z
sr_ok rekey --role client --key "$K/client2.pub"
sr_ok edit FW-01 --name 'Edge firewall'
sr_ok commit -m five --author jm
agree 5 2026-05-02T09:00:00Z 2026-05-03T09:00:00Z --key "$K/client2.key" \
    --previous-key "$K/client.key"
export SCOPEREG_NOW=2026-06-01T09:00:00Z
sr_ok add PC-003 --kind workstation --name Labo
sr_ok commit -m six --author jm
SCOPEREG_NOW=2026-06-02T09:00:00Z sr_ok sign 6 --key "$K/provider.key"
SCOPEREG_NOW=2026-06-02T09:00:00Z sr_ok export 6 -o "$A" --force
export SCOPEREG_NOW=2026-07-01T09:00:00Z
[ "$(ls "$A"/*.scope | wc -l)" -eq 6 ] || fail "the folder does not hold six documents"
[ -f "$A/$STEM-v5.client.old.minisig" ] || fail "the client's previous key did not sign version 5"
pass "the folder holds versions 1 to 6, the client's signatures and the old key's"
expect_ok "$SCOPEREG" verify --documents "$A"
ASNAP=$(snap "$A")
RSHA=$(sha_of "$REG")

# norm: stdin without what only a folder says (the versions it holds and
# that a later one cannot be excluded, on the answer's line and after it)
# and with a folder's words for a version it holds unsigned or its last
# version put back as the register's.
norm() {
    sed -e '/^history of \|hold over/d' \
        -e 's/; this holds as far as versions [0-9]* to [0-9]* of this folder show: .*cannot exclude one//' \
        -e 's/; no later version can have been agreed by then: version [0-9]*, agreed by both parties in this folder, is dated [0-9-]*T[0-9:]*Z//' \
        -e '/^  this folder holds versions /d' -e '/^  to settle it, ask the other party /d' \
        -e '/^  version [0-9]*, committed .*, is not agreed in this folder: /d' \
        -e '/^  version [0-9]*, committed .*, was not agreed by then (now: /d' \
        -e 's/^\(.*\) is in scope of version \([0-9]*\), the last this folder holds$/\1 is in scope of the latest version (\2)/' \
        -e 's/(the last version in this folder: \([0-9]*\))$/(latest version: \1)/' \
        -e 's/^\(.*\) is in no version of this folder$/\1 was never in a version of this register/'
}

# same CMD...: CMD on the register and CMD --documents $A exit alike and
# print the same stdout, but the line naming the source ("history of",
# "hold over") and what only a folder says (norm); with --json, the same
# JSON but "source", "folder_versions" and "later_versions_excluded".
same() {
    local rc_reg
    run sr "$@"
    rc_reg=$RC
    norm <"$OUT_FILE" >"$WORK/reg.out"
    cp "$OUT_FILE" "$WORK/reg.raw"
    run "$SCOPEREG" "$@" --documents "$A"
    [ "$RC" -eq "$rc_reg" ] || fail "$(show_cmd "$@") exits $rc_reg on the register, $RC on the documents"
    if [ "${*: -1}" = --json ]; then
        python3 - "$WORK/reg.raw" "$OUT_FILE" <<'EOF' || fail "$(show_cmd "$@"): the JSON differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a.pop("source") == "register" and b.pop("source") == "documents", "source"
assert a.pop("folder_versions") is None and a.pop("later_versions_excluded") is None, "register"
assert b.pop("folder_versions") == [1, 6], "folder_versions"
assert b.pop("later_versions_excluded") in (True, False), "later_versions_excluded"
if a != b:
    print(json.dumps(a, indent=1), json.dumps(b, indent=1), sep="\n", file=sys.stderr)
    sys.exit(1)
EOF
    else
        norm <"$OUT_FILE" >"$WORK/doc.out"
        diff "$WORK/reg.out" "$WORK/doc.out" >"$WORK/diff" ||
            fail "$(show_cmd "$@"): stdout differs: $(cat "$WORK/diff")"
        [ -s "$WORK/doc.out" ] || fail "$(show_cmd "$@"): no output"
    fi
    pass "$(show_cmd "$@"): exit $RC and the same output from the register and the documents"
}

echo "# at DATE [ID]: the same answers"
for d in 2026-01-05 2026-01-11 2026-01-12 2026-02-02 2026-02-15 2026-03-05 2026-04-10 \
    2026-05-02 2026-05-10 2026-06-15 2027-01-01; do
    same at "$d"
    for id in SRV-01 PC-001 PC-002 FW-01 PC-003 NOPE; do
        same at "$d" "$id"
    done
    same at "$d" SRV-01 --json
    same at "$d" PC-001 --json
    same at "$d" --json
done
echo "# spot checks of what they said"
expect_ok "$SCOPEREG" at 2026-05-10 FW-01 --documents "$A"
expect_stdout_contains "at 2026-05-10T23:59:59Z the scope in force was version 5, agreed 2026-05-03T09:00:00Z"
expect_stdout_contains "client ACME SA signed 2026-05-03T09:00:00Z with key $CID2"
expect_stdout_contains "client ACME SA signed 2026-05-03T09:00:00Z with key $CID"
expect_stdout_contains "  the signatures in $A hold over its document"
expect_stdout_contains "    name: Edge firewall"
expect_exit 1 "$SCOPEREG" at 2026-03-05 PC-001 --documents "$A"
expect_stdout_contains "PC-001 was not in scope at 2026-03-05T23:59:59Z: version 3 does not list it"
expect_exit 1 "$SCOPEREG" at 2026-06-15 PC-003 --documents "$A"
expect_stdout_contains "version 6, committed 2026-06-01T09:00:00Z, is not agreed in this folder: it holds no client signature of it"
expect_stdout_contains "PC-003 was not in scope at 2026-06-15T23:59:59Z: version 5 does not list it; this holds as far as versions 1 to 6 of this folder show: a version after version 5 agreed by 2026-06-15T23:59:59Z would change the answer, and the folder cannot exclude one"
expect_exit 1 "$SCOPEREG" at 2026-01-11 --documents "$A"
expect_stdout_contains "no version was in force at 2026-01-11T23:59:59Z"

echo "# history ID: the same steps"
for id in SRV-01 PC-001 PC-002 FW-01 PC-003 NOPE; do
    same history "$id"
    same history "$id" --json
done
expect_ok "$SCOPEREG" history PC-001 --documents "$A"
expect_stdout_contains "history of PC-001 in the documents of $A (contract ACME-1)"
expect_stdout_contains "version 3, 2026-03-01T09:00:00Z: removed (agreed 2026-03-03T09:00:00Z)"
expect_stdout_contains "  reason: stolen, police report 42"
expect_stdout_contains "version 4, 2026-04-01T09:00:00Z: added (agreed 2026-04-03T09:00:00Z)"
expect_stdout_contains "PC-001 is in scope of version 6, the last this folder holds; this holds as far as versions 1 to 6 of this folder show"
expect_ok "$SCOPEREG" history SRV-01 --documents "$A" --json
python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["source"] == "documents" and d["steps"][1]["change"]["fields"] == [{"field": "ip", "old": "10.0.0.5", "new": "10.0.0.6"}] else 1)' <"$OUT_FILE" ||
    fail "history --json from the documents: source and fields"
pass "history --json from the documents: source and the modified field"
[ "$(snap "$A")" = "$ASNAP" ] || fail "an answer wrote into the folder"
expect_same_sha "$REG" "$RSHA" "the answers"

echo "# an evidence folder answers too"
sr_ok evidence SRV-01 --at 2026-05-10 -o "$WORK/evidence"
run sr at 2026-05-10 SRV-01
norm <"$OUT_FILE" >"$WORK/reg.out"
expect_ok "$SCOPEREG" at 2026-05-10 SRV-01 --documents "$WORK/evidence"
norm <"$OUT_FILE" | diff "$WORK/reg.out" - >"$WORK/diff" ||
    fail "at from the evidence folder differs: $(cat "$WORK/diff")"
pass "at from the evidence folder: the register's answer"
expect_ok "$SCOPEREG" history PC-001 --documents "$WORK/evidence"
expect_stdout_contains "PC-001 is in scope of version 5, the last this folder holds; this holds as far as versions 1 to 5 of this folder show: a later version would not show here, and the folder cannot exclude one"

echo "# a folder lacking version 3"
G="$WORK/gap"
cp -r "$A" "$G"
rm "$G/$STEM-v3".*
expect_ok "$SCOPEREG" at 2026-01-20 SRV-01 --documents "$G"
expect_stdout_contains "SRV-01 was in scope at 2026-01-20T23:59:59Z, as signed in version 1"
refused_in 1 "$G lacks version 3, which may have been agreed by 2026-02-15T23:59:59Z: the answer cannot rely on the folder" \
    "$G" "$SCOPEREG" at 2026-02-15 SRV-01 --documents "$G"
expect_stdout_empty
refused_in 1 "$G lacks version 3, which version 4, in force at 2026-04-10T23:59:59Z, follows" \
    "$G" "$SCOPEREG" at 2026-04-10 PC-001 --documents "$G"
expect_stdout_empty
expect_ok "$SCOPEREG" at 2026-05-10 PC-001 --documents "$G"
expect_stdout_contains "PC-001 was in scope at 2026-05-10T23:59:59Z, as signed in version 5"
refused_in 1 "$G lacks version 3: what it did to PC-001 is not shown, and the history cannot rely on the folder" \
    "$G" "$SCOPEREG" history PC-001 --documents "$G"
expect_stdout_contains "version 1, 2026-01-10T09:00:00Z: added"
expect_stdout_contains "version 4, 2026-04-01T09:00:00Z: added"
expect_stdout_lacks "version 3,"
refused_in 1 "$G lacks version 3" "$G" "$SCOPEREG" history PC-002 --documents "$G" --json
json_ok "history --json of a folder lacking a version"

echo "# a tampered document: version 2 lists another address"
T="$WORK/tampered"
cp -r "$A" "$T"
sed -i 's/^  ip: 10.0.0.6$/  ip: 10.0.0.7/' "$T/$STEM-v2.scope"
cmp -s "$A/$STEM-v2.scope" "$T/$STEM-v2.scope" && fail "sed did not change version 2"
refused_in 1 "version 2 in $T does not hold (" "$T" "$SCOPEREG" at 2026-02-15 SRV-01 --documents "$T"
expect_stderr_contains "and it may have been agreed by 2026-02-15T23:59:59Z: the answer cannot rely on it"
expect_stdout_empty
refused_in 1 "version 3, in force at 2026-03-05T23:59:59Z by its signatures' signed dates, does not hold in $T" \
    "$T" "$SCOPEREG" at 2026-03-05 SRV-01 --documents "$T"
expect_stdout_contains "at 2026-03-05T23:59:59Z the scope in force was version 3"
expect_stdout_lacks "SRV-01 was"
expect_stdout_lacks "hold over"
refused_in 1 "1 version in this history does not hold in $T" "$T" "$SCOPEREG" history SRV-01 --documents "$T"
expect_stdout_contains "client ACME SA signed 2026-02-03T09:00:00Z with key $CID: DOES NOT HOLD"
expect_stdout_contains "version 2, 2026-02-01T09:00:00Z: modified (its signatures DO NOT HOLD: see below)"
expect_stdout_lacks "version 2, 2026-02-01T09:00:00Z: modified (agreed"
refused_in 1 "version 2 in $T does not hold" "$T" "$SCOPEREG" history PC-003 --documents "$T"
expect_stderr_contains "whether it changed PC-003 cannot be relied on"
# the tampered version's own date cannot be trusted: only version 1's bounds it
refused_in 1 "and it may have been agreed by 2026-01-20T23:59:59Z" "$T" \
    "$SCOPEREG" at 2026-01-20 SRV-01 --documents "$T"
expect_exit 1 "$SCOPEREG" at 2026-01-09 --documents "$T"
expect_stdout_contains "no version was in force at 2026-01-09T23:59:59Z"
[ ! -s "$ERR_FILE" ] || fail "a date before version 1 was made is answered: no error expected"
pass "before version 1 was made, the tampered version 2 is no doubt"

echo "# a folder answers as far as its versions show (review F5)"
# the whole folder: version 2, agreed by both and dated after the date
# asked, excludes any later version
expect_ok "$SCOPEREG" at 2026-01-20 PC-001 --documents "$A"
expect_stdout_contains "PC-001 was in scope at 2026-01-20T23:59:59Z, as signed in version 1; no later version can have been agreed by then: version 2, agreed by both parties in this folder, is dated 2026-02-01T09:00:00Z:"
expect_stdout_lacks "cannot exclude"
expect_ok "$SCOPEREG" at 2026-01-20 PC-001 --documents "$A" --json
python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["folder_versions"] == [1, 6] and d["later_versions_excluded"] is True else 1)' <"$OUT_FILE" ||
    fail "at --json: folder_versions [1, 6] and later_versions_excluded true expected"
pass "at --json from the whole folder: versions 1 to 6, a later version excluded"
# the folder stops at version 2: the register says PC-001 was removed by
# version 3 (agreed 3 March); the folder can only answer yes as far as it
# shows, and says so on the answer's line
Tr="$WORK/truncated"
cp -r "$A" "$Tr"
rm "$Tr/$STEM"-v[3-6].*
TSNAP=$(snap "$Tr")
expect_exit 1 sr at 2026-03-10 PC-001
expect_stdout_contains "PC-001 was not in scope at 2026-03-10T23:59:59Z: version 3 does not list it"
expect_ok "$SCOPEREG" at 2026-03-10 PC-001 --documents "$Tr"
grep -q -x -F "PC-001 was in scope at 2026-03-10T23:59:59Z, as signed in version 2; this holds as far as versions 1 to 2 of this folder show: a version after version 2 agreed by 2026-03-10T23:59:59Z would change the answer, and the folder cannot exclude one:" "$OUT_FILE" ||
    fail "the answer's line does not carry the limit: $(grep '^PC-001' "$OUT_FILE")"
pass "a truncated folder: the answer's own line says a later version cannot be excluded"
expect_stdout_contains "  this folder holds versions 1 to 2: the last, version 2, dated 2026-02-01T09:00:00Z, was agreed 2026-02-03T09:00:00Z"
expect_stdout_contains "  to settle it, ask the other party for the latest document it countersigned: the answer stands unless a version after version 2 has both parties' signatures dated by 2026-03-10T23:59:59Z"
expect_ok "$SCOPEREG" at 2026-03-10 PC-001 --documents "$Tr" --json
python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["folder_versions"] == [1, 2] and d["later_versions_excluded"] is False and d["in_scope"] else 1)' <"$OUT_FILE" ||
    fail "at --json: folder_versions [1, 2] and later_versions_excluded false expected"
pass "at --json from the truncated folder: versions 1 to 2, a later version not excluded"
expect_ok "$SCOPEREG" history PC-001 --documents "$Tr"
expect_stdout_contains "PC-001 is in scope of version 2, the last this folder holds; this holds as far as versions 1 to 2 of this folder show: a later version would not show here, and the folder cannot exclude one"
expect_stdout_contains "  to settle it, ask the other party for the latest document it countersigned: the history stands if that is version 2"
expect_ok "$SCOPEREG" history PC-001 --documents "$Tr" --json
python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["folder_versions"] == [1, 2] and d["later_versions_excluded"] is False else 1)' <"$OUT_FILE" ||
    fail "history --json: folder_versions [1, 2] and later_versions_excluded false expected"
pass "history --json from the truncated folder: versions 1 to 2"
expect_exit 1 "$SCOPEREG" history NOPE --documents "$Tr"
expect_stdout_contains "NOPE is in no version of this folder; this holds as far as versions 1 to 2"
[ "$(snap "$Tr")" = "$TSNAP" ] || fail "an answer wrote into the truncated folder"
pass "the truncated folder is unchanged"
# only the client's signature of version 3 taken away: the folder cannot
# say version 3 was not agreed, only that it holds no client signature of it
Nc="$WORK/noclient"
cp -r "$A" "$Nc"
rm "$Nc/$STEM-v3.client.minisig"
NSNAP=$(snap "$Nc")
expect_ok "$SCOPEREG" at 2026-03-10 PC-001 --documents "$Nc"
expect_stdout_contains "  version 3, committed 2026-03-01T09:00:00Z, is not agreed in this folder: it holds no client signature of it"
expect_stdout_lacks "was not agreed by then"
expect_stdout_contains "PC-001 was in scope at 2026-03-10T23:59:59Z, as signed in version 2; this holds as far as versions 1 to 6 of this folder show: a version after version 2 agreed by 2026-03-10T23:59:59Z would change the answer, and the folder cannot exclude one:"
[ "$(snap "$Nc")" = "$NSNAP" ] || fail "an answer wrote into the folder"
expect_same_sha "$REG" "$RSHA" "the answers from the folders"

echo "# not a folder of documents"
mkdir "$WORK/empty"
refused_in 2 "$WORK/empty holds no *.scope document" "$WORK/empty" \
    "$SCOPEREG" at 2026-03-05 SRV-01 --documents "$WORK/empty"
refused_in 2 "$WORK/empty holds no *.scope document" "$WORK/empty" \
    "$SCOPEREG" history SRV-01 --documents "$WORK/empty"
refused_in 2 "$WORK/nowhere: cannot read the directory" "$WORK/empty" \
    "$SCOPEREG" at 2026-03-05 --documents "$WORK/nowhere"
refused_in 2 "$WORK/nowhere: cannot read the directory" "$WORK/empty" \
    "$SCOPEREG" history SRV-01 --json --documents "$WORK/nowhere"
expect_exit 2 "$SCOPEREG" at 2026-03-05 --documents
expect_stderr_contains "usage: scopereg at"

done_checks
