#!/usr/bin/env bash
# Smoke test of the real gocua.exe under Wine + Xvfb (issue 14): with the demo commune it
#  (a) renders Today to a PNG with --screenshot, checks the picture is not blank, and compares it
#      with the LINUX gocua's screenshot of the same data and screen, drawn with the same font
#      (Noto Sans): the Vietnamese text must come out the same (a missing glyph draws '?', a
#      missing font draws ImGui's small default font and a warning, both far off the reference);
#  (b) starts the app as a person would, asks it to close as Windows does (taskkill without /f:
#      WM_CLOSE to its window) and checks it ends within 10 s with exit code 0, leaving a
#      database the CLI accepts.
#
#   tests/app/smoke_win_test.sh GOCUA_EXE GOCUA_CLI_EXE WINEPREFIX LINUX_BUILD
#
# LINUX_BUILD: the Linux build folder (its app/gocua and tools/cli/gocua-cli). The Windows app
# finds fonts in C:\windows\Fonts: a fresh Wine prefix has none with Vietnamese letters, so Debian's
# Noto Sans is copied there as segoeui.ttf (the app's first choice) until the app bundles its own.
# Exit 77 (ctest: skipped) when xvfb-run or ImageMagick is missing.
set -euo pipefail

winpath() { local p="Z:$1"; printf '%s' "${p//\//\\}"; }

# Second half, run by xvfb-run below with DISPLAY set (exe, linux, tmp... from the environment).
inside() { # runs in Xvfb: the two screenshots and the close test
  set -euo pipefail
  ASAN_OPTIONS=detect_leaks=0 "$linux/app/gocua" --data "$tmp/data-linux" \
    --screenshot "$tmp/linux.png" --screen today --size 1000x700 >"$tmp/linux.log" 2>&1 ||
    { echo "FAIL: Linux gocua --screenshot exited $?"; cat "$tmp/linux.log"; return 1; }
  local t0 t1
  t0=$(date +%s%N)
  wine "$exe" --data "$(winpath "$tmp/data")" --screenshot "$(winpath "$tmp/win.png")" \
    --screen today --size 1000x700 >"$tmp/shot.log" 2>&1 </dev/null ||
    { echo "FAIL: gocua.exe --screenshot exited $?"; cat "$tmp/shot.log"; return 1; }
  t1=$(date +%s%N)
  echo "gocua.exe --screenshot took $(((t1 - t0) / 1000000)) ms"

  wine "$exe" --data "$(winpath "$tmp/data")" >"$tmp/app.log" 2>&1 </dev/null &
  local pid=$! rc
  sleep 5
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" && rc=0 || rc=$?
    echo "FAIL: gocua.exe exited by itself (code $rc) before it was asked to"
    cat "$tmp/app.log"
    return 1
  fi
  wine taskkill /im gocua.exe >"$tmp/taskkill.log" 2>&1 </dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    echo "FAIL: gocua.exe still running 10 s after WM_CLOSE (taskkill)"
    cat "$tmp/taskkill.log"
    return 1
  fi
  wait "$pid" && rc=0 || rc=$?
  [ "$rc" -eq 0 ] || { echo "FAIL: gocua.exe exited $rc after WM_CLOSE (want 0)"; cat "$tmp/app.log"; return 1; }
}
if [ "${1:-}" = "--inside-xvfb" ]; then
  inside
  exit
fi

exe=$(realpath "$1") cli_exe=$(realpath "$2") prefix=$3 linux=$4
for tool in xvfb-run convert identify compare; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (tools/deps.sh)"; exit 77; }
done
font=/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
[ -f "$font" ] || { echo "FAIL: $font missing (fonts-noto-core, tools/deps.sh)"; exit 1; }
[ -x "$linux/app/gocua" ] || { echo "FAIL: no Linux app at $linux/app/gocua (build it first)"; exit 1; }

export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wineserver -p 60 </dev/null >/dev/null 2>&1 || true
wine cmd /c exit </dev/null >/dev/null 2>&1 || true
mkdir -p "$WINEPREFIX/drive_c/windows/Fonts"
cp "$font" "$WINEPREFIX/drive_c/windows/Fonts/segoeui.ttf"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The demo commune, made by the Linux CLI (the same storage library; the data folder is the same
# on both systems).
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../tools/demo_data.sh" "$linux/tools/cli/gocua-cli" "$tmp/data" >/dev/null
cp -r "$tmp/data" "$tmp/data-linux"

export exe linux tmp
xvfb-run -a -s "-screen 0 1280x800x24" bash "$0" --inside-xvfb
if [ -n "${GOCUA_SMOKE_KEEP:-}" ]; then cp "$tmp"/*.png "$GOCUA_SMOKE_KEEP/"; fi  # to look at them

# Not blank: text, rules and coloured bands; a blank or failed frame is one colour.
[ -s "$tmp/win.png" ] || { echo "FAIL: no screenshot written"; exit 1; }
size=$(identify -format "%wx%h" "$tmp/win.png")
colors=$(identify -format "%k" "$tmp/win.png")
stddev=$(convert "$tmp/win.png" -format "%[fx:standard_deviation]" info:)
echo "screenshot $size, $colors colours, stddev $stddev"
[ "$size" = "1000x700" ] || { echo "FAIL: screenshot is $size, want 1000x700 (--size)"; exit 1; }
[ "$colors" -ge 50 ] || { echo "FAIL: only $colors colours: blank picture?"; exit 1; }
awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || { echo "FAIL: stddev $stddev: blank picture?"; exit 1; }

# The Vietnamese text: pixels that differ from the Linux app's picture of the same screen.
diff=$(compare -metric AE -fuzz 10% "$tmp/win.png" "$tmp/linux.png" "$tmp/diff.png" 2>&1 >/dev/null || true)
diff=${diff%% *}
echo "pixels differing from the Linux screenshot: $diff of $((1000 * 700))"
awk -v d="$diff" 'BEGIN { exit !(d + 0 == d && d < 1000 * 700 / 100) }' ||
  { echo "FAIL: the Windows app's Today differs from the Linux app's in $diff pixels (over 1 %): missing glyphs or font?"; exit 1; }

wine "$cli_exe" --data "$(winpath "$tmp/data")" status >"$tmp/status.txt" 2>&1 </dev/null ||
  { echo "FAIL: gocua-cli.exe status after the app closed"; cat "$tmp/status.txt"; exit 1; }
echo "PASS: screenshot not blank and matches the Linux app's; WM_CLOSE closed gocua.exe with 0; gocua-cli.exe status OK"
