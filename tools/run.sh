#!/usr/bin/env bash
# Installs what is missing, builds, and runs Gõ Cửa on its embedded default: a local hub on
# SQLite with a demo commune; laptop 1 (played by gocua-cli, the same library and sync engine
# as the app) enrolls, records a visit and syncs, and laptop 2 enrolls and receives it all.
# Then the field app gocua opens on laptop 1's data folder, enrolled with the running hub:
#   - with a display ($DISPLAY or $WAYLAND_DISPLAY): in a window; sign in as Trần Thị Mai
#     (PIN 1234) or the leader Lê Văn Hùng (5678). Closing the window stops the hub.
#   - without one: under Xvfb, it saves a picture of Today to build/demo/screenshot.png.
# Data goes to build/demo (made anew on every run). Without a display, in a terminal the hub
# keeps running until Ctrl-C; without a terminal (CI, scripts) everything stops at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
gocua_install_deps

build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGOCUA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target gocua-cli gocua-hub gocua

cli="$build/tools/cli/gocua-cli"
hub="$build/sync/hub/gocua-hub"
gocua="$build/app/gocua"
demo=build/demo
rm -rf "$demo"
mkdir -p "$demo"
say() { echo; echo "==> $*"; }
show() { echo "\$ $*"; "$@"; }

say "Gõ Cửa demo: a local hub, two laptops played by gocua-cli, then the app on laptop 1."
say "Setting up the hub's demo commune (data: $demo/hub)"
commune=$("$hub" commune create --data "$demo/hub" --province "Quảng Ngãi" --commune "Xã Tịnh Sơn")
for v in "Thôn An Bình" "Thôn Đông Hòa" "Thôn Phú Lộc"; do
  "$hub" village add --data "$demo/hub" --commune "$commune" "$v" >/dev/null
done
member=$("$hub" member add --data "$demo/hub" --commune "$commune" --name "Trần Thị Mai" --role member --pin 1234)
"$hub" member add --data "$demo/hub" --commune "$commune" --name "Lê Văn Hùng" --role leader --pin 5678 >/dev/null

say "Starting the hub on loopback"
"$hub" serve --data "$demo/hub" --listen 127.0.0.1:0 >"$demo/hub.out" 2>"$demo/hub.log" &
hub_pid=$!
trap 'kill $hub_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$demo/hub.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$demo/hub.out" | head -n 1)
[ -n "$url" ] || { echo "the hub did not start; see $demo/hub.log"; exit 1; }
echo "hub: $url (log: $demo/hub.log)"

laptop() { "$cli" --data "$demo/$1" "${@:2}"; }
say "Laptop 1 (the leader's) enrolls with a one-time leader code and records visits offline"
# A leader's code: the leader signs in on this laptop too (a member's laptop holds no leader PIN
# hash and the hub refuses leader actions from it, docs/security.md). Laptop 2 is a member's.
code=$("$hub" enroll-code --data "$demo/hub" --commune "$commune" --role leader)
show laptop laptop1 enroll --hub "$url" --code "$code" --name "Laptop tổ 1"
show laptop laptop1 household import assets/demo/households.csv
household=$(laptop laptop1 household add --village "Thôn An Bình" --head "Nguyễn Văn Đức" \
  --address "Số 5, xóm 2" --phone "0912 345 678" --members 4 --working-age 2 --smartphones 2 --internet yes)
person=$(laptop laptop1 person add --household "$household" --name "Nguyễn Văn Đức" --birth-year 1968 --sex male)
show laptop laptop1 visit add --household "$household" --member "$member" --person "$person" \
  --topic vneid=done --topic safety=needs_followup --minutes 25 \
  --notes "Đã kích hoạt VNeID mức 2; hẹn hướng dẫn nhận biết lừa đảo." --followup "$(date -d '+7 days' +%F)"
show laptop laptop1 search "nguyen van duc"
say "At the commune office: laptop 1 syncs"
show laptop laptop1 sync
say "Laptop 2 enrolls and receives the commune's records"
code2=$("$hub" enroll-code --data "$demo/hub" --commune "$commune")
show laptop laptop2 enroll --hub "$url" --code "$code2" --name "Laptop tổ 2"
show laptop laptop2 stats
show "$hub" devices --data "$demo/hub"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  say "Opening the app on laptop 1 ($demo/laptop1): sign in as Trần Thị Mai, PIN 1234" \
    "(leader Lê Văn Hùng: 5678). The hub runs until the window is closed."
  show "$gocua" --data "$demo/laptop1" || echo "the app closed with an error (code $?)"
elif command -v xvfb-run >/dev/null; then
  say "No display: rendering the app's Today screen on laptop 1 under Xvfb"
  xvfb-run -a -s "-screen 0 1280x800x24" \
    "$gocua" --data "$demo/laptop1" --screenshot "$demo/screenshot.png" --screen today
  echo "The app's picture: $demo/screenshot.png (open the app with a display: $gocua --data $demo/laptop1)"
else
  say "No display and no xvfb-run: the app is built at $gocua; run it with --data $demo/laptop1"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -t 0 ] && [ -t 1 ]; then
  say "The hub is running at $url — Ctrl-C to stop. Try: $cli --data $demo/laptop2 --help"
  wait "$hub_pid"
else
  kill "$hub_pid"
  wait "$hub_pid" || true
  say "Done. Data in $demo; run the hub again with: $hub serve --data $demo/hub --listen 127.0.0.1:8470"
fi
