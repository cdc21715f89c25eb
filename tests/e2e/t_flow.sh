#!/usr/bin/env bash
# t_flow.sh - the everyday flow on one register: init, add (English and
# French kinds), status, commit, edit/remove/add, commit, log, show, diff
# by numbers and by dates, verify; the clock set by $SCOPEREG_NOW.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties

echo "# init"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok init_reg ACME-2026-01
expect_stdout_contains "contract ACME-2026-01"
expect_stdout_contains "$PID"
expect_stdout_contains "$CID"
[ -f "$REG" ] || fail "init did not create $REG"
pass "register file exists"
expect_ok sr log
expect_stdout_contains "no version yet"
expect_ok sr verify

echo "# version 1: four items, kinds given as aliases"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add PC-01 --kind poste --name 'Poste compta' --set 'Référence interne=SN-001' \
    --set 'OS=Windows 11'
expect_stdout_contains "staged: add PC-01 (workstation)"
expect_ok sr add SRV-01 --kind Serveur --name 'File server' --set ip=10.0.0.5
expect_stdout_contains "(server)"
expect_ok sr add FW-01 --kind pare-feu
expect_stdout_contains "(network)"
expect_ok sr add VPN-ACME --kind 'accès VPN' --name 'Accès distant' --set 'notes=tab	here'
expect_stdout_contains "(vpn)"
expect_ok sr status
expect_stdout_contains "staged for version 1: 4 added, 0 modified, 0 removed"
expect_stdout_contains "+ FW-01"
expect_stdout_contains "+ VPN-ACME"
expect_ok sr commit -m 'Initial inventory' --author 'J. Muller'
expect_stdout_contains "version 1 committed: 4 items, blake2b-256:"
expect_ok sr status
expect_stdout_contains "nothing staged"

expect_ok sr show 1
cp "$OUT_FILE" "$WORK/v1.scope"
RID=$(sed -n 's/^register: //p' "$WORK/v1.scope")
[[ "$RID" =~ ^[0-9a-f]{32}$ ]] || fail "register id '$RID' is not 32 lower-case hex digits"
pass "register id is 32 hex digits"

cat >"$WORK/want1.scope" <<EOF
scope-register/2
register: $RID
contract: ACME-2026-01
provider: Helvetia IT SA
provider-key: $PID
client: ACME SA
client-key: $CID
version: 1
date: 2026-01-10T09:00:00Z
author: J. Muller
message: Initial inventory
previous: none
items: 4
services: 0
exclusions: 0
classes: 0
defaults: 0

changes: 4
+ FW-01
+ PC-01
+ SRV-01
+ VPN-ACME

item: FW-01
  kind: network
  name:
  services: none (kind default)
  sla: none (kind default)

item: PC-01
  kind: workstation
  name: Poste compta
  services: none (kind default)
  sla: none (kind default)
  os: Windows 11
  reference_interne: SN-001

item: SRV-01
  kind: server
  name: File server
  services: none (kind default)
  sla: none (kind default)
  ip: 10.0.0.5

item: VPN-ACME
  kind: vpn
  name: Accès distant
  services: none (kind default)
  sla: none (kind default)
  notes: tab\there

end of scope document
EOF
expect_file_equal "$WORK/v1.scope" "$WORK/want1.scope" "show 1 is the expected document"

echo "# version 2: edit, remove, add; the clock given with an offset"
export SCOPEREG_NOW="2026-02-01T11:00:00+01:00"
expect_ok sr edit SRV-01 --set ip=10.0.0.6 --set 'notes=line1
line2'
expect_stdout_contains "staged: edit SRV-01"
expect_ok sr remove FW-01 --reason 'replaced by FW-02'
expect_stdout_contains "staged: remove FW-01"
expect_ok sr add FW-02 --kind firewall --name 'Edge firewall' --set vendor=Fortinet
expect_ok sr edit PC-01 --unset reference_interne --set serial=SN-001
# a staged change that is then undone
expect_ok sr add TMP --kind VM
expect_ok sr remove TMP --reason typo
expect_ok sr status
expect_stdout_contains "staged for version 2: 1 added, 2 modified, 1 removed"
expect_stdout_lacks "TMP"
expect_ok sr commit -m 'Q1 changes' --author jm
expect_stdout_contains "version 2 committed: 4 items"

expect_ok sr show 2
cp "$OUT_FILE" "$WORK/v2.scope"
H1=$(sed -n 's/^previous: //p' "$WORK/v2.scope")
cat >"$WORK/want2.scope" <<EOF
scope-register/2
register: $RID
contract: ACME-2026-01
provider: Helvetia IT SA
provider-key: $PID
client: ACME SA
client-key: $CID
version: 2
date: 2026-02-01T10:00:00Z
author: jm
message: Q1 changes
previous: $H1
items: 4
services: 0
exclusions: 0
classes: 0
defaults: 0

changes: 4
- FW-01
  reason: replaced by FW-02
+ FW-02
~ PC-01
  reference_interne: "SN-001" -> (none)
  serial: (none) -> "SN-001"
~ SRV-01
  ip: "10.0.0.5" -> "10.0.0.6"
  notes: (none) -> "line1\nline2"

item: FW-02
  kind: network
  name: Edge firewall
  services: none (kind default)
  sla: none (kind default)
  vendor: Fortinet

item: PC-01
  kind: workstation
  name: Poste compta
  services: none (kind default)
  sla: none (kind default)
  os: Windows 11
  serial: SN-001

item: SRV-01
  kind: server
  name: File server
  services: none (kind default)
  sla: none (kind default)
  ip: 10.0.0.6
  notes: line1\nline2

item: VPN-ACME
  kind: vpn
  name: Accès distant
  services: none (kind default)
  sla: none (kind default)
  notes: tab\there

end of scope document
EOF
expect_file_equal "$WORK/v2.scope" "$WORK/want2.scope" "show 2 is the expected document"

B1=$(b2_of "$WORK/v1.scope")
if [ -n "$B1" ]; then
    [ "$H1" = "$B1" ] || fail "previous: of version 2 is $H1, b2sum -l 256 of show 1 is $B1"
    pass "previous: of version 2 is b2sum -l 256 of version 1's document"
else
    echo "# b2sum absent: the hash of version 1 is not recomputed independently"
fi

echo "# version 3 at a later date"
export SCOPEREG_NOW="2026-03-01T08:00:00Z"
expect_ok sr edit PC-01 --name 'Poste direction'
expect_ok sr commit -m 'Q2' --author jm
expect_stdout_contains "version 3 committed: 4 items"

echo "# log"
expect_ok sr log
expect_stdout_contains "version 3  2026-03-01T08:00:00Z  jm  4 items"
expect_stdout_contains "version 2  2026-02-01T10:00:00Z  jm  4 items"
expect_stdout_contains "version 1  2026-01-10T09:00:00Z  J. Muller  4 items"
expect_stdout_contains "    Q1 changes"
first=$(head -n 1 "$OUT_FILE")
[ "$first" = "version 3  2026-03-01T08:00:00Z  jm  4 items" ] || fail "log does not start with version 3: '$first'"
pass "log lists the newest version first"
# the hashes in the log are the hashes of the documents
expect_ok sr show 3
cp "$OUT_FILE" "$WORK/v3.scope"
H2=$(sed -n 's/^previous: //p' "$WORK/v3.scope")
run sr log
grep -qx "    $H1" "$OUT_FILE" || fail "log does not list version 1's hash $H1"
grep -qx "    $H2" "$OUT_FILE" || fail "log does not list version 2's hash $H2"
pass "log lists the chained hashes"
B3=$(b2_of "$WORK/v3.scope")
if [ -n "$B3" ]; then
    grep -qx "    $B3" "$OUT_FILE" || fail "log does not list b2sum of show 3 ($B3)"
    pass "log lists b2sum -l 256 of show 3"
fi

echo "# show by number, name and date"
expect_ok sr show
expect_file_equal "$OUT_FILE" "$WORK/v3.scope" "show (no argument) is the latest"
expect_ok sr show latest
expect_file_equal "$OUT_FILE" "$WORK/v3.scope" "show latest"
expect_ok sr show v1
expect_file_equal "$OUT_FILE" "$WORK/v1.scope" "show v1"
expect_ok sr show 2026-01-10
expect_file_equal "$OUT_FILE" "$WORK/v1.scope" "show 2026-01-10 (a bare day is its end)"
expect_ok sr show 2026-02-01T09:59:59Z
expect_file_equal "$OUT_FILE" "$WORK/v1.scope" "show one second before version 2"
expect_ok sr show 2026-02-01T10:00:00Z
expect_file_equal "$OUT_FILE" "$WORK/v2.scope" "show at version 2's instant"
expect_ok sr show 2026-02-15
expect_file_equal "$OUT_FILE" "$WORK/v2.scope" "show 2026-02-15"
expect_ok sr show 2026-12-31
expect_file_equal "$OUT_FILE" "$WORK/v3.scope" "show 2026-12-31"
expect_exit 2 sr show 2026-01-09
expect_stderr_contains "2026-01-09"
expect_exit 2 sr show 4
expect_stderr_contains "no version 4"

echo "# diff"
expect_ok sr diff 1 2
cat >"$WORK/want-d12" <<'EOF'
changes from version 1 to version 2
- FW-01
  reason: replaced by FW-02
+ FW-02
~ PC-01
  reference_interne: "SN-001" -> (none)
  serial: (none) -> "SN-001"
~ SRV-01
  ip: "10.0.0.5" -> "10.0.0.6"
  notes: (none) -> "line1\nline2"
EOF
expect_file_equal "$OUT_FILE" "$WORK/want-d12" "diff 1 2"
expect_ok sr diff 2026-01-10 2026-02-01
sed -i 's/^changes from .*/changes from version 1 to version 2/' "$OUT_FILE"
expect_file_equal "$OUT_FILE" "$WORK/want-d12" "diff by dates is diff 1 2"
expect_ok sr diff 1 3
cat >"$WORK/want-d13" <<'EOF'
changes from version 1 to version 3
- FW-01
  reason: replaced by FW-02
+ FW-02
~ PC-01
  name: "Poste compta" -> "Poste direction"
  reference_interne: "SN-001" -> (none)
  serial: (none) -> "SN-001"
~ SRV-01
  ip: "10.0.0.5" -> "10.0.0.6"
  notes: (none) -> "line1\nline2"
EOF
expect_file_equal "$OUT_FILE" "$WORK/want-d13" "diff 1 3 (non-adjacent)"
expect_ok sr diff 2026-01-31 latest
expect_file_equal "$OUT_FILE" "$WORK/want-d13" "diff 2026-01-31 latest is diff 1 3"
expect_ok sr diff 2 2
expect_stdout_contains "no change"
expect_exit 2 sr diff 1 2026-13-01
expect_stderr_contains "2026-13-01"

echo "# verify"
expect_ok sr verify
expect_stdout_contains "version 1: pending (no signature yet)"
expect_stdout_contains "version 2: pending (no signature yet)"
expect_stdout_contains "version 3: pending (no signature yet)"

echo "# the register from \$SCOPEREG_REGISTER and from ./scope.db"
SCOPEREG_REGISTER="$REG" expect_ok "$SCOPEREG" show 2
expect_file_equal "$OUT_FILE" "$WORK/v2.scope" "\$SCOPEREG_REGISTER names the register"
mkdir "$WORK/cwd"
cp "$REG" "$WORK/cwd/scope.db"
(cd "$WORK/cwd" && "$SCOPEREG" show 1) >"$WORK/cwd.out" 2>"$WORK/cwd.err" ||
    fail "show in a directory holding scope.db failed: $(cat "$WORK/cwd.err")"
expect_file_equal "$WORK/cwd.out" "$WORK/v1.scope" "./scope.db is the default register"

echo "# an edit back to the committed state unstages it"
expect_ok sr edit SRV-01 --set ip=10.0.0.8
expect_ok sr status
expect_stdout_contains "0 added, 1 modified, 0 removed"
expect_ok sr edit SRV-01 --set ip=10.0.0.6
expect_ok sr status
expect_stdout_contains "nothing staged"
expect_ok sr edit SRV-01 --kind Serveur
expect_ok sr status
expect_stdout_contains "nothing staged"

echo "# reset"
expect_ok sr edit SRV-01 --set ip=10.0.0.7
expect_ok sr add NEW-1 --kind imprimante
expect_ok sr reset SRV-01
expect_ok sr status
expect_stdout_contains "1 added, 0 modified, 0 removed"
expect_ok sr reset
expect_ok sr status
expect_stdout_contains "nothing staged"

done_checks
