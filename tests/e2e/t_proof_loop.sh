#!/usr/bin/env bash
# t_proof_loop.sh - the audit path loop of VERIFY.txt, as scopereg writes it,
# is RFC 9162 2.1.3.2 for every tree shape. A small register (5 items, both
# parties sign) gives a real proof folder; its node() definition, leaf
# command and path loop are read from that VERIFY.txt (never copied here).
# Then python3 builds trees of random leaves (every size 1 to 40 with every
# index; sizes 41 to 70 and 2^k-1, 2^k, 2^k+1 up to 1025 and 1000 at sampled
# indexes), computes MTH and PATH(m, D[n]) of RFC 9162 2.1.3.1 on its own,
# writes each case as a folder (item.txt, proof.txt with the leaf's section
# between two other leaves' sections), sets the loop's i= and s= to the
# case's index and size - 1, and runs the three commands in bash: every
# line the loop prints must be the node RFC 9162 puts there, the last the
# root. A path with one hex digit changed, a line dropped or added, or the
# next leaf's index must end on another hash.
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
    run_verify "$WORK/p" >"$WORK/run.out" 2>"$WORK/run.err"
    grep -q ' 0 mismatches' "$WORK/run.out" ||
        fail "VERIFY.txt commands of the real folder: $(cat "$WORK/run.out" "$WORK/run.err" | head -n 8)"
    pass "every command of the real VERIFY.txt prints what it says ($(cat "$WORK/run.out"))"
else
    pass "(minisign absent: the real VERIFY.txt not run as a whole)"
fi

python3 - "$WORK/p/VERIFY.txt" "$WORK/cases" "${LOOP_SEED:-}" >"$WORK/loop.out" 2>"$WORK/loop.err" <<'PYEOF'
import hashlib, os, random, re, subprocess, sys, time

verify, root_dir, seed = sys.argv[1], sys.argv[2], sys.argv[3]
seed = int(seed) if seed else random.SystemRandom().randrange(1 << 32)
rnd = random.Random(seed)
print("seed %d (LOOP_SEED=%d repeats this run)" % (seed, seed))

def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)

# ---- the three command lines, read from the VERIFY.txt scopereg wrote ----
cmds = [l[4:] for l in open(verify, encoding="utf-8").read().split("\n") if l.startswith("  $ ")]
def one(prefix, what):
    got = [c for c in cmds if c.startswith(prefix)]
    if len(got) != 1:
        die("VERIFY.txt holds %d %s command lines (starting %r), expected 1" % (len(got), what, prefix))
    return got[0]
node_cmd = one("node() {", "node()")
leaf_cmd = one("f=item.txt; h=$(", "leaf")
loop_cmd = one("i=", "loop")
m = re.match(r"i=([0-9]+) s=([0-9]+); ", loop_cmd)
if not m:
    die("the loop command does not start 'i=N s=N; ': %s" % loop_cmd[:80])
if (m.group(1), m.group(2)) != ("2", "4"):
    die("the loop starts i=%s s=%s, expected i=2 s=4 (index 2 of 5)" % m.groups())
loop_tail = loop_cmd[m.end():]
print("node:  " + node_cmd)
print("leaf:  " + leaf_cmd)
print("loop:  " + loop_cmd)

# ---- RFC 9162 2.1.1 and 2.1.3.1, written from the RFC ----
def H(b):
    return hashlib.blake2b(b, digest_size=32).digest()

def split(n):  # the largest power of two smaller than n (n > 1)
    k = 1
    while k * 2 < n:
        k *= 2
    return k

class Tree:
    def __init__(self, leaves):
        self.leaves = leaves
        self.lh = [H(b"\x00" + d) for d in leaves]
        self.memo = {}

    def mth(self, lo, hi):
        if hi - lo == 1:
            return self.lh[lo]
        key = (lo, hi)
        if key not in self.memo:
            k = split(hi - lo)
            self.memo[key] = H(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi))
        return self.memo[key]

    # PATH(m, D[lo:hi]) and the subtrees that hold D[m], outermost first
    def path(self, m, lo, hi):
        if hi - lo == 1:
            return [], []
        k = split(hi - lo)
        if m < lo + k:
            p, t = self.path(m, lo, lo + k)
            return p + [self.mth(lo + k, hi)], [(lo, hi)] + t
        p, t = self.path(m, lo + k, hi)
        return p + [self.mth(lo, lo + k)], [(lo, hi)] + t

def leaf_bytes(n, j):
    body = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 40)))
    return b"item: T%d-%d\n" % (n, j) + body + b"\n"

# ---- the cases: (size, index) ----
sizes = {}
for n in range(1, 41):
    sizes[n] = set(range(n))
def sample(n, extra):
    s = {0, n - 1, n // 2}
    k = 1
    while k < n:  # both sides of every power of two
        s |= {k - 1, k} if k < n else {k - 1}
        k *= 2
    s |= {n - 2} if n > 1 else set()
    s |= {rnd.randrange(n) for _ in range(extra)}
    return {x for x in s if 0 <= x < n}
for n in range(41, 71):
    sizes[n] = sample(n, 6)
for k in range(7, 11):
    for n in (2 ** k - 1, 2 ** k, 2 ** k + 1):
        sizes[n] = sample(n, 4)
sizes[1000] = sample(1000, 20)

cases = []  # (id, size, index, path lines, expected printed lines, kind)
def section(name, hexes, idx, h):
    return ("leaf: %s\nindex: %d\nhash: %s\npath-length: %d\n" % (name, idx, h, len(hexes)) +
            "".join("path: %s\n" % x for x in hexes) + "\n")

def write_case(cid, n, idx, tree, hexes):
    d = os.path.join(root_dir, cid)
    os.makedirs(d)
    with open(os.path.join(d, "item.txt"), "wb") as f:
        f.write(tree.leaves[idx])
    # the leaf's section between two others, as in a folder of several leaves
    decoy = lambda: [H(os.urandom(8)).hex() for _ in range(rnd.randrange(1, 5))]
    with open(os.path.join(d, "proof.txt"), "w") as f:
        f.write("scope-proof/1\ntree-size: %d\nroot: %s\n\n" % (n, tree.mth(0, n).hex()) +
                section("before.txt", decoy(), 0, H(b"b").hex()) +
                section("item.txt", hexes, idx, tree.lh[idx].hex()) +
                section("after.txt", decoy(), 0, H(b"a").hex()) + "end of proof\n")

tampers = ("digit", "drop", "add", "next-index")
ntrees = 0
for n in sorted(sizes):
    tree = Tree([leaf_bytes(n, j) for j in range(n)])
    ntrees += 1
    root = tree.mth(0, n)
    for idx in sorted(sizes[n]):
        p, t = tree.path(idx, 0, n)
        # the loop prints, after the leaf hash, the subtrees holding the leaf, innermost first
        want = [tree.lh[idx].hex()] + [tree.mth(lo, hi).hex() for lo, hi in reversed(t)]
        if want[-1] != root.hex():
            die("self-check: the subtrees of PATH do not end at the root (size %d index %d)" % (n, idx))
        hexes = [x.hex() for x in p]
        cid = "n%d-i%d" % (n, idx)
        write_case(cid, n, idx, tree, hexes)
        cases.append((cid, n, idx, want, "honest"))
        # one case in six is also tried with a wrong path
        if rnd.randrange(6) == 0:
            kind = tampers[len([c for c in cases if c[4] != "honest"]) % len(tampers)]
            bad, bidx = list(hexes), idx
            if kind == "digit" and bad:
                j, c = rnd.randrange(len(bad)), rnd.randrange(64)
                bad[j] = bad[j][:c] + "%x" % ((int(bad[j][c], 16) + rnd.randrange(1, 16)) % 16) + bad[j][c + 1:]
            elif kind == "drop" and bad:
                del bad[rnd.randrange(len(bad))]
            elif kind == "add" or not bad:
                kind = "add"
                extra = rnd.choice([H(os.urandom(8)).hex()] + bad)
                bad.insert(rnd.randrange(len(bad) + 1), extra)
            elif kind == "next-index":
                bidx = idx + 1 if idx + 1 < n else idx - 1
                if n == 1:
                    continue
            bid = cid + "-" + kind
            write_case(bid, n, bidx, tree, bad)
            # the leaf file is the honest one: only the path or the index is wrong
            with open(os.path.join(root_dir, bid, "item.txt"), "wb") as f:
                f.write(tree.leaves[idx])
            cases.append((bid, n, bidx, [root.hex()], kind))

# ---- run them: the node() definition once, then per case the leaf command
# and the loop with the case's i= and s=, in one bash process per half ----
mark = "@@scopereg-loop@@"
def script(part):
    out = [node_cmd]
    for cid, n, idx, _, _ in part:
        out.append("cd %s/%s || exit 3" % (root_dir, cid))
        out.append(leaf_cmd)
        out.append("i=%d s=%d; %s" % (idx, n - 1, loop_tail))
        out.append("echo \"%s %s $?\"" % (mark, cid))
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
            _, cid, rc = l.split(" ")
            printed[cid] = (cur, int(rc))
            cur = []
        elif l:
            cur.append(l)
secs = time.time() - t0

honest = [c for c in cases if c[4] == "honest"]
wrong, caught, missed = [], 0, []
for cid, n, idx, want, kind in cases:
    if cid not in printed:
        die("case %s printed nothing (bash stopped early)" % cid)
    got, rc = printed[cid]
    if kind == "honest":
        if got != want or rc != 0:
            wrong.append((cid, n, idx, want, got, rc))
    elif got and got[-1] != want[0]:
        caught += 1
    else:
        missed.append((cid, got[-1:] if got else None))
for cid, n, idx, want, got, rc in wrong[:10]:
    print("WRONG: tree size %d, index %d (i=%d s=%d, %d path lines): exit %d" % (n, idx, idx, n - 1, len(want) - 1, rc))
    print("  want %s" % " ".join(x[:12] for x in want))
    print("  got  %s" % " ".join(x[:12] for x in got))
for cid, last in missed[:10]:
    print("MISSED: %s still ends on the root (or printed nothing): %s" % (cid, last))
print("%d trees, %d tree sizes and indexes, %d wrong roots or nodes; %d wrong paths, %d caught; "
      "%d node() calls in %.1f s" % (ntrees, len(honest), len(wrong), len(cases) - len(honest), caught,
                                    sum(len(c[3]) - 1 for c in honest), secs))
sys.exit(1 if wrong or missed else 0)
PYEOF
rc=$?
cat "$WORK/loop.out"
[ -s "$WORK/loop.err" ] && fail "python3: $(head -n 20 "$WORK/loop.err")"
[ $rc -eq 0 ] || fail "the VERIFY.txt path loop does not walk RFC 9162 for every case (above)"
line=$(tail -n 1 "$WORK/loop.out")
case $line in
*" 0 wrong roots or nodes;"*) ;;
*) fail "no summary line: $line" ;;
esac
pass "the path loop of VERIFY.txt, run in bash: $line"
done_checks
