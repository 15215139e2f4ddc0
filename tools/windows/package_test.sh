#!/usr/bin/env bash
# The installer under Wine, end to end, in a fresh private Wine prefix:
#   tools/windows/package_test.sh SETUP.exe
# 1. silent install (/S) without admin rights: files in %LOCALAPPDATA%\Programs\GoCua, the Start
#    Menu shortcut, the uninstall entry under HKCU;
# 2. the installed gocua-cli.exe with Vietnamese arguments and a data folder "Nguyễn Thị Hoà\Dữ
#    liệu" (the names on disk are checked from Linux), and once with the default data folder
#    (%APPDATA%\GoCua);
# 2b. the CA bundle shipped in certs\: a Linux https hub whose CA is in it is trusted by the
#    installed gocua-cli.exe with no --ca-file, and refused before (needs the Linux gocua-hub);
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

# 2b. The public CAs shipped beside the exe (platform/tls_trust.h): an https hub whose CA is in
# certs\ca-certificates.crt is trusted with no --ca-file. Needs the Linux gocua-hub
# (GOCUA_LINUX_HUB, or GOCUA_LINUX_BUILD/sync/hub/gocua-hub); the test CA stands for a public
# one by being appended to the installed bundle.
check "public CAs installed in certs\\ca-certificates.crt (over 100)" \
  test "$(grep -c 'BEGIN CERTIFICATE' "$inst/certs/ca-certificates.crt" 2>/dev/null)" -gt 100
hub_bin=${GOCUA_LINUX_HUB:-${GOCUA_LINUX_BUILD:-}/sync/hub/gocua-hub}
if [ -x "$hub_bin" ]; then
  certs="$work/certs" hubdata="$work/hub"
  mkdir -p "$certs"
  sh "$(dirname "$0")/../../tests/support/make_test_certs.sh" "$certs"
  "$hub_bin" commune create --province "Quảng Ngãi" --commune "Xã Tịnh Sơn" --data "$hubdata" \
    --json >"$work/commune.json"
  commune=$(sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' "$work/commune.json" | head -1)
  code=$("$hub_bin" enroll-code --commune "$commune" --data "$hubdata")
  "$hub_bin" serve --data "$hubdata" --listen 127.0.0.1:0 --tls-cert "$certs/hub.crt" \
    --tls-key "$certs/hub.key" >"$work/hub.out" 2>"$work/hub.err" &
  hub_pid=$!
  for _ in $(seq 200); do grep -q 'listening on' "$work/hub.out" && break; sleep 0.1; done
  url=$(sed -n 's/^listening on \(https:[^ ]*\).*/\1/p' "$work/hub.out" | head -1)
  tls_data="$(wine cmd /c 'echo %TEMP%' 2>/dev/null | tr -d '\r')\\tls"
  wine "$inst/gocua-cli.exe" --data "$tls_data" enroll --hub "$url" --code "$code" \
    >"$work/enroll1.out" 2>"$work/enroll1.err"
  rc1=$?
  check "a hub whose CA is in no bundle is refused, in Vietnamese (exit $rc1)" \
    bash -c "[ $rc1 = 1 ] && grep -q 'chứng chỉ mà máy này tin cậy' '$work/enroll1.err'"
  cat "$certs/ca.crt" >>"$inst/certs/ca-certificates.crt"
  wine "$inst/gocua-cli.exe" --data "$tls_data" enroll --hub "$url" --code "$code" \
    >"$work/enroll2.out" 2>"$work/enroll2.err"
  rc2=$?
  check "with its CA in the shipped bundle, the same hub is trusted, no --ca-file (exit $rc2)" \
    test "$rc2" = 0
  [ "$rc2" = 0 ] || cat "$work/enroll2.err"
  kill "$hub_pid"
  wait "$hub_pid" 2>/dev/null
else
  echo "skip: no Linux gocua-hub (GOCUA_LINUX_HUB), the shipped CA bundle was not used"
fi

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
