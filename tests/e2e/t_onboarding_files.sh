#!/usr/bin/env bash
# t_onboarding_files.sh - files that are not what `import` is told they are:
# UTF-8 read as windows-1252 (also through a saved profile), a file mixing
# UTF-8 and windows-1252, a spreadsheet workbook named .csv, rows ragged by
# empty trailing cells, a wrong --delimiter. Each refusal exits 2, names the
# file, line (and column) and the fix, and leaves the register as it was;
# the files that are right still import, with the right characters.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_keys provider client
REG="$WORK/acme.db"
D="$WORK/files"
mkdir -p "$D"
sr() { "$SCOPEREG" -R "$REG" "$@"; }
sr init --contract ACME-2026-01 --provider 'Helvetia IT SA' \
    --provider-key "$WORK/keys/provider.pub" --client 'ACME SA' \
    --client-key "$WORK/keys/client.pub" >/dev/null 2>"$WORK/init.err" ||
    fail "init failed: $(cat "$WORK/init.err")"

# refused_as_was WHAT WORD... -- CMD...: exit 2, every WORD on stderr, register
# unchanged (bytes and status).
refused_as_was() {
    local what=$1 words=() before st w
    shift
    while [ "$1" != "--" ]; do
        words+=("$1")
        shift
    done
    shift
    before=$(sha_of "$REG")
    st=$(sr status 2>&1)
    echo "# refused: $what"
    expect_exit 2 "$@"
    for w in "${words[@]}"; do
        expect_stderr_contains "$w"
    done
    expect_same_sha "$REG" "$before" "$what"
    [ "$(sr status 2>&1)" = "$st" ] || fail "$what: status changed"
    pass "$what: status unchanged"
}
lacks_stderr() {
    case "$ERR" in
    *"$1"*) fail "stderr contains '$1'" ;;
    *) pass "stderr lacks '$1'" ;;
    esac
}

# ---- accepted: a genuine Windows-1252 French file, a UTF-8 file ----

printf 'N\xb0 inventaire;Type;D\xe9signation;Lieu\r\nFR-1;Poste;\xabR\xe9ception\xbb;Gen\xe8ve \xe0 c\xf4t\xe9\r\nFR-2;Serveur;Fran\xe7ois 12 \x80;Caf\xe9\r\n' \
    >"$D/fr_cp1252.csv"
expect_ok sr import "$D/fr_cp1252.csv" --encoding windows-1252 --save-profile excel
expect_stdout_contains "windows-1252"
printf 'ID;Type;Nom\nU-1;poste;\xc2\xab 20\xc2\xb0C \xc2\xbb\n' >"$D/utf8.csv"
expect_ok sr import "$D/utf8.csv"
expect_ok sr status
expect_stdout_contains "+ FR-1 (workstation) «Réception»"
expect_stdout_contains "+ FR-2 (server) François 12 €"
expect_stdout_contains "+ U-1 (workstation) « 20°C »"
expect_ok sr status -v
expect_stdout_contains "Genève à côté"
expect_ok sr commit -m 'initial' --author jm

# ---- 1. UTF-8 read as windows-1252 ----

printf 'ID;Type;Nom;Lieu\r\nDE-1;poste;Buchhaltung;B\xc3\xbcro 2\r\nDE-2;poste;Empfang;r\xc3\xa9ception\r\n' \
    >"$D/de_utf8.csv"
refused_as_was "UTF-8 without BOM read as windows-1252" \
    "de_utf8.csv:2: column 4 'Lieu': 'Büro 2' is UTF-8 text (read as windows-1252 it would become 'BÃ¼ro 2'), and the whole file is valid UTF-8: the file is UTF-8, not windows-1252; drop --encoding" \
    -- sr import "$D/de_utf8.csv" --encoding windows-1252
refused_as_was "UTF-8 read as latin1" "de_utf8.csv:2: column 4 'Lieu': 'Büro 2' is UTF-8 text" \
    "the file is UTF-8, not latin1; drop --encoding" -- sr import "$D/de_utf8.csv" --encoding latin1
refused_as_was "UTF-8 read as windows-1252 by a profile" "de_utf8.csv:2:" \
    "(or use --encoding utf-8 if a saved profile sets windows-1252)" \
    -- sr import "$D/de_utf8.csv" --profile excel
refused_as_was "UTF-8 read as windows-1252, dry run" "de_utf8.csv:2:" \
    -- sr import "$D/de_utf8.csv" --encoding windows-1252 --dry-run
expect_ok sr import "$D/de_utf8.csv" --profile excel --encoding utf-8 --dry-run
expect_stdout_contains "utf-8"

# a UTF-8 file with one Windows-1252 byte on line 45
{
    printf 'ID;Type;Nom;Lieu\n'
    printf 'MX-1;poste;Accueil;B\xc3\xbcro\n'
    for i in $(seq 2 43); do printf 'MX-%d;poste;P%d;Bern\n' "$i" "$i"; done
    printf 'MX-44;poste;Filiale;Z\xfcrich\n'
} >"$D/mixed.csv"
refused_as_was "a mixed file read as windows-1252" \
    "mixed.csv:45: column 4 'Lieu': byte 0xFC ('ü' in windows-1252) at character 2 is not UTF-8, but line 2 holds UTF-8 text ('Büro'): the file mixes two encodings" \
    "save it in one: re-type this cell, or save the file as CSV UTF-8" \
    -- sr import "$D/mixed.csv" --encoding windows-1252
refused_as_was "a mixed file read as UTF-8" \
    "mixed.csv:45: column 4 'Lieu': invalid UTF-8 (byte 0xFC at character 2), but line 2 holds UTF-8 text ('Büro'): the file mixes two encodings" \
    "re-type this cell, or save the file as CSV UTF-8" -- sr import "$D/mixed.csv"
lacks_stderr "use --encoding windows-1252"
# a Windows-1252 file read as UTF-8 still gets the hint
refused_as_was "windows-1252 read as UTF-8" "fr_cp1252.csv:1: column 1: the header is not valid UTF-8" \
    "use --encoding windows-1252" -- sr import "$D/fr_cp1252.csv"

# ---- 2. workbooks named .csv ----

printf 'PK\003\004\024\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\023\000\000\000[Content_Types].xml<?xml version="1.0"?><Types/>' \
    >"$D/parc.csv"
refused_as_was "an .xlsx named .csv" \
    "parc.csv is an Excel workbook (.xlsx), not CSV: open it in Excel or LibreOffice and save it as 'CSV UTF-8'" \
    -- sr import "$D/parc.csv" --encoding windows-1252
lacks_stderr "not valid UTF-8"
printf 'PK\003\004\024\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\010\000\000\000mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK' \
    >"$D/parc_ods.csv"
refused_as_was "an .ods named .csv" "parc_ods.csv is an OpenDocument spreadsheet (.ods), not CSV" \
    "save it as 'Text CSV' with the character set 'Unicode (UTF-8)'" -- sr import "$D/parc_ods.csv"
printf '\320\317\021\340\241\261\032\341\000\000\376\377garbage' >"$D/old.csv"
refused_as_was "an .xls named .csv" \
    "old.csv is an Excel workbook (.xls), not CSV: open it in Excel or LibreOffice and save it as 'CSV UTF-8'" \
    -- sr import "$D/old.csv"

# ---- 3. ragged rows ----

printf 'ID;Type;Nom;Prix;;\r\nRG-1;poste;A;10;;\r\nRG-2;poste;B;20\r\nRG-3;poste;C;30;;;\r\nRG-4;poste;D;40;;;;\r\n' \
    >"$D/ragged.csv"
expect_ok sr import "$D/ragged.csv" --dry-run
expect_stdout_contains "would stage: 4 added"
printf 'ID;Type;Nom;Prix;Lieu\r\nRS-1;poste;A;10;Bern\r\nRS-2;poste;B\r\n' >"$D/short.csv"
refused_as_was "a row short of a named column" \
    "short.csv:3: expected 5 fields as in the header, got 3: column 4 'Prix' is missing; is a row cut in two by a line break in a cell that is not in double quotes? put that cell in double quotes" \
    -- sr import "$D/short.csv"
printf 'ID;Type;Nom;Prix\r\nRX-1;poste;A;10\r\nRX-2;poste;B;20;;Bern\r\n' >"$D/extra.csv"
refused_as_was "a row with an extra field holding text" \
    "extra.csv:3: expected 4 fields as in the header, got 6: field 6 holds 'Bern' past the last column; an unquoted ';' (the delimiter) inside a cell? put that cell in double quotes" \
    -- sr import "$D/extra.csv"
# a name cut by an unquoted ';' under a header that ends with a named
# column, beside rows of the header's width: "Jones" would land under Lieu
printf 'id;Type;Nom;Lieu\r\nSH-1;poste;Smith; Jones;\r\nSH-2;poste;Doe;Paris\r\n' >"$D/shift.csv"
refused_as_was "a row shifted by an unquoted delimiter" \
    "shift.csv:2: expected 4 fields as in the header, got 5 (those past the last column empty); rows with 4 fields: 1, with more: 1; a row shifted by an unquoted ';' (the delimiter) inside a cell? put that cell in double quotes" \
    -- sr import "$D/shift.csv" --commit -m x

# ---- 4. wrong delimiter ----

printf 'ID;Type;Nom\nWD-1;poste;A\n' >"$D/semi.csv"
refused_as_was "--delimiter ',' on a ';' file" \
    "semi.csv:1: the header is one column holding ';': the file's delimiter is ';' (drop --delimiter or use --delimiter ';')" \
    -- sr import "$D/semi.csv" --delimiter ','
lacks_stderr "no column maps to id"
printf 'ID|Type|Nom\nWD-1|poste|A\n' >"$D/pipe.csv"
refused_as_was "a '|' file" \
    "pipe.csv:1: the header is one column holding '|': the file's delimiter is '|' (use --delimiter '|')" \
    -- sr import "$D/pipe.csv"
expect_ok sr import "$D/pipe.csv" --delimiter '|' --dry-run
expect_stdout_contains "would stage: 1 added"

# ---- 6. keys an earlier release made ----
# Releases before this one kept a decomposed (NFD) "Désignation spéciale" as
# the key de_signation_spe_ciale and Shelf's "cf: Garantie,type:number" as
# cf_garantie_type_number; this one makes designation_speciale and garantie.
# Where the items already hold the old key, the column keeps it, so a
# quarterly re-import of the same file renames no attribute.
KR="$WORK/keys.db"
cp "$REG" "$KR"
kr() { "$SCOPEREG" -R "$KR" "$@"; }
printf 'ID;Type;Nom;De\xcc\x81signation spe\xcc\x81ciale;cf: Garantie,type:number\r\nK-1;poste;A;Bureau;24\r\n' \
    >"$D/keys.csv"
expect_ok kr import "$D/keys.csv" --map 'Désignation spéciale=de_signation_spe_ciale' \
    --map 'Garantie=cf_garantie_type_number' --commit -m 'as an earlier release' --author jm
expect_ok kr import "$D/keys.csv" --dry-run -v
expect_stdout_contains "would stage: 0 added, 0 modified, 0 removed, 1 unchanged"
NFD=$(printf 'De\xcc\x81signation spe\xcc\x81ciale')
expect_stdout_contains "column '$NFD' keeps the attribute key 'de_signation_spe_ciale' that the items have (this release reads the header as designation_speciale; --map '$NFD=designation_speciale' uses that instead)"
expect_stdout_contains "1 more column keeps the attribute key that the items have"
expect_stdout_contains "cf: Garantie,type:number -> cf_garantie_type_number (attribute)"
# a register without those keys gets this release's keys
expect_ok sr import "$D/keys.csv" --dry-run -v
expect_stdout_contains "$NFD -> designation_speciale (attribute)"
expect_stdout_contains "cf: Garantie,type:number -> garantie (attribute)"
done_checks
