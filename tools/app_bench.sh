#!/usr/bin/env bash
# The app benchmark (issue 4): gocua under Xvfb with Mesa's software renderer (llvmpipe) on a
# commune of 50,000 households and 200,000 visits, with its event-driven loop and with Dear
# ImGui's stock example loop (--stock-loop: glfwPollEvents and a frame every iteration), side
# by side. Figures and what they mean: docs/benchmarks.md, "App".
#   tools/app_bench.sh [BUILD_DIR] [DATA_DIR]
# BUILD_DIR (default: builds build/release) must hold gocua and gocua-bench. DATA_DIR (default
# build/app-bench-data) is made on the first run by gocua-bench --only dashboard --keep (the
# leader's laptop after a pull: 50,000 households, their persons, 200,000 visits; ~10 minutes,
# most of it the dashboard benchmark itself) and reused afterwards.
#
# Measured, for each loop:
#   start-up   exec to the first frame presented (gocua --bench-startup), median of 5, on the
#              sign-in screen (where the app starts) and on Today staged for a member; the OS
#              file cache is warm (dropping it needs root on a shared machine)
#   memory     VmRSS of gocua idle on the Households list, split three ways that add up:
#              Mesa's software renderer (libLLVM, *_dri.so: its code, file-backed and shared by
#              every GL program, and its relocated data); the rest of the anonymous memory
#              (heaps, SQLite's cache, Mesa's buffers); everything else (other libraries' code,
#              the X shared-memory image). And VmHWM (peak) of the scroll run. The same split
#              for imgui-floor (tools/bench/imgui_floor.cpp: Dear ImGui's stock
#              example_glfw_opengl3, no data, the app's GL 3.3 context): the floor under any
#              ImGui + GLFW + GL3 program here
#   scrolling  gocua --bench-scroll 300: the wheel over the Households list, 3 steps a frame;
#              median and p95 of the frames' time from the start of the frame to the swap, the
#              UI's part of it (ImGui and the screens, before the renderer), and the process
#              CPU time per frame (renderer threads included; unlike wall time it does not
#              count waiting for a core on a busy machine)
#   idle CPU   gocua --bench-idle on Households: utime+stime from /proc/PID/stat over 10 s
#              after 3 s to settle, as % of one core, and the same for the Xvfb server (the
#              pixels a stock loop sends every frame cost the X server too); frames drawn
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-}"
data="${2:-build/app-bench-data}"
if [ -z "$build" ]; then
  build=build/release
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGOCUA_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target gocua gocua-bench imgui-floor
fi
gocua="$build/app/gocua"
bench="$build/tools/bench/gocua-bench"
floor="$build/tools/bench/imgui-floor"
for tool in Xvfb awk; do command -v "$tool" >/dev/null || { echo "needs $tool (tools/deps.sh)"; exit 1; }; done

if [ ! -f "$data/gocua.db" ]; then
  echo "making $data: 50,000 households, 200,000 visits (gocua-bench --only dashboard --keep)"
  fill="$(mktemp -d)"
  "$bench" --only dashboard --keep --dir "$fill" >"$fill/report.txt"
  mkdir -p "$data"
  mv "$fill/dashboard.db" "$data/gocua.db"
  rm -rf "$fill"
fi

# One X server for every run; its display number comes back on fd 3.
xvfb_out="$(mktemp)"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$xvfb_out" 2>/dev/null &
xvfb_pid=$!
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  kill "$xvfb_pid" 2>/dev/null
  rm -f "$xvfb_out"
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$xvfb_out" ] && break; sleep 0.05; done
export DISPLAY=":$(head -n 1 "$xvfb_out")"
export GALLIUM_DRIVER=llvmpipe

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
value() { awk -v k="$1" '$1 == "bench" && $2 == k { print $3 }'; }

startup_ms() {  # SCREEN LOOP_FLAGS... → median ms from exec to the first frame
  local screen="$1"
  shift
  for _ in 1 2 3 4 5; do
    local t0 out
    t0=$(date +%s%N)
    out=$("$gocua" --data "$data" --bench-startup --screen "$screen" "$@")
    echo "$out" | value first_frame_unix_ms | awk -v t0="$t0" '{ printf "%.0f\n", $1 - t0 / 1e6 }'
  done | median
}

scroll() {  # LOOP_FLAGS... → "median p95 ui_median cpu_per_frame peak_rss_mb"
  local out="$xvfb_out.scroll" hwm=0
  "$gocua" --data "$data" --bench-scroll 300 "$@" >"$out" &
  app_pid=$!
  local v
  while kill -0 "$app_pid" 2>/dev/null; do
    v=$(status_kb "$app_pid" VmHWM 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v  # empty when the process ended between the check and the read
    sleep 0.05
  done
  wait "$app_pid"
  app_pid=""
  echo "$(value frame_ms_median <"$out") $(value frame_ms_p95 <"$out")" \
    "$(value ui_ms_median <"$out") $(value cpu_ms_per_frame <"$out") $((hwm / 1024))"
  rm -f "$out"
}

renderer_kb() {  # PID → "rss anon": resident kB of Mesa's software renderer, all and anonymous
  awk '/^[0-9a-f]+-/ { lib = ($6 ~ /libLLVM|_dri\.so|libgallium/) }
       lib && $1 == "Rss:" { kb += $2 } lib && $1 == "Anonymous:" { an += $2 }
       END { print kb + 0, an + 0 }' "/proc/$1/smaps"
}

memory_mb() {  # PID → "rss_mb renderer_mb other_anon_mb rest_mb" (the last three add up to rss)
  local rss anon gl gl_anon
  rss=$(status_kb "$1" VmRSS) anon=$(status_kb "$1" RssAnon)
  read -r gl gl_anon <<<"$(renderer_kb "$1")"
  awk -v rss="$rss" -v anon="$anon" -v gl="$gl" -v gl_anon="$gl_anon" 'BEGIN {
    printf "%.0f %.0f %.0f %.0f\n", rss / 1024, gl / 1024, (anon - gl_anon) / 1024,
      (rss - gl - (anon - gl_anon)) / 1024 }'
}

idle() {  # LOOP_FLAGS... → "app_cpu_% xvfb_cpu_% rss_mb renderer_mb anon_mb rest_mb frames"
  local out="$xvfb_out.idle"
  "$gocua" --data "$data" --bench-idle --screen households "$@" >"$out" &
  app_pid=$!
  sleep 3
  local a0 x0 a1 x1 mem
  a0=$(cpu_ticks "$app_pid") x0=$(cpu_ticks "$xvfb_pid")
  mem=$(memory_mb "$app_pid")
  sleep 10
  a1=$(cpu_ticks "$app_pid") x1=$(cpu_ticks "$xvfb_pid")
  kill -TERM "$app_pid"
  wait "$app_pid" || { echo "gocua did not exit cleanly on SIGTERM" >&2; exit 1; }
  app_pid=""
  awk -v a=$((a1 - a0)) -v x=$((x1 - x0)) -v hz="$hz" -v mem="$mem" \
    -v frames="$(value frames_drawn <"$out")" 'BEGIN {
      printf "%.1f %.1f %s %s\n", a / hz / 10 * 100, x / hz / 10 * 100, mem, frames }'
  rm -f "$out"
}

floor_memory() {  # → "rss_mb renderer_mb anon_mb rest_mb" of imgui-floor 3 s after start
  local out="$xvfb_out.floor" mem
  "$floor" --gl33 >"$out" &
  app_pid=$!
  sleep 3
  mem=$(memory_mb "$app_pid")
  kill -TERM "$app_pid"
  wait "$app_pid" || { echo "imgui-floor did not exit cleanly on SIGTERM" >&2; exit 1; }
  app_pid=""
  echo "$mem"
  rm -f "$out"
}

echo "gocua app benchmark: $(nproc) cores, $DISPLAY (Xvfb 1280x800), GALLIUM_DRIVER=llvmpipe, $(date +%F)"
echo "data: $data ($(du -h "$data/gocua.db" | cut -f1)); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A r
for loop in event stock; do
  flags=()
  [ "$loop" = stock ] && flags=(--stock-loop)
  echo "measuring the $loop loop..." >&2
  r[$loop.start_sign_in]=$(startup_ms sign_in "${flags[@]}")
  r[$loop.start_today]=$(startup_ms today "${flags[@]}")
  read -r "r[$loop.scroll_med]" "r[$loop.scroll_p95]" "r[$loop.scroll_ui]" "r[$loop.scroll_cpu]" \
    "r[$loop.scroll_hwm]" <<<"$(scroll "${flags[@]}")"
  read -r "r[$loop.idle_cpu]" "r[$loop.idle_xvfb]" "r[$loop.idle_rss]" "r[$loop.idle_gl]" \
    "r[$loop.idle_anon]" "r[$loop.idle_rest]" "r[$loop.idle_frames]" <<<"$(idle "${flags[@]}")"
done
if [ -x "$floor" ]; then
  echo "measuring imgui-floor..." >&2
  read -r "r[floor.rss]" "r[floor.gl]" "r[floor.anon]" "r[floor.rest]" <<<"$(floor_memory)"
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
row() {  # LABEL KEY UNIT TARGET
  awk -v l="$1" -v e="${r[event.$2]}" -v s="${r[stock.$2]}" -v u="$3" -v t="$4" 'BEGIN {
    ratio = s > 0 ? sprintf("%.2f", e / s) : "-"
    printf "| %s | %s %s | %s %s | %s | %s |\n", l, e, u, s, u, ratio, t }'
}
echo
echo "| figure | gocua (event-driven) | stock loop | ratio | target |"
echo "|---|---|---|---|---|"
row "start-up to first frame, sign-in screen" start_sign_in ms "<= 200 ms"
row "start-up to first frame, Today (staged)" start_today ms "-"
row "resident memory, idle on Households" idle_rss MB "<= 80 MB"
row "  of which llvmpipe (libLLVM, dri: code and relocations)" idle_gl MB "-"
row "  of which other anonymous (heaps, buffers)" idle_anon MB "-"
row "  of which other libraries, X shared image" idle_rest MB "-"
row "peak resident memory, scrolling" scroll_hwm MB "-"
row "frame time scrolling Households, median" scroll_med ms "<= 8 ms"
row "frame time scrolling Households, p95" scroll_p95 ms "-"
row "  UI part of the frame (before rendering), median" scroll_ui ms "-"
row "  process CPU time per frame" scroll_cpu ms "-"
row "CPU idle 10 s, gocua (% of one core)" idle_cpu % "<= 1 %"
row "CPU idle 10 s, Xvfb server (% of one core)" idle_xvfb % "-"
row "frames drawn in the 13 s idle run" idle_frames "" "-"
if [ -n "${r[floor.rss]:-}" ]; then
  floor_row() {  # LABEL KEY
    awk -v l="$1" -v f="${r[floor.$2]}" -v e="${r[event.idle_$2]}" 'BEGIN {
      printf "| %s | %s MB | %s MB | %+d MB |\n", l, f, e, e - f }'
  }
  echo
  echo "| resident memory, idle | imgui-floor (stock example, no data) | gocua (Households) | gocua - floor |"
  echo "|---|---|---|---|"
  floor_row "VmRSS" rss
  floor_row "  llvmpipe (libLLVM, dri)" gl
  floor_row "  other anonymous" anon
  floor_row "  other libraries, X shared image" rest
else
  echo "(no $floor: the floor was not measured)"
fi
