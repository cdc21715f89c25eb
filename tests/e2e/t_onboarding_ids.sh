#!/usr/bin/env bash
# t_onboarding_ids.sh - the id column of real exports: when a tool's database
# id ("ID") and the asset tag both map to id (Snipe-IT, NetBox), the fix keeps
# the asset tag; an empty id names the way out (--where 'COLUMN!=' or another
# column with --map 'COLUMN=id'). Each refusal exits 2 and writes nothing.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties
export SCOPEREG_NOW="2026-01-15T09:00:00Z"
init_reg_ok ACME-2026-01
D="$WORK/files"
mkdir -p "$D"
sr_ok add PC-900 --kind pc --name 'Poste existant'
sr_ok commit -m base

# ---- 2. a database id beside the asset tag ----
{
    echo 'ID,Company,Asset Name,Asset Tag,Model,Category,Status,Serial'
    echo '1,ACME SA,gva-lt-001,ACME-00001,Latitude 5440,Laptops,Ready to Deploy,8YL3M04'
    echo '2,ACME SA,gva-srv-01,ACME-00002,ProLiant DL380,Servers,Deployed,CZJ1234ABC'
} >"$D/snipeit.csv"
refused -m "Snipe-IT: ID and Asset Tag both map to id" -l "$D/snipeit.csv" 2 \
    "snipeit.csv:1: column 4 'Asset Tag': duplicate header: column 1 'ID' also maps to id (keep one, e.g. with --map 'ID=-')" -- \
    sr import "$D/snipeit.csv" --source snipeit
refused -m "Snipe-IT with --commit" -l "$D/snipeit.csv" 2 "--map 'ID=-'" "nothing was written" -- \
    sr import "$D/snipeit.csv" --source snipeit --commit -m x
expect_ok sr import "$D/snipeit.csv" --source snipeit --map 'ID=-' --dry-run
expect_stdout_contains "+ ACME-00001 (workstation) gva-lt-001"

{
    echo 'ID,Name,Status,Role,Manufacturer,Type,Serial number,Asset tag'
    echo '12,fri-fw01,Active,Firewall,Fortinet,FortiGate 60F,FGT60F0001,ACME-0201'
    echo '14,fri-srv01,Active,Server,Dell,PowerEdge R650,CZ2039ABCE,ACME-0200'
} >"$D/netbox.csv"
refused -m "NetBox: ID and Asset tag both map to id" -l "$D/netbox.csv" 2 \
    "netbox.csv:1: column 8 'Asset tag': duplicate header: column 1 'ID' also maps to id (keep one, e.g. with --map 'ID=-')" -- \
    sr import "$D/netbox.csv" --source netbox
echo "# the asset tag first: the database id after it is the one to drop"
{
    echo 'Asset Tag,Name,Category,ID'
    echo 'ACME-9,x,Laptops,9'
} >"$D/tagfirst.csv"
refused -m "asset tag before the database id" -l "$D/tagfirst.csv" 2 \
    "column 4 'ID': duplicate header: column 1 'Asset Tag' also maps to id (keep one, e.g. with --map 'ID=-')" -- \
    sr import "$D/tagfirst.csv"

# ---- 5. an empty id ----
{
    printf 'N\xc2\xb0 d'"'"'inventaire;Type;Nom;Num\xc3\xa9ro de s\xc3\xa9rie;Emplacement\r\n'
    printf 'PC-001;Poste de travail;Poste 1;SN000001;Gen\xc3\xa8ve\r\n'
    printf ';Poste de travail;Poste 2;SN000002;Gen\xc3\xa8ve\r\n'
} >"$D/empty_id.csv"
refused -m "an empty id" -l "$D/empty_id.csv" 2 \
    "empty_id.csv:3: column 'N° d'inventaire': empty id; leave such rows out with --where '#1!=' or map another column to id with --map 'Numéro de série=id'" -- \
    sr import "$D/empty_id.csv" --source excel --commit -m x
echo "# both fixes work, pasted as the message gives them (a header with a quote by its number)"
expect_ok sr import "$D/empty_id.csv" --source excel --where '#1!=' --dry-run
expect_stdout_contains "left out by --where: 1 row"
expect_stdout_contains "+ PC-001 (workstation) Poste 1"
expect_ok sr import "$D/empty_id.csv" --source excel --map 'Numéro de série=id' --dry-run
expect_stdout_contains "+ SN000002 (workstation) Poste 2"
{
    echo 'Asset Tag;Type'
    echo 'A-1;Poste'
    echo ';Poste'
} >"$D/no_alt.csv"
refused -m "an empty id, no other column to take" -l "$D/no_alt.csv" 2 \
    "no_alt.csv:3: column 'Asset Tag': empty id; leave such rows out with --where 'Asset Tag!=' or map another column to id with --map 'HEADER=id'" -- \
    sr import "$D/no_alt.csv"

done_checks
