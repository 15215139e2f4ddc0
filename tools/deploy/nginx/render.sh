#!/usr/bin/env bash
# Renders gocua-hub.conf.in (beside this script) to stdout:
#   render.sh --cert FILE --key FILE --hub HOST:PORT [--hub HOST:PORT]... \
#             [--listen 443] [--server-name NAME] [--rate 20r/s] [--burst 200] [--max-body 1m]
#             [--enroll-rate 60r/m] [--enroll-burst 60]
#   e.g. render.sh --cert /etc/ssl/gocua/fullchain.pem --key /etc/ssl/gocua/key.pem \
#          --hub 127.0.0.1:8081 --hub 127.0.0.1:8082 --server-name sync.tinh.gov.vn \
#          > /etc/nginx/conf.d/gocua-hub.conf && nginx -t && systemctl reload nginx
# --rate/--burst: requests per client address, --enroll-rate/--enroll-burst: enrollments per
# client address (defaults are for laptops behind commune offices; a load test from one address
# needs more). --max-body: the hub's kMaxRawBody.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
listen=443 server_name=_ cert= key= rate=20r/s burst=200 max_body=1m hubs=""
enroll_rate=60r/m enroll_burst=60
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) listen="$2" ;;
    --server-name) server_name="$2" ;;
    --cert) cert="$2" ;;
    --key) key="$2" ;;
    --rate) rate="$2" ;;
    --burst) burst="$2" ;;
    --max-body) max_body="$2" ;;
    --enroll-rate) enroll_rate="$2" ;;
    --enroll-burst) enroll_burst="$2" ;;
    --hub) hubs+="  server $2 max_fails=3 fail_timeout=10s;"$'\n' ;;
    *) echo "render.sh: unknown option $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
  shift 2
done
if [ -z "$cert" ] || [ -z "$key" ] || [ -z "$hubs" ]; then
  echo "render.sh: --cert, --key and at least one --hub are needed" >&2
  exit 2
fi
text="$(cat "$here/gocua-hub.conf.in")"
text="${text//@LISTEN@/$listen}"
text="${text//@SERVER_NAME@/$server_name}"
text="${text//@TLS_CERT@/$cert}"
text="${text//@TLS_KEY@/$key}"
text="${text//@RATE@/$rate}"
text="${text//@BURST@/$burst}"
text="${text//@MAX_BODY@/$max_body}"
text="${text//@ENROLL_RATE@/$enroll_rate}"
text="${text//@ENROLL_BURST@/$enroll_burst}"
text="${text//@HUBS@/${hubs%$'\n'}}"
printf '%s\n' "$text"
