#!/usr/bin/env bash
# t_onboarding.sh - onboarding a client's real files (a French Excel sheet, a
# GLPI, a NetBox and a Lansweeper export) into one register with their
# sources, then re-importing each with --sync --source: exactly the expected
# items are added, modified and withdrawn, nothing of another source. Every
# refusal names file, line, column or ids and the fix, and writes nothing.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_keys provider client
REG="$WORK/acme.db"
D="$WORK/files"
mkdir -p "$D"
sr() { "$SCOPEREG" -R "$REG" "$@"; }
export SCOPEREG_NOW="2026-01-15T09:00:00Z"
sr init --contract ACME-2026-01 --provider 'Helvetia IT SA' \
    --provider-key "$WORK/keys/provider.pub" --client 'ACME SA' \
    --client-key "$WORK/keys/client.pub" >/dev/null 2>"$WORK/init.err" ||
    fail "init failed: $(cat "$WORK/init.err")"

# refused WHAT WORD... -- CMD...: exit 2, every WORD on stderr, register unchanged.
refused() {
    local what=$1 words=() before w
    shift
    while [ "$1" != "--" ]; do
        words+=("$1")
        shift
    done
    shift
    before=$(sha_of "$REG")
    echo "# refused: $what"
    expect_exit 2 "$@"
    for w in "${words[@]}"; do
        expect_stderr_contains "$w"
    done
    expect_same_sha "$REG" "$before" "$what"
}

# The changes lines of a dry run (after "staged changes ...").
changes() { sed -n '/^staged changes after this import/,$p' "$OUT_FILE"; }
expect_changes_lack() {
    case "$(changes)" in
    *"$1"*) fail "the staged changes hold '$1'" ;;
    *) pass "the staged changes lack '$1'" ;;
    esac
}

# ---- the files of January ----

# French Excel, Windows-1252, ';': title rows, a merged "Type" column, a
# Total row, trailing empty rows.
excel() { # FILE, then the data rows on stdin (UTF-8)
    {
        printf 'Inventaire du parc informatique \xe2\x80\x93 ACME SA;;;;;\r\n'
        printf '\xc3\x89tat au 15.01.2026;;;;;\r\n'
        printf ';;;;;\r\n'
        printf 'N\xc2\xb0 inventaire;Type;D\xc3\xa9signation;Marque;N\xc2\xb0 de s\xc3\xa9rie;Remarques\r\n'
        sed 's/$/\r/'
        printf 'Total;;;;;%s \xc3\xa9l\xc3\xa9ments\r\n' "$2"
        printf ';;;;;\r\n;;;;;\r\n'
    } | iconv -f UTF-8 -t WINDOWS-1252 >"$1" || skip "iconv cannot write windows-1252"
}
excel "$D/parc_2026-01.csv" 6 <<'EOF'
PC-001;Poste;Compta;Dell;SN-PC1;
PC-002;;RH;Dell;SN-PC2;
SRV-01;Serveur;Fichiers;HPE;SN-SRV1;
SRV-02;;Sauvegarde;HPE;SN-SRV2;
FW-01;Pare-feu;Pare-feu principal;Fortinet;FGT60F0001;
PRN-01;Imprimante;Accueil;Canon;SN-PRN1;sous contrat
EOF

# GLPI computers: BOM, every field quoted, ';' inside a quoted field,
# trailing ';', "En stock" rows.
glpi() {
    printf '\xef\xbb\xbf"Nom";"Statut";"Fabricant";"Num\xc3\xa9ro de s\xc3\xa9rie";"Type";"Num\xc3\xa9ro d'"'"'inventaire";\n'
    cat
}
glpi >"$D/glpi.csv" <<'EOF'
"Compta";"En service";"DELL";"SN-PC1";"Desktop";"PC-001";
"Portable direction; CEO";"En service";"HP";"SN-LT1";"Laptop";"LT-001";
"Portable réserve";"En stock";"HP";"SN-LT2";"Laptop";"LT-002";
EOF

# NetBox devices: Role is the kind, Type the model; the id is the Name.
cat >"$D/netbox.csv" <<'EOF'
Name,Status,Site,Role,Manufacturer,Type,Serial number,Asset tag
fri-sw01,Active,Fribourg,Access Switch,Cisco,C9200L-24P-4G,FOC2301X0AB,
fri-ap01,Active,Fribourg,Wireless AP,Cisco,C9120AXI-E,FGL2302Y1CD,
fri-fw01,Active,Fribourg,Firewall,Fortinet,FortiGate 60F,FGT60F0001,
EOF

# Lansweeper assets.
cat >"$D/lansweeper.csv" <<'EOF'
AssetID,AssetName,AssetTypename,Manufacturer,Model,Serialnumber,IPAddress
LS-101,UPS salle serveur,UPS,APC,Smart-UPS 1500,AS1501,10.0.0.50
LS-102,Poste accueil,Windows,Lenovo,ThinkCentre M70q,LN-7001,10.0.1.20
pc-001,Compta (doublon),Windows,Dell,OptiPlex 7010,SN-PC1-X,10.0.1.21
EOF

echo "# Excel: title rows found, merged kinds refused until --fill-down, Total skipped"
refused "merged kind cells without --fill-down" \
    "parc_2026-01.csv:6: column 'Type': empty kind (a merged cell?); fill the cell, or add --fill-down 'Type' to take the kind of the row above" \
    "parc_2026-01.csv:8: column 'Type': empty kind" "nothing was staged" -- \
    sr import "$D/parc_2026-01.csv" --encoding windows-1252 --kind poste
refused "a header row that is not one" "--header-row 3: no record starts on line 3" -- \
    sr import "$D/parc_2026-01.csv" --encoding windows-1252 --fill-down Type --header-row 3
refused "--fill-down of a column the file lacks" \
    "--fill-down 'Catégorie': no column 'Catégorie' in the header; the columns are: 'N° inventaire', 'Type'" -- \
    sr import "$D/parc_2026-01.csv" --encoding windows-1252 --fill-down Catégorie
refused "--source with a space" "--source 'my excel': a source name is 1 to 64 of" -- \
    sr import "$D/parc_2026-01.csv" --encoding windows-1252 --fill-down Type --source 'my excel'

EXCEL_OPTS=(--encoding windows-1252 --fill-down Type --source excel)
expect_ok sr import "$D/parc_2026-01.csv" "${EXCEL_OPTS[@]}" --dry-run
expect_stdout_contains "header on line 4: lines 1-3 above it skipped (title or blank)"
expect_stdout_contains "skipped 1 total row (line 11): not items"
expect_stdout_contains "would stage: 6 added, 0 modified, 0 removed, 0 unchanged"
expect_stdout_contains "added per kind: 2 workstation, 2 server, 1 network, 1 printer"
expect_stdout_contains "+ SRV-02 (server) Sauvegarde"
expect_stdout_contains "+ PC-002 (workstation) RH"
expect_stdout_lacks "Total"
cp "$OUT_FILE" "$WORK/excel-long.out"
# the same with -v: the fields of each addition
expect_ok sr import "$D/parc_2026-01.csv" "${EXCEL_OPTS[@]}" --dry-run -v
expect_stdout_contains "$(printf '+ PRN-01 (printer) Accueil\n    notes: sous contrat\n    serial: SN-PRN1\n    vendor: Canon')"

# a profile saved with the import reproduces the long command line
expect_ok sr import "$D/parc_2026-01.csv" "${EXCEL_OPTS[@]}" --save-profile excel
expect_stdout_contains "staged: 6 added"
expect_stdout_contains "profile 'excel' saved"
expect_ok sr reset
expect_ok sr import "$D/parc_2026-01.csv" --profile excel --dry-run
expect_file_equal "$OUT_FILE" "$WORK/excel-long.out" "--profile excel: the same dry run as the long command"
expect_ok sr import "$D/parc_2026-01.csv" --profile excel
expect_ok sr import --list-profiles
expect_stdout_contains "excel: --encoding 'windows-1252' --source 'excel' --fill-down 'Type'"
refused "an unknown profile" "no import profile 'glpi'; the register has: excel" -- \
    sr import "$D/glpi.csv" --profile glpi

echo "# status: each addition's kind and name, and a count per kind"
expect_ok sr status
expect_stdout_contains "added per kind: 2 workstation, 2 server, 1 network, 1 printer"
expect_stdout_contains "+ FW-01 (network) Pare-feu principal"
expect_ok sr commit -m 'Inventaire Excel' --author jm
export SCOPEREG_NOW="2026-01-16T09:00:00Z"

echo "# GLPI: BOM, quoted ';', trailing ';', 'En stock' left out"
refused "--where on a column the file lacks" "--where 'Etat!=En stock': no column 'Etat'" -- \
    sr import "$D/glpi.csv" --source glpi --where 'Etat!=En stock'
expect_ok sr import "$D/glpi.csv" --source glpi --map 'Statut=-' --where 'Statut!=En stock' --dry-run
expect_stdout_contains "left out by --where: 1 row"
expect_stdout_contains "would stage: 1 added, 1 modified, 0 removed, 0 unchanged"
expect_stdout_contains "+ LT-001 (workstation) Portable direction; CEO"
expect_stdout_contains "1 modification only changes spelling"
expect_stdout_contains "$(printf '~ PC-001\n  vendor: "Dell" -> "DELL"')"
expect_changes_lack "LT-002"
expect_ok sr import "$D/glpi.csv" --source glpi --map 'Statut=-' --where 'Statut!=En stock' --save-profile glpi

echo "# NetBox: roles are kinds, Type a model; a serial already carried is refused"
refused "a serial number on two items" \
    "netbox.csv:4: id 'fri-fw01': serial number 'FGT60F0001' is also the serial number of 'FW-01' (in the register, from excel); keep one item, or import with --allow-duplicates if both are right" -- \
    sr import "$D/netbox.csv" --source netbox --map 'Name=id'
expect_ok sr import "$D/netbox.csv" --source netbox --map 'Name=id' --allow-duplicates \
    --save-profile netbox --dry-run -v
expect_stdout_contains "+ fri-fw01 (network)"
expect_stdout_contains "    model: FortiGate 60F"
expect_stdout_contains "+ fri-ap01 (network)"
expect_stdout_contains "profile 'netbox' not saved (a dry run writes nothing)"
expect_ok sr import "$D/netbox.csv" --source netbox --map 'Name=id' --allow-duplicates \
    --save-profile netbox
expect_stdout_contains "staged: 3 added"

echo "# Lansweeper: an ambiguous asset type and an id equal but for case are refused"
refused "an asset type that names no kind" \
    "lansweeper.csv:3: column 'AssetTypename': unknown kind 'Windows'; map it with --map-kind 'Windows=KIND' (accepted kinds: workstation, server, os, software, network, printer, vpn, other)" -- \
    sr import "$D/lansweeper.csv" --source lansweeper
refused "a bad --map-kind" "--map-kind 'Windows=toaster': unknown kind 'toaster'; accepted kinds: workstation" -- \
    sr import "$D/lansweeper.csv" --source lansweeper --map-kind 'Windows=toaster'
refused "an id equal to another but for case" \
    "lansweeper.csv:4: id 'pc-001' differs from 'PC-001' (in the register, from excel, glpi) only by case" \
    "--allow-duplicates" -- \
    sr import "$D/lansweeper.csv" --source lansweeper --map-kind 'Windows=workstation'
expect_ok sr import "$D/lansweeper.csv" --source lansweeper --map-kind 'Windows=workstation' \
    --where 'AssetID!=pc-001' --save-profile lansweeper
expect_stdout_contains "staged: 2 added"

echo "# by hand, with import's names for fields"
expect_ok sr add VPN-01 --kind vpn --name 'Accès direction' --set 'Numéro de série=VPN-77' \
    --set 'Fabricant=Fortinet'
expect_ok sr status -v
expect_stdout_contains "$(printf '+ VPN-01 (vpn) Accès direction\n    serial: VPN-77\n    vendor: Fortinet')"
expect_stdout_contains "added per kind: 2 workstation, 3 network, 1 vpn, 1 other"
expect_ok sr commit -m 'Inventaire initial' --author jm
expect_stdout_contains "13 items"

# ---- June: each source again, with --sync --source ----
export SCOPEREG_NOW="2026-06-30T09:00:00Z"
excel "$D/parc_2026-06.csv" 6 <<'EOF'
PC-003;Poste;Direction;Dell;SN-PC3;
SRV-01;Serveur;Fichiers et impression;HPE;SN-SRV1;
SRV-02;;Sauvegarde;HPE;SN-SRV2;
FW-01;Pare-feu;Pare-feu principal;Fortinet;FGT60F0001;
PRN-01;Imprimante;Accueil;Canon;SN-PRN1;sous contrat
EOF
refused "--sync without --source on a register of several sources" \
    "--sync without --source would withdraw every item the file lacks, but the register holds items of several origins: added by hand (1 item), excel (6 items), glpi (2 items), lansweeper (2 items), netbox (3 items); name this file's source with --source NAME" -- \
    sr import "$D/parc_2026-06.csv" --encoding windows-1252 --fill-down Type --sync
expect_ok sr import "$D/parc_2026-06.csv" --profile excel --sync --dry-run
# PC-002 left the Excel file: withdrawn; PC-001 left it too, but GLPI still
# lists it: kept; nothing of GLPI, NetBox, Lansweeper or VPN-01 is touched
expect_stdout_contains "would stage: 1 added, 1 modified, 1 removed, 3 unchanged"
expect_stdout_contains "kept PC-001: absent from parc_2026-06.csv but also from glpi"
expect_stdout_contains "$(printf -- '- PC-002\n  reason: absent from parc_2026-06.csv (import --sync --source excel)')"
expect_stdout_contains "+ PC-003 (workstation) Direction"
expect_stdout_contains "$(printf '~ SRV-01\n  name: "Fichiers" -> "Fichiers et impression"')"
for id in PC-001 LT-001 fri-sw01 fri-ap01 fri-fw01 LS-101 LS-102 VPN-01; do
    expect_changes_lack "$id"
done
expect_ok sr import "$D/parc_2026-06.csv" --profile excel --sync

# GLPI: LT-001 went to stock (left out, so withdrawn); PC-001 stays
glpi >"$D/glpi-06.csv" <<'EOF'
"Compta";"En service";"DELL";"SN-PC1";"Desktop";"PC-001";
"Portable direction; CEO";"En stock";"HP";"SN-LT1";"Laptop";"LT-001";
"Portable réserve";"En stock";"HP";"SN-LT2";"Laptop";"LT-002";
EOF
expect_ok sr import "$D/glpi-06.csv" --profile glpi --sync --dry-run
expect_stdout_contains "left out by --where: 2 rows"
expect_stdout_contains "$(printf -- '- LT-001\n  reason: absent from glpi-06.csv (import --sync --source glpi)')"
expect_changes_lack "- PC-001"
expect_ok sr import "$D/glpi-06.csv" --profile glpi --sync
expect_stdout_contains "staged: 0 added, 0 modified, 1 removed, 1 unchanged"

# NetBox: the access point is gone
head -n 2 "$D/netbox.csv" >"$D/netbox-06.csv"
tail -n 1 "$D/netbox.csv" >>"$D/netbox-06.csv"
expect_ok sr import "$D/netbox-06.csv" --profile netbox --sync
expect_stdout_contains "staged: 0 added, 0 modified, 1 removed, 2 unchanged"

# Lansweeper: a new UPS; the rows of January unchanged
cp "$D/lansweeper.csv" "$D/lansweeper-06.csv"
echo 'LS-104,UPS bureau,UPS,APC,Back-UPS 950,AS9501,10.0.0.51' >>"$D/lansweeper-06.csv"
expect_ok sr import "$D/lansweeper-06.csv" --profile lansweeper --sync
expect_stdout_contains "staged: 1 added, 0 modified, 0 removed, 2 unchanged"

expect_ok sr status
expect_stdout_contains "staged for version 3: 2 added, 1 modified, 3 removed"
expect_stdout_contains "added per kind: 1 workstation, 1 other"
expect_stdout_contains "+ LS-104 (other) UPS bureau"
for id in PC-002 LT-001 fri-ap01; do
    expect_stdout_contains "- $id"
done
for id in PC-001 VPN-01 fri-sw01 fri-fw01 LS-101 LS-102 SRV-02; do
    expect_stdout_lacks "$id"
done
expect_ok sr commit -m 'Juin 2026' --author jm
expect_stdout_contains "12 items"
expect_ok sr verify

echo "# a row with only its id filled is refused"
printf 'ID;Name;Serial\nX-1;;\n' >"$D/idonly.csv"
refused "a row with only its id" "idonly.csv:2: only the id 'X-1' is filled" "delete it from the file" -- \
    sr import "$D/idonly.csv" --kind other

echo "# a file without sources keeps the old --sync"
REG2="$WORK/plain.db"
"$SCOPEREG" -R "$REG2" init --contract P-1 --provider P --provider-key "$WORK/keys/provider.pub" \
    --client C --client-key "$WORK/keys/client.pub" >/dev/null || fail "init plain"
printf 'id,kind\nA,pc\nB,pc\n' >"$D/plain1.csv"
printf 'id,kind\nA,pc\n' >"$D/plain2.csv"
expect_ok "$SCOPEREG" -R "$REG2" import "$D/plain1.csv"
expect_ok "$SCOPEREG" -R "$REG2" commit -m one --author jm
expect_ok "$SCOPEREG" -R "$REG2" import "$D/plain2.csv" --sync
expect_stdout_contains "staged: 0 added, 0 modified, 1 removed, 1 unchanged"

done_checks
