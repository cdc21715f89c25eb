#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test scopereg.
# Does nothing when every package is already there; needs root otherwise.
set -euo pipefail
# chromium renders the HTML annex to PNG in tests/e2e/t_report.sh (about 15 s and
# 350 MB to install; the test skips that step without it).
# clang and libclang-rt-14-dev build and run the libFuzzer targets (tests/fuzz/run.sh).
# python3 parses the --json outputs in the end-to-end tests.
packages=(build-essential cmake pkg-config libsqlite3-dev libsodium-dev libcsv-dev
          libcmocka-dev sqlite3 minisign time python3 chromium clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "scopereg needs these Debian packages: ${missing[*]}" >&2
    echo "run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
