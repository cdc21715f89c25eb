#!/usr/bin/env bash
# t_prove.sh - 'scopereg prove' and 'verify --proof' on a register of 10,000
# items and 5 versions (items added, modified, removed, each version built
# by 'import --sync --commit' and signed by both parties, checkpoints
# included). Presence, absence between two items, at both edges and of an
# item removed at the version asked about: each folder holds what
# docs/FORMAT.md says and no other item's id or name; verify --proof
# answers (exit 0 yes, 1 no); every command of VERIFY.txt, run literally in
# bash from the folder, prints exactly what VERIFY.txt says; an independent
# RFC 9162 implementation (python3 hashlib) over the version's document
# gives the same root, index and audit path as proof.txt. A byte changed in
# the item block, the audit path, a checkpoint or a signature makes both
# verify --proof (exit 1, naming the file) and the VERIFY.txt steps fail.
# Refusals write nothing: no version agreed by the date, a version whose
# documents were agreed with no checkpoint (a register signed before
# checkpoints), a non-empty folder. verify --proof on what is not a proof
# folder: exit 2. --lang fr, de and it: OUI/NON, JA/NEIN, SÌ/NO, the same commands.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is absent"
command -v minisign >/dev/null 2>&1 || skip "minisign is absent"
command -v b2sum >/dev/null 2>&1 || skip "b2sum (GNU coreutils) is absent"
"$SCOPEREG" help prove >/dev/null 2>&1 || fail "scopereg has no prove command"

N=${PROVE_ITEMS:-10000}
parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-PROOF

# fleet V: the CSV of version V. Ids PC-00000, PC-00002, ... (even numbers
# only: odd ones are never items); each version adds, renames and drops
# some, so that the five versions differ.
fleet() {
    awk -v n="$N" -v v="$1" 'BEGIN {
        print "Asset Tag,Type,Nom,Serial"
        for (i = 0; i < n + 100 * (v - 1); i++) {
            if (v >= 3 && i % 100 == 7) continue          # removed at v3 (i >= n: added at v2..)
            if (v >= 5 && i % 97 == 3) continue           # removed at v5
            rev = (i % 211 == 5 && v >= 2) ? v : 1         # renamed at each version
            printf "PC-%05d,%s,Poste-%05d-r%d,SN%07d\n", 2 * i, (i % 5 ? "poste" : "serveur"), 2 * i, rev, i
        }
    }'
}
# Versions 1 to 5, committed and signed on the first days of months 1 to 5.
for v in 1 2 3 4 5; do
    fleet $v >"$WORK/fleet-v$v.csv"
    if [ $v -eq 1 ]; then
        SCOPEREG_NOW=2026-0$v-01T09:00:00Z sr_ok import "$WORK/fleet-v$v.csv" --source fleet \
            --commit -m "v$v" --author jm
    else
        SCOPEREG_NOW=2026-0$v-01T09:00:00Z sr_ok import "$WORK/fleet-v$v.csv" --source fleet \
            --sync --reason retired --commit -m "v$v" --author jm
    fi
    SCOPEREG_NOW=2026-0$v-02T09:00:00Z sr_ok sign $v --key "$K/provider.key"
    SCOPEREG_NOW=2026-0$v-03T09:00:00Z sr_ok sign $v --key "$K/client.key"
done
export SCOPEREG_NOW=2026-06-01T09:00:00Z
expect_ok sr verify
[ "$(sqlite3 "$REG" 'SELECT count(*) FROM version')" = 5 ] || fail "5 versions expected"
pass "register of 5 versions, every one agreed with its checkpoint"
sr show 3 >"$WORK/v3.scope"
V3_ITEMS=$(grep -c '^item: ' "$WORK/v3.scope")
[ "$V3_ITEMS" -gt 9000 ] || fail "version 3 has $V3_ITEMS items"
# every id and every name any version ever held
cat "$WORK"/fleet-v*.csv | grep -v '^Asset' | cut -d, -f1 | sort -u >"$WORK/all-ids"
cat "$WORK"/fleet-v*.csv | grep -v '^Asset' | cut -d, -f3 | sort -u >"$WORK/all-names"

# tree_sha DIR: one hash of every file's name, kind and bytes under DIR.
tree_sha() {
    (cd "$1" && find . -printf '%p %y\n' | LC_ALL=C sort &&
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-64
}


# rfc_check DIR DOC: RFC 9162 (MTH, PATH) in python3 over the item blocks
# of DOC agrees with proof.txt: tree size, root, each leaf's index, hash
# and path, and the leaf files are those blocks.
rfc_check() {
    python3 - "$1" "$2" <<'EOF'
import hashlib, sys
d, doc = sys.argv[1], sys.argv[2]
text = open(doc, "rb").read()
# blocks are separated by a blank line; the item blocks start with "item: "
leaves = [b + b"\n" for b in text.split(b"\n\n") if b.startswith(b"item: ")]
H = lambda b: hashlib.blake2b(b, digest_size=32).digest()
lh = [H(b"\x00" + l) for l in leaves]
def mth(lo, hi):
    if hi - lo == 0: return H(b"")
    if hi - lo == 1: return lh[lo]
    k = 1
    while k * 2 < hi - lo: k *= 2
    return H(b"\x01" + mth(lo, lo + k) + mth(lo + k, hi))
def path(m, lo, hi):
    if hi - lo <= 1: return []
    k = 1
    while k * 2 < hi - lo: k *= 2
    if m < lo + k: return path(m, lo, lo + k) + [mth(lo + k, hi)]
    return path(m, lo + k, hi) + [mth(lo, lo + k)]
p = open(d + "/proof.txt").read().split("\n")
f = dict(l.split(": ", 1) for l in p[1:13])
assert int(f["tree-size"]) == len(leaves), ("size", f["tree-size"], len(leaves))
assert f["root"] == mth(0, len(leaves)).hex(), "root"
assert p[12].startswith("made: "), "made: is line 13"
i, n = 13, 0
while p[i] == "" and p[i + 1].startswith("leaf: "):
    name = p[i + 1][6:]; idx = int(p[i + 2][7:]); h = p[i + 3][6:]; ln = int(p[i + 4][13:])
    got = [x[6:] for x in p[i + 5: i + 5 + ln]]
    assert open(d + "/" + name, "rb").read() == leaves[idx], ("leaf bytes", name)
    assert h == lh[idx].hex(), ("leaf hash", name)
    assert got == [x.hex() for x in path(idx, 0, len(leaves))], ("path", name)
    i += 5 + ln; n += 1
assert int(f["leaves"]) == n
print("rfc9162 agrees: %d leaves of %d" % (n, len(leaves)))
EOF
}

# discloses DIR ALLOWED...: no id or name of the fleet but the ALLOWED ids
# (and their names) appears in any file of DIR.
discloses_only() {
    local dir=$1 pat="$WORK/.patterns"
    shift
    cp "$WORK/all-ids" "$pat.ids"
    local a
    for a in "$@"; do
        grep -v -x -F "$a" "$pat.ids" >"$pat.tmp"; mv "$pat.tmp" "$pat.ids"
    done
    local allowed_names=""
    for a in "$@"; do allowed_names+="Poste-${a#PC-}-"$'\n'; done
    if [ $# -gt 0 ]; then
        printf '%s' "$allowed_names" | grep . >"$pat.allowed"
        grep -v -F -f "$pat.allowed" "$WORK/all-names" >"$pat.names"
    else
        cp "$WORK/all-names" "$pat.names"
    fi
    cat "$pat.ids" "$pat.names" >"$pat"
    if grep -r -F -l -f "$pat" "$dir" >"$pat.hits"; then
        fail "$dir holds another item's id or name: $(head -n 3 "$pat.hits") ($(grep -r -F -o -h -f "$pat" "$dir" | head -n 3 | tr '\n' ' '))"
    fi
    pass "$(basename "$dir"): no other item's id or name in any file ($(wc -l <"$pat") checked)"
}

echo "# presence: PC-04242 at 2026-03-15 (version 3 in force)"
expect_ok sr prove PC-04242 --at 2026-03-15 -o "$WORK/yes"
expect_stdout_contains "PC-04242 was in scope at 2026-03-15T23:59:59Z: version 3 lists it"
ls "$WORK/yes" >"$WORK/yes.ls"
for f in proof.txt item.txt VERIFY.txt ACME-PROOF.provider.pub ACME-PROOF.client.pub \
    ACME-PROOF-v1.checkpoint ACME-PROOF-v5.checkpoint ACME-PROOF-v3.checkpoint.provider.minisig \
    ACME-PROOF-v3.checkpoint.client.minisig ACME-PROOF-v5.checkpoint.client.minisig; do
    grep -q -x -F "$f" "$WORK/yes.ls" || fail "the folder lacks $f"
done
[ "$(wc -l <"$WORK/yes.ls")" -eq 20 ] || fail "20 files expected, got $(wc -l <"$WORK/yes.ls")"
pass "presence folder: proof.txt, item.txt, 5 checkpoints and 10 signatures, 2 keys, VERIFY.txt"
grep -q '^answer: yes$' "$WORK/yes/proof.txt" && grep -q '^version: 3$' "$WORK/yes/proof.txt" ||
    fail "proof.txt: answer yes, version 3 expected"
pass "proof.txt says yes at version 3"
cmp -s "$WORK/yes/item.txt" <(awk '/^item: PC-04242$/ {p = 1} p && /^$/ {exit} p' "$WORK/v3.scope") ||
    fail "item.txt is not the block of version 3's document"
pass "item.txt is the item block of version 3's document, byte for byte"
expect_ok "$SCOPEREG" verify --proof "$WORK/yes"
expect_stdout_contains "YES: PC-04242 was in scope at 2026-03-15T23:59:59Z: version 3 lists it"
expect_stdout_contains "version 4 was not in force then: both parties signed its document only 2026-04-03T09:00:00Z, as its checkpoint signatures state"
verify_txt_holds "$WORK/yes" "VERIFY.txt commands"
pass "every command of VERIFY.txt prints what it says: $VERIFY_RUN"
grep -q '^Answer: YES\.$' "$WORK/yes/VERIFY.txt" || fail "VERIFY.txt does not answer YES"
pass "VERIFY.txt answers YES"
r=$(rfc_check "$WORK/yes" "$WORK/v3.scope") || fail "RFC 9162 check: $r"
pass "$r"
discloses_only "$WORK/yes" PC-04242
size=$(cat "$WORK/yes"/* | wc -c)
echo "# presence folder: $size bytes in all"

echo "# absence: PC-04243 (no such item), between PC-04242 and PC-04244"
expect_exit 1 sr prove PC-04243 --at 2026-03-15 -o "$WORK/no"
expect_stdout_contains "PC-04243 was not in scope at 2026-03-15T23:59:59Z"
expect_stdout_contains "it discloses the two neighbouring items in full (before.txt, after.txt)"
[ -f "$WORK/no/before.txt" ] && [ -f "$WORK/no/after.txt" ] && [ ! -e "$WORK/no/item.txt" ] ||
    fail "before.txt and after.txt expected, no item.txt"
head -n 1 "$WORK/no/before.txt" | grep -q -x 'item: PC-04242' &&
    head -n 1 "$WORK/no/after.txt" | grep -q -x 'item: PC-04244' || fail "wrong neighbours"
pass "the neighbours are PC-04242 and PC-04244"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/no"
expect_stdout_contains "NO: PC-04243 was not in scope at 2026-03-15T23:59:59Z: in version 3 the items at indices"
verify_txt_holds "$WORK/no" "VERIFY.txt commands"
pass "absence: every command of VERIFY.txt prints what it says: $VERIFY_RUN"
grep -q '^Answer: NO\.$' "$WORK/no/VERIFY.txt" || fail "VERIFY.txt does not answer NO"
pass "VERIFY.txt answers NO"
r=$(rfc_check "$WORK/no" "$WORK/v3.scope") || fail "RFC 9162 check: $r"
pass "$r"
discloses_only "$WORK/no" PC-04242 PC-04244

echo "# absence of an item removed at version 3 (PC-00014, i = 7), present at version 2"
expect_exit 1 sr prove PC-00014 --at 2026-03-15 -o "$WORK/removed"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/removed"
expect_stdout_contains "NO: PC-00014 was not in scope"
discloses_only "$WORK/removed" PC-00014 PC-00012 PC-00016
expect_ok sr prove PC-00014 --at 2026-02-15 -o "$WORK/removed-v2"
expect_ok "$SCOPEREG" verify --proof "$WORK/removed-v2"
expect_stdout_contains "YES: PC-00014 was in scope at 2026-02-15T23:59:59Z: version 2 lists it"
sr show 2 >"$WORK/v2.scope"
r=$(rfc_check "$WORK/removed-v2" "$WORK/v2.scope") || fail "RFC 9162 check: $r"
pass "$r"

echo "# absence at both edges"
expect_exit 1 sr prove AAA-1 --at 2026-03-15 -o "$WORK/first"
[ -f "$WORK/first/after.txt" ] && [ ! -e "$WORK/first/before.txt" ] || fail "after.txt only expected"
grep -A1 '^leaf: after.txt' "$WORK/first/proof.txt" | grep -q '^index: 0$' || fail "after.txt at index 0"
pass "before the first item: after.txt only, at index 0"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/first"
expect_stdout_contains "it sorts before the first item"
verify_txt_holds "$WORK/first" "VERIFY.txt commands"
pass "first edge: every command of VERIFY.txt prints what it says"
discloses_only "$WORK/first" PC-00000
expect_exit 1 sr prove ZZZ-9 --at 2026-03-15 -o "$WORK/last"
[ -f "$WORK/last/before.txt" ] && [ ! -e "$WORK/last/after.txt" ] || fail "before.txt only expected"
grep -A1 '^leaf: before.txt' "$WORK/last/proof.txt" | grep -q "^index: $((V3_ITEMS - 1))$" ||
    fail "before.txt at the last index"
pass "after the last item: before.txt only, at index $((V3_ITEMS - 1))"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/last"
expect_stdout_contains "it sorts after the last item"
verify_txt_holds "$WORK/last" "VERIFY.txt commands"
pass "last edge: every command of VERIFY.txt prints what it says"
r=$(rfc_check "$WORK/last" "$WORK/v3.scope") || fail "RFC 9162 check: $r"
pass "$r"
last_id=$(head -n 1 "$WORK/last/before.txt" | cut -c7-)
discloses_only "$WORK/last" "$last_id"

echo "# a changed byte: verify --proof and VERIFY.txt both fail"
# tamper NAME SED WORD: a copy of the presence folder with SED applied to
# NAME; verify --proof exits 1 naming WORD, and some VERIFY.txt step fails.
tamper() {
    local name=$1 expr=$2 word=$3 t="$WORK/t-$RANDOM"
    cp -r "$WORK/yes" "$t"
    sed -i "$expr" "$t/$name"
    cmp -s "$t/$name" "$WORK/yes/$name" && fail "sed '$expr' changed nothing in $name"
    expect_exit 1 "$SCOPEREG" verify --proof "$t"
    expect_stderr_contains "the proof does not hold: "
    expect_stderr_contains "$word"
    verify_txt_fails "$t" "after changing $name"
    pass "$name changed: VERIFY.txt steps fail ($VERIFY_RUN)"
}
tamper item.txt 's/kind: workstation/kind: workstatioN/; s/kind: server/kind: serveR/' "item.txt: its leaf hash is"
tamper proof.txt '0,/^path: [0-9a-e]/s//path: f/' "proof.txt: lines"
tamper proof.txt '0,/^path: /{s/^\(path: .\{63\}\)0$/\11/;t;s/^\(path: .\{63\}\).$/\10/}' "proof.txt: lines"
tamper ACME-PROOF-v3.checkpoint 's/^items: \(.*\)/items: 1\1/' "ACME-PROOF-v3.checkpoint"
tamper ACME-PROOF-v2.checkpoint 's/^document: blake2b-256:0/document: blake2b-256:1/;t;s/^document: blake2b-256:./document: blake2b-256:0/' "ACME-PROOF-v2.checkpoint"
tamper ACME-PROOF-v3.checkpoint.client.minisig '2s/^\(.....\)A/\1B/;t;2s/^\(.....\)./\1A/' "ACME-PROOF-v3.checkpoint.client.minisig"
tamper ACME-PROOF-v1.checkpoint.provider.minisig '4s/^\(....\)B/\1C/;t;4s/^\(....\)./\1B/' "ACME-PROOF-v1.checkpoint.provider.minisig"
# an absence whose indices the VERIFY.txt steps would read otherwise than
# a reader sees them: before.txt's index: line moved out of its section
# (the loop would take no index, as index 0), or shifted by one; each
# makes a step print something else, and verify --proof refuses it
for how in moved shifted; do
    t="$WORK/t-index-$how"
    cp -r "$WORK/no" "$t"
    python3 - "$t/proof.txt" "$how" <<'PYEOF'
import re, sys
p, how = sys.argv[1], sys.argv[2]
s = open(p).read()
i = s.index("leaf: before.txt\n")
m = re.compile(r"index: (\d+)\n").search(s, i)
if how == "moved":  # out of the section: after the blank line that ends it
    s = s[:m.start()] + s[m.end():]
    j = s.index("\n\n", i) + 2
    s = s[:j] + m.group(0) + s[j:]
else:
    s = s[:m.start()] + "index: %d\n" % (int(m.group(1)) - 1) + s[m.end():]
open(p, "w").write(s)
PYEOF
    cmp -s "$t/proof.txt" "$WORK/no/proof.txt" && fail "proof.txt unchanged ($how)"
    expect_exit 1 "$SCOPEREG" verify --proof "$t"
    expect_stderr_contains "the proof does not hold: "
    verify_txt_fails "$t" "with before.txt's index $how"
    pass "before.txt's index $how: verify --proof refuses, VERIFY.txt steps fail ($VERIFY_RUN)"
done
# a checkpoint of a later version taken away: the chain stops short of it,
# the folder no longer holds what the proof says about version 4
t="$WORK/t-missing"; cp -r "$WORK/yes" "$t"; rm "$t/ACME-PROOF-v2.checkpoint"
expect_exit 1 "$SCOPEREG" verify --proof "$t"
expect_stderr_contains "ACME-PROOF-v2.checkpoint is missing"

echo "# --lang fr and de: the same commands, the answer in the language"
expect_exit 1 sr prove PC-04243 --at 2026-03-15 -o "$WORK/no-fr" --lang fr
grep -q '^Réponse :  NON\.$' "$WORK/no-fr/VERIFY.txt" || fail "no NON in the French text"
pass "French: NON"
verify_txt_holds "$WORK/no-fr" "French VERIFY.txt"
pass "French: every command prints what it says"
expect_ok sr prove PC-04242 --at 2026-03-15 -o "$WORK/yes-de" --lang de
grep -q '^Antwort: JA\.$' "$WORK/yes-de/VERIFY.txt" || fail "no JA in the German text"
diff <(grep '^  [$>] ' "$WORK/yes/VERIFY.txt" | grep -v minisign) \
    <(grep '^  [$>] ' "$WORK/yes-de/VERIFY.txt" | grep -v minisign) >/dev/null ||
    fail "the German commands differ from the English ones"
pass "German: JA, and the same commands as in English"
expect_ok sr prove PC-04242 --at 2026-03-15 -o "$WORK/yes-it" --lang it
grep -q '^Risposta: SÌ\.$' "$WORK/yes-it/VERIFY.txt" || fail "no SÌ in the Italian text"
verify_txt_holds "$WORK/yes-it" "Italian VERIFY.txt"
diff <(grep '^  [$>] ' "$WORK/yes/VERIFY.txt" | grep -v minisign) \
    <(grep '^  [$>] ' "$WORK/yes-it/VERIFY.txt" | grep -v minisign) >/dev/null ||
    fail "the Italian commands differ from the English ones"
pass "Italian: SÌ, every command prints what it says, the same commands as in English"
grep -q "^proof.txt e questo testo non sono firmati" "$WORK/yes-it/VERIFY.txt" ||
    fail "the Italian VERIFY.txt does not say proof.txt is unsigned"
pass "the Italian VERIFY.txt says that proof.txt is not signed"
for f in proof.txt item.txt ACME-PROOF-v3.checkpoint; do
    cmp -s "$WORK/yes/$f" "$WORK/yes-de/$f" || fail "$f differs with --lang de"
    cmp -s "$WORK/yes/$f" "$WORK/yes-it/$f" || fail "$f differs with --lang it"
done
pass "every file but VERIFY.txt is the same whatever the language"
# no English sentence left outside the command lines: the English words of
# the answer, the disclosure, the files and the section titles (found in
# the English text, so that the check can fail)
english='^(Asked|Answer|Disclosed|Files):|Version [0-9]+ was (not )?in force|HOW TO CHECK|THE (ANSWER|KEYS|CHAIN|SIGNATURES|EMPTY TREE|NEIGHBOURS)|WITH SCOPEREG|checks all of the above'
[ "$(grep -v '^  [$>] ' "$WORK/yes/VERIFY.txt" | grep -c -E "$english")" -ge 6 ] ||
    fail "the English words are not found in the English VERIFY.txt"
for d in no-fr yes-de yes-it; do
    if grep -v '^  [$>] ' "$WORK/$d/VERIFY.txt" | grep -E "$english" >"$WORK/left"; then
        fail "$d/VERIFY.txt holds English text: $(head -n 3 "$WORK/left")"
    fi
done
pass "no English sentence in the French, German and Italian VERIFY.txt"
sha=$(sha_of "$REG")
expect_exit 2 sr prove PC-04242 --at 2026-03-15 -o "$WORK/yes-es" --lang es
expect_stderr_contains "error: --lang 'es': scopereg writes a proof's VERIFY.txt in en, fr, de and it"
[ ! -e "$WORK/yes-es" ] || fail "prove --lang es wrote a folder"
expect_same_sha "$REG" "$sha" "after prove --lang es"

echo "# refusals write nothing"
sha=$(sha_of "$REG")
refused -m "no version agreed by the date" 1 "no version was agreed by both parties by 2026-01-01" \
    -- sr prove PC-04242 --at 2026-01-01 -o "$WORK/none"
[ ! -e "$WORK/none" ] || fail "a folder was written"
refused -m "a folder that is not empty" 2 "not empty" -- sr prove PC-04242 --at 2026-03-15 -o "$WORK/yes"
refused -m "an invalid id" 2 "ID" -- sr prove $'PC\x01' -o "$WORK/bad"
expect_same_sha "$REG" "$sha" "after the refusals"
# a register signed before checkpoints: documents agreed, no checkpoint
cp "$REG" "$WORK/old.db"
sqlite3 "$WORK/old.db" 'DROP TABLE checkpoint_signature'
sha=$(sha_of "$WORK/old.db")
refused -f "$WORK/old.db" -m "documents agreed, no checkpoint" 1 "version 1 has no checkpoint agreed by both parties" \
    "'scopereg sign 1'" "cosign" -- "$SCOPEREG" -R "$WORK/old.db" prove PC-04242 --at 2026-03-15 -o "$WORK/old"
[ ! -e "$WORK/old" ] || fail "a folder was written"
pass "nothing written for a register signed before checkpoints"

echo "# a proof.txt that cannot be read"
# a proof.txt that cannot be read: the message names it and says why (the
# reason is formatted from a copy of the message, never from itself)
mkdir "$WORK/fifo" "$WORK/dirproof"
mkfifo "$WORK/fifo/proof.txt" || fail "mkfifo"
mkdir "$WORK/dirproof/proof.txt"
for d in fifo dirproof; do
    kind=FIFO; [ $d = dirproof ] && kind=directory
    before=$(tree_sha "$WORK/$d")
    refused -f "$REG" -m "proof.txt is a $kind" 2 \
        "error: proof.txt is a $kind, not a regular file; only regular files are read; not a proof folder" \
        -- timeout 10 "$SCOPEREG" verify --proof "$WORK/$d"
    [ "$(tree_sha "$WORK/$d")" = "$before" ] || fail "$d: the folder changed"
done
mkdir "$WORK/noproof"; cp "$WORK/yes/item.txt" "$WORK/noproof/"
before=$(tree_sha "$WORK/noproof")
refused -f "$WORK/noproof/item.txt" -m "no proof.txt" 2 \
    "error: $WORK/noproof holds no proof.txt: not a proof folder (scopereg prove writes one)" \
    -- "$SCOPEREG" verify --proof "$WORK/noproof"
[ "$(tree_sha "$WORK/noproof")" = "$before" ] || fail "noproof: the folder changed"

echo "# the folder answers as far as its versions show (review F1)"
# the honest folder holds versions 1 to 5: version 4, signed by both, is
# dated after the date asked, so no later version can have been agreed then
expect_ok "$SCOPEREG" verify --proof "$WORK/yes"
expect_stdout_contains "(item.txt); no later version can have been agreed by then: version 4, whose checkpoint both parties signed, is dated 2026-04-01T09:00:00Z"
expect_stdout_contains "  this folder holds the checkpoints of versions 1 to 5: the last, version 5, dated 2026-05-01T09:00:00Z, was agreed 2026-05-03T09:00:00Z"
expect_stdout_lacks "cannot exclude"
# the maker keeps versions 1 to 3 only and asks about 20 May, after
# version 4 and 5 were agreed: the answer is YES only as far as the folder
# shows, said on the YES line itself
t="$WORK/t-trunc"; cp -r "$WORK/yes" "$t"; rm "$t"/ACME-PROOF-v4.* "$t"/ACME-PROOF-v5.*
sed -i 's/^at: .*/at: 2026-05-20T00:00:00Z/' "$t/proof.txt"
before=$(tree_sha "$t")
expect_ok "$SCOPEREG" verify --proof "$t"
grep -q -x -F "YES: PC-04242 was in scope at 2026-05-20T00:00:00Z: version 3 lists it at index 2099 of $V3_ITEMS (item.txt); this holds as far as versions 1 to 3 of this folder show: a version after version 3 agreed by 2026-05-20T00:00:00Z would change the answer, and the folder cannot exclude one" "$OUT_FILE" ||
    fail "the YES line does not carry the limit: $(grep '^YES' "$OUT_FILE")"
pass "a truncated folder: YES carries on its own line that a later version cannot be excluded"
expect_stdout_contains "  this folder holds the checkpoints of versions 1 to 3: the last, version 3, dated 2026-03-01T09:00:00Z, was agreed 2026-03-03T09:00:00Z"
expect_stdout_contains "  2026-05-20T00:00:00Z is 77 days after that: nothing in the folder speaks of a version made since"
expect_stdout_contains "  to settle it, ask the other party for the latest checkpoint it countersigned: the answer stands unless a version after version 3 has both parties' checkpoint signatures stating document-signed: dates by 2026-05-20T00:00:00Z"
[ "$(tree_sha "$t")" = "$before" ] || fail "verify --proof changed the folder"
pass "verify --proof wrote nothing"
# a later checkpoint dated by the date asked with only one signature: it
# may have been agreed elsewhere, so the limit starts at the version in force
t="$WORK/t-onesig"; cp -r "$WORK/yes" "$t"; rm "$t"/ACME-PROOF-v5.* "$t"/ACME-PROOF-v4.checkpoint.client.minisig
sed -i 's/^at: .*/at: 2026-04-02T12:00:00Z/' "$t/proof.txt"
expect_ok "$SCOPEREG" verify --proof "$t"
expect_stdout_contains "(item.txt); this holds as far as versions 1 to 4 of this folder show: a version after version 3 agreed by 2026-04-02T12:00:00Z would change the answer, and the folder cannot exclude one"
expect_stdout_contains "has no checkpoint signed by both parties in it"
expect_stdout_contains "  version 4: this folder holds no client signature of its checkpoint"
expect_stdout_lacks "not agreed"

echo "# dates to come (review F6): prove refuses them, verify --proof too"
sha=$(sha_of "$REG")
refused -m "prove --at a date to come" 2 \
    "error: --at 2030-01-01T00:00:00Z is later than the clock (2026-06-01T09:00:00Z): no one can prove what will be in scope then; give a date up to now (nothing written)" \
    -- sr prove PC-04242 --at 2030-01-01T00:00:00Z -o "$WORK/future"
[ ! -e "$WORK/future" ] || fail "a folder was written for a date to come"
refused -m "prove --at one second beyond the clock skew" 2 "--at 2026-06-01T09:05:01Z is later than the clock" \
    -- sr prove PC-04242 --at 2026-06-01T09:05:01Z -o "$WORK/future"
[ ! -e "$WORK/future" ] || fail "a folder was written for a date to come"
expect_same_sha "$REG" "$sha" "after prove --at a date to come"
expect_ok sr prove PC-04242 --at 2026-06-01T09:05:00Z -o "$WORK/skew"
grep -q -x 'made: 2026-06-01T09:00:00Z' "$WORK/skew/proof.txt" || fail "made: is not the clock"
expect_ok "$SCOPEREG" verify --proof "$WORK/skew"
pass "within the clock skew: proved, made: is the clock, and it verifies"
# at: edited past made: (proof.txt is not signed): refused, exit 1
t="$WORK/t-late"; cp -r "$WORK/yes" "$t"
sed -i 's/^at: .*/at: 2026-07-01T00:00:00Z/' "$t/proof.txt"
before=$(tree_sha "$t")
refused -f "$t/proof.txt" -m "at: after made:" 1 \
    "error: the proof does not hold: proof.txt: line 5: at: 2026-07-01T00:00:00Z is later than made: 2026-06-01T09:00:00Z (line 13): a folder cannot show what was in scope after it was made" \
    -- "$SCOPEREG" verify --proof "$t"
# made: moved along with it, past the checker's clock: refused (a
# truncated folder, whose checkpoints say nothing against the date asked)
t="$WORK/t-made"; cp -r "$WORK/t-trunc" "$t"
sed -i 's/^at: .*/at: 2026-07-01T00:00:00Z/; s/^made: .*/made: 2026-07-02T00:00:00Z/' "$t/proof.txt"
before=$(tree_sha "$t")
refused -f "$t/proof.txt" -m "made: after the clock" 1 \
    "error: the proof does not hold: proof.txt: line 13: made: 2026-07-02T00:00:00Z is later than this computer's clock (2026-06-01T09:00:00Z) plus 300 seconds" \
    -- "$SCOPEREG" verify --proof "$t"
[ "$(tree_sha "$t")" = "$before" ] || fail "verify --proof changed the folder"
grep -q "^proof.txt and this text are not signed" "$WORK/yes/VERIFY.txt" || fail "VERIFY.txt does not say proof.txt is unsigned"
grep -q "^proof.txt et ce texte ne sont pas signés" "$WORK/no-fr/VERIFY.txt" || fail "the French VERIFY.txt does not say proof.txt is unsigned"
grep -q "^proof.txt und dieser Text sind nicht signiert" "$WORK/yes-de/VERIFY.txt" || fail "the German VERIFY.txt does not say proof.txt is unsigned"
pass "VERIFY.txt says, in en, fr and de, that proof.txt is not signed"


echo "# an empty version; checkpoints given after the date asked"
R2="$WORK/small.db"
SCOPEREG_NOW=2026-01-05T08:00:00Z sr_on "$R2" init --contract SMALL --provider P --provider-key "$PKEY" \
    --client C --client-key "$CKEY"
SCOPEREG_NOW=2026-01-06T08:00:00Z sr_on "$R2" add SRV-1 --kind server --name s
SCOPEREG_NOW=2026-01-06T08:00:00Z sr_on "$R2" commit -m one
SCOPEREG_NOW=2026-01-07T08:00:00Z sr_on "$R2" sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-07T09:00:00Z sr_on "$R2" sign 1 --key "$K/client.key"
SCOPEREG_NOW=2026-01-08T08:00:00Z sr_on "$R2" remove SRV-1 --reason gone
SCOPEREG_NOW=2026-01-08T08:00:00Z sr_on "$R2" commit -m two
SCOPEREG_NOW=2026-01-09T08:00:00Z sr_on "$R2" sign 2 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-09T09:00:00Z sr_on "$R2" sign 2 --key "$K/client.key"
expect_exit 1 "$SCOPEREG" -R "$R2" prove SRV-1 --at 2026-01-10 -o "$WORK/empty"
[ -f "$WORK/empty/proof.txt" ] && [ -z "$(ls "$WORK/empty" | grep -E '^(item|before|after)\.txt$')" ] ||
    fail "an empty version: no leaf file expected"
grep -q '^tree-size: 0$' "$WORK/empty/proof.txt" && grep -q '^leaves: 0$' "$WORK/empty/proof.txt" ||
    fail "tree-size 0 and leaves 0 expected"
pass "an empty version: proof.txt with no leaf, no leaf file"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/empty"
expect_stdout_contains "NO: SRV-1 was not in scope at 2026-01-10T23:59:59Z: version 2 lists no item"
verify_txt_holds "$WORK/empty" "VERIFY.txt commands"
grep -q -x -F "  $ printf '' | b2sum -l 256" "$WORK/empty/VERIFY.txt" || fail "no empty-tree step"
pass "an empty version: every command of VERIFY.txt prints what it says, the root of nothing included"
expect_ok "$SCOPEREG" -R "$R2" prove SRV-1 --at 2026-01-07T10:00:00Z -o "$WORK/small-yes"
expect_ok "$SCOPEREG" verify --proof "$WORK/small-yes"
expect_stdout_contains "YES: SRV-1 was in scope at 2026-01-07T10:00:00Z: version 1 lists it at index 0 of 1"
verify_txt_holds "$WORK/small-yes" "VERIFY.txt commands"
pass "a tree of one leaf: its hash is the root"
# the same register signed before checkpoints, given its checkpoints on 1 February
cp "$R2" "$WORK/late.db"
sqlite3 "$WORK/late.db" 'DROP TABLE checkpoint_signature'
for v in 1 2; do
    SCOPEREG_NOW=2026-02-01T08:00:00Z sr_on "$WORK/late.db" sign $v --key "$K/provider.key"
    SCOPEREG_NOW=2026-02-01T09:00:00Z sr_on "$WORK/late.db" sign $v --key "$K/client.key"
done
# each checkpoint signature states when its party signed the document, so
# checkpoints given later still date the agreement: version 2 was in force
# on 10 January (its documents were agreed on 6 January)
expect_exit 1 "$SCOPEREG" -R "$WORK/late.db" prove SRV-1 --at 2026-01-10 -o "$WORK/late" # 1: not in scope
expect_stdout_contains "the scope in force was version 2 (0 items), agreed 2026-01-09T09:00:00Z (the later document signature its checkpoint signatures state)"
for role in provider client; do
    tc=$(grep '^trusted comment: ' "$WORK"/late/*-v2.checkpoint.$role.minisig)
    case $tc in
    *" signed:2026-02-01T0"*) ;;
    *) fail "the late $role checkpoint signature is not dated 1 February: $tc" ;;
    esac
    case $tc in
    *"document-signed:2026-02-01"*) fail "the late $role checkpoint signature states the checkpoint's date as the document's: $tc" ;;
    *"document-signed:2026-01-"*) ;;
    *) fail "the late $role checkpoint signature states no January document signature: $tc" ;;
    esac
done
pass "checkpoints signed on 1 February state the January document signatures"
expect_exit 1 "$SCOPEREG" verify --proof "$WORK/late"
expect_stdout_contains "NO: SRV-1 was not in scope at 2026-01-10T23:59:59Z: version 2 lists no item"
verify_txt_holds "$WORK/late" "VERIFY.txt commands"
pass "a folder of checkpoints signed later: every command of VERIFY.txt prints what it says"

echo "# prove and evidence without -o: exit 2, nothing written"
sha=$(sha_of "$R2")
expect_exit 2 "$SCOPEREG" -R "$R2" prove SRV-1
expect_stderr_contains "error: prove needs -o DIR"
expect_exit 2 "$SCOPEREG" -R "$R2" evidence SRV-1
expect_stderr_contains "error: evidence needs -o DIR"
expect_same_sha "$R2" "$sha" "prove and evidence without -o"

echo "# verify --proof on what is not a proof folder: exit 2"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/nowhere"
expect_stderr_contains "not a proof folder"
mkdir "$WORK/emptydir"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/emptydir"
expect_stderr_contains "holds no proof.txt"
cp "$PKEY" "$WORK/emptydir/proof.txt"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/emptydir"
expect_stderr_contains "proof.txt: line 1: expected 'scope-proof/1'"
expect_exit 2 "$SCOPEREG" verify --proof "$WORK/yes" --documents "$WORK/yes"
done_checks
