#!/usr/bin/env bash
# The end-to-end demo of scopereg on the sample fleet of a Swiss SME.
#
#   bash samples/demo.sh            installs what is missing (as root), builds, runs the demo
#   bash samples/demo.sh BINARY     runs the demo with an already built scopereg
#                                   (brought up to date first when it lies in a
#                                   CMake build directory of this source tree)
#
# It plays both parties in two separate directories (the provider's, with
# the register, and the client's, without one), with $SCOPEREG_NOW set so
# every run prints the same documents.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 1 ]; then
    S=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    # A binary built from an older checkout of this tree would lack the
    # commands this demo shows: rebuild its build directory (incremental).
    bdir=$(dirname "$S")
    if [ -f "$bdir/CMakeCache.txt" ] &&
        grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$top" "$bdir/CMakeCache.txt"; then
        cmake --build "$bdir" --target scopereg -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
    fi
else
    bash "$top/tests/deps.sh"
    cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$top/build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
    S="$top/build/scopereg"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/scopereg-demo-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/provider" "$work/client"
export SCOPEREG_REGISTER="$work/provider/fiduciaire.db" SCOPEREG_AUTHOR="Marc Jaquet (Helvetia IT)"
# Demo only: real users type their passphrase at the terminal prompt, and
# keep minisign's scrypt cost (1 GiB and some seconds at each of the demo's
# six key openings); the demo's keys take --kdf interactive (16 MiB), so the
# demo runs in seconds on a small machine.
export SCOPEREG_PASSPHRASE="demo passphrase, not a real secret"

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ scopereg %s%s\n' "$bold" "$*" "$plain"; }
run() { step "$*"; "$S" "$@"; }

cd "$work/provider"
export SCOPEREG_NOW=2026-01-12T08:30:00Z
run keygen -o provider --kdf interactive
(cd "$work/client" && step "keygen -o client --kdf interactive   (on the client's machine)" &&
    "$S" keygen -o client --kdf interactive)
cp "$work/client/client.pub" .
run init --contract FIDLEM-INFOG-2026 --provider "Helvetia IT Services SA" \
    --provider-key provider.pub --client "Fiduciaire Lémanique SA" --client-key client.pub

# The functional scope, signed with the items: what the provider does for
# them, what it does not, and how fast (kinds get a default; an item's own
# coverage is set with edit, or comes from the services and sla columns of
# a fleet file, as in fleet-2026-q2.csv).
run service add backup --name "Sauvegarde quotidienne" \
    --description "Copie hors site chiffrée, conservée 30 jours"
run service add monitoring --name "Supervision 24/7" --description "Alertes, redémarrages, capacité"
run service add support --name "Support utilisateurs" --description "Hotline et intervention sur site"
run exclusion add "Fourniture de matériel et de licences"
run exclusion add "Projets ponctuels (migrations, déménagements)"
run exclusion add "Formation des utilisateurs"
run sla add gold --name "Or (systèmes critiques)" --hours 24/7 --availability 99.9 \
    --response critique=1h --resolution critique=4h --response majeur=4h --resolution majeur=1d
run sla add silver --name "Argent (heures ouvrables)" --hours "lun-ven 8h-18h" --availability 99 \
    --response critique=4h --resolution critique=1d --response mineur=1d --resolution mineur=5d
run coverage --kind server --service backup,monitoring --sla gold
run coverage --kind network --service monitoring --sla silver
run coverage --kind workstation --service support --sla silver
run coverage --kind printer --service support --sla silver
# The client's own list, saved by a French Excel (';', Windows-1252): read as
# UTF-8 it is refused with the line, the column and the fix; with the fix it
# shows what it would stage, and writes nothing.
step "import $top/samples/fleet-excel-fr.csv --dry-run"
"$S" import "$top/samples/fleet-excel-fr.csv" --dry-run || echo "(exit $?: refused, nothing written)"
run import "$top/samples/fleet-excel-fr.csv" --encoding windows-1252 --dry-run
run import "$top/samples/fleet.csv" --dry-run
run import "$top/samples/fleet.csv"
run edit NET-FW01 --service monitoring,backup --sla gold   # its own coverage: its configuration is backed up
run status
run commit -m "Inventaire initial signé avec le contrat"
run log
step "show 1 | head -20"
# Written to a file first: under pipefail, head closing the pipe early would
# end the demo with SIGPIPE (exit 141).
"$S" show 1 >"$work/show-1.txt"
head -20 "$work/show-1.txt"

# Both parties sign version 1, each on its own machine.
exchange() { # VERSION CLIENT_TIME
    run sign --key provider.key
    rm -rf "$work/outbox"
    run export "$1" -o "$work/outbox"
    cp "$work/outbox/"* "$work/client/"
    (cd "$work/client" && export SCOPEREG_NOW=$2 &&
        step "cosign FIDLEM-INFOG-2026-v$1.scope --key client.key   (on the client's machine)" &&
        "$S" cosign "FIDLEM-INFOG-2026-v$1.scope" --key client.key)
    # The provider attaches once the client's signature has come back.
    export SCOPEREG_NOW=$2
    run attach "$work/client/FIDLEM-INFOG-2026-v$1.client.minisig"
}
export SCOPEREG_NOW=2026-01-12T09:00:00Z
exchange 1 2026-01-14T16:20:00Z
run log

# A quarter later: the fleet file says who left and who came.
export SCOPEREG_NOW=2026-04-02T10:00:00Z
run import "$top/samples/fleet-2026-q2.csv" --sync --dry-run
run import "$top/samples/fleet-2026-q2.csv" --sync
run commit -m "T2 2026 : départs, arrivées, migration SRV-APP01"
run diff 1 2
export SCOPEREG_NOW=2026-04-03T08:00:00Z
exchange 2 2026-04-07T11:45:00Z
run verify

# The dispute: was PC-007 covered on 14 March, and on 30 April?
run at 2026-03-14 PC-007
step "at 2026-04-30 PC-007"
"$S" at 2026-04-30 PC-007 || echo "(exit $?: not in the scope in force that day)"
# And was SRV-APP01 backed up under the contract? Version 2 gave it its own
# coverage: monitoring only, its kind's backup no longer.
run at 2026-03-14 SRV-APP01 --service backup
step "at 2026-04-30 SRV-APP01 --service backup"
"$S" at 2026-04-30 SRV-APP01 --service backup || echo "(exit $?: not covered for backup that day)"
run history PC-007
run report 2 --html -o "$work/annexe-v2.html"
if "$S" help evidence >/dev/null 2>&1; then
    run evidence PC-007 --at 2026-03-14 -o "$work/evidence"
    run verify --documents "$work/evidence"
fi
run verify --documents "$work/outbox"
echo
echo "demo complete: register and documents were in $work (removed on exit)"
