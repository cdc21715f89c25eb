#!/usr/bin/env bash
# t_install.sh - 'cmake --install' of the build tree that holds $SCOPEREG
# puts the binary, the man page and the bash completion where they belong;
# the man page documents every command of 'scopereg --help' and renders
# without warnings; the completion completes the commands and options of
# the installed binary; and, when dpkg-deb is there, 'cpack -G DEB' builds
# a package holding the three with the declared dependencies.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BUILD=$(cd "$(dirname "$SCOPEREG")" && pwd)
[ -f "$BUILD/CMakeCache.txt" ] || skip "$BUILD (the directory of \$SCOPEREG) is not a CMake build tree"
[ -n "${SCOPEREG_SOURCE:-}" ] && [ -f "$SCOPEREG_SOURCE/docs/scopereg.1" ] ||
    skip "\$SCOPEREG_SOURCE does not name the source tree"
command -v cmake >/dev/null 2>&1 || skip "cmake is not on the PATH"

PREFIX="$WORK/prefix"
expect_ok cmake --install "$BUILD" --prefix "$PREFIX"
BIN="$PREFIX/bin/scopereg"
MAN="$PREFIX/share/man/man1/scopereg.1"
COMP="$PREFIX/share/bash-completion/completions/scopereg"
[ -x "$BIN" ] || fail "no executable $BIN"
pass "bin/scopereg installed"
[ -f "$MAN" ] || fail "no $MAN"
pass "share/man/man1/scopereg.1 installed"
[ -f "$COMP" ] || fail "no $COMP"
pass "share/bash-completion/completions/scopereg installed"
expect_ok "$BIN" --version
expect_stdout_contains "scope-register/1"
cmp -s "$MAN" "$SCOPEREG_SOURCE/docs/scopereg.1" || fail "the installed man page differs from docs/scopereg.1"
pass "the installed man page is docs/scopereg.1"

echo "# the man page documents every command"
COMMANDS=$("$BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p')
[ "$(echo "$COMMANDS" | wc -w)" -ge 10 ] || fail "cannot read the commands from --help"
for c in $COMMANDS; do
    # Each command is the tag of an entry: ".B <command>" with \- for dashes.
    grep -q "^\.B ${c//-/\\\\-}\( \|\$\)" "$MAN" || fail "the man page has no entry for '$c'"
done
pass "the man page has an entry for each of: $(echo $COMMANDS)"
for v in SCOPEREG_REGISTER SCOPEREG_NOW SCOPEREG_PASSPHRASE SCOPEREG_AUTHOR; do
    grep -q "^\.B $v\$" "$MAN" || fail "the man page does not document \$$v"
done
pass "the man page documents the environment"
grep -q '^\.SH EXIT STATUS' "$MAN" || fail "the man page has no EXIT STATUS"
pass "the man page has an EXIT STATUS section"
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -wall "$MAN" >"$WORK/man.txt" 2>"$WORK/man.err" || fail "groff fails on the man page"
    [ ! -s "$WORK/man.err" ] || fail "groff warns: $(head -n 3 "$WORK/man.err")"
    pass "the man page renders without warnings"
fi

echo "# the completion completes commands and options"
complete_words() { # complete_words WORD... : prints the candidates for the last word
    PATH="$PREFIX/bin:$PATH" bash -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _scopereg; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@"
}
bash -n "$COMP" || fail "the completion script has a syntax error"
pass "the completion script parses"
got=$(complete_words scopereg "" | sort | tr '\n' ' ')
want=$(echo "$COMMANDS" | sort | tr '\n' ' ')
[ "$got" = "$want" ] || fail "command completion: got '$got', expected '$want'"
pass "all commands complete"
got=$(complete_words scopereg report -- | tr '\n' ' ')
case "$got" in *--html*--force*|*--force*--html*) ;; *) fail "report -- completes to '$got'" ;; esac
pass "report's options complete: $got"
got=$(complete_words scopereg add X --kind ser | tr '\n' ' ')
[ "$got" = "server " ] || fail "--kind ser completes to '$got'"
pass "--kind completes the kinds"
got=$(complete_words scopereg help hi | tr '\n' ' ')
[ "$got" = "history " ] || fail "help hi completes to '$got'"
pass "help completes command names"

echo "# the Debian package"
command -v cpack >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
    skip "cpack or dpkg-deb is absent: the package was not built (the $CHECKS checks above held)"
expect_ok cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg"
DEB=$(ls "$WORK"/pkg/scopereg_*.deb 2>/dev/null | head -n 1)
[ -f "$DEB" ] || fail "cpack made no .deb"
pass "cpack made $(basename "$DEB")"
expect_ok dpkg-deb -f "$DEB" Depends
expect_stdout_contains "libsqlite3-0"
expect_stdout_contains "libsodium23"
expect_stdout_contains "libcsv3"
expect_ok dpkg-deb -f "$DEB" Maintainer
[ -n "$OUT" ] || fail "no Maintainer"
pass "Maintainer: $OUT"
expect_ok dpkg-deb -c "$DEB"
expect_stdout_contains "./usr/bin/scopereg"
expect_stdout_contains "./usr/share/man/man1/scopereg.1"
expect_stdout_contains "./usr/share/bash-completion/completions/scopereg"

done_checks
