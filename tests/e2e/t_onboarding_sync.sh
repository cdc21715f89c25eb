#!/usr/bin/env bash
# t_onboarding_sync.sh - onboarding refusals that guard the fleet: --sync from
# a file that kept no row (a header alone, or a --where that matches nothing)
# is refused rather than withdrawing every item; headers in decomposed Unicode
# (NFD, as macOS tools write) and Shelf's custom-field headers
# ("cf: NAME,type:TYPE") map like any header, so the duplicate-serial check
# sees them. Every refusal exits 2, names the file and the fix, and writes
# nothing (the register byte for byte as it was).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties
export SCOPEREG_NOW="2026-01-15T09:00:00Z"
init_reg_ok ACME-2026-01
D="$WORK/files"
mkdir -p "$D"

# ---- a fleet of five from one source, committed ----
hdr='N° inventaire;Type;Nom;Numéro de série;Emplacement'
{
    echo "$hdr"
    echo 'PC-001;Poste;Compta;SN-1;Genève'
    echo 'PC-002;Poste;RH;SN-2;Genève'
    echo 'PC-003;Poste;Accueil;SN-3;Genève'
    echo 'SRV-01;Serveur;Fichiers;SN-4;Genève'
    echo 'FW-01;Pare-feu;Pare-feu;FGT-1;Genève'
} >"$D/parc.csv"
expect_ok sr import "$D/parc.csv" --source excel --commit -m 'Inventaire initial'
expect_stdout_contains "version 1 committed: 5 items"

echo "$hdr" >"$D/header_only.csv"
printf '%s' "$hdr" >"$D/header_only_nonl.csv"

# ---- 1. --sync from a file that kept no row ----
for f in header_only header_only_nonl; do
    refused -m "--sync --commit from $f.csv" 2 \
        "$D/$f.csv: the file kept no row (data rows: 0, left out by --where: 0, 'Total' rows skipped: 0)" \
        "so --sync --source excel would withdraw 5 of its items" \
        "check the file and --where" \
        "to withdraw every item of this source, stage each with 'scopereg remove ID --reason TEXT'" -- \
        sr import "$D/$f.csv" --source excel --sync --commit -m x
done
refused -m "--sync from a header alone, without --commit" 2 \
    "header_only.csv: the file kept no row" "would withdraw 5 of its items" -- \
    sr import "$D/header_only.csv" --source excel --sync
refused -m "--sync --dry-run from a header alone: the dry run says it too" 2 \
    "header_only.csv: the file kept no row" "would withdraw 5 of its items" -- \
    sr import "$D/header_only.csv" --source excel --sync --dry-run
refused -m "--sync where --where keeps no row" 2 \
    "parc.csv: the file kept no row (data rows: 5, left out by --where: 5, 'Total' rows skipped: 0)" \
    "would withdraw 5 of its items" "check the file and --where" -- \
    sr import "$D/parc.csv" --source excel --sync --where 'Type=Imprimante' --commit -m x
{
    echo "$hdr"
    echo 'Total;;;;5 éléments'
} >"$D/total_only.csv"
refused -m "--sync from a file with only a Total row" 2 \
    "total_only.csv: the file kept no row (data rows: 1, left out by --where: 0, 'Total' rows skipped: 1)" -- \
    sr import "$D/total_only.csv" --source excel --sync
refused -m "--sync --profile from a header alone" 2 "would withdraw 5 of its items" -- \
    sr import "$D/header_only.csv" --source excel --sync --save-profile excel
expect_ok sr import --list-profiles
expect_stdout_contains "no import profile yet"
expect_ok sr status
expect_stdout_lacks "remove"

echo "# a header alone from another source withdraws nothing: no refusal"
expect_ok sr import "$D/header_only.csv" --source glpi --sync
expect_stdout_contains "0 added, 0 modified, 0 removed, 0 unchanged"

echo "# --sync from a file that keeps rows works as before"
sed '/^PC-003;/d' "$D/parc.csv" >"$D/parc-06.csv"
expect_ok sr import "$D/parc-06.csv" --source excel --sync --commit -m 'Juin'
expect_stdout_contains "imported: 0 added, 0 modified, 1 removed, 4 unchanged"
expect_stdout_contains "version 2 committed: 4 items"
echo "$hdr" >"$D/one.csv"
echo 'PC-001;Poste;Compta;SN-1;Genève' >>"$D/one.csv"
expect_ok sr import "$D/one.csv" --source excel --sync --dry-run
expect_stdout_contains "would stage: 0 added, 0 modified, 3 removed, 1 unchanged"

echo "# a register of one unnamed file: --sync without --source, refused the same way"
REG1=$REG
REG="$WORK/plain.db"
init_reg_ok ACME-2026-02
expect_ok sr import "$D/parc.csv" --commit -m one
refused -m "--sync without --source from a header alone" 2 \
    "header_only.csv: the file kept no row (data rows: 0, left out by --where: 0, 'Total' rows skipped: 0)" \
    "so --sync would withdraw 5 of the items in scope" \
    "to withdraw every item, stage each with 'scopereg remove ID --reason TEXT'" -- \
    sr import "$D/header_only.csv" --sync --commit -m x
echo "# into an empty register, a header alone with --sync has nothing to withdraw"
REG="$WORK/empty.db"
init_reg_ok ACME-2026-03
expect_ok sr import "$D/header_only.csv" --sync --source excel
expect_stdout_contains "0 added, 0 modified, 0 removed, 0 unchanged"
REG=$REG1

# ---- 3. headers in decomposed Unicode (NFD) ----
e=$'e\xcc\x81' # e + U+0301 COMBINING ACUTE ACCENT
{
    printf 'N\xc2\xb0 inventaire;Type;Nom;Num%sro de s%srie;D%ssignation sp%sciale\r\n' "$e" "$e" "$e" "$e"
    printf 'MAC-01;Poste;Graphisme;SN-9;iMac\r\n'
    printf 'MAC-02;Poste;Studio;SN-1;iMac\r\n'
} >"$D/nfd.csv"
expect_ok sr import "$D/nfd.csv" --source mac --dry-run -v --allow-duplicates
expect_stdout_contains "$(printf 'Num%sro de s%srie -> serial (known header)' "$e" "$e")"
expect_stdout_contains "designation_speciale (attribute)"
expect_stdout_lacks "nume_ro"
refused -m "NFD serial header: the duplicate serial is seen" -l "$D/nfd.csv" 2 \
    "nfd.csv:3: id 'MAC-02': serial number 'SN-1' is also the serial number of 'PC-001' (in the register, from excel)" \
    "--allow-duplicates" "nfd.csv: 1 error, nothing was staged" -- \
    sr import "$D/nfd.csv" --source mac

# ---- 4. Shelf custom-field headers ----
{
    echo 'Name,Category,Asset ID,"cf: Serial number,type:text","cf: Warranty months,type:number"'
    echo 'Studio laptop,Laptop,SH-001,SN-77,36'
    echo 'Spare firewall,Firewall,SH-002,FGT-1,12'
} >"$D/shelf.csv"
expect_ok sr import "$D/shelf.csv" --source shelf --dry-run -v --allow-duplicates
expect_stdout_contains "cf: Serial number,type:text -> serial (known header)"
expect_stdout_contains "cf: Warranty months,type:number -> warranty_months (attribute)"
refused -m "Shelf custom serial: the duplicate serial is seen" -l "$D/shelf.csv" 2 \
    "shelf.csv:3: id 'SH-002': serial number 'FGT-1' is also the serial number of 'FW-01' (in the register, from excel)" \
    "shelf.csv: 1 error, nothing was written" -- \
    sr import "$D/shelf.csv" --source shelf --commit -m shelf

done_checks
