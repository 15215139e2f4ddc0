#!/usr/bin/env bash
# Fills a data folder with a demo commune for the app, offline, through gocua-cli (the same
# storage library the app uses): three villages, a leader and two members (PINs 5678, 1234,
# 2468), the demo households, persons, visits — one of them returned by the leader with a
# comment — and follow-ups due. Used by tools/screenshots.sh, tools/run.sh and the Xvfb smoke test.
#   tools/demo_data.sh CLI DATA_DIR
set -euo pipefail
cli="$1"
data="$2"
cd "$(dirname "$0")/.."
rm -rf "$data"
mkdir -p "$data"
c() { "$cli" --data "$data" "$@"; }
c init --province "Quảng Ngãi" --commune "Xã Tịnh Sơn" >/dev/null
for v in "Thôn An Bình" "Thôn Đông Hòa" "Thôn Phú Lộc"; do c village add "$v" >/dev/null; done
leader=$(c member add --name "Lê Văn Hùng" --role leader --pin 5678)
mai=$(c member add --name "Trần Thị Mai" --pin 1234)
c member add --name "Phạm Quốc Bảo" --pin 2468 >/dev/null
c household import assets/demo/households.csv >/dev/null
today=$(date +%F)
household=$(c household add --village "Thôn An Bình" --head "Nguyễn Văn Đức" \
  --address "Số 5, xóm 2" --phone "0912345678" --members 4 --working-age 2 --smartphones 2 --internet yes)
duc=$(c person add --household "$household" --name "Nguyễn Văn Đức" --birth-year 1968 --sex male)
lan=$(c person add --household "$household" --name "Võ Thị Lan" --birth-year 1972 --sex female)
c person add --household "$household" --name "Nguyễn Thị Ánh" --birth-year 2001 --sex female >/dev/null
v1=$(c visit add --household "$household" --member "$mai" --person "$duc" --person "$lan" \
  --topic vneid=done --topic safety=needs_followup --minutes 25 --date "$(date -d '-3 days' +%F)" \
  --notes "Đã kích hoạt VNeID mức 2; hẹn hướng dẫn nhận biết lừa đảo." --followup "$(date -d '-1 days' +%F)")
c review add --visit "$v1" --leader "$leader" --decision returned \
  --comment "Ghi rõ số điện thoại đã cài VNeID và thời gian hẹn quay lại." >/dev/null
h2=$(c household add --village "Thôn Đông Hòa" --head "Huỳnh Thị Thu" --address "Tổ 3" \
  --phone "0905111222" --members 3 --working-age 2 --smartphones 1)
thu=$(c person add --household "$h2" --name "Huỳnh Thị Thu" --birth-year 1980 --sex female)
c visit add --household "$h2" --member "$mai" --person "$thu" --topic cashless=guided \
  --minutes 15 --date "$today" --followup "$(date -d '+3 days' +%F)" >/dev/null
echo "$data"
