#!/usr/bin/env bash
# t_prove_json.sh - 'verify --proof DIR --json' on a register of about 50
# items and 3 versions (items added and removed, each version signed by
# both parties with its checkpoint): one JSON object on stdout, with the
# exit status of the text form. Presence (an item added at version 2):
# in_scope, the version in force and its signatures, the leaf's index and
# tree size as proof.txt states them, the keys, later_versions_excluded
# and later_versions as the text form says them (an honest folder, one cut
# short, one with a later checkpoint signed once). Absence (between two
# items, and of an item removed at version 2): two leaves, before and
# after, with their ids. A changed byte in item.txt: exit 1, holds false,
# error naming item.txt, the answer members null (and the question too
# when proof.txt does not parse). Not a proof folder:
# exit 2, nothing on stdout. The text form and the JSON agree on the
# version and the answer; the JSON is the same in French.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is absent"
"$SCOPEREG" help prove >/dev/null 2>&1 || fail "scopereg has no prove command"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-JSON

# fleet V: the CSV of version V. Ids PC-00000, PC-00002, ... (even numbers
# only: odd ones are never items). Version 2 adds PC-00100..PC-00108 and
# removes PC-00014, PC-00034, ...; version 3 removes PC-00006, PC-00032, ...
fleet() {
    awk -v v="$1" 'BEGIN {
        print "Asset Tag,Type,Nom,Serial"
        for (i = 0; i < 50 + 5 * (v - 1); i++) {
            if (v >= 2 && i % 10 == 7) continue
            if (v >= 3 && i % 13 == 3) continue
            printf "PC-%05d,%s,Poste-%05d,SN%07d\n", 2 * i, (i % 5 ? "poste" : "serveur"), 2 * i, i
        }
    }'
}
for v in 1 2 3; do
    fleet $v >"$WORK/fleet-v$v.csv"
    sync=(--sync --reason retired)
    [ $v -eq 1 ] && sync=()
    SCOPEREG_NOW=2026-0$v-01T09:00:00Z sr_ok import "$WORK/fleet-v$v.csv" --source fleet \
        "${sync[@]}" --commit -m "v$v" --author jm
    SCOPEREG_NOW=2026-0$v-02T09:00:00Z sr_ok sign $v --key "$K/provider.key"
    SCOPEREG_NOW=2026-0$v-03T09:00:00Z sr_ok sign $v --key "$K/client.key"
done
export SCOPEREG_NOW=2026-06-01T09:00:00Z
expect_ok sr verify
[ "$(sqlite3 "$REG" 'SELECT count(*) FROM version')" = 3 ] || fail "3 versions expected"
pass "register of 3 versions, each agreed with its checkpoint"

# tree_sha DIR: one hash of every file's name, kind and bytes under DIR.
tree_sha() {
    (cd "$1" && find . -printf '%p %y\n' | LC_ALL=C sort &&
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-64
}

# pf DIR FIELD: the value of FIELD in DIR/proof.txt (its first line).
pf() {
    sed -n "s/^$2: //p" "$1/proof.txt" | head -n 1
}

# jcheck WHAT DIR PYTHON: the JSON on stdout of the last command, as J,
# holds for every assert of PYTHON; DIR is D, proof.txt's fields are P
# (first value of each), the keys' ids PID and CID, MSG the shell's $MSG.
jcheck() {
    local what=$1 dir=$2 code=$3 r
    r=$(PID="$PID" CID="$CID" MSG="${MSG:-}" python3 - "$OUT_FILE" "$dir" 2>&1 <<EOF
import json, os, sys
J = json.load(open(sys.argv[1], encoding="utf-8"))
D = sys.argv[2]
P = {}
for l in open(D + "/proof.txt", encoding="utf-8").read().split("\n"):
    k, s, v = l.partition(": ")
    if s and k not in P:
        P[k] = v
PID, CID, MSG = os.environ["PID"], os.environ["CID"], os.environ["MSG"]
$code
EOF
    ) || fail "$what: $r"
    pass "$what"
}

# text_agrees DIR: verify --proof DIR (text) and --json give the same exit
# status, version and answer.
text_agrees() {
    local dir=$1 rc_text v_text a_text
    run "$SCOPEREG" verify --proof "$dir"
    rc_text=$RC
    a_text=$(grep -o -E '^(YES|NO): ' "$OUT_FILE" | cut -d: -f1)
    v_text=$(grep -E '^(YES|NO): ' "$OUT_FILE" | grep -o -E 'version [0-9]+' | head -n 1 | cut -d' ' -f2)
    [ -n "$a_text" ] && [ -n "$v_text" ] || fail "$dir: no YES/NO line in the text form"
    run "$SCOPEREG" verify --proof "$dir" --json
    [ "$RC" -eq "$rc_text" ] || fail "$dir: exit $RC with --json, $rc_text without"
    jcheck "$(basename "$dir"): text and JSON agree: $a_text, version $v_text, exit $RC" "$dir" "
assert J['in_force']['version'] == $v_text, (J['in_force']['version'], $v_text)
assert J['in_scope'] == ('$a_text' == 'YES'), (J['in_scope'], '$a_text')"
}

echo "# presence: PC-00100, added at version 2, asked at 2026-02-15 (version 2 in force)"
expect_ok sr prove PC-00100 --at 2026-02-15 -o "$WORK/yes"
# the folder excludes a later version (version 3 is dated after the date
# asked and agreed in it): VERIFY.txt says so instead of "cannot exclude",
# in every language, and its commands still print what it says
tr '\n' ' ' <"$WORK/yes/VERIFY.txt" | grep -q "No version after version 2 can have been agreed by 2026-02-15T23:59:59Z: version 3, whose checkpoint both parties signed, is dated" ||
    fail "VERIFY.txt does not say that version 3 excludes a later agreement: $(grep -n -A3 '^No version\|^The folder cannot' "$WORK/yes/VERIFY.txt")"
grep -q '^The folder cannot exclude' "$WORK/yes/VERIFY.txt" && fail "VERIFY.txt says both that it can and cannot exclude a later version"
verify_txt_holds "$WORK/yes" "VERIFY.txt commands"
r=$VERIFY_RUN
for l in fr de it; do
    expect_ok sr prove PC-00100 --at 2026-02-15 -o "$WORK/yes-$l" --lang $l
    grep -q "can have been agreed" "$WORK/yes-$l/VERIFY.txt" && fail "English left in the $l text"
    case $l in fr) w="Aucune version après la version 2" ;; de) w="Keine Version nach Version 2" ;;
        it) w="Nessuna versione dopo la versione 2" ;; esac
    grep -q "^$w" "$WORK/yes-$l/VERIFY.txt" || fail "the $l VERIFY.txt does not say a later version is excluded"
done
pass "VERIFY.txt says a later agreed version excludes another by the date, in en, fr, de and it: $r"
before=$(tree_sha "$WORK/yes")
expect_ok "$SCOPEREG" verify --proof "$WORK/yes" --json
[ ! -s "$ERR_FILE" ] || fail "stderr is not empty: $(head -n 2 "$ERR_FILE")"
pass "nothing on stderr"
[ "$(wc -l <"$OUT_FILE")" -eq 1 ] || fail "one line expected on stdout"
json_ok "presence"
jcheck "presence: the question, as proof.txt asks it" "$WORK/yes" "
assert J['source'] == 'proof'
assert J['folder'] == D
assert J['register'] == P['register'] and len(J['register']) == 32
assert J['contract'] == 'ACME-JSON'
assert J['id'] == 'PC-00100'
assert J['date'] == '2026-02-15T23:59:59Z' == P['at']
assert J['holds'] is True and J['error'] is None"
jcheck "presence: in scope at version 2, its dates and signatures" "$WORK/yes" "
assert J['in_scope'] is True
f = J['in_force']
assert f['version'] == 2 == int(P['version'])
cp = open(D + '/' + P['checkpoint'], encoding='utf-8').read()
assert 'date: ' + f['date'] + '\n' in cp and f['date'] == '2026-02-01T09:00:00Z', f['date']
assert f['agreed_at'] == P['agreed'] == '2026-02-03T09:00:00Z', f['agreed_at']
s = f['signatures']
assert [x['role'] for x in s] == ['provider', 'client'], s
assert s[0]['key_id'] == PID and s[1]['key_id'] == CID, s
assert s[0]['document_signed'] == '2026-02-02T09:00:00Z', s[0]
assert s[1]['document_signed'] == '2026-02-03T09:00:00Z', s[1]
for x in s:
    assert x['signed'] >= x['document_signed'], x"
jcheck "presence: item.txt at proof.txt's index, tree size" "$WORK/yes" "
L = J['leaves']
assert len(L) == 1, L
assert L[0] == {'file': 'item.txt', 'kind': 'item', 'index': int(P['index']), 'id': 'PC-00100'}, L
assert J['tree_size'] == int(P['tree-size']) == 50, J['tree_size']"
jcheck "presence: versions 1 to 3 held, version 3 signed by both excludes a later one" "$WORK/yes" "
assert J['folder_versions'] == [1, 3], J['folder_versions']
assert J['later_versions_excluded'] is True
assert J['later_versions'] == [{'version': 3, 'agreed_at': '2026-03-03T09:00:00Z',
                                'signatures_held': ['provider', 'client']}], J['later_versions']"
jcheck "presence: the keys to compare with what the parties acknowledged" "$WORK/yes" "
K = sorted((k['role'], k['key_id'], k['file']) for k in J['keys'])
assert K == [('client', CID, 'ACME-JSON.client.pub'), ('provider', PID, 'ACME-JSON.provider.pub')], K
for k in J['keys']:
    assert os.path.isfile(D + '/' + k['file']), k"
[ "$(tree_sha "$WORK/yes")" = "$before" ] || fail "verify --proof --json changed the folder"
pass "verify --proof --json wrote nothing in the folder"
text_agrees "$WORK/yes"
run "$SCOPEREG" verify --proof "$WORK/yes"
expect_stdout_lacks "cannot exclude"

echo "# absence between two items: PC-00011, between PC-00010 and PC-00012"
expect_exit 1 sr prove PC-00011 --at 2026-02-15 -o "$WORK/no"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/no" --json
[ ! -s "$ERR_FILE" ] || fail "stderr is not empty: $(head -n 2 "$ERR_FILE")"
json_ok "absence"
jcheck "absence: not in scope, before.txt and after.txt adjacent, with their ids" "$WORK/no" "
assert J['holds'] is True and J['error'] is None
assert J['id'] == 'PC-00011' and J['in_scope'] is False
assert J['in_force']['version'] == 2
L = J['leaves']
assert [(x['file'], x['kind'], x['id']) for x in L] == [('before.txt', 'before', 'PC-00010'),
                                                     ('after.txt', 'after', 'PC-00012')], L
idx = [int(l.split(': ')[1]) for l in open(D + '/proof.txt').read().split('\n') if l.startswith('index: ')]
assert [x['index'] for x in L] == idx and idx[1] == idx[0] + 1, (L, idx)
for x in L:
    assert open(D + '/' + x['file']).readline() == 'item: ' + x['id'] + '\n', x
assert J['tree_size'] == 50"
text_agrees "$WORK/no"

echo "# absence of PC-00014, removed at version 2 (present at version 1)"
expect_exit 1 sr prove PC-00014 --at 2026-02-15 -o "$WORK/removed"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/removed" --json
jcheck "removed: not in scope at version 2, between PC-00012 and PC-00016" "$WORK/removed" "
assert J['in_scope'] is False and J['in_force']['version'] == 2
assert [x['id'] for x in J['leaves']] == ['PC-00012', 'PC-00016'], J['leaves']"
expect_ok sr prove PC-00014 --at 2026-01-15 -o "$WORK/removed-v1"
expect_ok "$SCOPEREG" verify --proof "$WORK/removed-v1" --json
jcheck "removed: in scope at version 1, versions 2 and 3 later" "$WORK/removed-v1" "
assert J['in_scope'] is True and J['in_force']['version'] == 1
assert J['leaves'][0]['id'] == 'PC-00014' and J['leaves'][0]['index'] == int(P['index'])
assert J['tree_size'] == 50
assert [x['version'] for x in J['later_versions']] == [2, 3], J['later_versions']
assert J['later_versions_excluded'] is True"
text_agrees "$WORK/removed-v1"

echo "# a folder cut short, and a later checkpoint signed by one party only"
t="$WORK/t-trunc"; cp -r "$WORK/yes" "$t"; rm "$t"/ACME-JSON-v3.*
expect_ok "$SCOPEREG" verify --proof "$t" --json
jcheck "cut short: versions 1 to 2, a later version not excluded" "$t" "
assert J['in_scope'] is True and J['in_force']['version'] == 2
assert J['folder_versions'] == [1, 2], J['folder_versions']
assert J['later_versions_excluded'] is False
assert J['later_versions'] == []"
run "$SCOPEREG" verify --proof "$t"
expect_stdout_contains "this holds as far as versions 1 to 2 of this folder show"
t="$WORK/t-onesig"; cp -r "$WORK/yes" "$t"; rm "$t"/ACME-JSON-v3.checkpoint.client.minisig
expect_ok "$SCOPEREG" verify --proof "$t" --json
jcheck "one signature: version 3 not agreed in the folder, provider's held" "$t" "
assert J['folder_versions'] == [1, 3]
assert J['later_versions_excluded'] is False
assert J['later_versions'] == [{'version': 3, 'agreed_at': None,
                                'signatures_held': ['provider']}], J['later_versions']"
run "$SCOPEREG" verify --proof "$t"
expect_stdout_contains "  version 3: this folder holds no client signature of its checkpoint"
expect_stdout_contains "the folder cannot exclude one"

echo "# a changed byte in item.txt: the proof does not hold"
t="$WORK/t-item"; cp -r "$WORK/yes" "$t"
sed -i 's/^  name: Poste-00100$/  name: Poste-00101/' "$t/item.txt"
cmp -s "$t/item.txt" "$WORK/yes/item.txt" && fail "sed changed nothing in item.txt"
[ "$(cmp -l "$t/item.txt" "$WORK/yes/item.txt" | wc -l)" -eq 1 ] || fail "one byte should differ"
before=$(tree_sha "$t")
expect_exit 1 "$SCOPEREG" verify --proof "$t" --json
expect_one_error_line
expect_stderr_contains "error: the proof does not hold: item.txt"
json_ok "changed item.txt"
MSG=$(sed -n 's/^error: the proof does not hold: //p' "$ERR_FILE")
jcheck "changed item.txt: holds false, the error names item.txt, no answer" "$t" "
assert J['holds'] is False
assert J['error'] == MSG and J['error'].startswith('item.txt: '), J['error']
assert J['id'] == 'PC-00100' and J['register'] == P['register'] and J['folder'] == D
for k in ('in_scope', 'in_force', 'leaves', 'tree_size', 'folder_versions',
          'later_versions_excluded', 'later_versions', 'keys'):
    assert k in J and J[k] is None, k"
[ "$(tree_sha "$t")" = "$before" ] || fail "verify --proof --json changed the folder"
pass "nothing written in the changed folder"
expect_exit 1 "$SCOPEREG" verify --proof "$t"
expect_stdout_empty
t="$WORK/t-parse"; cp -r "$WORK/yes" "$t"; sed -i 's/^leaves: 1$/leaves: x/' "$t/proof.txt"
expect_exit 1 "$SCOPEREG" verify --proof "$t" --json
expect_stderr_contains "error: the proof does not hold: proof.txt: line 12: "
MSG=$(sed -n 's/^error: the proof does not hold: //p' "$ERR_FILE")
jcheck "proof.txt that does not parse: holds false, the question null" "$t" "
assert J['holds'] is False and J['error'] == MSG and J['folder'] == D
for k in ('register', 'contract', 'id', 'date', 'in_scope', 'in_force', 'leaves', 'keys'):
    assert J[k] is None, k"

echo "# not a proof folder: exit 2, nothing on stdout"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/nowhere" --json
expect_stdout_empty
expect_stderr_contains "is not a directory: not a proof folder"
mkdir "$WORK/noproof"; cp "$WORK/yes/item.txt" "$WORK/noproof/"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/noproof" --json
expect_stdout_empty
expect_stderr_contains "holds no proof.txt: not a proof folder"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/yes" --documents "$WORK/yes" --json
expect_stdout_empty
expect_stderr_contains "--proof DIR and --documents DIR are two questions: give one of them"

echo "# the JSON is the same in French"
if [ -n "${SCOPEREG_LOCALEDIR:-}" ] && [ -d "$SCOPEREG_LOCALEDIR" ]; then
    FR=(env -u LC_ALL -u LC_MESSAGES -u LANG LANGUAGE=fr)
    "$SCOPEREG" verify --proof "$WORK/yes" --json >"$WORK/en.json"
    "${FR[@]}" "$SCOPEREG" verify --proof "$WORK/yes" --json >"$WORK/fr.json"
    expect_exit 0 "${FR[@]}" "$SCOPEREG" verify --proof "$WORK/yes"
    expect_stdout_contains "OUI : PC-00100"
    cmp -s "$WORK/en.json" "$WORK/fr.json" || fail "the JSON differs in French: $(diff "$WORK/en.json" "$WORK/fr.json" | head -c 400)"
    pass "the JSON is byte for byte the same in French"
else
    echo "SKIP: \$SCOPEREG_LOCALEDIR does not name the built catalogues: French not compared"
fi
done_checks
