# lib.sh - helpers shared by the end-to-end tests (sourced, not run).
#
# The tests get $SCOPEREG (the built binary) and $SCOPEREG_SOURCE (the
# repository root) from CTest. They exit 77 to be counted as skipped, 0
# when every check held, and 1 on the first check that does not, after a
# "FAIL: ..." line saying what was expected and what came instead.
#
# After `run CMD...`, $RC is the exit status, $OUT_FILE and $ERR_FILE hold
# stdout and stderr byte for byte, and $OUT and $ERR hold them as strings.

set -u

if [ -z "${SCOPEREG:-}" ] || [ ! -x "${SCOPEREG:-}" ]; then
    echo "SKIP: \$SCOPEREG does not name an executable scopereg binary" >&2
    exit 77
fi

CHECKS=0
RC=0
OUT=""
ERR=""

# Every temporary file lives under $WORK, removed on exit whatever happens.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scopereg-e2e.XXXXXX") || { echo "FAIL: mktemp" >&2; exit 1; }
trap 'rm -rf "$WORK"' EXIT
OUT_FILE="$WORK/.stdout"
ERR_FILE="$WORK/.stderr"

# The clock and the register are the tests' own, whatever the caller's
# environment holds.
unset SCOPEREG_REGISTER SCOPEREG_PASSPHRASE SCOPEREG_AUTHOR
export SCOPEREG_NOW="2026-01-10T09:00:00Z"

fail() {
    echo "FAIL: $*" >&2
    if [ -s "$OUT_FILE" ] || [ -s "$ERR_FILE" ]; then
        echo "--- stdout of the last command:" >&2
        head -c 4000 "$OUT_FILE" >&2
        echo "--- stderr of the last command:" >&2
        head -c 4000 "$ERR_FILE" >&2
    fi
    exit 1
}

skip() {
    echo "SKIP: $*"
    exit 77
}

# Records a check that held.
pass() {
    CHECKS=$((CHECKS + 1))
    echo "ok $CHECKS - $*"
}

# Prints the closing line; call at the end of a script.
done_checks() {
    echo "all $CHECKS checks held"
    exit 0
}

# A printable rendering of a command line, for messages.
show_cmd() {
    local out="" a
    for a in "$@"; do
        out+="$(printf '%q' "$a") "
    done
    printf '%s' "${out% }"
}

run() {
    "$@" >"$OUT_FILE" 2>"$ERR_FILE"
    RC=$?
    OUT=$(cat "$OUT_FILE")
    ERR=$(cat "$ERR_FILE")
}

# expect_exit CODE CMD... : runs CMD and checks its exit status.
expect_exit() {
    local want=$1
    shift
    run "$@"
    [ "$RC" -eq "$want" ] || fail "$(show_cmd "$@"): exit $RC, expected $want"
    pass "$(show_cmd "$@") exits $want"
}

# expect_ok CMD... : expect_exit 0.
expect_ok() {
    expect_exit 0 "$@"
}

expect_stdout_contains() {
    case "$OUT" in
    *"$1"*) pass "stdout contains '$1'" ;;
    *) fail "stdout does not contain '$1'" ;;
    esac
}

expect_stdout_lacks() {
    case "$OUT" in
    *"$1"*) fail "stdout contains '$1'" ;;
    *) pass "stdout does not contain '$1'" ;;
    esac
}

expect_stderr_contains() {
    case "$ERR" in
    *"$1"*) pass "stderr contains '$1'" ;;
    *) fail "stderr does not contain '$1'" ;;
    esac
}

expect_output_contains() {
    case "$OUT$ERR" in
    *"$1"*) pass "output contains '$1'" ;;
    *) fail "neither stdout nor stderr contains '$1'" ;;
    esac
}

expect_stdout_empty() {
    [ ! -s "$OUT_FILE" ] || fail "stdout is not empty"
    pass "stdout is empty"
}

# The error is one line "error: ..." on stderr; a "usage: ..." line may
# follow it, nothing else.
expect_one_error_line() {
    local n others
    n=$(grep -c '^error: ' "$ERR_FILE")
    others=$(grep -v -c -e '^error: ' -e '^usage: ' "$ERR_FILE")
    [ "$n" -eq 1 ] || fail "expected exactly one 'error: ' line on stderr, got $n"
    [ "$others" -eq 0 ] || fail "stderr holds $others lines besides the error and usage lines"
    pass "one error line: $(head -n 1 "$ERR_FILE")"
}

# expect_file_equal FILE WANT_FILE WHAT
expect_file_equal() {
    if ! cmp -s "$1" "$2"; then
        echo "--- diff (expected, got):" >&2
        diff -u "$2" "$1" >&2 | head -n 60
        fail "$3: bytes differ"
    fi
    pass "$3"
}

sha_of() {
    sha256sum "$1" | cut -d' ' -f1
}

# expect_same_sha FILE SHA WHAT: the file is byte-for-byte what it was.
expect_same_sha() {
    local now
    now=$(sha_of "$1")
    [ "$now" = "$2" ] || fail "$3: $1 changed"
    pass "$3: $(basename "$1") unchanged"
}

# make_keys NAME...: NAME.pub and NAME.key under $WORK/keys, with scopereg
# keygen, else stock minisign; skips the test when neither can.
make_keys() {
    local name dir="$WORK/keys"
    mkdir -p "$dir"
    for name in "$@"; do
        if "$SCOPEREG" keygen -o "$dir/$name" --unencrypted >/dev/null 2>&1 &&
            [ -s "$dir/$name.pub" ]; then
            continue
        fi
        rm -f "$dir/$name.pub" "$dir/$name.key"
        if command -v minisign >/dev/null 2>&1 &&
            minisign -G -W -p "$dir/$name.pub" -s "$dir/$name.key" >/dev/null 2>&1 </dev/null; then
            continue
        fi
        skip "cannot make a key pair: neither 'scopereg keygen' nor minisign works"
    done
}

# The key id of a minisign public key file, as minisign prints it.
key_id() {
    # From the key itself, not the untrusted comment: minisign writes the id
    # there without leading zeros, so an id starting with 0 has fewer digits.
    grep -v '^untrusted comment:' "$1" | head -n 1 | base64 -d 2>/dev/null |
        od -An -tx1 -j2 -N8 | tr -s ' \n' '\n' | grep . | tac | tr -d '\n' | tr 'a-f' 'A-F'
}

# b2sum -l 256 of a file in the "blake2b-256:<hex>" form (FORMAT.md), or
# nothing when b2sum is absent.
b2_of() {
    command -v b2sum >/dev/null 2>&1 || return 0
    printf 'blake2b-256:%s' "$(b2sum -l 256 "$1" | cut -d' ' -f1)"
}

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# ---- The parties and their register ----
#
# Most scripts start the same way:
#     parties             # or: parties client2027 stranger ...
#     init_reg ACME-1     # or: expect_ok init_reg ACME-1 [OPTION...]
# and then drive $REG with `sr CMD...` (or `sr_ok CMD...`).

K="$WORK/keys"        # key pairs made by make_keys and parties
REG="$WORK/acme.db"   # the register sr, sr_ok and init_reg use (a script may set another)

# parties [NAME...]: key pairs for provider, client and every NAME under
# $K; sets PKEY and CKEY (the two public key files) and PID and CID (their
# key ids). Skips the test when no key pair can be made.
parties() {
    make_keys provider client "$@"
    PKEY="$K/provider.pub"
    CKEY="$K/client.pub"
    PID=$(key_id "$PKEY")
    CID=$(key_id "$CKEY")
    [ ${#PID} -eq 16 ] && [ ${#CID} -eq 16 ] || fail "cannot read the key ids of the key files"
}

# sr CMD...: scopereg on $REG.
sr() {
    "$SCOPEREG" -R "$REG" "$@"
}

# sr_on DB CMD...: scopereg on DB, its output appended to $WORK/build.log;
# the test fails when it does not exit 0 (not a check: a step of a setup).
sr_on() {
    local db=$1
    shift
    "$SCOPEREG" -R "$db" "$@" >>"$WORK/build.log" 2>&1 ||
        fail "$(show_cmd "$@") on $db failed: $(tail -n 3 "$WORK/build.log")"
}

# sr_ok CMD...: sr_on $REG.
sr_ok() {
    sr_on "$REG" "$@"
}

# init_reg CONTRACT [OPTION...]: `scopereg init` of $REG between
# 'Helvetia IT SA' ($PKEY) and 'ACME SA' ($CKEY), OPTIONs added. Returns
# its exit status: run it under expect_ok, or let init_reg_ok check it.
init_reg() {
    local contract=$1
    shift
    sr init --contract "$contract" --provider 'Helvetia IT SA' --provider-key "$PKEY" \
        --client 'ACME SA' --client-key "$CKEY" "$@"
}

# init_reg_ok CONTRACT [OPTION...]: init_reg, failing the test when it
# does not exit 0 (not a check).
init_reg_ok() {
    init_reg "$@" >"$WORK/.init.out" 2>"$WORK/.init.err" ||
        fail "init failed: $(cat "$WORK/.init.err")"
}

# agreed_history: $REG (contract ACME-1) with three versions agreed by both
# parties, each signed on the register: v1 adds SRV-01 and PC-001, v2 adds
# PC-002, v3 removes SRV-01 (dates from 2026-01-05 to 2026-03-03). Sets RID
# to the register id. Leaves $SCOPEREG_NOW at 2026-03-01T09:00:00Z.
agreed_history() {
    export SCOPEREG_NOW=2026-01-05T08:00:00Z
    init_reg_ok ACME-1
    RID=$(sqlite3 "$REG" "SELECT value FROM meta WHERE key = 'register'")
    export SCOPEREG_NOW=2026-01-10T09:00:00Z
    sr_ok add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
    sr_ok add PC-001 --kind workstation --name Compta
    sr_ok commit -m one --author jm
    SCOPEREG_NOW=2026-01-11T09:00:00Z sr_ok sign 1 --key "$K/provider.key"
    SCOPEREG_NOW=2026-01-12T09:00:00Z sr_ok sign 1 --key "$K/client.key"
    export SCOPEREG_NOW=2026-02-01T09:00:00Z
    sr_ok add PC-002 --kind workstation --name Accueil
    sr_ok commit -m two --author jm
    SCOPEREG_NOW=2026-02-02T09:00:00Z sr_ok sign 2 --key "$K/provider.key"
    SCOPEREG_NOW=2026-02-03T09:00:00Z sr_ok sign 2 --key "$K/client.key"
    export SCOPEREG_NOW=2026-03-01T09:00:00Z
    sr_ok remove SRV-01 --reason decommissioned
    sr_ok commit -m three --author jm
    SCOPEREG_NOW=2026-03-02T09:00:00Z sr_ok sign 3 --key "$K/provider.key"
    SCOPEREG_NOW=2026-03-03T09:00:00Z sr_ok sign 3 --key "$K/client.key"
}

# json_ok [WHAT]: stdout of the last command is one JSON document (checked
# with python3; a check that says so when python3 is absent).
json_ok() {
    local what=${1:+$1: }
    command -v python3 >/dev/null 2>&1 || { pass "${what}(python3 absent: JSON not parsed)"; return; }
    python3 -c 'import json,sys; json.load(sys.stdin)' <"$OUT_FILE" 2>"$WORK/.json.err" ||
        fail "${what}stdout is not JSON: $(cat "$WORK/.json.err")"
    pass "${what}stdout parses as JSON"
}

# refused [-f FILE] [-m WHAT] [-l CSV] CODE WORD... -- CMD...: CMD exits
# CODE with one error line, stderr holds every WORD, and FILE ($REG unless
# given) is byte for byte as it was. WHAT (printed as "# WHAT" first) names
# the case in the messages. With -l, stderr may also list the errors of
# CSV, one "CSV:LINE: ..." line each and an "and N more error..." line.
refused() {
    local file=$REG what="" listed="" code sha t0 ms w words=()
    while :; do
        case $1 in
        -f) file=$2; shift 2 ;;
        -m) what=$2; shift 2 ;;
        -l) listed=$2; shift 2 ;;
        *) break ;;
        esac
    done
    code=$1
    shift
    while [ "$1" != "--" ]; do
        words+=("$1")
        shift
    done
    shift
    [ -z "$what" ] || echo "# $what"
    sha=$(sha_of "$file")
    t0=$(now_ms)
    expect_exit "$code" "$@"
    ms=$(($(now_ms) - t0))
    if [ -n "$listed" ]; then
        [ "$(grep -c '^error: ' "$ERR_FILE")" -eq 1 ] || fail "expected one 'error: ' line"
        if grep -v -e '^error: ' -e "^$listed:[0-9]*: " -e '^and [0-9]* more error' "$ERR_FILE" | grep -q .; then
            fail "stderr holds lines that are neither the error nor '$listed:LINE: ...'"
        fi
        pass "one error line, $(($(wc -l <"$ERR_FILE") - 1)) listed: $(head -n 1 "$ERR_FILE" | cut -c 1-160)"
    else
        expect_one_error_line
    fi
    for w in "${words[@]}"; do
        expect_stderr_contains "$w"
    done
    expect_same_sha "$file" "$sha" "${what:-refused} ($ms ms)"
}

# snap DIR: one hash of the names, types and bytes of everything in DIR
# (FIFOs, devices and links by name and target only: never opened).
snap() {
    (cd "$1" && {
        find . -type f -print0 | sort -z | xargs -0 -r sha256sum
        find . ! -type f -printf '%y %p %l\n' | sort
    }) | sha256sum | cut -d' ' -f1
}

CASES=0 # attack cases tried and caught, counted by docs_caught and refused_in

# docs_caught DIR WHAT...: verify --documents DIR exits 1 within 10 s, its
# standard output holds every WHAT, stderr an error, and DIR is as it was.
docs_caught() {
    local dir=$1 before w
    shift
    before=$(snap "$dir")
    expect_exit 1 timeout 10 "$SCOPEREG" verify --documents "$dir"
    for w in "$@"; do
        expect_stdout_contains "$w"
    done
    expect_stderr_contains "error: "
    [ "$(snap "$dir")" = "$before" ] || fail "verify --documents wrote into $dir"
    pass "nothing written in $(basename "$dir")"
    CASES=$((CASES + 1))
}

# refused_in CODE WHAT DIR CMD...: CMD exits CODE within 20 s (never
# hangs) with one error line holding WHAT, and nothing in DIR changed.
refused_in() {
    local code=$1 what=$2 dir=$3 before
    shift 3
    before=$(snap "$dir")
    expect_exit "$code" timeout 20 "$@"
    expect_one_error_line
    expect_stderr_contains "$what"
    [ "$(snap "$dir")" = "$before" ] || fail "$(show_cmd "$@") wrote into $dir"
    pass "nothing written in $(basename "$dir")"
    CASES=$((CASES + 1))
}

# sign_as DOC ROLE KEY [WHEN [TC]]: stock minisign signs DOC as ROLE with
# $K/KEY.key, dated WHEN ($SIGN_WHEN, else 2026-04-01T10:00:00Z), with
# scopereg's trusted comment for it (or TC), into DOC's ROLE .minisig.
sign_as() {
    local doc=$1 role=$2 key=$3 when=${4:-${SIGN_WHEN:-2026-04-01T10:00:00Z}} rid n h tc
    rid=$(sed -n 's/^register: //p' "$doc")
    n=$(sed -n 's/^version: //p' "$doc")
    h=$(b2_of "$doc")
    tc=${5:-"scopereg register:$rid version:$n role:$role document:$h signed:$when"}
    rm -f "${doc%.scope}.$role.minisig"
    # signed outside scopereg: it travels without the checkpoint of earlier bytes
    rm -f "${doc%.scope}.checkpoint"*
    minisign -S -s "$K/$key.key" -m "$doc" -x "${doc%.scope}.$role.minisig" -t "$tc" \
        </dev/null >/dev/null 2>&1 || fail "minisign -S over $doc with $key.key"
}

# both_sign DOC: the provider and the client sign DOC again (each signed
# what it was shown: only the document's own story can tell a forgery).
both_sign() {
    sign_as "$1" provider provider
    sign_as "$1" client client
}

# verify_txt_holds DIR WHAT: every command of DIR/VERIFY.txt prints what it
# says (run_verify), else fail naming WHAT and the first mismatches.
# verify_txt_fails DIR WHAT: some command prints something else, else fail
# ("VERIFY.txt steps all pass WHAT"). Both leave run_verify's count line
# ("N commands, M mismatches") in VERIFY_RUN.
verify_txt_holds() {
    VERIFY_RUN=$(run_verify "$1" 2>"$WORK/run.err")
    case $VERIFY_RUN in *" 0 mismatches") ;; *) fail "$2: $VERIFY_RUN $(head -n 8 "$WORK/run.err")" ;; esac
}
verify_txt_fails() {
    VERIFY_RUN=$(run_verify "$1" 2>/dev/null)
    case $VERIFY_RUN in *" 0 mismatches") fail "VERIFY.txt steps all pass $2" ;; esac
}

# run_verify DIR: every "  $ " command of DIR/VERIFY.txt (a proof folder's),
# run in order in one bash shell from DIR (as VERIFY.txt asks: its shell
# functions and variables carry over), must print exactly the "  > " lines
# after it and exit 0. Prints "N commands, M mismatches" and each mismatch
# on stderr (python3).
run_verify() {
    python3 - "$1" <<'PYEOF'
import subprocess, sys
d = sys.argv[1]
cmds = []
for l in open(d + "/VERIFY.txt", encoding="utf-8").read().split("\n"):
    if l.startswith("  $ "):
        cmds.append([l[4:], []])
    elif l.startswith("  > "):
        cmds[-1][1].append(l[4:])
mark = "@@scopereg-run-verify@@"
script = "".join("%s\necho \"%s $?\"\n" % (cmd, mark) for cmd, _ in cmds)
p = subprocess.run(["bash", "-c", script], cwd=d, capture_output=True)
outs, cur = [], []
for l in p.stdout.decode("utf-8", "replace").split("\n"):
    if l.startswith(mark + " "):
        outs.append((cur, int(l.split()[-1])))
        cur = []
    else:
        cur.append(l)
bad = 0
for k, (cmd, want) in enumerate(cmds):
    got, rc = outs[k] if k < len(outs) else ([], -1)
    if got != want or rc != 0:
        bad += 1
        sys.stderr.write("mismatch (exit %d): %s\n  want %r\n  got  %r\n" % (rc, cmd[:120], want[:3], got[:3]))
print("%d commands, %d mismatches" % (len(cmds), bad))
PYEOF
}
