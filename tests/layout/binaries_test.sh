#!/usr/bin/env bash
# The layers as the linker sees them: the app holds no hub-store code, the hub no dashboard and
# no UI code. Reads the symbols of the real binaries with nm (demangled); fails naming the first
# symbols that should not be there, or when a binary has no symbols to read (a check that reads
# nothing proves nothing).
#   binaries_test.sh GOCUA GOCUA_HUB
set -euo pipefail
app=$1 hub=$2
# Defined symbols' names only (address and type cut off), demangled.
symbols() { nm -C --defined-only "$1" | cut -d' ' -f3-; }
app_syms=$(symbols "$app")
hub_syms=$(symbols "$hub")
for f in app_syms hub_syms; do
  if [ "$(printf '%s\n' "${!f}" | wc -l)" -lt 1000 ]; then
    echo "FAIL: too few symbols read from ${f%_syms} (stripped?)"; exit 1
  fi
done
fail=0
check() {  # check NAME SYMBOLS REGEX WHAT
  local hits
  hits=$(grep -E "$3" <<<"$2" | head -5 || true)
  if [ -n "$hits" ]; then
    echo "FAIL: $1 contains $4:"; printf '  %s\n' "$hits"; fail=1
  else
    echo "ok: $1 has no $4"
  fi
}
# Hub store: the interface, its policy and the SQLite store.
check gocua "$app_syms" 'gocua::(HubStore|HubTxn|SqliteHubStore|SqliteTxn|OpenSqliteHubStore|Unauthorised|PushPolicy)' "hub-store code"
# Dashboard: indicators, period activity, stats.
check gocua-hub "$hub_syms" 'gocua::(ComputeDashboard|LoadIndicatorSettings|Coverage|PeriodActivity|ActivityQuery|Dashboard)' "dashboard code"
check gocua-hub "$hub_syms" '(ImGui|glfw)' "UI code"
# Sanity: each binary does contain what it is made of (so the greps above can match at all).
check_has() {
  # A here-string, not a pipe: grep -q closing early would fail the pipe (pipefail).
  if grep -E "$3" <<<"$2" >/dev/null; then echo "ok: $1 contains $4"; else echo "FAIL: $1 lacks $4"; fail=1; fi
}
check_has gocua "$app_syms" 'gocua::ComputeDashboard' "the dashboard"
check_has gocua-hub "$hub_syms" 'gocua::OpenSqliteHubStore' "the hub store"
exit $fail
