#!/usr/bin/env python3
"""t_layers.py - inventory/ stays in layers with no circle of files.

Reads the symbols of the scopereg_inventory objects with nm. Each object is
mapped to its layer folder (values < store < document < work, docs/DESIGN.md):
a file that uses a symbol defined in a higher layer fails the test, and so
does any circle of files (a strongly connected component of the graph "file
A uses a symbol defined in file B"), whatever their layers. Every offence is
printed with the symbol and both files.

With --src DIR (the inventory/ folder), the #include lines of every .c and
.h of a layer folder are checked too: a header of a higher layer, or the
umbrellas inventory.h and internal.h (which include every layer), fail.

Usage: t_layers.py [--nm NM] [--src DIR] OBJECTS   (OBJECTS: ';'- or
       space-separated object files, as $<TARGET_OBJECTS:scopereg_inventory>
       gives them)
       t_layers.py --self-test          (the checker finds a planted upward
                                         use and a planted circle)
Exit: 0 clean, 1 an offence, 2 usage or nm error.
"""
import os
import subprocess
import sys

LAYERS = ["values", "store", "document", "work"]


def file_of(obj):
    """(layer, "layer/file.c") of an object path .../inventory/LAYER/FILE.c.o."""
    parts = obj.replace("\\", "/").split("/")
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "inventory" and i + 2 < len(parts) + 1:
            rest = parts[i + 1:]
            if len(rest) == 2 and rest[0] in LAYERS:
                name = rest[1][:-2] if rest[1].endswith(".o") else rest[1]
                return rest[0], rest[0] + "/" + name
            break
    return None, os.path.basename(obj)


def read_symbols(nm, objs):
    """defs: symbol -> file; uses: file -> set of symbols; layer: file -> layer."""
    defs, uses, layer = {}, {}, {}
    for o in objs:
        lay, f = file_of(o)
        layer[f] = lay
        uses.setdefault(f, set())
        p = subprocess.run([nm, "--defined-only", o], capture_output=True, text=True)
        q = subprocess.run([nm, "--undefined-only", o], capture_output=True, text=True)
        if p.returncode or q.returncode:
            sys.stderr.write("t_layers: nm %s failed: %s%s" % (o, p.stderr, q.stderr))
            sys.exit(2)
        for line in p.stdout.splitlines():
            w = line.split()
            if len(w) == 3 and w[1] in "TDBRCVW":
                defs[w[2]] = f
        for line in q.stdout.splitlines():
            w = line.split()
            if len(w) == 2 and w[0] == "U":
                uses[f].add(w[1])
    return defs, uses, layer


def edges_of(defs, uses):
    """file -> {file it uses: sorted symbols}."""
    g = {}
    for f, syms in uses.items():
        g.setdefault(f, {})
        for s in syms:
            t = defs.get(s)
            if t is not None and t != f:
                g[f].setdefault(t, []).append(s)
    for f in g:
        for t in g[f]:
            g[f][t].sort()
    return g


def circles(g):
    """Strongly connected components of more than one file (Tarjan, iterative)."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], [0]
    nodes = sorted(set(g) | {t for v in g.values() for t in v})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(g.get(root, {}))))]
        index[root] = low[root] = n[0]
        n[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = n[0]
                    n[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g.get(w, {})))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                c = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    c.append(w)
                    if w == v:
                        break
                if len(c) > 1:
                    out.append(sorted(c))
    return out


def check(g, layer):
    """The offences, one line each (symbol and files named)."""
    bad = []
    for f in sorted(layer):
        if layer[f] is None:
            bad.append("%s: not in a layer folder of inventory/ (%s)" % (f, ", ".join(LAYERS)))
    for f in sorted(g):
        for t in sorted(g[f]):
            lf, lt = layer.get(f), layer.get(t)
            if lf in LAYERS and lt in LAYERS and LAYERS.index(lt) > LAYERS.index(lf):
                for s in g[f][t]:
                    bad.append("upward: %s (%s) uses %s of %s (%s, a higher layer); "
                               "move %s down or the caller up" % (f, lf, s, t, lt, s))
    for c in circles(g):
        bad.append("circle of files: %s" % " <-> ".join(c))
        for f in c:
            for t in sorted(g.get(f, {})):
                if t in c:
                    bad.append("  %s -> %s: %s" % (f, t, ", ".join(g[f][t])))
    return bad


def include_offences(src):
    """Includes of a higher layer's header, or of an umbrella, in a layer folder."""
    where = {}
    for lay in LAYERS:
        d = os.path.join(src, lay)
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if f.endswith(".h"):
                where[f] = lay
    for f in ("inventory.h", "internal.h"):
        if os.path.exists(os.path.join(src, f)):
            where[f] = "umbrella"
    bad = []
    for lay in LAYERS:
        d = os.path.join(src, lay)
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if not f.endswith((".c", ".h")):
                continue
            with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
                for no, line in enumerate(fh, 1):
                    w = line.split()
                    if len(w) < 2 or w[0] != "#include" or not w[1].startswith('"'):
                        continue
                    h = w[1].strip('"')
                    t = where.get(h)
                    if t == "umbrella":
                        bad.append("include: %s/%s:%d includes %s, which includes every layer; "
                                   "include %s's own header" % (lay, f, no, h, lay))
                    elif t in LAYERS and LAYERS.index(t) > LAYERS.index(lay):
                        bad.append("include: %s/%s:%d includes %s of %s, a higher layer"
                                   % (lay, f, no, h, t))
    return bad


def self_test():
    layer = {"values/a.c": "values", "store/b.c": "store", "work/c.c": "work",
             "work/d.c": "work"}
    g = {"values/a.c": {"store/b.c": ["inv_b"]}, "store/b.c": {},
         "work/c.c": {"work/d.c": ["inv_d"]}, "work/d.c": {"work/c.c": ["inv_c"]}}
    bad = check(g, layer)
    want = ["upward: values/a.c (values) uses inv_b of store/b.c",
            "circle of files: work/c.c <-> work/d.c", "  work/c.c -> work/d.c: inv_d"]
    missing = [w for w in want if not any(b.startswith(w) for b in bad)]
    clean = check({"store/b.c": {"values/a.c": ["inv_a"]}, "values/a.c": {}}, layer)
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for lay in LAYERS:
            os.mkdir(os.path.join(d, lay))
        files = {"values/a.c": '#include "store.h"\n', "store/store.h": '#include "values.h"\n',
                 "values/values.h": "", "work/w.c": '#include "internal.h"\n',
                 "internal.h": ""}
        for f, text in files.items():
            with open(os.path.join(d, f), "w") as fh:
                fh.write(text)
        inc = include_offences(d)
    bad += inc
    missing += [w for w in ["include: values/a.c:1 includes store.h of store",
                            "include: work/w.c:1 includes internal.h"]
                if not any(b.startswith(w) for b in inc)]
    if len(inc) != 2:
        missing.append("exactly 2 include offences, not %d" % len(inc))
    if missing or clean:
        print("t_layers self-test: missed %s; clean graph gave %s" % (missing, clean))
        return 1
    print("t_layers self-test: ok (%d offences found in the planted graph)" % len(bad))
    return 0


def main(argv):
    nm = os.environ.get("NM", "nm")
    args = argv[1:]
    if args[:1] == ["--self-test"]:
        return self_test()
    src = None
    while args[:1] in (["--nm"], ["--src"]) and len(args) > 1:
        if args[0] == "--nm":
            nm = args[1]
        else:
            src = args[1]
        args = args[2:]
    objs = [o for a in args for o in a.split(";") if o]
    if not objs:
        sys.stderr.write("usage: t_layers.py [--nm NM] OBJECTS | --self-test\n")
        return 2
    defs, uses, layer = read_symbols(nm, objs)
    g = edges_of(defs, uses)
    nedges = sum(len(v) for v in g.values())
    seen = {l for l in layer.values() if l}
    # Nothing to judge is a broken test, not a pass.
    if len(objs) < 10 or nedges < 10 or seen != set(LAYERS):
        print("t_layers: only %d objects, %d file edges, layers %s: wrong object list?"
              % (len(objs), nedges, sorted(seen)))
        return 2
    bad = check(g, layer)
    if src:
        bad += include_offences(src)
    for b in bad:
        print(b)
    if bad:
        print("t_layers: %d offence(s); a layer uses only its own and the layers below "
              "(%s), and no files form a circle (docs/DESIGN.md)" % (
                  sum(1 for b in bad if not b.startswith("  ")), " < ".join(LAYERS)))
        return 1
    print("t_layers: %d files, %d file edges, no upward use, no circle" % (len(objs), nedges))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
