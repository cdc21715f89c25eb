#!/usr/bin/env bash
# run.sh [SIZE] - scopereg against its yardsticks, side by side, in one run
# on the same files: wall time, peak RSS and their ratios.
#
#   SIZE   rows of the generated fleet: a number, or 10k, 100k, 1M (default 1M)
#
# What it measures (docs/PERFORMANCE.md explains the targets):
#   1. scopereg import --commit of the fleet     vs  sqlite3 .import of the same CSV
#      (one command), and import then commit (two); their documents are
#      compared byte for byte (run.sh fails when they differ)
#   2. scopereg verify of that register          vs  minisign -V of its document
#   3. one edit + commit (+ sign) on it          vs  minisign -V of the new document
#      ('commit --sign' when this scopereg has it: one command, one rendering;
#      edit, commit and sign as three commands are measured too)
#   4. scopereg verify of a register of 100      vs  minisign -V of the 100 documents
#      versions of SIZE/10 items (at most 100k)
#   and, when both parties sign checkpoints: scopereg prove of one item of the
#   register of step 2 vs minisign -V of its document, and the proof folder's size
# then the wall time and peak RSS of every scopereg command, and the floors:
# for lines 1 to 3, the parts of the work that any implementation of the
# same register and document formats must do, each measured by itself
#   1. sqlite3 .import of the same CSV with two indexes over its id, as the
#      register's item table has (filled row by row, or built after the
#      rows: the cheaper)
#   2. one read of the items of the version (sqlite3, the items query), and
#      the document's hashes: BLAKE2b-256, the BLAKE2b-512 signature prehash,
#      the leaf of every item block and the RFC 9162 tree (floorbench, on
#      the exported document; its root is checked against the checkpoint's)
#   3. commit: one read and the BLAKE2b-256; sign: one read and the hashes
#      (commit --sign: one read and the hashes, as line 2)
# shared between the machine's processors at best (lines 2 and 3; SQLite's
# writes of line 1 run on one), scopereg's own formatting, row digests and
# checks left out: a floor below a target says the rest is scopereg's.
#
# Signatures: when this scopereg has 'sign' and 'export', both parties sign
# in the register (so verify checks signatures too) and the documents and
# signatures compared with are the exported ones; otherwise the documents
# come from 'scopereg show' and are signed with minisign.
#
# Environment:
#   SCOPEREG             the binary (default: build-bench/, then build/ of this tree)
#   GENFLEET             the fleet generator (default: beside SCOPEREG, else built here)
#   BENCH_DIR            where the files go (default: a new directory under $TMPDIR,
#                        removed at the end unless BENCH_KEEP=1)
#   BENCH_HIST_ITEMS     items of the history register (default SIZE/10, at most 100000)
#   BENCH_HIST_VERSIONS  versions of the history register (default 100)
#   BENCH_REPEAT         runs of each measured step, the fastest kept (default 1;
#                        3 on a machine that other work disturbs)
#
# Needs GNU time (/usr/bin/time, Debian package 'time'), sqlite3 and minisign.
# Exits 0 once the table is printed (it asserts nothing about the figures),
# 2 on bad usage or a missing tool, 1 when a command fails.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
die() { echo "run.sh: $*" >&2; exit 2; }

size=${1:-1M}
case $size in
    *[kK]) size=$(( ${size%[kK]} * 1000 )) ;;
    *[mM]) size=$(( ${size%[mM]} * 1000000 )) ;;
esac
[[ $size =~ ^[0-9]+$ ]] && [ "$size" -ge 100 ] && [ "$size" -le 5000000 ] ||
    die "SIZE must be a number of rows from 100 to 5000000 (or 10k, 100k, 1M), not '${1:-}'"
[ $# -le 1 ] || die "usage: run.sh [SIZE]"

for tool in /usr/bin/time sqlite3 minisign; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "needs $tool (Debian: apt-get install time sqlite3 minisign; see tests/deps.sh)"
done
/usr/bin/time -f %M true >/dev/null 2>&1 || die "/usr/bin/time is not GNU time"

SCOPEREG=${SCOPEREG:-}
if [ -z "$SCOPEREG" ]; then
    for cand in "$top/build-bench/scopereg" "$top/build/scopereg"; do
        [ -x "$cand" ] && { SCOPEREG=$cand; break; }
    done
fi
[ -n "$SCOPEREG" ] && [ -x "$SCOPEREG" ] ||
    die "no scopereg binary: build one (cmake -S . -B build-bench && cmake --build build-bench) or set SCOPEREG"

if [ -n "${BENCH_DIR:-}" ]; then
    W=$BENCH_DIR
    mkdir -p "$W"
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/scopereg-bench.XXXXXX")
    [ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$W"' EXIT
fi

FLOORBENCH=${FLOORBENCH:-$(dirname "$SCOPEREG")/tests/bench/floorbench}
[ -x "$FLOORBENCH" ] || FLOORBENCH=""
GENFLEET=${GENFLEET:-$(dirname "$SCOPEREG")/tests/bench/genfleet}
if [ ! -x "$GENFLEET" ]; then
    GENFLEET=$W/genfleet
    cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$GENFLEET" "$top/tests/bench/genfleet.c" ||
        die "cannot build tests/bench/genfleet.c"
fi

hist_items=${BENCH_HIST_ITEMS:-$(( size / 10 > 100000 ? 100000 : size / 10 ))}
hist_versions=${BENCH_HIST_VERSIONS:-100}
[ "$hist_items" -ge 10 ] || hist_items=10
[ "$hist_versions" -ge 2 ] || die "BENCH_HIST_VERSIONS must be at least 2"

export SCOPEREG_NOW=2026-01-10T09:00:00Z SCOPEREG_AUTHOR=bench
unset SCOPEREG_REGISTER SCOPEREG_PASSPHRASE

signing=0
"$SCOPEREG" help sign >/dev/null 2>&1 && "$SCOPEREG" help export >/dev/null 2>&1 && signing=1

# ---- measuring ----

repeat=${BENCH_REPEAT:-1}
[[ $repeat =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPEAT must be a positive number"

# tm OUT CMD...: runs CMD (stdout to OUT) under GNU time; sets T_WALL
# (seconds, from bash's clock, to the microsecond), T_CPU (user + system
# seconds) and T_RSS (peak RSS, KiB).
tm() {
    local out=$1 t0 t1 rss u s
    shift
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M %U %S' -o "$W/.time" "$@" >"$out" 2>"$W/.err"; then
        echo "run.sh: failed: $*" >&2
        tail -n 20 "$W/.err" >&2
        exit 1
    fi
    t1=$EPOCHREALTIME
    read -r rss u s < <(tail -n 1 "$W/.time")
    T_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    T_CPU=$(awk -v a="$u" -v b="$s" 'BEGIN { printf "%.2f", a + b }')
    T_RSS=$rss
}

add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }
maxi() { [ "$1" -ge "$2" ] && echo "$1" || echo "$2"; }
faster() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == "" || a < b) }'; }

# A sequence of commands measured as one figure: seq_start, then seq_add
# after each tm; S_WALL, S_CPU add up, S_RSS is the largest. seq_keep
# keeps the sequence as the best so far (B_*) when it is the fastest.
seq_start() { S_WALL=0 S_CPU=0 S_RSS=0 S_ROWS=(); }
seq_add() { # NAME ITEMS
    S_WALL=$(add "$S_WALL" "$T_WALL") S_CPU=$(add "$S_CPU" "$T_CPU") S_RSS=$(maxi "$S_RSS" "$T_RSS")
    S_ROWS+=("${1// /_} $2 $T_WALL $T_CPU $T_RSS")
}
best_reset() { B_WALL="" B_CPU="" B_RSS=0 B_ROWS=(); }
seq_keep() {
    if faster "$S_WALL" "$B_WALL"; then
        B_WALL=$S_WALL B_CPU=$S_CPU B_ROWS=("${S_ROWS[@]}")
    fi
    B_RSS=$(maxi "$B_RSS" "$S_RSS")
}
# best NAME ITEMS OUT CMD...: CMD run $repeat times, the fastest kept.
best() {
    local name=$1 items=$2 out=$3 k
    shift 3
    best_reset
    for ((k = 1; k <= repeat; k++)); do
        seq_start
        tm "$out" "$@"
        seq_add "$name" "$items"
        seq_keep
    done
}

# Per-command figures: "name items wall cpu rss" lines.
: >"$W/.cmds"
keep_rows() { [ ${#B_ROWS[@]} -eq 0 ] || printf '%s\n' "${B_ROWS[@]}" >>"$W/.cmds"; }

# Signs a document with minisign's key (prehashed, as scopereg does).
msign() { minisign -S -s "$W/keys/provider.key" -m "$1" -x "$2" -t "bench" >/dev/null; }

new_register() {
    rm -f "$1"
    "$SCOPEREG" -R "$1" init --contract BENCH-2026 --provider 'Helvetia IT SA' \
        --provider-key "$W/keys/provider.pub" --client 'ACME SA' \
        --client-key "$W/keys/client.pub" >/dev/null
}

sign_both() { # REGISTER VERSION
    "$SCOPEREG" -R "$1" sign "$2" --key "$W/keys/provider.key" >/dev/null
    "$SCOPEREG" -R "$1" sign "$2" --key "$W/keys/client.key" >/dev/null
}

# document REGISTER VERSION STEM: STEM.scope and STEM.minisig, the
# provider's signature (exported, or made with minisign).
document() {
    if [ $signing = 1 ]; then
        rm -rf "$W/.export"
        "$SCOPEREG" -R "$1" export "$2" -o "$W/.export" >/dev/null
        # export N also ships version N-1: take version N's files
        mv "$W/.export/"*-v"$2".scope "$3.scope"
        mv "$W/.export/"*-v"$2".provider.minisig "$3.minisig"
    else
        "$SCOPEREG" -R "$1" show "$2" >"$3.scope"
        msign "$3.scope" "$3.minisig"
    fi
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpus() { awk -v s="$1" 'BEGIN { printf "%.2f", s }'; }

echo "run.sh: $size rows, history $hist_items items x $hist_versions versions, best of $repeat, in $W" >&2
echo "run.sh: scopereg $SCOPEREG; signatures: $([ $signing = 1 ] && echo 'scopereg sign/export' || echo 'minisign -S on scopereg show')" >&2

mkdir -p "$W/keys"
for who in provider client; do
    minisign -G -W -f -p "$W/keys/$who.pub" -s "$W/keys/$who.key" >/dev/null
done

# ---- 1. import + commit vs sqlite3 .import ----

echo "run.sh: generating $size rows" >&2
"$GENFLEET" "$size" >"$W/fleet.csv"
csv_mib=$(mib $(( $(stat -c %s "$W/fleet.csv") / 1024 )))

R=$W/fleet.db
R1=$W/fleet1.db
# one empty register, copied for every run: the same register id, so the
# documents of the two ways of importing can be compared byte for byte
new_register "$W/empty.db"
printf 'id,kind,name\nX-1,pc,probe\n' >"$W/probe.csv"
cp "$W/empty.db" "$R1"
one_cmd=0
"$SCOPEREG" -R "$R1" import "$W/probe.csv" --commit -m probe >/dev/null 2>&1 && one_cmd=1
if [ $one_cmd = 1 ]; then
    echo "run.sh: import --commit (one command)" >&2
    best_reset
    for ((k = 1; k <= repeat; k++)); do
        cp "$W/empty.db" "$R1"
        seq_start
        tm "$W/.out" "$SCOPEREG" -R "$R1" import "$W/fleet.csv" --commit -m "Initial inventory"
        seq_add "import --commit (v1)" "$size"
        seq_keep
    done
    o_wall=$B_WALL o_cpu=$B_CPU o_rss=$B_RSS
    keep_rows
fi
echo "run.sh: import + commit" >&2
best_reset
for ((k = 1; k <= repeat; k++)); do
    cp "$W/empty.db" "$R"
    seq_start
    tm "$W/.out" "$SCOPEREG" -R "$R" import "$W/fleet.csv"
    seq_add import "$size"
    tm "$W/.out" "$SCOPEREG" -R "$R" commit -m "Initial inventory"
    seq_add "commit (v1)" "$size"
    seq_keep
done
a_wall=$B_WALL a_cpu=$B_CPU a_rss=$B_RSS
keep_rows
same_doc=""
if [ $one_cmd = 1 ]; then
    # import --commit must write what import + commit writes, byte for byte
    "$SCOPEREG" -R "$R" show 1 >"$W/two.scope"
    "$SCOPEREG" -R "$R1" show 1 >"$W/one.scope"
    if ! cmp -s "$W/two.scope" "$W/one.scope"; then
        echo "run.sh: import --commit and import + commit wrote different documents" >&2
        exit 1
    fi
    same_doc="documents of import --commit and import + commit byte-identical ($size items)"
    # both registers hold their rows in id order, the order every reading
    # takes: verify of either takes the same time (one run each, no signature)
    tm "$W/.out" "$SCOPEREG" -R "$R1" verify
    v1_wall=$T_WALL v1_cpu=$T_CPU
    tm "$W/.out" "$SCOPEREG" -R "$R" verify
    same_doc="$same_doc
verify of the register made by import --commit: $v1_wall s wall, $v1_cpu s cpu; by import + commit: $T_WALL s, $T_CPU s"
    rm -f "$W/two.scope" "$W/one.scope" "$R1"
fi

echo "run.sh: sqlite3 .import" >&2
best_reset
for ((k = 1; k <= repeat; k++)); do
    rm -f "$W/sqlite.db"
    seq_start
    tm "$W/.out" sqlite3 "$W/sqlite.db" '.mode csv' ".import $W/fleet.csv t"
    seq_add sqlite3 "$size"
    seq_keep
done
b_wall=$B_WALL b_cpu=$B_CPU b_rss=$B_RSS
rm -f "$W/sqlite.db"
# the floor of line 1: the same rows stored with two indexes over the id,
# (id) and (second column, id), as item_by_id and item_by_version: the
# cheaper of the two ways SQLite has, the indexes filled row by row or
# built once the rows are in
cols=$(head -n 1 "$W/fleet.csv" | tr -d '\r' | awk -F, '{ for (i = 1; i <= NF; i++)
    printf "%s\"c%d\" TEXT", (i > 1 ? ", " : ""), i }')
fl1_wall="" fl1_how=""
for how in "filled row by row" "built after the rows"; do
    best_reset
    for ((k = 1; k <= repeat; k++)); do
        rm -f "$W/sqlite.db"
        sqlite3 "$W/sqlite.db" "CREATE TABLE t($cols)"
        indexes=("CREATE INDEX t_id ON t(c1)" "CREATE INDEX t_v ON t(c2, c1)")
        if [ "$how" = "filled row by row" ]; then
            sqlite3 "$W/sqlite.db" "${indexes[@]}"
            indexes=()
        fi
        seq_start
        tm "$W/.out" sqlite3 "$W/sqlite.db" '.mode csv' ".import --skip 1 $W/fleet.csv t" "${indexes[@]}"
        seq_add sqlite3 "$size"
        seq_keep
    done
    if faster "$B_WALL" "$fl1_wall"; then
        fl1_wall=$B_WALL fl1_how=$how
    fi
done
rm -f "$W/sqlite.db"

if [ $signing = 1 ]; then
    best "sign (v1)" "$size" "$W/.out" "$SCOPEREG" -R "$R" sign 1 --key "$W/keys/provider.key"
    keep_rows
    "$SCOPEREG" -R "$R" sign 1 --key "$W/keys/client.key" >/dev/null
fi
best show "$size" "$W/.out" "$SCOPEREG" -R "$R" show 1
keep_rows
doc_mib=$(mib $(( $(stat -c %s "$W/.out") / 1024 )))
document "$R" 1 "$W/v1"

# the floors of lines 2 and 3: one read of the version's items, as the
# items query of a rendering reads them, and the document's hashes
fl_read=""
if [ -n "$FLOORBENCH" ]; then
    items_sql="SELECT max(id), max(kind), max(name), max(attrs), max(svc), max(sla), max(own), max(rev)
        FROM item INDEXED BY item_by_id WHERE since <= 1 AND (until IS NULL OR until > 1)"
    best "read" "$size" "$W/.out" sqlite3 "$R" "$items_sql"
    fl_read=$B_CPU
    read -r _ fl_256 _ fl_512 _ fl_leaves _ fl_tree _ fl_items _ fl_root < <("$FLOORBENCH" -r "$repeat" "$W/v1.scope")
    cp_root=$(awk '/^root: / { print $2 }' "$W/.export/"*-v1.checkpoint 2>/dev/null || true)
    if [ -n "$cp_root" ] && [ "$cp_root" != "$fl_root" ]; then
        echo "run.sh: floorbench's root ($fl_root) is not the checkpoint's ($cp_root)" >&2
        exit 1
    fi
    [ "$fl_items" = "$size" ] || [ -z "$cp_root" ] ||
        { echo "run.sh: floorbench found $fl_items item blocks, not $size" >&2; exit 1; }
    fl_check=$([ -n "$cp_root" ] && echo "root = the checkpoint's" || echo "no checkpoint to check the root")
fi

# ---- 2. verify vs minisign -V ----

echo "run.sh: verify" >&2
best "verify (1 version)" "$size" "$W/.out" "$SCOPEREG" -R "$R" verify
keep_rows
c_wall=$B_WALL c_cpu=$B_CPU c_rss=$B_RSS
best minisign 1 "$W/.out" minisign -Vq -p "$W/keys/provider.pub" -m "$W/v1.scope" -x "$W/v1.minisig"
d_wall=$B_WALL d_cpu=$B_CPU d_rss=$B_RSS

# ---- 2b. prove of one item vs minisign -V of its document ----

p_wall=""
if [ $signing = 1 ] && "$SCOPEREG" help prove >/dev/null 2>&1; then
    echo "run.sh: prove" >&2
    # the id of the item in the middle of version 1 (the CSV's values may
    # span lines, so its line numbers are no row numbers)
    pid=$("$SCOPEREG" -R "$R" show 1 | awk -v n=$(( size / 2 + 1 )) \
        '/^item: / && ++k == n { print substr($0, 7) }')
    [ -n "$pid" ] || die "no item in the middle of version 1"
    best "prove (1 item)" "$size" "$W/.out" "$SCOPEREG" -R "$R" prove "$pid" -o "$W/proof" --force
    keep_rows
    p_wall=$B_WALL p_cpu=$B_CPU p_rss=$B_RSS
    proof_bytes=$(cat "$W/proof"/* | wc -c)
    proof_verify=$(wc -c <"$W/proof/VERIFY.txt")
    proof_cps=$(cat "$W/proof"/*.checkpoint "$W/proof"/*.checkpoint.*.minisig | wc -c)
fi

# ---- 3. edit + commit (+ sign) vs minisign -V ----

# With 'commit --sign' (one command, one rendering of the document for the
# commit and the signature) when this scopereg has it; the separate
# 'commit' then 'sign' are measured after, for the table of commands.
commit_sign=0
[ $signing = 1 ] && [[ $("$SCOPEREG" help commit 2>&1) == *--sign* ]] && commit_sign=1
echo "run.sh: edit + commit$([ $signing = 1 ] && echo ' + sign')$([ $commit_sign = 1 ] && echo ' (commit --sign)')" >&2
id=$(awk -F, 'NR == 2 { print $1 }' "$W/fleet.csv")
# one change: edit, commit, sign (K: a distinct note each time)
one_change() {
    tm "$W/.out" "$SCOPEREG" -R "$R" edit "$id" --set "notes=écran remplacé, ticket #471$1"
    seq_add edit "$size"
    if [ "$2" = together ]; then
        tm "$W/.out" "$SCOPEREG" -R "$R" commit -m "Screen replaced ($1)" --sign --key "$W/keys/provider.key"
        seq_add "commit --sign (1 change)" "$size"
        return
    fi
    tm "$W/.out" "$SCOPEREG" -R "$R" commit -m "Screen replaced ($1)"
    seq_add "commit (1 change)" "$size"
    if [ $signing = 1 ]; then
        tm "$W/.out" "$SCOPEREG" -R "$R" sign latest --key "$W/keys/provider.key"
        seq_add "sign (1 change)" "$size"
    fi
}
best_reset
for ((k = 1; k <= repeat; k++)); do
    seq_start
    one_change "$k" "$([ $commit_sign = 1 ] && echo together || echo apart)"
    seq_keep
done
e_wall=$B_WALL e_cpu=$B_CPU e_rss=$B_RSS
keep_rows
latest=$((repeat + 1))
if [ $commit_sign = 1 ]; then
    best_reset
    for ((k = 1; k <= repeat; k++)); do
        seq_start
        one_change "$((repeat + k))" apart
        seq_keep
    done
    keep_rows
    apart_wall=$B_WALL
fi
document "$R" "$latest" "$W/v2"
best minisign 1 "$W/.out" minisign -Vq -p "$W/keys/provider.pub" -m "$W/v2.scope" -x "$W/v2.minisig"
f_wall=$B_WALL f_cpu=$B_CPU f_rss=$B_RSS
rm -f "$W/v1.scope" "$W/v2.scope" "$W/fleet.csv" "$R"

# ---- 4. verify of many versions vs minisign -V of their documents ----

echo "run.sh: history register, $hist_items items x $hist_versions versions" >&2
H=$W/history.db
new_register "$H"
"$GENFLEET" "$hist_items" >"$W/hist.csv"
"$SCOPEREG" -R "$H" import "$W/hist.csv" >/dev/null
"$SCOPEREG" -R "$H" commit -m "Initial inventory" >/dev/null
delta_rows=$(( hist_items / 200 < 10 ? 10 : hist_items / 200 > 500 ? 500 : hist_items / 200 ))
for ((v = 2; v <= hist_versions; v++)); do
    "$GENFLEET" -d $((v - 1)) -m "$delta_rows" "$hist_items" >"$W/delta.csv"
    "$SCOPEREG" -R "$H" import "$W/delta.csv" >/dev/null
    if (( v % 10 == 0 )); then
        gone=$(awk -F, -v n=$((v * 37 % hist_items + 1)) \
            '/^[A-Z]+-[0-9][0-9][0-9][0-9][0-9][0-9][0-9],/ && ++k == n { print $1; exit }' \
            "$W/hist.csv")
        "$SCOPEREG" -R "$H" remove "$gone" --reason "retired in quarter $v" >/dev/null
    fi
    "$SCOPEREG" -R "$H" commit -m "Quarterly re-export $v" >/dev/null
done
mkdir -p "$W/docs"
for ((v = 1; v <= hist_versions; v++)); do
    [ $signing = 1 ] && sign_both "$H" $v
    document "$H" $v "$W/docs/v$v"
done
hist_doc_mib=$(mib $(( $(cat "$W/docs/"*.scope | wc -c) / 1024 )))
cat >"$W/verify_all.sh" <<EOF
set -e
for ((v = 1; v <= $hist_versions; v++)); do
    minisign -Vq -p "$W/keys/provider.pub" -m "$W/docs/v\$v.scope" -x "$W/docs/v\$v.minisig"
done
EOF
echo "run.sh: verify of $hist_versions versions" >&2
best "verify ($hist_versions versions)" "$hist_items" "$W/.out" "$SCOPEREG" -R "$H" verify
keep_rows
g_wall=$B_WALL g_cpu=$B_CPU g_rss=$B_RSS
best minisign "$hist_versions" "$W/.out" bash "$W/verify_all.sh"
h_wall=$B_WALL h_cpu=$B_CPU h_rss=$B_RSS

# ---- the table ----

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.001; printf "%.2fx", a / b }'; }
verdict() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { if (b <= 0) b = 0.001; print (a / b <= t ? "met" : "over") }'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo "?")
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "?")
echo
echo "scopereg benchmark: $size rows (CSV $csv_mib MiB, document $doc_mib MiB);" \
     "history $hist_items items x $hist_versions versions (documents $hist_doc_mib MiB); best of $repeat"
echo "machine: $(nproc) x $cpu, $mem; SQLite $(sqlite3 --version | cut -d' ' -f1);" \
     "$(minisign -v); signatures: $([ $signing = 1 ] && echo 'scopereg sign' || echo 'minisign -S (no scopereg sign)')"
echo
fmt="%-36s %8s %7s %8s   %-24s %8s %7s %8s  %7s  %-7s %s\n"
printf "$fmt" "scopereg" "wall s" "cpu s" "RSS MiB" "reference" "wall s" "cpu s" "RSS MiB" "ratio" "target" ""
row() { # LABEL WALL CPU RSS REF RWALL RCPU RRSS TARGET
    printf "$fmt" "$1" "$2" "$(cpus "$3")" "$(mib "$4")" "$5" "$6" "$(cpus "$7")" "$(mib "$8")" "$(ratio "$2" "$6")" \
        "<= ${9}x" "$(verdict "$2" "$6" "$9")"
}
row "import + commit, $size rows" "$a_wall" "$a_cpu" "$a_rss" "sqlite3 .import" "$b_wall" "$b_cpu" "$b_rss" 1.0
[ $one_cmd = 1 ] &&
    row "import --commit (one command)" "$o_wall" "$o_cpu" "$o_rss" "sqlite3 .import" "$b_wall" "$b_cpu" "$b_rss" 1.0
row "verify, 1 version of $size items" "$c_wall" "$c_cpu" "$c_rss" "minisign -V, 1 document" "$d_wall" "$d_cpu" "$d_rss" 4
row "edit + commit$([ $commit_sign = 1 ] && echo ' --sign' || { [ $signing = 1 ] && echo ' + sign'; }), $size items" "$e_wall" "$e_cpu" "$e_rss" "minisign -V, 1 document" "$f_wall" "$f_cpu" "$f_rss" 4
row "verify, $hist_versions versions of $hist_items items" "$g_wall" "$g_cpu" "$g_rss" "minisign -V, $hist_versions docs" "$h_wall" "$h_cpu" "$h_rss" 3
[ -z "$p_wall" ] ||
    row "prove of 1 item, $size items" "$p_wall" "$p_cpu" "$p_rss" "minisign -V, 1 document" "$d_wall" "$d_cpu" "$d_rss" 4
[ -z "$p_wall" ] ||
    printf "proof folder of 1 item: %s bytes in all, %s besides the checkpoints and their signatures (%s; VERIFY.txt %s)   target < 10000 bytes besides the checkpoints  %s\n" \
        "$proof_bytes" "$((proof_bytes - proof_cps))" "$proof_cps" "$proof_verify" \
        "$([ $((proof_bytes - proof_cps)) -lt 10000 ] && echo met || echo over)"
echo
printf "%-36s %8s %8s %7s %8s   %s\n" "scopereg command" "items" "wall s" "cpu s" "RSS MiB" "target: RSS <= 64 MiB"
while read -r name items wall cpus rss; do
    printf "%-36s %8s %8s %7s %8s   %s\n" "${name//_/ }" "$items" "$wall" "$(cpus "$cpus")" "$(mib "$rss")" \
        "$([ "$rss" -le 65536 ] && echo met || echo over)"
done <"$W/.cmds"
echo
ncpu=$(nproc)
echo "floors: the work any implementation of these formats must do, measured by itself;" \
     "lines 2 and 3 on $ncpu processors at best (cpu s / $ncpu)"
printf "line 1  sqlite3 .import with two indexes over the id (%s): %s s; ratio %s (target 1.0x)\n" \
    "$fl1_how" "$fl1_wall" "$(ratio "$fl1_wall" "$b_wall")"
if [ -n "$fl_read" ]; then
    fl_hashes=$(awk -v a="$fl_256" -v b="$fl_512" -v c="$fl_leaves" -v d="$fl_tree" 'BEGIN { printf "%.3f", a + b + c + d }')
    fl2=$(awk -v r="$fl_read" -v h="$fl_hashes" -v n="$ncpu" 'BEGIN { printf "%.3f", (r + h) / n }')
    fl3=$(awk -v r="$fl_read" -v a="$fl_256" -v h="$fl_hashes" -v n="$ncpu" 'BEGIN { printf "%.3f", (2 * r + a + h) / n }')
    # commit --sign: one rendering, so one read and the hashes (line 2's work)
    [ $commit_sign = 1 ] && fl3=$fl2
    printf "line 2  read %s + hashes %s (BLAKE2b-256 %s, prehash %s, leaves %s, tree %s; %s) = %s s; ratio %s (target 4x)\n" \
        "$fl_read" "$fl_hashes" "$fl_256" "$fl_512" "$fl_leaves" "$fl_tree" "$fl_check" "$fl2" "$(ratio "$fl2" "$d_wall")"
    if [ $commit_sign = 1 ]; then
        printf "line 3  commit --sign: read %s + hashes %s = %s s; ratio %s (target 4x)\n" \
            "$fl_read" "$fl_hashes" "$fl3" "$(ratio "$fl3" "$f_wall")"
    else
        printf "line 3  commit: read %s + BLAKE2b-256 %s; sign: read %s + hashes %s = %s s; ratio %s (target 4x)\n" \
            "$fl_read" "$fl_256" "$fl_read" "$fl_hashes" "$fl3" "$(ratio "$fl3" "$f_wall")"
    fi
else
    echo "lines 2 and 3: no floorbench beside $SCOPEREG (built with the project: tests/bench/floorbench)"
fi
if [ $commit_sign = 1 ]; then
    echo
    printf "line 3 as three commands: edit + commit + sign, %s items: %s s wall; ratio to minisign -V %s\n" \
        "$size" "$apart_wall" "$(ratio "$apart_wall" "$f_wall")"
fi
if [ $one_cmd = 1 ]; then
    echo
    printf "%-36s %8s %7s %8s   ratio to sqlite3 .import: wall %s, cpu %s (target 1.0)\n" \
        "one command: import --commit, $size" "$o_wall" "$(cpus "$o_cpu")" "$(mib "$o_rss")" \
        "$(ratio "$o_wall" "$b_wall")" "$(ratio "$o_cpu" "$b_cpu")"
    echo "$same_doc"
fi
