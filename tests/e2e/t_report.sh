#!/usr/bin/env bash
# t_report.sh - the HTML annex: the sample fleet imported, changed and
# (when 'scopereg sign' exists) agreed, rendered with 'report --html';
# content, escaping, self-containment and the print stylesheet; refusals
# (existing file without --force, a symbolic link, a tampered register,
# bad usage) that leave nothing behind. Last, when chromium is installed,
# the page is rendered headless to a PNG that must be a real image; the
# test is skipped (77) there otherwise.
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
    expect_stdout_contains "signed 2026-02-03T08:00:00Z"
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

echo "# rendered by a browser"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed: the annex was not rendered to PNG (the $CHECKS checks above held)"
PNG="$WORK/annex.png"
expect_ok sr report 2 --html -o "$WORK/page.html" --force
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$WORK/chromium.XXXXXX")" --screenshot="$PNG" \
    --window-size=1240,1754 "file://$WORK/page.html" >"$WORK/chromium.log" 2>&1 ||
    fail "chromium failed: $(tail -n 5 "$WORK/chromium.log")"
[ -f "$PNG" ] || fail "chromium wrote no $PNG: $(tail -n 5 "$WORK/chromium.log")"
pass "chromium rendered the annex"
size=$(stat -c %s "$PNG")
[ "$size" -gt 10240 ] || fail "the PNG is only $size bytes"
pass "the PNG is $size bytes"
[ "$(head -c 8 "$PNG" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    fail "the file is not a PNG"
pass "the PNG has the PNG signature"

done_checks
