#!/usr/bin/env bash
# t_proof_loop.sh - the audit path loop of VERIFY.txt, as scopereg writes it,
# walks RFC 9162 2.1.3.2 for every tree shape. A register of 5 items agreed
# by both parties gives a real proof folder; its node() definition, leaf
# command, path loop and final check (echo $s; grep -c root) are read from
# that VERIFY.txt (never copied here). python3 builds trees of random leaves
# (every size 1 to 40 at every index; sizes 41 to 70, 2^k-1, 2^k and 2^k+1
# up to 1025, and 1000 at sampled indexes), computes MTH and PATH(m, D[n])
# of RFC 9162 2.1.3.1 on its own, writes each case as a folder (item.txt;
# proof.txt with the leaf's section, its index: line, between two other
# leaves'; a checkpoint holding items: and root:) and runs the commands in
# bash, which take i from proof.txt and s from the checkpoint: each line the
# loop prints is the node RFC 9162 puts there, the last the root, then 0 (s)
# and 1 (the root found). A path with a hex digit changed, a line dropped or
# a line added, and a path read at another leaf's index (every neighbour
# index of every leaf of trees of 2 to 12, the last leaf of every tree of 2
# to 70 at the index before it) must not end with 0 and 1, nor pass with
# too-long printed.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is absent"
command -v b2sum >/dev/null 2>&1 || skip "b2sum (GNU coreutils) is absent"
command -v basenc >/dev/null 2>&1 || skip "basenc (GNU coreutils 8.31 or later) is absent"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok LOOP-1
export SCOPEREG_NOW=2026-01-06T08:00:00Z
for k in 1 2 3 4 5; do
    sr_ok add PC-00$k --kind workstation --name "Poste $k"
done
sr_ok commit -m one --author jm
SCOPEREG_NOW=2026-01-07T08:00:00Z sr_ok sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-07T09:00:00Z sr_ok sign 1 --key "$K/client.key"
export SCOPEREG_NOW=2026-01-08T08:00:00Z
expect_ok sr prove PC-003 -o "$WORK/p"
[ -f "$WORK/p/VERIFY.txt" ] && [ -f "$WORK/p/proof.txt" ] || fail "prove wrote no VERIFY.txt or proof.txt"
grep -q -x 'index: 2' "$WORK/p/proof.txt" && grep -q -x 'tree-size: 5' "$WORK/p/proof.txt" ||
    fail "PC-003 is not at index 2 of 5 in proof.txt"
pass "a proof folder of PC-003, index 2 of 5"

# The real folder first: its own commands print what VERIFY.txt says.
if command -v minisign >/dev/null 2>&1; then
    verify_txt_holds "$WORK/p" "VERIFY.txt commands of the real folder"
    pass "every command of the real VERIFY.txt prints what it says ($VERIFY_RUN)"
else
    pass "(minisign absent: the real VERIFY.txt not run as a whole)"
fi

# The cases, run in two bash processes; $WORK/loop.res gets one line per
# kind of case: "KIND CASES BAD" (BAD: wrong for an honest path, accepted
# for a wrong one), stdout the commands read and every bad case.
mkdir "$WORK/cases"
: >"$OUT_FILE"; : >"$ERR_FILE" # fail() below shows these cases, not prove's output
python3 - "$WORK/p/VERIFY.txt" "$WORK/cases" "$WORK/loop.res" "${LOOP_SEED:-}" >"$WORK/loop.out" 2>"$WORK/loop.err" <<'PYEOF'
import hashlib, os, random, re, shlex, subprocess, sys, time

verify, root_dir, res_file, seed = sys.argv[1:5]
seed = int(seed) if seed else random.SystemRandom().randrange(1 << 32)
rnd = random.Random(seed)
print("seed %d (LOOP_SEED=%d repeats this run)" % (seed, seed))

def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)

# ---- the command lines, read from the VERIFY.txt scopereg wrote ----
cmds = [l[4:] for l in open(verify, encoding="utf-8").read().split("\n") if l.startswith("  $ ")]
def one(prefix, what):
    got = [c for c in cmds if c.startswith(prefix)]
    if len(got) != 1:
        die("VERIFY.txt holds %d %s command lines (starting %r), expected 1" % (len(got), what, prefix))
    return got[0]
node_cmd = one("node() {", "node()")
leaf_cmd = one("f=item.txt; h=$(", "leaf")
index_cmd = one("index() {", "index()")
loop_cmd = one("i=$(index $f) && ", "loop")
grep_cmd = one('echo $s; grep -c "^root: $h', "final check")
# the loop takes i from the leaf's index: line in proof.txt (through
# index()) and s from the checkpoint's items: line (so each case's folder
# sets them)
if "s/^index: //p" not in index_cmd or "10#" not in index_cmd or "s/^items: //p" not in loop_cmd:
    die("the loop does not read index: from proof.txt as a decimal and items: from the checkpoint: %s | %s" %
        (index_cmd[:120], loop_cmd[:120]))
checkpoint = grep_cmd.rsplit(" ", 1)[1]
if not re.match(r"^[A-Za-z0-9._-]+\.checkpoint$", checkpoint) or checkpoint not in loop_cmd:
    die("the final check does not end with the checkpoint file the loop reads: %s" % grep_cmd)
for c in (node_cmd, index_cmd, leaf_cmd, loop_cmd, grep_cmd):
    print("read: " + c)

# ---- RFC 9162 2.1.1 and 2.1.3.1, written from the RFC ----
def H(b):
    return hashlib.blake2b(b, digest_size=32).digest()

def split(n):  # the largest power of two smaller than n (n > 1)
    k = 1
    while k * 2 < n:
        k *= 2
    return k

class Tree:
    def __init__(self, n):
        self.leaves = [b"item: T%d-%05d\n" % (n, j) +
                       bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 24))) + b"\n"
                       for j in range(n)]
        self.lh = [H(b"\x00" + d) for d in self.leaves]
        self.memo = {}

    def mth(self, lo, hi):
        if hi - lo == 1:
            return self.lh[lo]
        if (lo, hi) not in self.memo:
            k = split(hi - lo)
            self.memo[(lo, hi)] = H(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi))
        return self.memo[(lo, hi)]

    # PATH(m, D[lo:hi]), and the subtrees above D[m] whose roots the
    # verifier computes, outermost first
    def path(self, m, lo, hi):
        if hi - lo == 1:
            return [], []
        k = split(hi - lo)
        if m < lo + k:
            p, t = self.path(m, lo, lo + k)
            return p + [self.mth(lo + k, hi)], [(lo, hi)] + t
        p, t = self.path(m, lo + k, hi)
        return p + [self.mth(lo, lo + k)], [(lo, hi)] + t

# ---- the cases ----
def sample(n, extra):
    k = split(n) if n > 1 else 1
    s = {0, 1, n // 2, k - 1, k, n - 2, n - 1} | {rnd.randrange(n) for _ in range(extra)}
    return sorted(x for x in s if 0 <= x < n)
sizes = {n: list(range(n)) for n in range(1, 41)}
for n in range(41, 71):
    sizes[n] = sample(n, 1)
for k in range(7, 11):
    for n in (2 ** k - 1, 2 ** k, 2 ** k + 1):
        sizes[n] = sample(n, 0)
sizes[1000] = sample(1000, 20)

def section(name, hexes, idx, h):
    return ("leaf: %s\nindex: %d\nhash: %s\npath-length: %d\n" % (name, idx, h, len(hexes)) +
            "".join("path: %s\n" % x for x in hexes) + "\n")

def write_case(cid, n, idx, tree, leaf, hexes):
    d = os.path.join(root_dir, cid)
    os.mkdir(d)
    with open(os.path.join(d, "item.txt"), "wb") as f:
        f.write(tree.leaves[leaf])
    # the leaf's section between two others, as in a folder of several leaves
    decoy = lambda: [H(os.urandom(8)).hex() for _ in range(rnd.randrange(1, 5))]
    with open(os.path.join(d, "proof.txt"), "w") as f:
        f.write("scope-proof/1\ntree-size: %d\nroot: %s\nleaves: 3\n\n" % (n, tree.mth(0, n).hex()) +
                section("before.txt", decoy(), 0, H(b"b").hex()) +
                section("item.txt", hexes, idx, tree.lh[leaf].hex()) +
                section("after.txt", decoy(), 0, H(b"a").hex()) + "end of proof\n")
    with open(os.path.join(d, checkpoint), "w") as f:
        f.write("items: %d\nroot: %s\n" % (n, tree.mth(0, n).hex()))

# (id, size, index claimed, honest lines expected or None, root, kind, what)
cases = []
ntrees = 0
tampers = ("digit", "drop", "add")
for n in sorted(sizes):
    tree = Tree(n)
    ntrees += 1
    root = tree.mth(0, n).hex()
    for idx in sizes[n]:
        p, t = tree.path(idx, 0, n)
        hexes = [x.hex() for x in p]
        # after the leaf hash, the roots of the subtrees above it, innermost first
        want = [tree.lh[idx].hex()] + [tree.mth(lo, hi).hex() for lo, hi in reversed(t)]
        if want[-1] != root or len(want) != len(hexes) + 1:
            die("self-check: PATH's subtrees do not end at the root (size %d index %d)" % (n, idx))
        cid = "n%d-i%d" % (n, idx)
        write_case(cid, n, idx, tree, idx, hexes)
        cases.append((cid, n, idx, want, root, "honest", ""))
        # one case in ten also with a wrong path: a hex digit, a line dropped, a line added
        if rnd.randrange(10) == 0:
            kind = tampers[sum(c[5] in tampers for c in cases) % 3] if hexes else "add"
            bad = list(hexes)
            j = rnd.randrange(len(bad) + (kind == "add"))
            if kind == "digit":
                c = rnd.randrange(64)
                bad[j] = bad[j][:c] + "%x" % ((int(bad[j][c], 16) + rnd.randrange(1, 16)) % 16) + bad[j][c + 1:]
                what = "path line %d, hex digit %d changed" % (j + 1, c + 1)
            elif kind == "drop":
                del bad[j]
                what = "path line %d dropped" % (j + 1)
            else:
                bad.insert(j, rnd.choice([H(os.urandom(8)).hex()] + hexes))
                what = "a path line added as line %d" % (j + 1)
            write_case(cid + "-" + kind, n, idx, tree, idx, bad)
            cases.append((cid + "-" + kind, n, idx, None, root, kind, what))
        # a leaf's own path read at another index
        others = []
        if n <= 12:
            others = [x for x in (idx - 1, idx + 1) if 0 <= x < n]
        elif idx == n - 1:
            others = [idx - 1]
        for o in others:
            write_case("%s-at%d" % (cid, o), n, o, tree, idx, hexes)
            cases.append(("%s-at%d" % (cid, o), n, o, None, root, "index",
                          "leaf %d's path (%d line%s) read at index %d" % (idx, len(hexes), "s"[len(hexes) == 1:], o)))

# ---- run them: node() defined once, then per case, from its folder, the
# leaf command, the loop with the case's i= and s=, then the root grep ----
mark = "@@scopereg-loop@@"
def script(part):
    out = [node_cmd, index_cmd]
    for c in part:
        out += ["cd %s || exit 3" % shlex.quote(os.path.join(root_dir, c[0])), leaf_cmd,
                loop_cmd, grep_cmd, "echo \"%s %s $h\"" % (mark, c[0])]
    return "\n".join(out) + "\n"
halves = [cases[0::2], cases[1::2]]
for k, h in enumerate(halves):
    with open(os.path.join(root_dir, "run%d.sh" % k), "w") as f:
        f.write(script(h))
t0 = time.time()
procs = [subprocess.Popen(["bash", os.path.join(root_dir, "run%d.sh" % k)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) for k in range(len(halves))]
printed = {}
for pr in procs:
    so, se = pr.communicate()
    if pr.returncode != 0:
        die("bash exited %d: %s" % (pr.returncode, se.decode("utf-8", "replace")[:400]))
    cur = []
    for l in so.decode("utf-8", "replace").split("\n"):
        if l.startswith(mark + " "):
            _, cid, h = (l.split(" ") + [""])[:3]
            printed[cid] = (cur, h)
            cur = []
        elif l:
            cur.append(l)
secs = time.time() - t0

counts = {}
for cid, n, idx, want, root, kind, what in cases:
    if cid not in printed:
        die("case %s printed nothing (bash stopped early)" % cid)
    got, h = printed[cid]
    tot, bad = counts.get(kind, (0, 0))
    # VERIFY.txt expects the nodes, then 0 (s) and 1 (the root found once)
    accepted = got[-2:] == ["0", "1"] and "too-long" not in got
    if kind == "honest":
        ok = got == want + ["0", "1"] and h == root
        if not ok:
            print("WRONG: tree size %d, index %d (i=%d s=%d, %d path lines): the final check printed %s" %
                  (n, idx, idx, n - 1, len(want) - 1, got[-2:] or "nothing"))
            print("  want " + " ".join(x[:12] for x in want + ["0", "1"]))
            print("  got  " + " ".join(x[:12] for x in got))
    else:
        ok = not accepted
        if not ok:
            print("ACCEPTED: tree size %d, %s (i=%d s=%d): s ends at 0 and the root grep prints 1" %
                  (n, what, idx, n - 1))
    counts[kind] = (tot + 1, bad + (not ok))
honest = counts.get("honest", (0, 0))
tamper = [sum(counts.get(k, (0, 0))[x] for k in tampers) for x in (0, 1)]
index = counts.get("index", (0, 0))
with open(res_file, "w") as f:
    f.write("honest %d %d\ntamper %d %d\nindex %d %d\n" % (honest + tuple(tamper) + index))
print("%d trees, %d trees and indexes, %d wrong; %d changed paths (%s), %d accepted; "
      "%d paths read at another index, %d accepted; %d node() calls in %.1f s" %
      (ntrees, honest[0], honest[1], tamper[0],
       ", ".join("%d %s" % (counts.get(k, (0, 0))[0], k) for k in tampers), tamper[1],
       index[0], index[1], sum(max(len(printed[c[0]][0]) - 2, 0) for c in cases), secs))
PYEOF
rc=$?
grep -v '^read: ' "$WORK/loop.out"
[ -s "$WORK/loop.err" ] && fail "python3: $(head -n 20 "$WORK/loop.err")"
[ $rc -eq 0 ] && [ -s "$WORK/loop.res" ] || fail "the cases did not run: $(tail -n 3 "$WORK/loop.out")"
summary=$(tail -n 1 "$WORK/loop.out")
read -r _ n bad < <(grep '^honest ' "$WORK/loop.res")
[ "$n" -gt 1000 ] && [ "$bad" -eq 0 ] ||
    fail "the path loop of VERIFY.txt is wrong for $bad of $n trees and indexes (WRONG lines above)"
pass "the path loop of VERIFY.txt prints every node of RFC 9162 and the root for $n trees and indexes"
read -r _ n bad < <(grep '^tamper ' "$WORK/loop.res")
[ "$n" -gt 50 ] && [ "$bad" -eq 0 ] ||
    fail "$bad of $n changed paths still end on the root (ACCEPTED lines above)"
pass "$n paths with a hex digit changed, a line dropped or added: the final check does not print 0 and 1 for any"
read -r _ n bad < <(grep '^index ' "$WORK/loop.res")
[ "$n" -gt 150 ] && [ "$bad" -eq 0 ] ||
    fail "$bad of $n paths read at another leaf's index pass the final check (ACCEPTED lines above): the loop does not check, as RFC 9162 2.1.3.2 does, that s is 0 exactly when the path ends"
pass "$n paths read at another leaf's index: the final check does not print 0 and 1 for any"
echo "# $summary"
done_checks
