#!/usr/bin/env bash
# Proves the Windows dependency prefix: cross-compiles the tiny programs in tools/windows/check/
# against it through tools/windows/mingw-w64.cmake (so the toolchain file is proven too), runs each
# under Wine, runs the doctest suite through ctest (CMAKE_CROSSCOMPILING_EMULATOR), and checks with
# objdump that every executable imports only Windows system DLLs. Prints a table; exits non-zero if
# any row failed.
#
#   tools/windows/check_prefix.sh [PREFIX] [BUILD_DIR]
#
# PREFIX defaults to what tools/windows/prefix.sh prints (it builds the prefix if needed);
# BUILD_DIR defaults to build/win64-check in the repository. The Wine prefix is private to the build
# folder (BUILD_DIR/wineprefix).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PREFIX=${1:-}
BUILD=${2:-$REPO/build/win64-check}
JOBS=${GOCUA_WIN_JOBS:-2}
TRIPLE=x86_64-w64-mingw32

# shellcheck source=deps.sh
. "$HERE/deps.sh"
if [ -z "$PREFIX" ]; then
  PREFIX=$("$HERE/prefix.sh")
fi
[ -f "$PREFIX/.gocua-prefix-complete" ] || {
  echo "check_prefix.sh: $PREFIX is not a complete prefix" >&2
  exit 1
}

# Windows' own DLLs (and Wine's versions of them). Anything else (libstdc++-6.dll,
# libwinpthread-1.dll, zlib1.dll, libcrypto-3-x64.dll...) means something was linked dynamically.
SYSTEM_DLLS=" advapi32 bcrypt comctl32 comdlg32 crypt32 dbghelp gdi32 imm32 iphlpapi kernel32
  msvcrt normaliz ntdll ole32 oleaut32 opengl32 secur32 setupapi shell32 shlwapi user32 userenv
  version winmm ws2_32 wldap32 "

export WINEPREFIX=$BUILD/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$BUILD"
t0=$(date +%s)
# The Wine server first, kept alive 60 s between programs, and the prefix created once: otherwise
# the first program (or test discovery at build time) pays for wineboot.
# Wine's daemons inherit stdout and stderr: give them none, or a pipe reading our output never
# sees its end. For the same reason programs' output goes to files, not $(...). The server of this
# private prefix is stopped at the end.
mkdir -p "$WINEPREFIX"
wineserver -p 60 </dev/null >/dev/null 2>&1
wine cmd /c exit </dev/null >/dev/null 2>&1 || true
trap 'wineserver -k </dev/null >/dev/null 2>&1 || true' EXIT
t_wine=$(($(date +%s) - t0))

cmake -S "$HERE/check" -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$HERE/mingw-w64.cmake" \
  -DGOCUA_WIN_PREFIX="$PREFIX" -DCMAKE_BUILD_TYPE=Release >"$BUILD/configure.log" 2>&1 || {
  tail -n 30 "$BUILD/configure.log" >&2
  exit 1
}
nice -n 10 cmake --build "$BUILD" -j "$JOBS" >"$BUILD/build.log" 2>&1 || {
  tail -n 40 "$BUILD/build.log" >&2
  exit 1
}
t_build=$(($(date +%s) - t0 - t_wine))

imports() { # the DLLs an executable imports, lower case, space-separated
  "$TRIPLE-objdump" -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sed 's/\.dll$//' |
    sort -u | tr '\n' ' '
}
foreign_dlls() { # those of the DLLs in $1 that are not Windows system DLLs
  local d out="" system
  system=" $(echo $SYSTEM_DLLS) "
  for d in $1; do
    [[ "$system" == *" $d "* ]] || out+="$d "
  done
  printf '%s' "$out"
}

failed=0
rows=()
run_dir=$BUILD/run
rm -rf "$run_dir" && mkdir -p "$run_dir"
for name in sqlite utf8proc openssl curl xlsxwriter imgui doctest; do
  exe=$BUILD/check_$name.exe
  dlls=$(imports "$exe")
  foreign=$(foreign_dlls "$dlls")
  if [ "$name" = doctest ]; then
    # Through ctest: the emulator from the toolchain file runs the discovered test cases.
    (cd "$BUILD" && timeout 300 ctest --output-on-failure </dev/null >"$run_dir/$name.out" 2>&1) &&
      rc=0 || rc=$?
    line=$(grep -E 'tests passed|tests failed' "$run_dir/$name.out" | tail -n 1)
  else
    (cd "$run_dir" && timeout 120 wine "$exe" </dev/null >"$run_dir/$name.out" 2>&1) && rc=0 || rc=$?
    line=$(tr -d '\r' <"$run_dir/$name.out" | grep -E '^(ok|FAIL)' | tail -n 1)
  fi
  out=$(cat "$run_dir/$name.out")
  verdict=PASS
  if [ "$rc" -ne 0 ] || [ -n "$foreign" ]; then
    verdict=FAIL
    failed=$((failed + 1))
    printf '%s\n' "--- check_$name (exit $rc) ---" "$out" >&2
  fi
  rows+=("$(printf '%-10s | %-4s | %s\n%-10s | %-4s |   imports: %s%s' "$name" "$verdict" "${line:-exit $rc}" "" "" \
    "$dlls" "${foreign:+  NOT SYSTEM: $foreign}")")
done

echo
echo "Windows dependency prefix: $PREFIX"
printf '%-10s | %-4s | %s\n' library ok "result under Wine / imported DLLs"
printf '%s\n' "-----------+------+-----------------------------------------------------------------"
printf '%s\n' "${rows[@]}"
echo
echo "Wine prefix start ${t_wine} s, configure + build ${t_build} s, total $(($(date +%s) - t0)) s"
total=${#rows[@]}
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
