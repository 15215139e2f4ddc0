#!/usr/bin/env bash
# gocua.exe under Wine beside the Linux gocua, on the demo commune, under Xvfb (Mesa llvmpipe):
#   start-up  exec to the first frame presented (--bench-startup on Today), median of 5
#   idle CPU  --bench-idle on Households: utime+stime over 10 s after 3 s to settle, % of one
#             core, for the app's process and, under Wine, for the wineserver too
#   tools/windows/app_bench.sh GOCUA_EXE LINUX_GOCUA LINUX_GOCUA_CLI
# LINUX_GOCUA should be a release build (tools/app_bench.sh makes build/release) to compare like
# with like. The Wine prefix is a fresh one in a temporary folder (Noto Sans copied in as
# segoeui.ttf, as the smoke test does); its creation is not timed.
set -euo pipefail

# Second half, run by xvfb-run below with DISPLAY set (exe, linux, tmp... from the environment).
inside() {
  set -euo pipefail
  hz=$(getconf CLK_TCK)
  ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
  median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  value() { awk -v k="$1" '$1 == "bench" && $2 == k { print $3 }'; }
  wdata="Z:${tmp//\//\\}\\data"
  startup() { # COMMAND... → median ms
    for _ in 1 2 3 4 5; do
      local t0 out
      t0=$(date +%s%N)
      out=$("$@" --bench-startup --screen today </dev/null 2>/dev/null)
      echo "$out" | value first_frame_unix_ms | awk -v t0="$t0" '{ printf "%.0f\n", $1 - t0 / 1e6 }'
    done | median
  }
  idle() { # COMMAND... → "app_% wineserver_%"
    "$@" --bench-idle --screen households >"$tmp/idle.out" 2>&1 </dev/null &
    local pid=$! ws a0 a1 w0=0 w1=0
    sleep 3
    ws=""  # this prefix's wineserver (other Wine sessions may run on the machine)
    for p in $(pgrep -x wineserver || true); do
      tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "WINEPREFIX=$WINEPREFIX" && ws=$p
    done
    a0=$(ticks "$pid")
    [ -n "$ws" ] && w0=$(ticks "$ws")
    sleep 10
    a1=$(ticks "$pid")
    [ -n "$ws" ] && w1=$(ticks "$ws")
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    awk -v a=$((a1 - a0)) -v w=$((w1 - w0)) -v hz="$hz" \
      'BEGIN { printf "%.1f %.1f\n", a / hz / 10 * 100, w / hz / 10 * 100 }'
  }
  cp -r "$tmp/data" "$tmp/data-linux"
  echo "linux   start-up $(startup "$linux" --data "$tmp/data-linux") ms; idle CPU % (app, -): $(idle "$linux" --data "$tmp/data-linux")"
  echo "wine    start-up $(startup wine "$exe" --data "$wdata") ms; idle CPU % (app, wineserver): $(idle wine "$exe" --data "$wdata")"
}
if [ "${1:-}" = "--inside-xvfb" ]; then
  inside
  exit
fi
exe=$(realpath "$1") linux=$(realpath "$2") cli=$(realpath "$3")
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'WINEPREFIX=$tmp/wp wineserver -k 2>/dev/null || true; rm -rf "$tmp"' EXIT
tools/demo_data.sh "$cli" "$tmp/data" >/dev/null
export WINEPREFIX=$tmp/wp WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$WINEPREFIX"
wineserver -p 60 </dev/null >/dev/null 2>&1 || true
wine cmd /c exit </dev/null >/dev/null 2>&1 || true
cp /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf "$WINEPREFIX/drive_c/windows/Fonts/segoeui.ttf"
export exe linux tmp

xvfb-run -a -s "-screen 0 1280x800x24" bash "$0" --inside-xvfb
