#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test scopereg, and
# generates the fr_CH.UTF-8 and de_CH.UTF-8 locales (the translated messages'
# test). Does nothing when everything is already there; needs root otherwise.
set -euo pipefail
# chromium renders the HTML annex to PNG in tests/e2e/t_report.sh (about 15 s and
# 350 MB to install; the test skips that step without it).
# clang and libclang-rt-14-dev build and run the libFuzzer targets (tests/fuzz/run.sh).
# python3 parses the --json outputs in the end-to-end tests.
# gettext (msgfmt, xgettext) compiles po/*.po and checks the catalogues; locales
# generates the Swiss locales for tests/e2e/t_messages.sh.
# poppler-utils (pdftotext) checks that the printed annex repeats its section
# titles on continuation pages (t_report.sh; skipped with a message without it).
packages=(build-essential cmake pkg-config libsqlite3-dev libsodium-dev libcsv-dev
          libcmocka-dev sqlite3 minisign time python3 chromium clang libclang-rt-14-dev
          gettext locales poppler-utils)
locales=(fr_CH.UTF-8 de_CH.UTF-8)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A locale counts as there when `locale -a` lists it (it spells fr_CH.utf8).
missing_locales=()
for l in "${locales[@]}"; do
    locale -a 2>/dev/null | grep -qix "${l%.UTF-8}.utf8" || missing_locales+=("$l")
done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_locales[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    [ ${#missing[@]} -eq 0 ] ||
        echo "scopereg needs these Debian packages: ${missing[*]}" >&2
    [ ${#missing_locales[@]} -eq 0 ] ||
        echo "the message tests need these locales: ${missing_locales[*]}" >&2
    echo "run as root: bash tests/deps.sh" >&2
    exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ${#missing_locales[@]} -gt 0 ]; then
    echo "generating locales: ${missing_locales[*]}"
    for l in "${missing_locales[@]}"; do
        # Uncomment "# fr_CH.UTF-8 UTF-8" in /etc/locale.gen, or add the line.
        if grep -q "^# *${l//./\\.} UTF-8" /etc/locale.gen; then
            sed -i "s/^# *\(${l//./\\.} UTF-8\)/\1/" /etc/locale.gen
        elif ! grep -q "^${l//./\\.} UTF-8" /etc/locale.gen; then
            echo "$l UTF-8" >> /etc/locale.gen
        fi
    done
    locale-gen
fi
