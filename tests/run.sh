#!/usr/bin/env bash
# Builds scopereg with -Werror and runs the whole test suite twice: once as
# built, once under AddressSanitizer and UndefinedBehaviorSanitizer.
# Exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bash "$top/tests/deps.sh"
jobs=$(nproc 2>/dev/null || echo 2)
status=0
for variant in plain asan; do
    dir="$top/build-test-$variant"
    flags=(-DSCOPEREG_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
    [ "$variant" = asan ] && flags+=(-DSCOPEREG_SANITIZE=ON)
    echo "== build ($variant)"
    cmake -S "$top" -B "$dir" "${flags[@]}" >/dev/null
    cmake --build "$dir" -j "$jobs"
    echo "== tests ($variant)"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 1800) || status=1
done
exit $status
