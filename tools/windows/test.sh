#!/usr/bin/env bash
# The Windows suite: cross-builds the project (tools/windows/build.sh: the dependency prefix,
# gocua.exe, gocua-cli.exe, the test executables) and runs its ctest tests under Wine through
# CMAKE_CROSSCOMPILING_EMULATOR, in the build folder's private Wine prefix. The client tests
# start the LINUX gocua-hub of the Linux build (tools/test.sh builds it first), which Wine runs
# as a Unix process (tests/support/hub_process_win32.h).
#
#   tools/windows/test.sh [ctest args...]
#
# GOCUA_WIN_BUILD: build folder (default build/win64); GOCUA_LINUX_BUILD: the Linux build
# (default build/test). Prints the time of the build and of the Wine run.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${GOCUA_WIN_BUILD:-$REPO/build/win64}
export GOCUA_LINUX_BUILD=${GOCUA_LINUX_BUILD:-$REPO/build/test}
[ -x "$GOCUA_LINUX_BUILD/sync/hub/gocua-hub" ] || {
  echo "tools/windows/test.sh: no Linux hub in $GOCUA_LINUX_BUILD (run tools/test.sh, or build gocua-hub, gocua and gocua-cli there)" >&2
  exit 1
}

t0=$(date +%s)
"$HERE/build.sh" "$BUILD"
t1=$(date +%s)

# Tests that cannot run under Wine, by name, each with why. (Whole files left out of the Windows
# build are listed in tests/CMakeLists.txt.)
excluded=(
  # Shells out to python3 (a Linux program) to read the report it wrote.
  "MonthlyReport: the XLSX opens with a real reader and holds the fixture's numbers"
  # These pass Vietnamese arguments to gocua-cli.exe, which receives them in the ANSI code page
  # ("province.name: not valid UTF-8") until it carries an activeCodePage UTF-8 manifest
  # (issue 14 point 3, engineer winplat). A real defect the tests show: remove these lines when
  # the manifest lands.
  'Cli: import with bad lines reports each line and imports nothing'
  'Cli: import a CSV with a BOM, semicolons and CRLF'
  'Cli: a big import reports progress on stderr'
  'Cli: report writes the monthly XLSX or CSV files, target set moves the target'
  'Cli: a session from init to visit, search, review and stats'
  'Cli: --json output parses, and adds print the record'
  'Cli: export json is byte-identical on two runs, to stdout and to a file'
  'Cli: data errors exit 1 with a Vietnamese then English message'
  # The app's message names the report's path joined with a literal "/" (C:\...\gocua-test-N/reports\...),
  # the path-joining defect of issue 14 point 3 (winplat): remove when paths join natively.
  'App UI: the leader exports the monthly report from the dashboard'
)
exclude_re=$(IFS='|'; echo "${excluded[*]}")  # the names hold no regex characters but '.', '-'
exclude_re="^(${exclude_re})\$"

export WINEPREFIX=$BUILD/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wineserver -p 60 </dev/null >/dev/null 2>&1 || true
wine cmd /c exit </dev/null >/dev/null 2>&1 || true
# A Windows machine has Segoe UI; a fresh Wine prefix has no font with Vietnamese letters. Until
# the app bundles its own font (winplat), Debian's Noto Sans stands in as segoeui.ttf.
mkdir -p "$WINEPREFIX/drive_c/windows/Fonts"
cp /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf "$WINEPREFIX/drive_c/windows/Fonts/segoeui.ttf"
cd "$BUILD"
status=0
ctest --output-on-failure -j"$(nproc)" -E "$exclude_re" "$@" || status=$?
t2=$(date +%s)
wineserver -k </dev/null >/dev/null 2>&1 || true
echo "==> Windows suite: build $((t1 - t0)) s, tests under Wine $((t2 - t1)) s"
exit $status
