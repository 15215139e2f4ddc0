#!/usr/bin/env bash
# Renders one PNG per main screen of the app into docs/screenshots/ (1280x800, under Xvfb):
# the demo commune of tools/demo_data.sh signed in as a member with a returned visit (app/core/stage.h);
# Sync on a laptop enrolled with a local hub that has synced once; the leader's dashboard and
# review queue; the first-run screen on an empty data folder.
#   tools/screenshots.sh [BUILD_DIR]   (without BUILD_DIR: builds build/release first)
# Needs xvfb-run (tools/deps.sh installs it). Look at every picture before committing them.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${1:-}"
if [ -z "$build" ]; then
  build=build/release
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGOCUA_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target gocua gocua-cli gocua-hub
fi
gocua="$build/app/gocua"
cli="$build/tools/cli/gocua-cli"
hub="$build/sync/hub/gocua-hub"
out=docs/screenshots
# A fixed folder: the Settings screen shows the data folder's path.
tmp="${TMPDIR:-/tmp}/gocua-screenshots"
rm -rf "$tmp"
mkdir -p "$tmp"
hub_pid=""
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$out"

shot() {  # DATA_DIR SCREEN
  xvfb-run -a -s "-screen 0 1280x800x24" "$gocua" --data "$1" --screenshot "$out/$2.png" \
    --screen "$2" >/dev/null
  echo "$out/$2.png"
}

tools/demo_data.sh "$cli" "$tmp/demo" >/dev/null
for screen in today households household visit_form returned settings sign_in dashboard review; do
  shot "$tmp/demo" "$screen"
done
shot "$tmp/empty" first_run

# Sync: a laptop enrolled with a local hub, after one sync (the hub is stopped before the shot).
if [ -x "$hub" ]; then
  commune=$("$hub" commune create --data "$tmp/hub" --province "Quảng Ngãi" --commune "Xã Tịnh Sơn")
  "$hub" village add --data "$tmp/hub" --commune "$commune" "Thôn An Bình" >/dev/null
  "$hub" member add --data "$tmp/hub" --commune "$commune" --name "Trần Thị Mai" --role member --pin 1234 >/dev/null
  "$hub" serve --data "$tmp/hub" --listen 127.0.0.1:0 >"$tmp/hub.out" 2>"$tmp/hub.log" &
  hub_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$tmp/hub.out" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$tmp/hub.out" | head -n 1)
  code=$("$hub" enroll-code --data "$tmp/hub" --commune "$commune")
  "$cli" --data "$tmp/laptop" enroll --hub "$url" --code "$code" --name "Laptop tổ 1" \
    >/dev/null 2>>"$tmp/cli.log" || { cat "$tmp/cli.log" "$tmp/hub.log"; exit 1; }
  "$cli" --data "$tmp/laptop" household add --village "Thôn An Bình" --head "Nguyễn Văn Đức" \
    --address "Số 5, xóm 2" --members 4 >/dev/null
  "$cli" --data "$tmp/laptop" sync >/dev/null 2>>"$tmp/cli.log" ||
    { cat "$tmp/cli.log" "$tmp/hub.log"; exit 1; }
  "$cli" --data "$tmp/laptop" household add --village "Thôn An Bình" --head "Võ Thị Lan" \
    --address "Số 7, xóm 2" --members 3 >/dev/null
  kill "$hub_pid" && wait "$hub_pid" 2>/dev/null || true
  hub_pid=""
  shot "$tmp/laptop" sync
else
  echo "no $hub: the Sync screenshot shows a laptop that is not enrolled"
  shot "$tmp/demo" sync
fi
