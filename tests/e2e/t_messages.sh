#!/usr/bin/env bash
# t_messages.sh - the command line's messages in French and German (GNU
# gettext, po/): every message the sources mark (xgettext with the options of
# po/xgettext.opts) is translated in po/fr.po and po/de.po, with no fuzzy
# entry; LC_ALL=fr_CH.UTF-8, LC_ALL=de_CH.UTF-8 (when generated) and LANGUAGE=fr
# or de give French or German errors and output, with file names, lines and
# ids where English has them; LC_ALL=C gives English. --json outputs, exit
# codes, signatures and exported documents are byte for byte the same in
# every language.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC=${SCOPEREG_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${SCOPEREG_LOCALEDIR:-}" ] && [ -d "$SCOPEREG_LOCALEDIR" ] ||
    skip "\$SCOPEREG_LOCALEDIR does not name the built catalogues (run through ctest)"

echo "# the catalogues hold every marked message, translated"
if command -v xgettext >/dev/null 2>&1 && command -v msgcmp >/dev/null 2>&1; then
    mapfile -t opts <"$SRC/po/xgettext.opts"
    (cd "$SRC" && xgettext "${opts[@]}" -o "$WORK/scopereg.pot" cli/*.c output/*.c \
        inventory/*/*.c) 2>"$WORK/xgettext.err" || fail "xgettext: $(cat "$WORK/xgettext.err")"
    n=$(grep -c '^msgid ' "$WORK/scopereg.pot")
    [ "$n" -gt 300 ] || fail "xgettext found only $n messages in the sources"
    pass "xgettext finds $((n - 1)) messages in cli/, output/ and inventory/"
    for l in fr de; do
        # msgcmp: every msgid of the sources has a translated, non-fuzzy entry.
        if ! msgcmp "$SRC/po/$l.po" "$WORK/scopereg.pot" >"$WORK/msgcmp.$l" 2>&1; then
            # the entries a merge leaves untranslated: the missing msgids
            msgmerge -q --no-fuzzy-matching -o "$WORK/merged.$l.po" "$SRC/po/$l.po" \
                "$WORK/scopereg.pot" 2>/dev/null &&
                msgattrib --untranslated --no-location --no-wrap "$WORK/merged.$l.po" |
                grep '^msgid "' | grep -v '^msgid ""$' >"$WORK/missing.$l"
            [ -s "$WORK/missing.$l" ] || cp "$WORK/msgcmp.$l" "$WORK/missing.$l"
            fail "po/$l.po lacks $(wc -l <"$WORK/missing.$l") messages of the sources (msgmerge, then translate them):
$(head -n 40 "$WORK/missing.$l")"
        fi
        pass "po/$l.po has every message of the sources"
    done
else
    echo "SKIP: xgettext or msgcmp is absent (Debian package gettext): catalogues not compared with the sources"
fi
for l in fr de; do
    msgfmt --check --statistics -o /dev/null "$SRC/po/$l.po" >"$WORK/stat.$l" 2>&1 ||
        fail "msgfmt --check po/$l.po: $(cat "$WORK/stat.$l")"
    stat=$(tail -n 1 "$WORK/stat.$l")
    case $stat in
    *untranslated* | *fuzzy*) fail "po/$l.po: $stat (every entry must be translated, none fuzzy)" ;;
    *" translated message"*) pass "po/$l.po: $stat" ;;
    *) fail "msgfmt --statistics po/$l.po said: $stat" ;;
    esac
done

# The languages: env arguments before the command. LANGUAGE needs a locale
# that is not "C": C.UTF-8 is glibc's own; with no locale set at all,
# scopereg picks it itself.
EN=(env LC_ALL=C)
DE_LANGUAGE=(env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=de)
FR_BARE=(env -u LC_ALL -u LC_MESSAGES -u LANG LANGUAGE=fr)
has_locale() {
    locale -a 2>/dev/null | grep -qix "$1.utf8"
}
FR=(env LANGUAGE=fr LC_ALL=C.UTF-8)
if has_locale fr_CH; then
    FR=(env -u LANGUAGE LC_ALL=fr_CH.UTF-8)
else
    echo "SKIP: locale fr_CH.UTF-8 is not generated (run tests/deps.sh as root): LC_ALL=fr_CH.UTF-8 not checked, LANGUAGE=fr instead"
fi
DE=("${DE_LANGUAGE[@]}")
if has_locale de_CH; then
    DE=(env -u LANGUAGE LC_ALL=de_CH.UTF-8)
else
    echo "SKIP: locale de_CH.UTF-8 is not generated (run tests/deps.sh as root): LC_ALL=de_CH.UTF-8 not checked, LANGUAGE=de instead"
fi

# says LANG_ENV CODE WANT... -- CMD...: CMD in that language exits CODE and
# its stderr holds each WANT.
says() {
    local -n lenv=$1
    local code=$2 w words=()
    shift 2
    while [ "$1" != "--" ]; do
        words+=("$1")
        shift
    done
    shift
    expect_exit "$code" "${lenv[@]}" "$@"
    for w in "${words[@]}"; do
        expect_stderr_contains "$w"
    done
}

parties
init_reg_ok ACME-1
sr_ok add SRV-01 --kind server --name 'File server' --set os='Debian 12'
sr_ok add PC-01 --kind workstation --name 'Reception'
sr_ok commit -m 'Initial inventory' --author 'J. Muller'

echo "# the command line's errors"
says EN 2 "error: 'frob' is not a scopereg command; see 'scopereg --help'" -- "$SCOPEREG" frob
says FR 2 "erreur: 'frob' n'est pas une commande de scopereg; voir 'scopereg --help'" -- "$SCOPEREG" frob
says DE 2 "Fehler: 'frob' ist kein scopereg-Befehl; siehe 'scopereg --help'" -- "$SCOPEREG" frob
says DE_LANGUAGE 2 "Fehler: 'frob' ist kein scopereg-Befehl" -- "$SCOPEREG" frob
says FR_BARE 2 "erreur: 'frob' n'est pas une commande de scopereg" -- "$SCOPEREG" frob
LC_C_DE=(env LC_ALL=C LANGUAGE=de)
says LC_C_DE 2 "error: 'frob' is not a scopereg command" -- "$SCOPEREG" frob
says EN 2 "error: add needs an item ID" "usage: scopereg add ID" -- "$SCOPEREG" -R "$REG" add
says FR 2 "erreur: add demande l'identifiant ID d'un élément" "usage: scopereg add ID" -- \
    "$SCOPEREG" -R "$REG" add
says DE 2 "Fehler: add braucht die Kennung ID eines Elements" "Aufruf: scopereg add ID" -- \
    "$SCOPEREG" -R "$REG" add

echo "# the library's errors name the register, item and version as in English"
sha=$(sha_of "$REG")
says EN 2 "error: item 'SRV-01' is already in scope (use 'scopereg edit')" -- \
    "$SCOPEREG" -R "$REG" add SRV-01 --kind server
says FR 2 "erreur: l'élément 'SRV-01' figure déjà dans le périmètre (utilisez 'scopereg edit')" -- \
    "$SCOPEREG" -R "$REG" add SRV-01 --kind server
says DE 2 "Fehler: Element 'SRV-01' ist bereits im Leistungsumfang (verwenden Sie 'scopereg edit')" -- \
    "$SCOPEREG" -R "$REG" add SRV-01 --kind server
says FR 2 "erreur: $WORK/none.db: registre introuvable (créez-en un avec 'scopereg init')" -- \
    "$SCOPEREG" -R "$WORK/none.db" status
says DE 2 "Fehler: keine Version 7 im Register $REG" -- "$SCOPEREG" -R "$REG" show 7
says FR 2 "erreur: pas de version 7 dans le registre $REG" -- "$SCOPEREG" -R "$REG" show 7
expect_same_sha "$REG" "$sha" "refused in every language"

echo "# an import error keeps FILE:LINE in every language"
printf 'id,kind,name\nWS-01,workstation,Desk\n,workstation,No id\n' >"$WORK/bad.csv"
for l in EN FR DE; do
    declare -n le=$l
    expect_exit 2 "${le[@]}" "$SCOPEREG" -R "$REG" import "$WORK/bad.csv"
    grep -q "^$WORK/bad.csv:3: " "$ERR_FILE" || fail "$l: no '$WORK/bad.csv:3: ' line"
    pass "$l: the refused row is named '$WORK/bad.csv:3: ...'"
    unset -n le
done
expect_same_sha "$REG" "$sha" "import refused in every language"

echo "# output in the language, --json, exit codes, signatures and documents the same"
for l in EN FR DE; do
    declare -n le=$l
    # the same relative paths in every language: the JSON names the register
    d="$WORK/$l.out"
    mkdir -p "$d"
    cp "$REG" "$d/reg.db"
    cd "$d" || fail "cd $d"
    run "${le[@]}" "$SCOPEREG" -R reg.db sign 1 --key "$K/provider.key"
    [ "$RC" -eq 0 ] || fail "$l: sign exit $RC"
    cp "$OUT_FILE" "$d/sign.txt"
    run "${le[@]}" "$SCOPEREG" -R reg.db sign 1 --key "$K/client.key"
    [ "$RC" -eq 0 ] || fail "$l: sign (client) exit $RC"
    run "${le[@]}" "$SCOPEREG" -R reg.db export 1 -o export
    [ "$RC" -eq 0 ] || fail "$l: export exit $RC"
    for c in "show 1" "log --json" "status --json" "verify --json" "show 1 --json" \
        "at 2026-01-20 SRV-01 --json" "history SRV-01 --json" "at 2025-01-01 --json" \
        "history NOPE --json" "verify --documents export --json" "show 9 --json"; do
        # shellcheck disable=SC2086
        "${le[@]}" "$SCOPEREG" -R reg.db $c >"$d/${c// /_}" 2>/dev/null
        echo "$?" >"$d/${c// /_}.rc"
    done
    cd "$WORK" || fail "cd $WORK"
    unset -n le
done
grep -q "version 1 signed by the provider" "$WORK/EN.out/sign.txt" || fail "English sign output: $(cat "$WORK/EN.out/sign.txt")"
pass "LC_ALL=C: 'version 1 signed by the provider ...'"
grep -q "version 1 signée par la partie provider" "$WORK/FR.out/sign.txt" || fail "French sign output: $(cat "$WORK/FR.out/sign.txt")"
pass "French: 'version 1 signée par la partie provider ...'"
grep -q "Version 1 von der Partei provider signiert" "$WORK/DE.out/sign.txt" || fail "German sign output: $(cat "$WORK/DE.out/sign.txt")"
pass "German: 'Version 1 von der Partei provider signiert ...'"
[ -s "$WORK/EN.out/show_1" ] && [ -s "$WORK/EN.out/verify_--json" ] &&
    [ -s "$WORK/EN.out/verify_--documents_export_--json" ] || fail "an English output is empty"
for l in FR DE; do
    n=0
    for f in "$WORK/EN.out"/* "$WORK/EN.out"/export/*; do
        [ -f "$f" ] || continue
        case $f in */sign.txt | */reg.db) continue ;; esac
        g="$WORK/$l.out/${f#"$WORK/EN.out/"}"
        cmp -s "$f" "$g" || fail "$l: ${f#"$WORK/EN.out/"} differs from English: $(diff "$f" "$g" | head -n 6)"
        n=$((n + 1))
    done
    [ "$n" -ge 25 ] || fail "$l: only $n files compared"
    pass "$l: $n files equal English's (--json outputs, exit codes, the document, signatures, exported files)"
done
grep -qx 1 "$WORK/EN.out/at_2025-01-01_--json.rc" || fail "at before any agreement should exit 1"
pass "a negative answer exits 1 in every language"

echo "# an installed scopereg finds its catalogues under share/locale, whatever the prefix"
BUILD=$(cd "$(dirname "$SCOPEREG")" && pwd)
if [ -f "$BUILD/CMakeCache.txt" ] && command -v cmake >/dev/null 2>&1; then
    expect_ok cmake --install "$BUILD" --prefix "$WORK/prefix"
    for l in fr de; do
        [ -f "$WORK/prefix/share/locale/$l/LC_MESSAGES/scopereg.mo" ] ||
            fail "no share/locale/$l/LC_MESSAGES/scopereg.mo installed"
    done
    pass "share/locale/{fr,de}/LC_MESSAGES/scopereg.mo installed"
    NOENV=(env -u SCOPEREG_LOCALEDIR -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=de)
    says NOENV 2 "Fehler: 'frob' ist kein scopereg-Befehl" -- "$WORK/prefix/bin/scopereg" frob
else
    echo "SKIP: \$SCOPEREG is not in a CMake build tree: the installed catalogues are not checked"
fi

done_checks
