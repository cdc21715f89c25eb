#!/usr/bin/env bash
# t_services_documents.sh - scope-register/2 documents read without a
# register: verify --documents re-derives each item's coverage from the
# document's own sections (kind defaults, services, classes) and checks the
# values of its terms as input does; the coverage lines are the two right
# after name:, a services: or sla: line elsewhere is an attribute for every
# reader (verify --documents, at --documents). Each forged document is
# re-signed by both parties with stock minisign: only its own story tells.
. "$(dirname "$0")/lib.sh"
command -v minisign >/dev/null || skip "minisign is not installed"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok service add backup --name 'Daily backup'
sr_ok service add monitoring --name Monitoring
sr_ok service add support --name 'User support'
sr_ok sla add gold --name Gold --hours 24/7 --availability 99.90 --response critical=1h
sr_ok sla add silver --name Silver --availability 99
sr_ok coverage --kind server --service monitoring,backup --sla gold
sr_ok add SRV-01 --kind server --name 'File server' --set os=Linux
sr_ok add SRV-02 --kind server --name 'Print server' --service monitoring --sla silver
sr_ok add PC-01 --kind workstation --name Compta --service support --sla silver
sr_ok commit -m v1 --author jm
SCOPEREG_NOW=2026-01-11T09:00:00Z sr_ok sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-12T09:00:00Z sr_ok sign 1 --key "$K/client.key"
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_ok edit SRV-01 --service monitoring
sr_ok commit -m v2 --author jm
SCOPEREG_NOW=2026-02-02T09:00:00Z sr_ok sign 2 --key "$K/provider.key"
SCOPEREG_NOW=2026-02-03T09:00:00Z sr_ok sign 2 --key "$K/client.key"
export SCOPEREG_NOW=2026-03-01T00:00:00Z
sr_ok export 1 -o "$WORK/one"
sr_ok export 2 -o "$WORK/two"
expect_ok "$SCOPEREG" verify --documents "$WORK/one"
expect_stdout_contains "1 document: 1 agreed"
expect_ok "$SCOPEREG" verify --documents "$WORK/two"
expect_stdout_contains "2 documents: 2 agreed"
V1=ACME-1-v1.scope
V2=ACME-1-v2.scope

# sign_again DOC: both parties sign DOC again, a few days after its date.
sign_again() {
    case $1 in
    *-v1.scope) SIGN_WHEN=2026-01-15T10:00:00Z both_sign "$1" ;;
    *) SIGN_WHEN=2026-02-05T10:00:00Z both_sign "$1" ;;
    esac
}

# forge NAME FROM FILE SED...: a copy of folder FROM as $WORK/NAME, FILE in it
# edited by the sed scripts (each must change it) and re-signed by both.
forge() {
    local name=$1 from=$2 file=$3 d=$WORK/$1 s
    shift 3
    rm -rf "$d"
    cp -r "$WORK/$from" "$d"
    for s in "$@"; do
        cp "$d/$file" "$WORK/.before"
        sed -i "$s" "$d/$file"
        cmp -s "$d/$file" "$WORK/.before" && fail "forge $name: '$s' changed nothing"
    done
    sign_again "$d/$file"
    F=$d
}

echo "# F2: an item's inherited coverage must be its kind's default in the same document"
forge inherit-none one $V1 \
    's/^  services: support (own)$/  services: backup, support (kind default)/'
docs_caught "$F" "version 1: BROKEN" "item PC-01 records services 'backup, support' from its kind's default" \
    "the document has no default of kind workstation"
refused_in 1 "item PC-01 records services 'backup, support'" "$F" \
    "$SCOPEREG" at 2026-01-20 PC-01 --service backup --documents "$F"
forge inherit-other one $V1 \
    's/^  services: backup, monitoring (kind default)$/  services: monitoring (kind default)/'
docs_caught "$F" "version 1: BROKEN" \
    "item SRV-01 records services 'monitoring' from its kind's default, but the document's default of kind server is 'backup, monitoring'"
forge inherit-sla one $V1 's/^  sla: gold (kind default)$/  sla: silver (kind default)/'
docs_caught "$F" "version 1: BROKEN" \
    "item SRV-01 records sla 'silver' from its kind's default, but the document's default of kind server is 'gold'"
echo "# F2: every service and class an item or a default names is defined in the document"
forge ghost-own one $V1 's/^  services: monitoring (own)$/  services: ghost, monitoring (own)/'
docs_caught "$F" "version 1: BROKEN" "item SRV-02 names service ghost, which the document does not define"
refused_in 1 "item SRV-02 names service ghost" "$F" \
    "$SCOPEREG" at 2026-01-20 SRV-02 --service ghost --documents "$F"
refused_in 1 "1 version in this history does not hold" "$F" \
    "$SCOPEREG" history SRV-02 --documents "$F"
forge ghost-class one $V1 's/^  sla: silver (own)$/  sla: platinum (own)/'
docs_caught "$F" "version 1: BROKEN" "item PC-01 names class platinum, which the document does not define"
forge ghost-default one $V1 '/^default: server$/,/^$/s/^  services: backup, monitoring$/  services: backup, ghost/' \
    's/^  services: backup, monitoring (kind default)$/  services: backup, ghost (kind default)/'
docs_caught "$F" "version 1: BROKEN" "the default of kind server names service ghost, which the document does not define"

echo "# F8: term values pass the checks input makes"
forge avail one $V1 's/^  availability: 99.9%$/  availability: 150%/'
docs_caught "$F" "version 1: BROKEN" "class 'gold'" "'availability' is not canonical"
forge zero-h one $V1 's/^  response critical: 1h$/  response critical: 0h/'
docs_caught "$F" "version 1: BROKEN" "class 'gold'" "'response critical' is not canonical"
forge unsorted one $V1 '/^default: server$/,/^$/s/^  services: backup, monitoring$/  services: monitoring, backup/'
docs_caught "$F" "version 1: BROKEN" "default 'server'" "'services' is not canonical"

echo "# F3: the coverage lines are the two right after name:; an attribute of that name is no coverage"
forge swapped one $V1 '/^item: SRV-02$/,/^$/{/^  services: /{h;d};/^  sla: /G}'
docs_caught "$F" "BROKEN" "expected the coverage line"
# a services attribute after the coverage lines (a register made before may
# hold one): an attribute for every reader, whatever it looks like
for val in 'daily copies' 'backup, monitoring (own)'; do
    forge attr one $V1 "/^item: SRV-02\$/,/^\$/s/^  sla: silver (own)\$/&\\n  services: $val/"
    expect_ok "$SCOPEREG" verify --documents "$F"
    expect_stdout_contains "1 document: 1 agreed, 0 pending, 0 broken"
    expect_ok "$SCOPEREG" at 2026-01-20 SRV-02 --service monitoring --documents "$F"
    expect_stdout_contains "SRV-02 was covered for monitoring"
    expect_exit 1 "$SCOPEREG" at 2026-01-20 SRV-02 --service backup --documents "$F"
    expect_stdout_contains "SRV-02 was not covered for backup"
    expect_ok "$SCOPEREG" at 2026-01-20 SRV-02 --documents "$F"
    expect_stdout_contains "services: $val"
done
# the attribute in both versions, removed by a third: the modification's
# services: line is the attribute's (not at the coverage place, no coverage value)
forge attr2 two $V1 "/^item: SRV-02\$/,/^\$/s/^  sla: silver (own)\$/&\\n  services: daily copies/"
h1=$(b2_of "$F/$V1")
sed -i "s/^previous: .*/previous: $h1/; /^item: SRV-02\$/,/^\$/s/^  sla: silver (own)\$/&\\n  services: daily copies/" "$F/$V2"
sign_again "$F/$V2"
expect_ok "$SCOPEREG" verify --documents "$F"
expect_stdout_contains "2 documents: 2 agreed, 0 pending, 0 broken"
expect_ok "$SCOPEREG" history SRV-02 --documents "$F"
# a modification of SRV-02 in a copy of version 2: its attribute goes, its class changes
cp -r "$F" "$WORK/attr3"
F3=$WORK/attr3
sed -i -e 's/^changes: 1$/changes: 2/' \
    -e '/^  services: "backup, monitoring (kind default)" -> "monitoring (own)"$/a ~ SRV-02\n  sla: "silver (own)" -> "gold (own)"\n  services: "daily copies" -> (none)' \
    "$F3/$V2"
sed -i '/^item: SRV-02$/,/^$/{/^  services: daily copies$/d;s/^  sla: silver (own)$/  sla: gold (own)/}' "$F3/$V2"
sign_again "$F3/$V2"
expect_ok "$SCOPEREG" verify --documents "$F3"
expect_stdout_contains "2 documents: 2 agreed, 0 pending, 0 broken"
expect_ok "$SCOPEREG" at 2026-02-10 SRV-02 --documents "$F3"
expect_stdout_lacks "daily copies"
expect_stdout_contains "sla: gold (own)"

echo "# F11: a fault both checks find is said once"
forge twice two $V2 '/^item: SRV-01$/,/^$/s/^  services: monitoring (own)$/  services: backup, monitoring (own)/'
docs_caught "$F" "version 2: BROKEN" 'version 2 changes services of SRV-01 to "monitoring (own)"'
n=$(grep -o 'version 2 changes services of SRV-01' "$OUT_FILE" | wc -l)
[ "$n" = 1 ] || fail "the reason is given $n times, not once"
pass "the reason is given once"

[ "$CASES" -ge 12 ] || fail "only $CASES attack cases ran"
done_checks
