#!/usr/bin/env bash
# Smoke test of the real gocua binary under Xvfb (issue 4): with the demo commune
# (tools/demo_data.sh) it (a) renders Today to a PNG with --screenshot and checks the picture
# is not blank, and (b) starts the app as a person would (no --screenshot), sends SIGTERM after
# ~2 s and checks it closes cleanly (exit 0 within 5 s) and leaves a database gocua-cli accepts.
#   tests/app/smoke_test.sh GOCUA GOCUA_CLI
# Exit 77 (ctest: skipped) when xvfb-run or ImageMagick is missing; tools/deps.sh installs both.
#
# Under the sanitizer build, LeakSanitizer is off for gocua here (only): Mesa's llvmpipe driver
# and GLX keep allocations to process exit, in a driver library unloaded by then, so LSan can
# neither name nor suppress them. ASan and UBSan still check every access. Our own code's leaks
# are caught by the headless UI tests (gocua_app_tests), which run the same screens.
set -euo pipefail

if [ "${1:-}" = "--inside-xvfb" ]; then
  # Second half, run by xvfb-run below with DISPLAY set.
  gocua="$2" data="$3" out="$4"
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  "$gocua" --data "$data" --screenshot "$out/today.png" --screen today >"$out/screenshot.log" 2>&1 ||
    { echo "FAIL: gocua --screenshot exited $?"; cat "$out/screenshot.log"; exit 1; }
  "$gocua" --data "$data" >"$out/app.log" 2>&1 &
  pid=$!
  sleep 2
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" && rc=0 || rc=$?
    echo "FAIL: gocua exited by itself (code $rc) before it was asked to"
    cat "$out/app.log"
    exit 1
  fi
  kill -TERM "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    echo "FAIL: gocua still running 5 s after SIGTERM"
    exit 1
  fi
  wait "$pid" && rc=0 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: gocua exited $rc after SIGTERM (want 0)"
    cat "$out/app.log"
    exit 1
  fi
  exit 0
fi

gocua="$(realpath "$1")"
cli="$(realpath "$2")"
here="$(cd "$(dirname "$0")" && pwd)"
for tool in xvfb-run convert identify; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (tools/deps.sh)"; exit 77; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/../../tools/demo_data.sh" "$cli" "$tmp/data" >/dev/null

xvfb-run -a -s "-screen 0 1280x800x24" "$0" --inside-xvfb "$gocua" "$tmp/data" "$tmp"

# Not blank: a rendered screen has text, rules and coloured bands; a blank or failed frame is
# one colour (stddev 0, a handful of colours).
[ -s "$tmp/today.png" ] || { echo "FAIL: no screenshot written"; exit 1; }
size="$(identify -format "%wx%h" "$tmp/today.png")"
colors="$(identify -format "%k" "$tmp/today.png")"
stddev="$(convert "$tmp/today.png" -format "%[fx:standard_deviation]" info:)"
echo "screenshot $size, $colors colours, stddev $stddev"
[ "$size" = "1280x800" ] || { echo "FAIL: screenshot is $size, want 1280x800"; exit 1; }
[ "$colors" -ge 50 ] || { echo "FAIL: only $colors colours: blank picture?"; exit 1; }
awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || { echo "FAIL: stddev $stddev: blank picture?"; exit 1; }

"$cli" --data "$tmp/data" status >"$tmp/status.txt" ||
  { echo "FAIL: gocua-cli status after the app closed"; cat "$tmp/status.txt"; exit 1; }
echo "PASS: screenshot not blank; SIGTERM closed gocua with 0; gocua-cli status OK"
