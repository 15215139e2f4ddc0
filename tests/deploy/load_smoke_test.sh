#!/usr/bin/env bash
# gocua-load's smoke run (ctest "Deploy load: ..."): a few laptops for a few seconds over a
# shaped link against a hub it starts; then its refusal of an address off this machine.
#   load_smoke_test.sh PATH/TO/gocua-load PATH/TO/gocua-hub
set -u
load="$1" hub="$2"
out="$(nice "$load" --hub "$hub" --devices 6 --communes 2 --seconds 8 --visit-every 1 \
  --sync-every 2 --bandwidth 1000 --latency 20 --cut-every 6 2>&1)"
rc=$?
echo "$out"
fail() { echo "FAILED: $*"; exit 1; }
[ $rc -eq 0 ] || fail "gocua-load exited $rc (a sync failed, or the run could not start)"
echo "$out" | grep -Eq '^\| /v1/push \| [1-9][0-9]* \|' || fail "no push was answered"
echo "$out" | grep -Eq '^\| /v1/pull \| [1-9][0-9]* \|' || fail "no pull was answered"
echo "$out" | grep -Eq '^syncs: [1-9][0-9]* done, 0 failed' || fail "no sync completed"
echo "$out" | grep -Eq '^ops: [0-9]+ pushed/s' || fail "no ops line"
echo "$out" | grep -Eq '^hub RSS: peak [1-9]' || fail "no hub RSS"
# Loopback only: an address elsewhere is refused before anything is made.
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
off="$("$load" --hub "$hub" --url http://10.20.30.40:8080 --store "$dir/hub" --dir "$dir/run" 2>&1)"
[ $? -eq 1 ] || fail "an address off this machine was not refused: $off"
echo "$off" | grep -q "loopback only" || fail "the refusal does not say why: $off"
[ ! -e "$dir/hub" ] || fail "the refused run made a hub store"
echo "ok"
