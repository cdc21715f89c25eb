#!/usr/bin/env bash
# t_report.sh - the HTML annex: the sample fleet imported, changed and
# (when 'scopereg sign' exists) agreed, rendered with 'report --html';
# content, escaping, self-containment and the print stylesheet; refusals
# (existing file without --force, a symbolic link, a tampered register,
# bad usage) that leave nothing behind. The annex in French and German
# (--lang, and the register's language from init --lang): its words,
# Zurich times, Swiss grouping, the signature block, and documents,
# hashes, signatures and exported files byte-identical whatever the
# language. Last, when chromium is installed, the pages are rendered
# headless to PNG and printed to A4 PDF in the test output folder
# ($SCOPEREG_REPORT_OUT, else t_report.out in the working directory; kept),
# and the PDF's section titles are checked on continuation pages (with
# pdftotext; without it that check says it is skipped); the test is
# skipped (77) without chromium.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_keys provider client
REG="$WORK/acme.db"
sr() { "$SCOPEREG" -R "$REG" "$@"; }
SAMPLES=${SCOPEREG_SAMPLES:-${SCOPEREG_SOURCE:-}/samples}
[ -f "$SAMPLES/fleet.csv" ] || skip "the sample fleet ($SAMPLES/fleet.csv) is absent"

export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok sr init --contract 'ACME-2026 <Annexe "A">' --provider 'Helvetia IT SA' \
    --provider-key "$WORK/keys/provider.pub" --client 'ACME & Fils SA' \
    --client-key "$WORK/keys/client.pub"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr import "$SAMPLES/fleet.csv"
expect_ok sr commit -m 'Initial inventory' --author 'J. Muller'
export SCOPEREG_NOW="2026-02-01T10:00:00Z"
expect_ok sr add VPN-99 --kind vpn --name 'Accès <externe> & "test"' --set 'notes=line 1
line 2'
expect_ok sr edit PC-001 --set ip=10.20.2.199
expect_ok sr remove PC-002 --reason 'stolen, police report 2026-0042'
expect_ok sr commit -m 'Q1' --author 'J. Muller'
N_ITEMS=$(sr show 2 | sed -n 's/^items: //p')

signed=0
if "$SCOPEREG" help sign >/dev/null 2>&1; then
    SCOPEREG_NOW=2026-02-02T08:00:00Z expect_ok sr sign 2 --key "$WORK/keys/provider.key"
    SCOPEREG_NOW=2026-02-03T08:00:00Z expect_ok sr sign 2 --key "$WORK/keys/client.key"
    signed=1
else
    echo "# 'scopereg sign' is not available: the annex is rendered for a proposed version"
fi

echo "# the annex of version 2"
HTML="$WORK/annex-v2.html"
expect_ok sr report 2 --html -o "$HTML"
expect_stderr_contains "wrote the HTML annex of version 2 to $HTML"
[ -s "$HTML" ] || fail "no $HTML"
pass "the annex exists"
[ "$(stat -c %a "$HTML")" = "$(printf '%o' $((0666 & ~$(umask))))" ] ||
    fail "mode $(stat -c %a "$HTML") does not follow the umask"
pass "the annex's mode follows the umask"
OUT=$(cat "$HTML")
expect_stdout_contains "<!DOCTYPE html>"
expect_stdout_contains "ACME-2026 &lt;Annexe &quot;A&quot;&gt;"
expect_stdout_contains "ACME &amp; Fils SA"
expect_stdout_contains "Accès &lt;externe&gt; &amp; &quot;test&quot;"
expect_stdout_contains "line 1
line 2"
expect_stdout_contains "$(key_id "$WORK/keys/provider.pub")"
expect_stdout_contains "$(key_id "$WORK/keys/client.pub")"
expect_stdout_contains "<h2>Workstations <span class=\"count\">("
expect_stdout_contains "<h2>Servers <span class=\"count\">("
expect_stdout_contains "<h2>VPN accesses <span class=\"count\">("
expect_stdout_contains "<tr class=\"total\"><td>Total</td><td class=\"num\">$N_ITEMS</td></tr>"
expect_stdout_contains "Changes since version 1"
expect_stdout_contains "<del>10.20.2.101</del>"
expect_stdout_contains "<ins>10.20.2.199</ins>"
expect_stdout_contains "stolen, police report 2026-0042"
DOC_HASH=$(sr show 2 --json | sed -n 's/.*"document":"blake2b-256:\([0-9a-f]*\)".*/\1/p')
[ ${#DOC_HASH} -eq 64 ] || fail "cannot read the document hash from show --json"
expect_stdout_contains "$DOC_HASH"
expect_stdout_contains "b2sum -l 256 "
expect_stdout_contains "minisign -Vm "
expect_stdout_contains "@page{size:A4;"
expect_stdout_contains "@media print"
expect_stdout_contains "thead{display:table-header-group}"
expect_stdout_contains "tr,li,pre{break-inside:avoid"
expect_stdout_lacks "<script"
expect_stdout_lacks "src="
expect_stdout_lacks "href="
expect_stdout_lacks "url("
expect_stdout_lacks "@import"
expect_stdout_lacks "http:"
expect_stdout_lacks "https:"
if [ $signed = 1 ]; then
    expect_stdout_contains "<span class=\"status agreed\">agreed</span>"
    expect_stdout_contains "signed 03.02.2026 09:00" # 08:00 UTC, Zurich time in winter
    expect_stdout_contains "<section id=\"signatures\">"
    expect_stdout_contains "Place and date"
    [ "$(grep -o '<span class="line[^"]*"></span>' "$HTML" | wc -l)" = 8 ] ||
        fail "the English signature block has not 4 lines for each party"
    pass "the English signature block has 4 lines to fill in for each party"
    [ "$(grep -o '[0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' "$HTML" | wc -l)" = 1 ] ||
        fail "the English page does not give exactly one UTC instant"
    pass "the English page gives the document's UTC instant once, Zurich times elsewhere"
else
    expect_stdout_contains "<span class=\"status proposed\">proposed</span>"
fi
if command -v python3 >/dev/null 2>&1; then
    python3 - "$HTML" <<'EOF' || fail "the page's elements are not balanced"
import sys
from html.parser import HTMLParser
void = {"meta", "br", "link", "img", "hr", "input"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
    def handle_starttag(self, tag, attrs):
        if tag not in void:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            sys.exit("unbalanced </%s>" % tag)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
sys.exit("unclosed: %s" % p.stack if p.stack else 0)
EOF
    pass "the page's elements are balanced"
fi

if [ $signed = 1 ] && command -v minisign >/dev/null 2>&1 && command -v b2sum >/dev/null 2>&1 &&
    command -v python3 >/dev/null 2>&1 && "$SCOPEREG" help export >/dev/null 2>&1; then
    echo "# the page's verification commands work on the exported files, as printed"
    expect_ok sr export 2 -o "$WORK/export"
    python3 - "$HTML" >"$WORK/commands.txt" <<'EOF' || fail "cannot read the commands of the page"
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for block in re.findall(r"<pre>(.*?)</pre>", page, re.S):
    print(html.unescape(block).strip())
EOF
    grep -q '^b2sum -l 256 ' "$WORK/commands.txt" || fail "no b2sum command in the page"
    [ "$(grep -c '^minisign -Vm ' "$WORK/commands.txt")" = 2 ] || fail "no minisign commands in the page"
    while read -r cmd; do
        read -r -a words <<<"$cmd"
        (cd "$WORK/export" && "${words[@]}") >"$OUT_FILE" 2>"$ERR_FILE" ||
            fail "'$cmd' fails in the export directory: $(cat "$ERR_FILE")"
        pass "'$cmd' works on the exported files"
        case "$cmd" in b2sum*)
            grep -q "^$DOC_HASH " "$OUT_FILE" || fail "b2sum prints another hash than the page"
            pass "b2sum prints the page's hash" ;;
        esac
    done <"$WORK/commands.txt"
fi

echo "# deterministic, and the same page on standard output"
expect_ok sr report 2 --html -o -
cmp -s "$OUT_FILE" "$HTML" || fail "report -o - differs from the file"
pass "report -o - writes the same bytes"

echo "# refusals leave things as they were"
SHA=$(sha_of "$HTML")
expect_exit 2 sr report 2 --html -o "$HTML"
expect_stderr_contains "already exists; refusing to overwrite it (use --force)"
expect_one_error_line
expect_same_sha "$HTML" "$SHA" "no --force"
expect_ok sr report 1 --html -o "$HTML" --force
[ "$(sha_of "$HTML")" != "$SHA" ] || fail "--force did not replace the annex"
pass "--force replaces the annex"
echo keep >"$WORK/target.txt"
ln -s "$WORK/target.txt" "$WORK/link.html"
expect_exit 2 sr report 2 --html -o "$WORK/link.html"
expect_stderr_contains "already exists"
expect_exit 2 sr report 2 --html -o "$WORK/link.html" --force
expect_stderr_contains "is a symbolic link: --force replaces regular files only"
[ "$(cat "$WORK/target.txt")" = keep ] || fail "the report was written through the link"
[ -L "$WORK/link.html" ] || fail "--force replaced the link"
pass "--force replaces regular files only: the link and its target are left as they were"
expect_exit 2 sr report 2 -o "$WORK/x.html"
expect_stderr_contains "--html"
expect_exit 2 sr report 2 --html
expect_exit 2 sr report 9 --html -o "$WORK/x.html"
expect_exit 2 sr report 1 2 --html -o "$WORK/x.html"
[ ! -e "$WORK/x.html" ] || fail "a refused report left $WORK/x.html"
pass "nothing left behind"
SHA=$(sha_of "$HTML")
expect_exit 2 sr report 9 --html -o "$HTML" --force
expect_same_sha "$HTML" "$SHA" "a refused version with --force"
if command -v sqlite3 >/dev/null 2>&1; then
    cp "$REG" "$WORK/tampered.db"
    sqlite3 "$WORK/tampered.db" "UPDATE version SET message = 'Q1 (edited)' WHERE number = 2" ||
        fail "sqlite3"
    expect_exit 1 "$SCOPEREG" -R "$WORK/tampered.db" report 2 --html -o "$WORK/t.html"
    expect_stderr_contains "does not re-render to its recorded hash"
    [ ! -e "$WORK/t.html" ] || fail "a refused report left a file"
    pass "nothing left behind"
fi

echo "# the annex in French and German: the words change, nothing else"
REPORT_OUT=${SCOPEREG_REPORT_OUT:-$PWD/t_report.out}
mkdir -p "$REPORT_OUT" || fail "cannot make the test output folder $REPORT_OUT"
REG_SHA=$(sha_of "$REG")
sr show 2 >"$WORK/doc-before.scope" || fail "show 2"
EN="$WORK/annex-default.html" # the English annex of version 2 ($HTML is version 1's now)
expect_ok sr report 2 --html -o "$EN"
have_export=0
if "$SCOPEREG" help export >/dev/null 2>&1; then
    have_export=1
    expect_ok sr export 2 -o "$WORK/export-before"
fi
# What a reader sees of a page: no tags, style sheet, commands or file names.
visible() {
    python3 - "$1" <<'EOF'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
page = re.sub(r"<style>.*?</style>|<pre>.*?</pre>|<code[^>]*>.*?</code>", " ", page, flags=re.S)
print(html.unescape(re.sub(r"<[^>]*>", " ", page)))
EOF
}
# The verification commands of a page, as they are written.
commands() {
    tr '\n' '\001' <"$1" | grep -o '<pre>[^<]*</pre>' | tr '\001' '\n'
}
NBSP=$'\u00a0'
for lang in fr de; do
    expect_ok sr report 2 --html --lang "$lang" -o "$WORK/annex-$lang.html"
    expect_stderr_contains "wrote the HTML annex of version 2 to $WORK/annex-$lang.html"
    cp "$WORK/annex-$lang.html" "$REPORT_OUT/" || fail "cannot copy to $REPORT_OUT"
    OUT=$(cat "$WORK/annex-$lang.html")
    expect_stdout_contains "<html lang=\"$lang-CH\">"
    # the data and the commands are those of the English page
    expect_stdout_contains "ACME-2026 &lt;Annexe &quot;A&quot;&gt;"
    expect_stdout_contains "Accès &lt;externe&gt; &amp; &quot;test&quot;"
    expect_stdout_contains "$DOC_HASH"
    expect_stdout_contains "$(key_id "$WORK/keys/provider.pub")"
    expect_stdout_contains "$(key_id "$WORK/keys/client.pub")"
    [ "$(commands "$EN" | sha256sum)" = "$(commands "$WORK/annex-$lang.html" | sha256sum)" ] ||
        fail "the $lang page's commands differ from the English page's"
    [ "$(commands "$EN" | grep -c 'minisign -Vm ')" = 2 ] || fail "no minisign commands"
    pass "the $lang page's b2sum and minisign commands are the English page's, byte for byte"
    # Zurich time: v2 was committed at 10:00 UTC (11:00 in winter); the UTC
    # instant the document holds is given once
    if [ $lang = fr ]; then
        expect_stdout_contains "<tr><th>Date</th><td>01.02.2026 11:00</td></tr>"
    else
        expect_stdout_contains "<tr><th>Datum</th><td>01.02.2026 11:00</td></tr>"
    fi
    [ "$(grep -o '[0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' "$WORK/annex-$lang.html" | wc -l)" = 1 ] ||
        fail "the $lang page does not give exactly one UTC instant"
    expect_stdout_contains "<code>2026-02-01T10:00:00Z</code>"
    pass "the $lang page gives the document's UTC instant once"
    # the signature block: lines to fill in by hand, per party
    expect_stdout_contains "<section id=\"signatures\">"
    expect_stdout_contains "<tr><td>Helvetia IT SA</td><td>ACME &amp; Fils SA</td></tr>"
    [ "$(grep -o '<span class="line[^"]*"></span>' "$WORK/annex-$lang.html" | wc -l)" = 8 ] ||
        fail "the $lang signature block has not 4 lines for each party"
    pass "the $lang signature block has 4 lines to fill in for each party"
    # section titles in the thead of their table, repeated when printed
    expect_stdout_contains "<thead><tr class=\"title\"><th colspan=\"3\"><h2>"
    expect_stdout_contains "thead{display:table-header-group}"
    # no English left in what a reader sees
    if command -v python3 >/dev/null 2>&1; then
        visible "$WORK/annex-$lang.html" >"$WORK/visible-$lang.txt" || fail "python3"
        n=0
        for en in "Workstations" "Servers" "VPN accesses" "Parties and signatures" \
            "Changes since" "How to verify" "Serial number" "serial:" "ip:" "Items in scope" \
            "Scope document" "Previous document" "not signed" "agreed" "signed 2026" \
            "added" "modified" "removed" "reason:" "Rendered by scopereg" "Attributes" \
            "Status of version"; do
            ! grep -q -- "$en" "$WORK/visible-$lang.txt" ||
                fail "the $lang page still says '$en': $(grep -o -- ".\{0,30\}$en.\{0,30\}" "$WORK/visible-$lang.txt" | head -n 1)"
            n=$((n + 1))
        done
        pass "the $lang page has none of $n English phrases of the annex (all: tests/unit/test_annex.c)"
    fi
done
OUT=$(cat "$WORK/annex-fr.html")
expect_stdout_contains "<p class=\"annex\">Annexe au contrat ACME-2026 &lt;Annexe &quot;A&quot;&gt;</p>"
expect_stdout_contains "<h2>Postes de travail <span class=\"count\">("
expect_stdout_contains "<h2>Accès VPN <span class=\"count\">("
expect_stdout_contains "<li><span class=\"k\">Adresse IP${NBSP}:</span> <del>10.20.2.101</del>"
expect_stdout_contains "<span class=\"k\">N° de série${NBSP}:</span>"
expect_stdout_contains "<span class=\"k\">motif${NBSP}:</span> stolen, police report 2026-0042"
expect_stdout_contains "<td class=\"op\">retrait</td>"
expect_stdout_contains "Lieu et date"
expect_stdout_contains "Nom, prénom"
expect_stdout_contains "Fonction"
if [ $signed = 1 ]; then
    expect_stdout_contains "<span class=\"status agreed\">approuvée par les deux parties</span>"
    expect_stdout_contains "<td>signée le 03.02.2026 09:00</td>"
    expect_stdout_contains "</code></td><td>02.02.2026 09:00</td></tr>"
    expect_stdout_contains "</code></td><td>03.02.2026 09:00</td></tr>"
fi
OUT=$(cat "$WORK/annex-de.html")
expect_stdout_contains "<p class=\"annex\">Anhang zum Vertrag ACME-2026 &lt;Annexe &quot;A&quot;&gt;</p>"
expect_stdout_contains "<h2>Arbeitsplätze <span class=\"count\">("
expect_stdout_contains "<h2>VPN-Zugänge <span class=\"count\">("
expect_stdout_contains "<li><span class=\"k\">IP-Adresse:</span> <del>10.20.2.101</del>"
expect_stdout_contains "<td class=\"op\">Entfernung</td>"
expect_stdout_contains "Ort und Datum"
expect_stdout_contains "Name, Vorname"
expect_stdout_contains "Unterschrift"
if [ $signed = 1 ]; then
    expect_stdout_contains "<td>signiert am 03.02.2026 09:00</td>"
fi

echo "# documents, hashes and signatures are the same whatever the language"
expect_same_sha "$REG" "$REG_SHA" "report --lang fr and de"
sr show 2 | cmp -s - "$WORK/doc-before.scope" || fail "show 2 changed after the reports"
pass "the scope document of version 2 is byte for byte what it was"
if [ $have_export = 1 ]; then
    expect_ok sr export 2 -o "$WORK/export-after"
    diff -r "$WORK/export-before" "$WORK/export-after" >/dev/null ||
        fail "the exported document, signatures or keys changed after the reports"
    pass "the exported document, signatures and keys are byte for byte what they were"
fi
expect_ok sr report 2 --html --lang en -o "$WORK/annex-en.html"
cmp -s "$WORK/annex-en.html" "$EN" || fail "--lang en differs from the English annex"
pass "--lang en is the English annex, byte for byte"

echo "# a register made with init --lang fr: its annex is French without --lang"
if "$SCOPEREG" help init 2>/dev/null | grep -q -- '--lang'; then
    FR="$WORK/fr.db"
    SCOPEREG_NOW="2026-01-05T08:00:00Z" expect_ok "$SCOPEREG" -R "$FR" init --lang fr \
        --contract 'ACME-2026 <Annexe "A">' --provider 'Helvetia IT SA' \
        --provider-key "$WORK/keys/provider.pub" --client 'ACME & Fils SA' \
        --client-key "$WORK/keys/client.pub"
    SCOPEREG_NOW="2026-01-10T09:00:00Z" expect_ok "$SCOPEREG" -R "$FR" import "$SAMPLES/fleet.csv"
    SCOPEREG_NOW="2026-01-10T09:00:00Z" expect_ok "$SCOPEREG" -R "$FR" commit \
        -m 'Initial inventory' --author 'J. Muller'
    expect_ok "$SCOPEREG" -R "$FR" report --html -o "$WORK/fr-default.html"
    grep -q '<html lang="fr-CH">' "$WORK/fr-default.html" || fail "the annex of a French register is not French"
    pass "the annex of a French register is French"
    expect_ok "$SCOPEREG" -R "$FR" report --html --lang de -o "$WORK/fr-de.html"
    grep -q '<html lang="de-CH">' "$WORK/fr-de.html" || fail "--lang de does not override the register's language"
    pass "--lang de overrides the register's language"
    # the same document as the English register's, but for the random register id
    sr show 1 | grep -v '^register: ' >"$WORK/en-v1.txt"
    "$SCOPEREG" -R "$FR" show 1 | grep -v '^register: ' >"$WORK/fr-v1.txt"
    cmp -s "$WORK/en-v1.txt" "$WORK/fr-v1.txt" || fail "a French register's document differs from an English one's"
    pass "a French register writes the English register's document (but for its random id)"
else
    echo "# init --lang is not available: the register's language is not tested"
fi

echo "# --lang refusals"
expect_exit 2 sr report 2 --html --lang xx -o "$WORK/xx.html"
expect_stderr_contains "unknown language 'xx' for --lang: use en, fr, de or it"
expect_one_error_line
expect_exit 2 sr report 2 --html --lang FR -o "$WORK/xx.html"
[ ! -e "$WORK/xx.html" ] || fail "a refused --lang left $WORK/xx.html"
pass "nothing left behind"

echo "# rendered by a browser"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed: the annex was not rendered to PNG (the $CHECKS checks above held)"
chrome() { # chrome OUTPUT-OPTION FILE.html
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d "$WORK/chromium.XXXXXX")" --no-pdf-header-footer "$1" \
        --window-size=1240,1754 "file://$2" >"$WORK/chromium.log" 2>&1 ||
        fail "chromium failed on $2: $(tail -n 5 "$WORK/chromium.log")"
}
expect_ok sr report 2 --html -o "$WORK/page.html" --force
for lang in en fr de; do
    PNG="$REPORT_OUT/annex-$lang.png"
    rm -f "$PNG"
    page="$WORK/annex-$lang.html"
    [ $lang = en ] && page="$WORK/page.html"
    chrome --screenshot="$PNG" "$page"
    [ -f "$PNG" ] || fail "chromium wrote no $PNG: $(tail -n 5 "$WORK/chromium.log")"
    size=$(stat -c %s "$PNG")
    [ "$size" -gt 10240 ] || fail "the PNG is only $size bytes"
    [ "$(head -c 8 "$PNG" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        fail "$PNG is not a PNG"
    pass "chromium rendered the $lang annex to a PNG of $size bytes ($PNG)"
done

echo "# printed to A4 PDF: section titles on continuation pages"
BIG="$WORK/big.db"
SCOPEREG_NOW="2026-01-05T08:00:00Z" expect_ok "$SCOPEREG" -R "$BIG" init --contract 'BIG-2026' \
    --provider 'Helvetia IT SA' --provider-key "$WORK/keys/provider.pub" --client 'ACME SA' \
    --client-key "$WORK/keys/client.pub"
{
    echo "id,kind,name,serial,ip,location"
    for i in $(seq 1 1100); do
        printf 'WS-%04d,workstation,Poste %d,SN%05d,10.1.%d.%d,"Lausanne, étage %d"\n' \
            "$i" "$i" "$i" $((i / 200)) $((i % 200)) $((i % 5))
    done
    for i in $(seq 1 40); do
        printf 'SRV-%02d,server,Serveur %d,SV%04d,10.2.0.%d,Salle\n' "$i" "$i" "$i" "$i"
    done
} >"$WORK/big.csv"
# committed the minute summer time began: 01:00 UTC is 03:00 in Zurich
SCOPEREG_NOW="2026-03-29T01:00:00Z" expect_ok "$SCOPEREG" -R "$BIG" import "$WORK/big.csv"
SCOPEREG_NOW="2026-03-29T01:00:00Z" expect_ok "$SCOPEREG" -R "$BIG" commit -m 'Initial' \
    --author 'J. Muller'
for lang in fr de; do
    case $lang in
    fr) ws='Postes de travail' srv='Serveurs' total=$'1\u202f140' sign='Lieu et date' ;;
    *) ws='Arbeitsplätze' srv='Server' total=$'1\u2019140' sign='Ort und Datum' ;;
    esac
    expect_ok "$SCOPEREG" -R "$BIG" report --html --lang $lang -o "$WORK/big-$lang.html"
    OUT=$(cat "$WORK/big-$lang.html")
    expect_stdout_contains "<tr class=\"total\"><td>Total</td><td class=\"num\">$total</td></tr>"
    expect_stdout_contains "<tr><th>Dat$([ $lang = fr ] && echo e || echo um)</th><td>29.03.2026 03:00</td></tr>"
    PDF="$REPORT_OUT/annex-big-$lang.pdf"
    rm -f "$PDF"
    chrome --print-to-pdf="$PDF" "$WORK/big-$lang.html"
    [ "$(head -c 5 "$PDF" 2>/dev/null)" = "%PDF-" ] || fail "chromium wrote no PDF at $PDF"
    pass "chromium printed the $lang annex to $PDF"
    if ! command -v pdftotext >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
        echo "# SKIPPED CHECK: pdftotext (poppler-utils) or python3 is not installed, so the" \
            "section titles on the continuation pages of $PDF are NOT checked"
        continue
    fi
    pdftotext "$PDF" "$WORK/big-$lang.txt" || fail "pdftotext $PDF"
    python3 - "$WORK/big-$lang.txt" "$ws" "$srv" >"$WORK/pages.txt" <<'EOF' ||
import re, sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
ws, srv = sys.argv[2], sys.argv[3]
cont = 0
for n, p in enumerate(pages, 1):
    rows = re.findall(r"^(WS|SRV)-\d+$", p, re.M)
    for kind, title in (("WS", ws), ("SRV", srv)):
        if kind in rows and not re.search(r"^%s \(" % re.escape(title), p, re.M):
            sys.exit("page %d has %s rows but not the title '%s'" % (n, kind, title))
    if rows and set(rows) == {"WS"}:
        cont += 1
if cont < 5:
    sys.exit("only %d pages of workstations alone (of %d pages)" % (cont, len(pages)))
print("%d pages, %d of them workstations alone, each under its title" % (len(pages), cont))
EOF
        fail "$lang PDF: $(cat "$WORK/pages.txt")"
    pass "$lang PDF: $(cat "$WORK/pages.txt")"
    last=$(awk 'BEGIN { RS = "\f" } NF { p = $0 } END { print p }' "$WORK/big-$lang.txt")
    grep -q "$sign" <<<"$last" || fail "the last page of the $lang PDF has no '$sign'"
    pass "the $lang PDF ends with the signature block ('$sign')"
done
echo "# screenshots and PDFs are in $REPORT_OUT"

done_checks
