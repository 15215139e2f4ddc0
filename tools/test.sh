#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer + UBSan, and runs every test; then the
# Windows suite: the cross build (mingw-w64) and its tests under Wine (tools/windows/test.sh),
# whose client tests use this build's Linux gocua-hub.
# Usage: tools/test.sh [ctest args...]     (e.g. tools/test.sh -R Crash; given to both suites)
# GOCUA_SKIP_WINDOWS=1 runs the Linux suite only.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
gocua_install_deps

build=build/test
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
t0=$(date +%s)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DGOCUA_SANITIZE=ON -DGOCUA_WERROR="$werror" >/dev/null
cmake --build "$build" -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$build" && ctest --output-on-failure -j"$(nproc)" "$@")
echo "==> Linux suite: $(($(date +%s) - t0)) s"

if [ "${GOCUA_SKIP_WINDOWS:-}" != "1" ]; then
  GOCUA_LINUX_BUILD="$PWD/$build" tools/windows/test.sh "$@"
fi
