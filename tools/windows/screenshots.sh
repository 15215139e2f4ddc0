#!/usr/bin/env bash
# Screenshots of the Windows app under Wine + Xvfb into docs/screenshots/windows/: sign-in, Today,
# the new-visit form and a leader's screens (the review queue, the dashboard) at 1024x600 and
# 1366x768 (the small laptops communes own), the demo commune of
# tools/demo_data.sh (made by the Linux gocua-cli: the database file is the same on both) in a
# data folder named "Nguyễn Thị Hoà/Dữ liệu". The app is the packaged one (tools/windows/
# package.sh's stage: assets/ and the bundled font beside the exe) in a fresh Wine prefix, which
# has no font with Vietnamese letters of its own.
#   tools/windows/screenshots.sh WIN_BUILD_DIR LINUX_CLI
# Look at every picture before committing them.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(readlink -f "${1:?usage: screenshots.sh WIN_BUILD_DIR LINUX_CLI}")
cli=$(readlink -f "${2:?usage: screenshots.sh WIN_BUILD_DIR LINUX_CLI}")
stage="$build/package/stage/GoCua"
[ -f "$stage/gocua.exe" ] || { echo "screenshots.sh: run tools/windows/package.sh $build first" >&2; exit 1; }
out=docs/screenshots/windows
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/gocua-winshots.XXXXXX")
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'wineserver -k 2>/dev/null; rm -rf "$work"' EXIT
data="$work/Nguyễn Thị Hoà/Dữ liệu"
tools/demo_data.sh "$cli" "$data" >/dev/null
wine cmd /c exit >/dev/null 2>&1
data_win=$(winepath -w "$data")
out_win=$(winepath -w "$(readlink -f "$out")")
wineserver -k 2>/dev/null || true
wineserver -w
for size in 1024x600 1366x768; do
  for screen in sign_in today visit_form review dashboard; do
    xvfb-run -a -s "-screen 0 1366x768x24" wine "$stage/gocua.exe" --data "$data_win" \
      --screen "$screen" --size "$size" --screenshot "$out_win\\$screen-$size.png" >/dev/null
    echo "$out/$screen-$size.png"
  done
done
