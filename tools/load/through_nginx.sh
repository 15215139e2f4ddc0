#!/usr/bin/env bash
# gocua-load through nginx (tools/deploy/nginx, rendered as docs/deploy.md says) in front of N
# gocua-hub processes on one store, all on loopback in a temp folder, stopped afterwards:
#   tools/load/through_nginx.sh [--build DIR] [--hubs N] [--store DIR|postgresql://...] \
#       [--] GOCUA-LOAD OPTIONS...
#   e.g. nice tools/load/through_nginx.sh --build build/rel --hubs 2 -- --devices 1000 \
#          --communes 100 --seconds 300
# --store: default a fresh SQLite data folder; a postgresql:// store is passed to the hubs and
# to gocua-load as --store. Every simulated laptop comes from 127.0.0.1, so the per-address
# request and enrollment limits are raised for the run; everything else is the production file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$here/../../build/rel" hubs=1 store=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --hubs) hubs="$2"; shift 2 ;;
    --store) store="$2"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
hub="$(cd "$build" && pwd)/sync/hub/gocua-hub"
load="$(cd "$build" && pwd)/tools/load/gocua-load"
dir="$(mktemp -d /tmp/gocua-through-nginx-XXXXXX)"
chmod 711 "$dir"
pids=()
cleanup() {
  [ -f "$dir/nginx.pid" ] && kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  rm -rf "$dir"
}
trap cleanup EXIT
[ -n "$store" ] || store="$dir/hub"
case "$store" in postgres*://*) store_args=(--store "$store") ;; *) store_args=(--data "$store") ;; esac
"$hub" commune list "${store_args[@]}" > /dev/null  # makes a fresh SQLite store
render=(--listen 127.0.0.1:0 --cert "$dir/province.crt" --key "$dir/province.key"
        --rate 100000r/s --burst 100000 --enroll-rate 100000r/s --enroll-burst 100000)
for i in $(seq "$hubs"); do
  "$hub" serve "${store_args[@]}" --listen 127.0.0.1:0 --trusted-proxy 127.0.0.1 \
    > "$dir/hub$i.out" 2> "$dir/hub$i.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$dir/hub$i.out" && break; sleep 0.1; done
  port="$(sed -n 's|^listening on http://127.0.0.1:||p' "$dir/hub$i.out")"
  [ -n "$port" ] || { echo "hub $i did not start: $(cat "$dir/hub$i.err")" >&2; exit 1; }
  render+=(--hub "127.0.0.1:$port")
done
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/province.key" -out "$dir/province.crt" \
  > /dev/null 2>&1
nginx_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
render[1]="127.0.0.1:$nginx_port"
bash "$here/../deploy/nginx/render.sh" "${render[@]}" > "$dir/gocua-hub.conf"
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
worker_rlimit_nofile 16384;
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  include $dir/gocua-hub.conf;
}
CONF
nginx -p "$dir/" -c "$dir/nginx.conf"
hub_pids=()
for p in "${pids[@]}"; do hub_pids+=(--hub-pid "$p"); done
"$load" --hub "$hub" --store "$store" --url "https://127.0.0.1:$nginx_port" \
  --ca-file "$dir/province.crt" "${hub_pids[@]}" "$@"
echo "nginx errors logged: $(grep -c '\[error\]' "$dir/error.log" || true)"
