#!/usr/bin/env bash
# t_services.sh - the functional scope (issue 15): services, exclusions,
# service-level classes and kind defaults staged, committed into
# scope-register/2 documents, answered by `at DATE ID --service S`, and
# verified; every bad input refused with nothing written.
. "$(dirname "$0")/lib.sh"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1

echo "# version 1: three services, two classes, exclusions, a kind default"
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok service add backup --name 'Daily backup' --description 'Off-site copy, kept 30 days'
sr_ok service add monitoring --name Monitoring
sr_ok service add support --name 'User support'
sr_ok exclusion add 'Hardware supply'
sr_ok exclusion add 'Training'
sr_ok sla add gold --name Gold --hours 24/7 --availability 99.90 --response critical=1h \
    --resolution critique=4H --response majeur=04h --resolution major=1d
sr_ok sla add silver --name Silver --hours 'Mon-Fri 8:00-18:00' --availability 99
sr_ok coverage --kind serveur --service monitoring,backup --sla gold
sr_ok add SRV-01 --kind server --name 'File server'
sr_ok add SRV-02 --kind server --name 'Print server' --service monitoring --sla silver
sr_ok add PC-01 --kind workstation --name Compta --service support --sla silver
expect_ok sr status
expect_stdout_contains "service + backup"
expect_stdout_contains "class + gold"
expect_stdout_contains "default + server"
expect_stdout_contains "exclusion + Training"
expect_ok sr commit -m 'services and levels' --author jm
expect_ok sr show 1
expect_stdout_contains "scope-register/2"
expect_stdout_contains "services: 3"
expect_stdout_contains "classes: 2"
expect_stdout_contains "  response critical: 1h"
expect_stdout_contains "  resolution critical: 4h"
expect_stdout_contains "  resolution major: 1d"
expect_stdout_contains "  availability: 99.9%"
expect_stdout_contains "item: SRV-01
  kind: server
  name: File server
  services: backup, monitoring (kind default)
  sla: gold (kind default)"
expect_stdout_contains "item: SRV-02
  kind: server
  name: Print server
  services: monitoring (own)
  sla: silver (own)"
SCOPEREG_NOW=2026-01-11T09:00:00Z sr_ok sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-12T09:00:00Z sr_ok sign 1 --key "$K/client.key"

echo "# version 2: SRV-01 loses backup (its own coverage now), an exclusion goes"
export SCOPEREG_NOW=2026-02-01T09:00:00Z
sr_ok edit SRV-01 --service monitoring
sr_ok exclusion remove 'Training' --reason 'now in the contract'
expect_ok sr commit -m 'SRV-01 without backup' --author jm
expect_ok sr show 2
expect_stdout_contains "exclusion - Training
  reason: now in the contract"
expect_stdout_contains '~ SRV-01
  services: "backup, monitoring (kind default)" -> "monitoring (own)"'
SCOPEREG_NOW=2026-02-02T09:00:00Z sr_ok sign 2 --key "$K/provider.key"
SCOPEREG_NOW=2026-02-03T09:00:00Z sr_ok sign 2 --key "$K/client.key"

echo "# at DATE ID --service: 0 covered before the change, 1 after, with the targets"
expect_exit 0 sr at 2026-01-20 SRV-01 --service backup
expect_stdout_contains "SRV-01 was covered for backup"
expect_stdout_contains "service level: gold, Gold (kind default)"
expect_stdout_contains "critical: response 1h, resolution 4h"
expect_stdout_contains "major: response 4h, resolution 1d"
expect_stdout_contains "hours: 24/7"
expect_stdout_contains "availability: 99.9%"
expect_exit 1 sr at 2026-02-20 SRV-01 --service backup
expect_stdout_contains "SRV-01 was not covered for backup"
expect_stdout_contains "services: monitoring (own)"
expect_exit 0 sr at 2026-02-20 SRV-01 --service monitoring
echo "# the item's own coverage overrides its kind's default"
expect_exit 1 sr at 2026-01-20 SRV-02 --service backup
expect_stdout_contains "services: monitoring (own)"
expect_stdout_contains "service level: silver, Silver (own)"
expect_exit 0 sr at 2026-01-20 SRV-02 --service monitoring --json
json_ok "at --service --json"
expect_stdout_contains '"covered":true'
expect_exit 1 sr at 2026-01-20 NOPE-01 --service backup
refused -m "at --service with a bad service id" 2 "service id 'Backup' is not valid" -- \
    sr at 2026-01-20 SRV-01 --service Backup
echo "# history shows the coverage change as a field change"
expect_ok sr history SRV-01
expect_stdout_contains 'services: "backup, monitoring (kind default)" -> "monitoring (own)"'

echo "# a kind default changes: every item of the kind that inherits follows"
export SCOPEREG_NOW=2026-03-01T09:00:00Z
sr_ok add SRV-03 --kind server --name 'Mail server'
sr_ok coverage --kind server --service backup,monitoring,support
expect_ok sr commit -m 'support for servers' --author jm
expect_ok sr show 3
expect_stdout_contains 'default ~ server
  services: "backup, monitoring" -> "backup, monitoring, support"'
expect_stdout_contains "item: SRV-03
  kind: server
  name: Mail server
  services: backup, monitoring, support (kind default)"
expect_stdout_lacks "~ SRV-02"
expect_ok sr verify

echo "# bad input: refused, nothing written"
refused -m "unknown service on an item" 2 "no service 'nosuch'" -- \
    sr add SRV-09 --kind server --service nosuch
refused -m "an attribute named as the coverage" 2 "item 'SRV-09': 'services' is the item's coverage, not an attribute key" "use --service" -- \
    sr add SRV-09 --kind server --name Spare --set services=backup
refused -m "an attribute named as the class" 2 "item 'PC-01': 'sla' is the item's coverage, not an attribute key" -- \
    sr edit PC-01 --set sla=gold
refused -m "unknown class on an item" 2 "item 'PC-01'" "no class 'bronze'" -- \
    sr edit PC-01 --sla bronze
refused -m "unknown class in a default" 2 "no class 'bronze'" -- \
    sr coverage --kind printer --sla bronze
refused -m "malformed duration" 2 "'4' is not a duration" -- \
    sr sla add bronze --name Bronze --response critical=4
refused -m "malformed percentage" 2 "'101' is not a percentage" -- \
    sr sla add bronze --name Bronze --availability 101
refused -m "malformed percentage" 2 "is not a percentage" -- \
    sr sla add bronze --name Bronze --availability 99.9999
refused -m "unknown level" 2 "unknown level 'urgent'" -- \
    sr sla add bronze --name Bronze --resolution urgent=4h
refused -m "a service in use" 2 "cannot remove service 'monitoring'" "3 items use it" \
    "'SRV-01', 'SRV-02', 'SRV-03'" -- sr service remove monitoring --reason gone
refused -m "a class in use" 2 "cannot remove class 'silver'" "'PC-01'" -- \
    sr sla remove silver --reason gone
refused -m "a class of inheriting items" 2 "cannot remove class 'gold'" "2 items use it" \
    "'SRV-01', 'SRV-03'" -- sr sla remove gold --reason gone
refused -m "duplicate service" 2 "service 'backup' already exists" -- \
    sr service add backup --name Again
refused -m "duplicate exclusion" 2 "exclusion 'Hardware supply' already exists" -- \
    sr exclusion add 'Hardware supply'
refused -m "duplicate class" 2 "class 'gold' already exists" -- sr sla add gold --name Again
refused -m "a service listed twice" 2 "service 'backup' is listed twice" -- \
    sr edit PC-01 --service backup,backup
refused -m "bad service id" 2 "service id 'Back Up' is not valid" -- \
    sr service add 'Back Up' --name X
refused -m "reserved service id" 2 "service id 'none' is reserved" -- \
    sr service add none --name X
refused -m "a removal without reason" 2 "--reason" -- sr service remove support

echo "# verify catches sqlite3 edits of a service, a class target, an item's coverage, a default"
tamper() {
    local what=$1 sql=$2
    shift 2
    cp "$REG" "$WORK/t.db"
    sqlite3 "$WORK/t.db" "$sql" || fail "sqlite3 failed"
    expect_exit 1 "$SCOPEREG" -R "$WORK/t.db" verify
    for w in "$@"; do
        expect_output_contains "$w"
    done
    pass "verify catches: $what"
}
tamper "a service name" \
    "UPDATE term SET body = replace(body, 'Daily', 'Weekly') WHERE type = 'service' AND id = 'backup'" \
    "version 1: BROKEN" "service 'backup' (row of version 1) was altered after commit"
tamper "a class target" \
    "UPDATE term SET body = replace(body, '4h', '8h') WHERE type = 'class' AND id = 'gold'" \
    "version 1: BROKEN" "class 'gold' (row of version 1) was altered after commit"
tamper "an item's coverage" \
    "UPDATE item SET svc = 'backup, monitoring' WHERE id = 'SRV-02' AND since = 1" \
    "version 1: BROKEN" "item 'SRV-02' (row of version 1) was altered after commit"
tamper "an item's inherited coverage against its kind's default" \
    "UPDATE item SET svc = 'monitoring', digest = '0' WHERE id = 'SRV-03'" \
    "item 'SRV-03' records services 'monitoring' from its kind's default"
tamper "a kind default" \
    "UPDATE term SET body = replace(body, 'support', 'backup') WHERE type = 'default' AND since = 3" \
    "version 3: BROKEN" "default 'server' (row of version 3) was altered after commit"

echo "# export, cosign and verify --documents of scope-register/2 versions"
export SCOPEREG_NOW=2026-03-02T09:00:00Z
sr_ok sign 3 --key "$K/provider.key"
sr_ok export 3 -o "$WORK/out"
expect_ok "$SCOPEREG" cosign "$WORK/out/ACME-1-v3.scope" --key "$K/client.key"
expect_stdout_contains "default ~ server"
expect_ok "$SCOPEREG" verify --documents "$WORK/out"
expect_stdout_contains "ACME-1-v3.scope: version 3: agreed"
cp "$WORK/out/ACME-1-v3.scope" "$WORK/v3.keep"
sed -i 's/^  services: monitoring (own)$/  services: backup, monitoring (own)/' "$WORK/out/ACME-1-v3.scope"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/out"
expect_stdout_contains "BROKEN"
cp "$WORK/v3.keep" "$WORK/out/ACME-1-v3.scope"

echo "# at DATE ID --service from the exported folder: the register's answer, class targets too"
# same_answer DATE ID SERVICE CODE: the register and the folder both exit
# CODE, and print the same answer for the service (from its "ID was
# [not] covered" line to the end; the lines before name the source), which
# is not empty; with --json, the same members from "service" on. The
# folder $WORK/all holds versions 1 and 2, as exported.
sr_ok export 1 -o "$WORK/all"
sr_ok export 2 -o "$WORK/all"
same_answer() {
    local reg doc
    expect_exit "$4" sr at "$1" "$2" --service "$3"
    reg=$(printf '%s\n' "$OUT" | sed -n "/^$2 was \(not \)\?covered for $3 /,\$p")
    expect_exit "$4" "$SCOPEREG" at "$1" "$2" --service "$3" --documents "$WORK/all"
    doc=$(printf '%s\n' "$OUT" | sed -n "/^$2 was \(not \)\?covered for $3 /,\$p")
    [ -n "$reg" ] || fail "at $1 $2 --service $3: the register printed no answer for the service"
    [ "$reg" = "$doc" ] || fail "at $1 $2 --service $3: the folder answers
$doc
where the register answers
$reg"
    pass "at $1 $2 --service $3: the folder prints the register's $(printf '%s\n' "$reg" | wc -l) lines"
    expect_exit "$4" sr at "$1" "$2" --service "$3" --json
    reg=${OUT#*,\"service\":}
    expect_exit "$4" "$SCOPEREG" at "$1" "$2" --service "$3" --documents "$WORK/all" --json
    doc=${OUT#*,\"service\":}
    [ "$reg" != "$OUT" ] && [ "$reg" = "$doc" ] ||
        fail "at $1 $2 --service $3 --json: the folder's members differ: $doc (register: $reg)"
    pass "at $1 $2 --service $3 --json: the folder gives the register's members"
    ANSWER=$reg
}
same_answer 2026-01-20 SRV-01 backup 0
expect_stdout_contains '"class":{"id":"gold","name":"Gold","hours":"24/7","availability":"99.9%"'
expect_exit 0 "$SCOPEREG" at 2026-01-20 SRV-01 --service backup --documents "$WORK/all"
expect_stdout_contains "SRV-01 was covered for backup at 2026-01-20T23:59:59Z (version 1)
  services: backup, monitoring (kind default)
  service backup: Daily backup - Off-site copy, kept 30 days
  service level: gold, Gold (kind default)
    hours: 24/7
    availability: 99.9%
    critical: response 1h, resolution 4h
    major: response 4h, resolution 1d"
same_answer 2026-02-20 SRV-01 backup 1
expect_exit 1 "$SCOPEREG" at 2026-02-20 SRV-01 --service backup --documents "$WORK/all"
expect_stdout_contains "SRV-01 was not covered for backup at 2026-02-20T23:59:59Z (version 2)
  services: monitoring (own)
  service backup: Daily backup - Off-site copy, kept 30 days
  service level: gold, Gold (kind default)
    hours: 24/7"
same_answer 2026-01-20 SRV-02 backup 1
expect_exit 1 "$SCOPEREG" at 2026-01-20 SRV-02 --service backup --documents "$WORK/all"
expect_stdout_contains "  service level: silver, Silver (own)
    hours: Mon-Fri 8:00-18:00
    availability: 99%"
same_answer 2026-01-20 SRV-02 monitoring 0
same_answer 2026-01-20 PC-01 backup 1

echo "# a register made before services: refused input writes nothing (no tables added either),"
echo "# its versions stay scope-register/1, the next commit is scope-register/2 and follows them"
G="$WORK/golden2.db"
cp "$SCOPEREG_SOURCE/tests/fixtures/golden2/register.db" "$G"
refused -f "$G" -m "an unknown service on an old register" 2 "no service 'backup'" -- \
    "$SCOPEREG" -R "$G" edit SRV-01 --service backup
[ -z "$(sqlite3 "$G" "SELECT name FROM sqlite_master WHERE name = 'term'")" ] ||
    fail "a refused command added the coverage tables"
pass "the refused command left no coverage table behind"
export SCOPEREG_NOW=2031-01-01T00:00:00Z
sr_on "$G" service add backup --name Backup
sr_on "$G" coverage --kind server --service backup
sr_on "$G" commit -m 'services' --author jm
expect_ok "$SCOPEREG" -R "$G" show 20
expect_stdout_contains "scope-register/1"
expect_stdout_lacks "services:"
expect_ok "$SCOPEREG" -R "$G" show 21
expect_stdout_contains "scope-register/2"
expect_stdout_contains '~ SRV-01
  services: "none (kind default)" -> "backup (kind default)"'
expect_ok "$SCOPEREG" -R "$G" verify
expect_ok "$SCOPEREG" -R "$G" export 21 -o "$WORK/gout"
expect_ok "$SCOPEREG" verify --documents "$WORK/gout"
expect_stdout_contains "2 documents: 1 agreed, 1 pending, 0 broken"
f21=$(ls "$WORK"/gout/*-v21.scope)
sed -i 's/^  services: backup (kind default)$/  services: none (kind default)/' "$f21"
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/gout"
expect_stdout_contains "BROKEN"

done_checks
