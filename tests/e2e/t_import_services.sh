#!/usr/bin/env bash
# t_import_services.sh - CSV import of an item's own coverage (issue 15):
# the columns Services/Prestations/Leistungen (a list) and SLA/Niveau de
# service/Criticité/Servicelevel, their separators and the empty cell (the
# kind's default); values that name no defined service or class refused
# with file, line, column and the fix, nothing staged; a French Excel file
# (';', Windows-1252); export-csv's services and sla columns, which import
# reads back to the same own coverage.
. "$(dirname "$0")/lib.sh"

parties
export SCOPEREG_NOW=2026-01-05T08:00:00Z
init_reg_ok ACME-1
export SCOPEREG_NOW=2026-01-10T09:00:00Z
sr_ok service add backup --name 'Daily backup'
sr_ok service add monitoring --name Monitoring
sr_ok sla add gold --name Gold --hours 24/7 --response critical=1h --resolution critical=4h
sr_ok coverage --kind server --service backup,monitoring --sla gold
BASE="$WORK/base.db"
cp "$REG" "$BASE"

echo "# unknown service: refused naming file, line, column, item and the fix"
printf 'ID,Kind,Name,Services,SLA\nSRV-01,server,File server,,\nPC-01,workstation,Compta,"backup; support",\n' >"$WORK/a.csv"
refused -l "$WORK/a.csv" 2 "a.csv:3: column 'Services': unknown service 'support' for item 'PC-01'" \
    "define it first: scopereg service add support --name TEXT" -- sr import "$WORK/a.csv"
expect_ok sr status
expect_stdout_contains "staged for version 1: 0 added, 0 modified, 0 removed"

echo "# unknown class: the same, with sla add"
printf 'ID,Kind,Name,SLA\nSRV-01,server,File server,platinum\n' >"$WORK/b.csv"
refused -l "$WORK/b.csv" 2 "b.csv:2: column 'SLA': unknown service-level class 'platinum' for item 'SRV-01'" \
    "define it first: scopereg sla add platinum --name TEXT" -- sr import "$WORK/b.csv"

echo "# malformed cells: an id that cannot be one, two classes, a service twice"
printf 'ID,Kind,Name,Services,SLA\nSRV-01,server,A,Daily backup,\nSRV-02,server,B,,"gold, silver"\nSRV-03,server,C,backup|BACKUP,\nSRV-04,server,D,"; |",(own)\n' >"$WORK/c.csv"
refused -l "$WORK/c.csv" 2 "c.csv:2: column 'Services': service id 'daily backup' is not valid" \
    -- sr import "$WORK/c.csv"
expect_stderr_contains "c.csv:3: column 'SLA': 'gold, silver' names several classes"
expect_stderr_contains "c.csv:4: column 'Services': service 'backup' is listed twice"
expect_stderr_contains "c.csv:5: column 'Services': '; |' names no service; write service ids"
expect_stderr_contains "c.csv:5: column 'SLA': '(own)' names no class; write a class id (gold)"

echo "# --commit into a register without versions: refused the same way, nothing written"
printf 'ID,Kind,Name,Leistungen\nSRV-01,server,File server,backup\n' >"$WORK/d.csv"
EMPTY="$WORK/empty.db"
SCOPEREG_NOW=2026-01-05T08:00:00Z REG=$EMPTY init_reg_ok ACME-2
refused -f "$EMPTY" -l "$WORK/d.csv" 2 "d.csv:2: column 'Leistungen': unknown service 'backup'" \
    -- "$SCOPEREG" -R "$EMPTY" import "$WORK/d.csv" --commit -m one --author jm
echo "# ... and 'none' or an empty cell needs no service: version 1 in one command"
printf 'ID,Kind,Name,Leistungen,Servicelevel\nA1,server,a,none,\nA2,server,b,,None\nA3,server,c,,\n' >"$WORK/e.csv"
expect_ok "$SCOPEREG" -R "$EMPTY" import "$WORK/e.csv" --commit -m one --author jm
expect_stdout_contains "version 1 committed: 3 items"
expect_ok "$SCOPEREG" -R "$EMPTY" show 1
expect_stdout_contains "item: A1
  kind: server
  name: a
  services: none (own)
  sla: none (kind default)"
expect_stdout_contains "item: A2
  kind: server
  name: b
  services: none (kind default)
  sla: none (own)"
expect_ok "$SCOPEREG" -R "$EMPTY" verify

echo "# separators , ; | and line breaks, any case, '(own)'; an empty cell: the kind's default"
sr_ok service add support --name 'User support'
{
    printf 'ID,Kind,Name,Services,SLA\n'
    printf 'SRV-01,server,File server,,\n'
    printf 'SRV-02,server,Print server,"Monitoring (own)",gold (own)\n'
    printf 'PC-01,workstation,Compta,"support;backup",\n'
    printf 'PC-02,workstation,Accueil,"support | monitoring\nbackup",gold\n'
    printf 'PC-03,workstation,Direction,none,none\n'
} >"$WORK/f.csv"
expect_ok sr import "$WORK/f.csv"
expect_stdout_contains "staged: 5 added"
expect_ok sr commit -m 'fleet with coverage' --author jm
expect_ok sr show 1
expect_stdout_contains "item: SRV-01
  kind: server
  name: File server
  services: backup, monitoring (kind default)
  sla: gold (kind default)"
expect_stdout_contains "item: SRV-02
  kind: server
  name: Print server
  services: monitoring (own)
  sla: gold (own)"
expect_stdout_contains "item: PC-01
  kind: workstation
  name: Compta
  services: backup, support (own)
  sla: none (kind default)"
expect_stdout_contains "item: PC-02
  kind: workstation
  name: Accueil
  services: backup, monitoring, support (own)
  sla: gold (own)"
expect_stdout_contains "item: PC-03
  kind: workstation
  name: Direction
  services: none (own)
  sla: none (own)"
expect_ok sr verify

echo "# export-csv: services and sla, '(kind default)' where inherited; import reads it back"
expect_ok sr export-csv 1 -o "$WORK/v1.csv"
expect_file_equal "$WORK/v1.csv" <(printf '%s\n' 'id,kind,name,services,sla' \
    'PC-01,workstation,Compta,"backup, support",none (kind default)' \
    'PC-02,workstation,Accueil,"backup, monitoring, support",gold' \
    'PC-03,workstation,Direction,none,none' \
    'SRV-01,server,File server,"backup, monitoring (kind default)",gold (kind default)' \
    'SRV-02,server,Print server,monitoring,gold') "export-csv of version 1"
expect_ok sr import "$WORK/v1.csv"
expect_stdout_contains "0 added, 0 modified, 0 removed, 5 unchanged"
expect_ok sr status
expect_stdout_contains "nothing staged"
echo "# ... into a register with the same terms: the same document items"
cp "$BASE" "$WORK/other.db"
sr_on "$WORK/other.db" service add support --name 'User support'
expect_ok "$SCOPEREG" -R "$WORK/other.db" import "$WORK/v1.csv" --commit -m 'fleet with coverage' --author jm
"$SCOPEREG" -R "$WORK/other.db" show 1 | sed -n '/^item: /,$p' >"$WORK/other.items"
sr show 1 | sed -n '/^item: /,$p' >"$WORK/one.items"
expect_file_equal "$WORK/other.items" "$WORK/one.items" "item blocks after a round trip"
echo "# ... and --excel (';', BOM) reads back too"
expect_ok sr export-csv 1 --excel -o "$WORK/v1x.csv"
expect_ok sr import "$WORK/v1x.csv"
expect_stdout_contains "5 unchanged"

echo "# a changed cell stages the coverage; an emptied one goes back to the kind's default"
printf 'id,kind,services,Criticité\nSRV-02,server,,\nSRV-01,server,backup,\n' >"$WORK/g.csv"
expect_ok sr import "$WORK/g.csv"
expect_stdout_contains "0 added, 2 modified, 0 removed, 0 unchanged"
expect_ok sr import "$WORK/g.csv"
expect_stdout_contains "0 added, 0 modified, 0 removed, 2 unchanged"
SCOPEREG_NOW=2026-02-01T09:00:00Z expect_ok sr commit -m 'g' --author jm
expect_ok sr show 2
expect_stdout_contains "~ SRV-01
  services: \"backup, monitoring (kind default)\" -> \"backup (own)\""
expect_stdout_contains "item: SRV-02
  kind: server
  name: Print server
  services: backup, monitoring (kind default)
  sla: gold (kind default)"

echo "# a service staged (not committed yet) is defined"
printf 'id,kind,services\nSRV-01,server,antivirus\n' >"$WORK/h.csv"
refused -l "$WORK/h.csv" 2 "unknown service 'antivirus'" -- sr import "$WORK/h.csv"
sr_ok service add antivirus --name Antivirus
expect_ok sr import "$WORK/h.csv"
expect_stdout_contains "1 modified"

echo "# French Excel: ';', Windows-1252, Prestations and Niveau de service"
FR="$WORK/parc.csv"
{
    printf 'N\xc2\xb0 d'"'"'inventaire;Type;Nom;Num\xc3\xa9ro de s\xc3\xa9rie;Prestations;Niveau de service\r\n'
    printf 'SRV-10;Serveur;Serveur de fichiers;CZ1234;;\r\n'
    printf 'PC-10;Poste de travail;Poste S\xc3\xa9bastien;SG2598;"Support; Backup";Gold\r\n'
    printf 'IMP-10;Imprimante;Imprimante \xc3\xa9tage 3;X55;aucun;\r\n'
} | iconv -f UTF-8 -t WINDOWS-1252 >"$FR" || skip "iconv cannot write windows-1252"
refused -l "$FR" 2 "parc.csv:4: column 'Prestations': unknown service 'aucun' for item 'IMP-10'" \
    -- sr import "$FR" --encoding windows-1252
sed -i 's/;aucun;/;none;/' "$FR"
expect_ok sr import "$FR" --encoding windows-1252
expect_stdout_contains "delimiter ';' (sniffed), windows-1252"
expect_stdout_contains "staged: 3 added"
SCOPEREG_NOW=2026-03-01T09:00:00Z expect_ok sr commit -m 'parc FR' --author jm
expect_ok sr show 3
expect_stdout_contains "item: PC-10
  kind: workstation
  name: Poste Sébastien
  services: backup, support (own)
  sla: gold (own)
  serial: SG2598"
expect_stdout_contains "item: IMP-10
  kind: printer
  name: Imprimante étage 3
  services: none (own)
  sla: none (kind default)"
expect_stdout_contains "item: SRV-10
  kind: server
  name: Serveur de fichiers
  services: backup, monitoring (kind default)
  sla: gold (kind default)"
expect_ok sr verify

echo "# evidence: the item's coverage as agreed, with its class's targets"
SCOPEREG_NOW=2026-03-02T09:00:00Z sr_ok sign 3 --key "$K/provider.key"
SCOPEREG_NOW=2026-03-03T09:00:00Z sr_ok sign 3 --key "$K/client.key"
SCOPEREG_NOW=2026-03-10T09:00:00Z expect_ok sr evidence PC-10 --at 2026-03-05 -o "$WORK/ev"
expect_stdout_contains "PC-10 was in scope at 2026-03-05T23:59:59Z, as signed in version 3
  services: backup, support (own)
  service backup: Daily backup
  service support: User support
  service level: gold, Gold (own)
    hours: 24/7
    critical: response 1h, resolution 4h"
grep -q '^      sla: gold (own)$' "$WORK/ev/VERIFY.txt" && grep -q '^    class: gold$' "$WORK/ev/VERIFY.txt" &&
    grep -q '^      resolution critical: 4h$' "$WORK/ev/VERIFY.txt" ||
    fail "VERIFY.txt does not give PC-10's coverage and its class as signed"
pass "VERIFY.txt gives PC-10's coverage, its services' and its class's blocks as signed"

echo "# the annex: functional scope, exclusions, level grid, kind defaults, each item's coverage"
expect_ok sr report 3 --html --lang fr -o "$WORK/annexe-v3.html"
for w in 'Périmètre fonctionnel' '<td class="id">support</td><td>User support</td>' \
    'Aucune exclusion n’est mentionnée dans cette version.' \
    '<th>Gold <span class="id">(gold)</span></th>' \
    '<tr><th>Critique</th><td><span class="k">prise en charge sous</span> 1 h' \
    '<tr><td>Serveurs</td><td>backup, monitoring</td><td>gold</td></tr>' \
    'Prestations :</span> backup, monitoring <span class="k">(défaut de la catégorie)</span>'; do
    grep -qF "$w" "$WORK/annexe-v3.html" || fail "the French annex lacks '$w'"
    pass "the French annex has '$w'"
done
grep -qF 'kind default' "$WORK/annexe-v3.html" && fail "the French annex says 'kind default'"
pass "no 'kind default' in the French annex"
echo "# ... and a version made before services has none of these sections"
G="$WORK/golden2.db"
cp "$SCOPEREG_SOURCE/tests/fixtures/golden2/register.db" "$G"
expect_ok "$SCOPEREG" -R "$G" report 20 --html -o "$WORK/golden.html"
for w in 'id="services"' 'id="levels"' 'id="defaults"' 'attrs cov'; do
    grep -qF "$w" "$WORK/golden.html" && fail "the annex of a scope-register/1 version has '$w'"
    pass "the annex of a scope-register/1 version has no '$w'"
done

done_checks
