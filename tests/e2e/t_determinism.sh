#!/usr/bin/env bash
# t_determinism.sh - the scope document is a function of the register state
# only: byte-identical across runs; two registers built by the same commands
# with the same keys and $SCOPEREG_NOW differ only in the register: line
# (and, from version 2 on, the previous: line, which hashes a document that
# holds the register id: docs/FORMAT.md); the staging order, the time zone,
# the locale and the spelling of $SCOPEREG_NOW change nothing.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties

# A locale other than C when the system has one.
OTHER_LOCALE=C
for l in fr_CH.UTF-8 fr_CH.utf8 de_CH.UTF-8 de_CH.utf8 fr_FR.UTF-8 fr_FR.utf8 C.UTF-8 C.utf8; do
    if locale -a 2>/dev/null | grep -qx "$l"; then
        OTHER_LOCALE=$l
        break
    fi
done
echo "# other locale: $OTHER_LOCALE"

# build DIR ORDER [NOW1 NOW2 NOW3]: a register with three versions; ORDER
# "forward" or "reverse" is the order in which version 1's items are staged.
build() {
    local dir=$1 order=$2 now1=${3:-2026-01-10T09:00:00Z} now2=${4:-2026-02-01T10:00:00Z}
    local now3=${5:-2026-03-01T08:00:00Z}
    local reg="$dir/scope.db"
    mkdir -p "$dir"
    b() { "$SCOPEREG" -R "$reg" "$@" >>"$dir/log" 2>&1 || fail "in $dir: $(show_cmd "$@") failed: $(tail -n 3 "$dir/log")"; }
    SCOPEREG_NOW=$now1 b init --contract ACME-2026-01 --provider 'Helvetia IT SA' \
        --provider-key "$PKEY" --client 'ACME SA' --client-key "$CKEY"
    local adds=(
        "PC-01|poste|Poste compta|serial=SN-001"
        "SRV-01|serveur|File server|ip=10.0.0.5"
        "pc-002|PC|Laptop Müller|notes=a	b"
        "Ébauche|logiciel|Ébauche|licences=25"
        "FW-01|pare-feu||vendor=Fortinet"
        "Z-9|imprimante|Canon|location=Lausanne, 2e étage"
    )
    local i n=${#adds[@]} id kind name kv
    for ((i = 0; i < n; i++)); do
        local k=$i
        [ "$order" = reverse ] && k=$((n - 1 - i))
        IFS='|' read -r id kind name kv <<<"${adds[$k]}"
        SCOPEREG_NOW=$now1 b add "$id" --kind "$kind" --name "$name" --set "$kv"
    done
    SCOPEREG_NOW=$now1 b commit -m 'Initial inventory' --author 'J. Muller'
    if [ "$order" = reverse ]; then
        SCOPEREG_NOW=$now2 b add WS-03 --kind laptop
        SCOPEREG_NOW=$now2 b remove FW-01 --reason 'replaced'
        SCOPEREG_NOW=$now2 b edit SRV-01 --set ip=10.0.0.6 --set 'notes=line1
line2'
    else
        SCOPEREG_NOW=$now2 b edit SRV-01 --set ip=10.0.0.6 --set 'notes=line1
line2'
        SCOPEREG_NOW=$now2 b remove FW-01 --reason 'replaced'
        SCOPEREG_NOW=$now2 b add WS-03 --kind laptop
    fi
    SCOPEREG_NOW=$now2 b commit -m 'Q1' --author jm
    SCOPEREG_NOW=$now3 b edit pc-002 --unset notes --name 'Laptop Muller'
    SCOPEREG_NOW=$now3 b commit -m 'Q2' --author jm
}

# strip FILE N: the document without the lines that carry the register id.
strip() {
    if [ "$2" -ge 2 ]; then
        grep -v -e '^register: ' -e '^previous: ' "$1"
    else
        grep -v -e '^register: ' "$1"
    fi
}

# docs DIR PREFIX [env...]: show 1..3 of DIR's register into PREFIX.N
docs() {
    local dir=$1 prefix=$2 n
    shift 2
    for n in 1 2 3; do
        env "$@" "$SCOPEREG" -R "$dir/scope.db" show "$n" >"$prefix.$n" 2>"$prefix.err" ||
            fail "show $n of $dir failed: $(cat "$prefix.err")"
        [ -s "$prefix.$n" ] || fail "show $n of $dir is empty"
    done
}

# same_but_ids A B WHAT: documents A.N and B.N equal apart from the
# register:/previous: lines, and those lines differ.
same_but_ids() {
    local a=$1 b=$2 what=$3 n
    for n in 1 2 3; do
        strip "$a.$n" "$n" >"$a.$n.stripped"
        strip "$b.$n" "$n" >"$b.$n.stripped"
        expect_file_equal "$a.$n.stripped" "$b.$n.stripped" "$what: version $n equal apart from the register id"
        local la lb
        la=$(wc -l <"$a.$n")
        lb=$(wc -l <"$b.$n")
        [ "$la" -eq "$lb" ] || fail "$what: version $n has $la lines in one register, $lb in the other"
        diff "$a.$n" "$b.$n" | grep '^[<>]' | grep -v -e '^[<>] register: ' -e '^[<>] previous: ' >/dev/null &&
            fail "$what: version $n differs outside the register:/previous: lines"
        grep -q '^register: ' "$a.$n" || fail "version $n has no register: line"
        [ "$(grep '^register: ' "$a.$n")" != "$(grep '^register: ' "$b.$n")" ] ||
            fail "$what: both registers have the same id"
        if [ "$n" -ge 2 ]; then
            [ "$(grep '^previous: ' "$a.$n")" != "$(grep '^previous: ' "$b.$n")" ] ||
                fail "$what: version $n's previous: lines are equal although version $((n - 1))'s register: lines differ"
        fi
        pass "$what: version $n differs only in register:$([ "$n" -ge 2 ] && echo ' and previous:')"
    done
}

echo "# register A"
build "$WORK/a" forward
docs "$WORK/a" "$WORK/A"

echo "# show is byte-identical across runs"
for run_no in 2 3; do
    docs "$WORK/a" "$WORK/A$run_no"
    for n in 1 2 3; do
        expect_file_equal "$WORK/A$run_no.$n" "$WORK/A.$n" "show $n, run $run_no"
    done
done

echo "# show is the same in another time zone and locale"
docs "$WORK/a" "$WORK/Atz" TZ=Pacific/Auckland LC_ALL="$OTHER_LOCALE"
for n in 1 2 3; do
    expect_file_equal "$WORK/Atz.$n" "$WORK/A.$n" "show $n with TZ=Pacific/Auckland LC_ALL=$OTHER_LOCALE"
done
docs "$WORK/a" "$WORK/Atz2" TZ=America/Los_Angeles LANG="$OTHER_LOCALE" LC_ALL=
for n in 1 2 3; do
    expect_file_equal "$WORK/Atz2.$n" "$WORK/A.$n" "show $n with TZ=America/Los_Angeles LANG=$OTHER_LOCALE"
done

echo "# register B: same commands, same keys, same clock"
build "$WORK/b" forward
docs "$WORK/b" "$WORK/B"
same_but_ids "$WORK/A" "$WORK/B" "A and B"

echo "# register C: items staged in another order"
build "$WORK/c" reverse
docs "$WORK/c" "$WORK/C"
same_but_ids "$WORK/A" "$WORK/C" "A and C (other staging order)"

echo "# register D: built in another time zone and locale, the clock written with offsets"
TZ=Pacific/Auckland LC_ALL="$OTHER_LOCALE" \
    build "$WORK/d" forward 2026-01-10T22:00:00+13:00 2026-02-01T05:00:00-05:00 2026-03-01T09:30:00.250+01:30
docs "$WORK/d" "$WORK/D"
same_but_ids "$WORK/A" "$WORK/D" "A and D (TZ, locale, offsets)"

echo "# the hashes chain the exact bytes"
for n in 2 3; do
    want=$(sed -n 's/^previous: //p' "$WORK/A.$n")
    got=$(b2_of "$WORK/A.$((n - 1))")
    if [ -n "$got" ]; then
        [ "$want" = "$got" ] || fail "previous: of version $n is $want, b2sum -l 256 of version $((n - 1)) is $got"
        pass "previous: of version $n is b2sum -l 256 of version $((n - 1))"
    fi
done
expect_ok "$SCOPEREG" -R "$WORK/a/scope.db" verify
expect_ok "$SCOPEREG" -R "$WORK/d/scope.db" verify

done_checks
