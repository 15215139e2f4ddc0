#!/usr/bin/env bash
# Screenshots of the Windows app under Wine + Xvfb into docs/screenshots/windows/: sign-in, Today,
# the new-visit form, a household, Settings and a leader's screens (the review queue, the
# dashboard) at 1024x600 and 1366x768 (the small laptops communes own). The data: the demo commune
# of tools/demo_data.sh (made by the Linux gocua-cli: the database file is the same on both) in
# C:\users\Nguyễn Thị Hoà\AppData\Roaming\GoCua, the data folder of a user named so. The app is
# the packaged one (tools/windows/package.sh's stage: assets/ and the bundled font beside the exe)
# in a fresh Wine prefix, which has no font with Vietnamese letters of its own.
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
wine cmd /c exit >/dev/null 2>&1
# Where Windows keeps it for a user named so (Settings shows the path): %APPDATA%\GoCua.
data="$WINEPREFIX/drive_c/users/Nguyễn Thị Hoà/AppData/Roaming/GoCua"
tools/demo_data.sh "$cli" "$data" >/dev/null
data_win=$(winepath -w "$data")
out_win=$(winepath -w "$(readlink -f "$out")")
wineserver -k 2>/dev/null || true
wineserver -w
for size in 1024x600 1366x768; do
  for screen in sign_in today visit_form household settings review dashboard; do
    # The X screen is larger than the largest window: Wine fits the whole window, title bar
    # included, on the screen, and a 1366x768 screen gave a 1366x753 picture.
    xvfb-run -a -s "-screen 0 1600x1000x24" wine "$stage/gocua.exe" --data "$data_win" \
      --screen "$screen" --size "$size" --screenshot "$out_win\\$screen-$size.png" >/dev/null
    echo "$out/$screen-$size.png"
  done
done
