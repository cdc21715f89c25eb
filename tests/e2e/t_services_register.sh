#!/usr/bin/env bash
# t_services_register.sh - the register side of the functional scope: a
# scope-register/1 version holds no coverage whatever its rows' columns hold
# (verify BROKEN, `at --service` no answer), a row altered behind the tool's
# back gives no coverage answer, a long service list exports a readable
# document, a level given twice, exclusions normalised, and CSV cells
# claiming a kind's default refused unless they list it.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is absent"
command -v python3 >/dev/null 2>&1 || skip "python3 is absent (row digests recomputed with it)"

# cov_digest BASE SVC SLA OWN: the digest commit gives a row with coverage
# (scopereg_cov_digest over the row's digest without it): anyone with
# sqlite3 can recompute it, so only the version's format decides.
cov_digest() {
    python3 - "$@" <<'EOF'
import hashlib, struct, sys
h = hashlib.blake2b(digest_size=32)
def put(b):
    h.update(struct.pack('<Q', len(b)))
    h.update(b)
base, svc, sla, own = sys.argv[1:5]
for part in (b"coverage", base.encode(), svc.encode(), sla.encode(), own.encode()):
    put(part)
print(h.hexdigest()[:32])
EOF
}

echo "# a migrated register: versions 1 to 20 scope-register/1, 21 scope-register/2"
G="$WORK/g2.db"
cp "$SCOPEREG_SOURCE/tests/fixtures/golden2/register.db" "$G"
export SCOPEREG_NOW=2025-03-05T09:00:00Z
sr_on "$G" service add backup --name Backup
sr_on "$G" edit VPN-01 --name 'VPN changed' --service backup
sr_on "$G" commit -m v21 --author jm
expect_ok "$SCOPEREG" -R "$G" verify
echo "# a /1 version answers not covered, whatever a later version holds"
expect_exit 1 "$SCOPEREG" -R "$G" at 2025-01-07 SRV-01 --service backup
expect_stdout_contains "SRV-01 was not covered for backup"
expect_stdout_contains "services: none"

echo "# F1: svc set on a row of /1 versions only, its digest recomputed"
G1="$WORK/g2-f1.db"
cp "$G" "$G1"
old=$(sqlite3 "$G1" "SELECT digest FROM item WHERE id = 'SRV-01' AND since = 1")
new=$(cov_digest "$old" backup "" 0)
sqlite3 "$G1" "UPDATE item SET svc = 'backup', own = 0, digest = '$new' WHERE id = 'SRV-01' AND since = 1" ||
    fail "sqlite3 failed"
expect_exit 1 "$SCOPEREG" -R "$G1" verify
expect_output_contains "version 1: BROKEN"
expect_output_contains "item 'SRV-01' (row of version 1) has coverage in a scope-register/1 version"
refused -f "$G1" -m "at answers nothing from a /1 row with coverage" 1 "version 1 does not hold" \
    "item 'SRV-01' (row of version 1) has coverage in a scope-register/1 version" \
    "scopereg verify" -- "$SCOPEREG" -R "$G1" at 2025-01-07 SRV-01 --service backup
expect_stdout_lacks "covered for backup"
echo "# the same with only own set (svc and sla NULL)"
cp "$G" "$G1"
sqlite3 "$G1" "UPDATE item SET own = 0, digest = '$(cov_digest "$old" "" "" 0)' WHERE id = 'SRV-01' AND since = 1"
expect_exit 1 "$SCOPEREG" -R "$G1" verify
expect_output_contains "item 'SRV-01' (row of version 1) has coverage in a scope-register/1 version"

echo "# F7: a row altered after commit (no digest recomputed) gives no coverage answer"
cp "$G" "$G1"
sqlite3 "$G1" "UPDATE item SET svc = 'backup', own = 1 WHERE id = 'VPN-01' AND since = 2"
refused -f "$G1" -m "at --service on a row altered after commit" 1 "version 20 does not hold" \
    "item 'VPN-01' (row of version 2) was altered after commit" -- \
    "$SCOPEREG" -R "$G1" at 2025-03-02 VPN-01 --service backup
expect_stdout_lacks "covered for backup"
expect_exit 1 "$SCOPEREG" -R "$G1" verify
expect_output_contains "item 'VPN-01' (row of version 2) was altered after commit"

echo "# F4: a long list of services exports a document its reader takes back"
parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok add PC-01 --kind workstation --name Compta
ids=""
for i in $(seq 10 49); do
    id="svc-$i-xxxxxxxxxxxxxxxxxxxxxxxxx" # 32 characters
    sr_ok service add "$id" --name "N$i"
    ids="$ids,$id"
done
sr_ok edit PC-01 --service "${ids#,}"
sr_ok commit -m 'forty services' --author jm
SCOPEREG_NOW=2026-01-11T09:00:00Z sr_ok sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-12T09:00:00Z sr_ok sign 1 --key "$K/client.key"
export SCOPEREG_NOW=2026-02-01T09:00:00Z
expect_ok sr verify
expect_exit 0 sr at 2026-01-20 PC-01 --service svc-49-xxxxxxxxxxxxxxxxxxxxxxxxx
expect_stdout_contains "PC-01 was covered for svc-49-xxxxxxxxxxxxxxxxxxxxxxxxx"
expect_ok sr export 1 -o "$WORK/long"
line=$(grep '^  services: svc-10' "$WORK/long/ACME-1-v1.scope")
[ "${#line}" -gt 1024 ] || fail "the coverage line is only ${#line} bytes"
pass "the coverage line is ${#line} bytes"
expect_ok "$SCOPEREG" verify --documents "$WORK/long"
expect_stdout_contains "1 agreed, 0 pending, 0 broken"
expect_exit 0 "$SCOPEREG" at 2026-01-20 PC-01 --service svc-49-xxxxxxxxxxxxxxxxxxxxxxxxx \
    --documents "$WORK/long"
expect_stdout_contains "PC-01 was covered for svc-49-xxxxxxxxxxxxxxxxxxxxxxxxx"

echo "# F4: input refuses a list longer than a document's reader takes (65536 bytes)"
# 1927 ids of 32 characters and one of 18: exactly 65536 bytes once joined by ", "
python3 -c 'print(",".join(["s%04d" % i + "x" * 27 for i in range(1927)] + ["t" * 18]), end="")' \
    >"$WORK/list"
# with_list [EXTRA] CMD...: CMD with the list (EXTRA appended) as its last argument
with_list() {
    local extra=$1
    shift
    "$@" "$(cat "$WORK/list")$extra"
}
refused -m "a list of exactly 65536 bytes passes the length check (then names an unknown service)" \
    2 "item 'PC-01'" "no service 's0000" -- with_list "" sr edit PC-01 --service
refused -m "one byte more is refused, naming the item and the limit" 2 "item 'PC-01'" \
    "1928 services make a list of 65537 bytes, longer than the 65536 bytes a list of services may hold" -- \
    with_list t sr edit PC-01 --service
refused -m "the same for a kind's default" 2 \
    "a list of 65537 bytes, longer than the 65536 bytes" -- \
    with_list t sr coverage --kind workstation --service

echo "# F6: a level given twice, by the same word or another, is refused"
sr_ok service add backup --name Backup
sr_ok sla add gold --name Gold
refused -m "the same level in two words" 2 \
    "--response: level critical is given twice (critical=1h, critique=2h)" -- \
    sr sla add x1 --name X --response critical=1h --response critique=2h
refused -m "the same word twice" 2 "--resolution: level major is given twice (major=1d, major=2d)" -- \
    sr sla edit gold --resolution major=1d --resolution major=2d
expect_ok sr sla add x1 --name X --response critical=1h --resolution critique=4h
expect_ok sr status
expect_stdout_contains "class + x1"

echo "# F9: exclusions: blanks at either end refused, a twin differing only in case refused"
sr_ok exclusion add 'Training'
refused -m "spaces around an exclusion" 2 "exclusion ' Training ' begins or ends with a space; write 'Training'" -- \
    sr exclusion add ' Training '
refused -m "a trailing space" 2 "exclusion 'Hardware ' begins or ends with a space; write 'Hardware'" -- \
    sr exclusion add 'Hardware '
refused -m "blanks only" 2 "an exclusion is one line of text, not empty" -- sr exclusion add '   '
refused -m "the same exclusion in other case (staged)" 2 \
    "exclusion 'training' already exists as 'Training'" -- sr exclusion add 'training'
sr_ok commit -m 'terms' --author jm
refused -m "the same exclusion in other case (committed)" 2 \
    "exclusion 'TRAINING' already exists as 'Training'" -- sr exclusion add 'TRAINING'
echo "# changing an exclusion's case: remove it, then add the new text"
sr_ok exclusion remove 'Training' --reason 'case'
expect_ok sr exclusion add 'training'
expect_ok sr status
expect_stdout_contains "exclusion + training"
sr_ok reset

echo "# F10: a CSV cell 'LIST (kind default)' must list the kind's default"
sr_ok service add monitoring --name Monitoring
sr_ok coverage --kind server --service backup,monitoring --sla gold
printf 'ID,Kind,Name,Services,SLA\nN-1,server,A,"ghost (kind default)",\n' >"$WORK/c1.csv"
refused -m "a services cell claiming a default it does not list" -l "$WORK/c1.csv" 2 \
    "c1.csv:2: column 'Services': 'ghost (kind default)' is not the default of kind server (backup, monitoring)" -- \
    sr import "$WORK/c1.csv"
printf 'ID,Kind,Name,Services,SLA\nN-1,server,A,,silver (kind default)\n' >"$WORK/c2.csv"
refused -m "an sla cell claiming a default it does not hold" -l "$WORK/c2.csv" 2 \
    "c2.csv:2: column 'SLA': 'silver (kind default)' is not the default of kind server (gold)" -- \
    sr import "$WORK/c2.csv"
printf 'ID,Kind,Name,Services,SLA\nPC-02,workstation,B,backup (kind default),\n' >"$WORK/c3.csv"
refused -m "a kind with no default" -l "$WORK/c3.csv" 2 \
    "c3.csv:2: column 'Services': 'backup (kind default)' is not the default of kind workstation (none)" -- \
    sr import "$WORK/c3.csv"
printf 'ID,Kind,Name,Services,SLA\nN-2,server,B,"monitoring; Backup (kind default)",gold (kind default)\nN-3,server,C,(kind default),\nPC-03,workstation,D,none (kind default),\n' >"$WORK/c4.csv"
expect_ok sr import "$WORK/c4.csv"
expect_ok sr status
expect_stdout_contains "+ N-2"
expect_stdout_contains "+ PC-03"
expect_ok sr commit -m 'imported' --author jm
expect_ok sr show 3
expect_stdout_contains "item: N-2
  kind: server
  name: B
  services: backup, monitoring (kind default)
  sla: gold (kind default)"
expect_ok sr verify

done_checks
