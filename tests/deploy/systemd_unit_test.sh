#!/usr/bin/env bash
# The systemd unit of tools/deploy/systemd/ (ctest "Deploy systemd: ..."): systemd-analyze
# verifies it (with ExecStart pointing at the hub just built), its exposure score stays low,
# the hardening it promises is there, and the hub accepts the very command line the unit runs
# with the settings of gocua-hub.default.
#   systemd_unit_test.sh SOURCE_DIR PATH/TO/gocua-hub
set -u
src="$1" hub="$2"
unit="$src/tools/deploy/systemd/gocua-hub@.service"
defaults="$src/tools/deploy/systemd/gocua-hub.default"
fail() { echo "FAILED: $*"; exit 1; }
dir="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
pid=""
for want in DynamicUser=yes User=gocua-hub StateDirectory=gocua-hub StateDirectoryMode=0700 \
    ProtectSystem=strict PrivateTmp=yes NoNewPrivileges=yes ProtectHome=yes \
    "CapabilityBoundingSet=$" UMask=0077; do
  grep -Eq "^$want" "$unit" || fail "the unit lacks $want"
done
if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/local/bin/gocua-hub|$hub|" "$unit" > "$dir/gocua-hub@.service"
  cp "$dir/gocua-hub@.service" "$dir/gocua-hub@8081.service"
  verify="$(systemd-analyze verify --man=no "$dir/gocua-hub@8081.service" 2>&1)"
  [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
  security="$(systemd-analyze security --offline=yes --threshold=20 "$dir/gocua-hub@.service" 2>&1)"
  [ $? -eq 0 ] || fail "exposure over 2.0: $security"
  echo "$security" | tail -1
else
  echo "systemd-analyze missing: only the hub's command line is checked"
fi
# ExecStart with the defaults file's values, as systemd would split them ($VAR: by spaces).
# shellcheck disable=SC1090
. "$defaults"
GOCUA_STORE="${GOCUA_STORE//\/var\/lib\/gocua-hub/$dir/state}"
# shellcheck disable=SC2086
"$hub" serve $GOCUA_STORE --listen "${GOCUA_LISTEN_HOST}:0" $GOCUA_EXTRA > "$dir/out" 2> "$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/out" && break; sleep 0.1; done
grep -q "listening on http://127.0.0.1:" "$dir/out" || fail "the hub did not serve: $(cat "$dir/err")"
[ "$(stat -c %a "$dir/state")" = 700 ] || fail "the state folder is not 0700"
echo "ok"
