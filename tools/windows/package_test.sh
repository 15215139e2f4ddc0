#!/usr/bin/env bash
# The installer under Wine, end to end, in a fresh private Wine prefix:
#   tools/windows/package_test.sh SETUP.exe
# 1. silent install (/S) without admin rights: files in %LOCALAPPDATA%\Programs\GoCua, the Start
#    Menu shortcut, the uninstall entry under HKCU;
# 2. the installed gocua-cli.exe with Vietnamese arguments and a data folder "Nguyễn Thị Hoà\Dữ
#    liệu" (the names on disk are checked from Linux), and once with the default data folder
#    (%APPDATA%\GoCua);
# 3. the installed gocua.exe under Xvfb (when xvfb-run exists): assets/ found beside the exe
#    with no --assets, the bundled font (a fresh Wine prefix has no Vietnamese font), a
#    screenshot written (OUT_PNG, default: none kept);
# 4. silent uninstall: install folder, shortcut and registry entry gone; %APPDATA%\GoCua kept.
# Exit 0 when every check passes; each failure is printed as "FAIL: ...".
set -uo pipefail
setup=$(readlink -f "${1:?usage: package_test.sh SETUP.exe [OUT_PNG]}")
out_png=${2:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/gocua-pkgtest.XXXXXX")
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() { wineserver -k 2>/dev/null; [ -n "${GOCUA_PKGTEST_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
failures=0
check() {  # DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok:   $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
wine cmd /c exit >/dev/null 2>&1  # wineboot the fresh prefix
win_to_unix() { winepath -u "$1" 2>/dev/null; }
localappdata=$(wine cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
appdata=$(wine cmd /c 'echo %APPDATA%' 2>/dev/null | tr -d '\r')
inst_win="$localappdata\\Programs\\GoCua"
inst=$(win_to_unix "$inst_win")
data=$(win_to_unix "$appdata\\GoCua")
shortcut="$(win_to_unix "$appdata")/Microsoft/Windows/Start Menu/Programs/Gõ Cửa.lnk"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\GoCua'

# 1. Install.
wine "$setup" /S
wineserver -w
check "installed gocua.exe, gocua-cli.exe, assets, font, licences in $inst_win" \
  test -f "$inst/gocua.exe" -a -f "$inst/gocua-cli.exe" -a -f "$inst/assets/lang/vi.json" \
  -a -f "$inst/fonts/DejaVuSans.ttf" -a -f "$inst/licenses/sqlite.txt" -a -f "$inst/uninstall.exe"
check "Start Menu shortcut" test -f "$shortcut"
check "uninstall entry under HKCU" wine reg query "$key" /v UninstallString

# 2. The CLI with Vietnamese arguments and folder names.
viet_win="$(wine cmd /c 'echo %TEMP%' 2>/dev/null | tr -d '\r')\\Nguyễn Thị Hoà\\Dữ liệu"
viet=$(win_to_unix "$viet_win")
wine "$inst/gocua-cli.exe" --data "$viet_win" init --province "Quảng Ngãi" --commune "Xã Tịnh Sơn" >/dev/null
status=$(wine "$inst/gocua-cli.exe" --data "$viet_win" --json status 2>&1)
check "gocua-cli round-trips Vietnamese arguments (commune Xã Tịnh Sơn)" \
  grep -q '"name": "Xã Tịnh Sơn"' <<<"$status"
check "the database is in the folder named Nguyễn Thị Hoà/Dữ liệu" test -f "$viet/gocua.db"
# A leader, so that the app has someone to show (the screenshot mode needs a member).
wine "$inst/gocua-cli.exe" --data "$viet_win" village add "Thôn Đông" >/dev/null
wine "$inst/gocua-cli.exe" --data "$viet_win" member add --name "Nguyễn Thị Hoà" --role leader \
  --pin 2468 >/dev/null
wine "$inst/gocua-cli.exe" init --province "Quảng Ngãi" --commune "Xã Tịnh Sơn" >/dev/null
check "default data folder %APPDATA%\\GoCua" test -f "$data/gocua.db"

# 3. The app, started from the install folder with no --assets.
if command -v xvfb-run >/dev/null; then
  png="$work/today.png"
  png_win=$(winepath -w "$png" 2>/dev/null)
  # A new Wine session started inside Xvfb, so that it has a display (the one the CLI ran in
  # has none, and its explorer.exe lingers).
  wineserver -k; wineserver -w
  (cd "$work" && xvfb-run -a -s "-screen 0 1280x800x24" wine "$inst/gocua.exe" --data "$viet_win" \
    --screen today --size 1024x600 --screenshot "$png_win" >"$work/app.log" 2>&1) || cat "$work/app.log"
  check "installed gocua.exe found its assets and wrote a screenshot" test -s "$png"
  [ -n "$out_png" ] && [ -s "$png" ] && cp "$png" "$out_png"
else
  echo "skip: xvfb-run missing, the app was not started"
fi

# 4. Uninstall (the uninstaller copies itself to %TEMP% and returns: wait for the prefix).
wine "$inst/uninstall.exe" /S
wineserver -w
check "install folder removed" test ! -e "$inst"
check "Start Menu shortcut removed" test ! -e "$shortcut"
check "uninstall entry removed" bash -c "! wine reg query '$key' >/dev/null 2>&1"
check "user data kept in %APPDATA%\\GoCua" test -f "$data/gocua.db"
[ "$failures" -eq 0 ] && echo "package_test: all checks passed" || echo "package_test: $failures failed"
exit $((failures > 0))
