#!/usr/bin/env bash
# Installs what is missing, builds, and runs Gõ Cửa on its embedded default.
#
# The field app (app/) and the hub (sync/hub) are not built yet: until they are, this runs a
# demo of the command-line client gocua-cli on a demo commune — the same library the app will
# use — and says so. Data goes to build/demo-data (removed and made again on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/deps.sh
gocua_install_deps

build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGOCUA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target gocua-cli

cli="$build/tools/cli/gocua-cli"
data=build/demo-data
rm -rf "$data"
run() { echo; echo "\$ gocua-cli $*"; "$cli" --data "$data" "$@"; }

echo
echo "==> Gõ Cửa: the app and the hub are not built yet; this is a demo of gocua-cli,"
echo "    the headless client over the same local database. Data: $data"
run init --province "Quảng Ngãi" --commune "Xã Tịnh Sơn"
for v in "Thôn An Bình" "Thôn Đông Hòa" "Thôn Phú Lộc"; do run village add "$v"; done
member=$(run member add --name "Trần Thị Mai" --role member --pin 1234 | tail -n 1)
run member add --name "Lê Văn Hùng" --role leader --pin 5678
run household import assets/demo/households.csv
household=$(run household add --village "Thôn An Bình" --head "Nguyễn Văn Đức" --address "Số 5, xóm 2" \
  --phone "0912 345 678" --members 4 --working-age 2 --smartphones 2 --internet yes | tail -n 1)
person=$(run person add --household "$household" --name "Nguyễn Văn Đức" --birth-year 1968 --sex male | tail -n 1)
run visit add --household "$household" --member "$member" --person "$person" \
  --topic vneid=done --topic safety=needs_followup --minutes 25 \
  --notes "Đã kích hoạt VNeID mức 2; hẹn hướng dẫn nhận biết lừa đảo." --followup "$(date -d '+7 days' +%F)"
run search "nguyen van duc"
run visit list
run stats
run status
echo
echo "==> Done. Try: $cli --data $data --help"
