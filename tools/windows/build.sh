#!/usr/bin/env bash
# The project's Windows cross build: gocua.exe (the app), gocua-cli.exe and the doctest test
# executables for x86-64 Windows, with mingw-w64 (posix threads) against the dependency prefix
# (tools/windows/prefix.sh builds it once, then reuses it), statically linked. Checks with objdump
# that the app and the CLI import Windows system DLLs only, and prints their imports and sizes.
#
#   tools/windows/build.sh [BUILD_DIR] [cmake --build args...]
#
# cmake --build args default to the app, the CLI and the two test executables.
# BUILD_DIR defaults to build/win64. Release build (-O2, --gc-sections: see below), warnings are
# errors in CI (CI=true), as tools/test.sh does for Linux. ccache is used when installed (the
# top-level CMakeLists.txt).
# GOCUA_WIN_JOBS: parallel jobs (default: nproc). Exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$REPO/build/win64}
[ $# -gt 0 ] && shift
mkdir -p "$BUILD" && BUILD=$(cd "$BUILD" && pwd)
JOBS=${GOCUA_WIN_JOBS:-$(nproc)}
TRIPLE=x86_64-w64-mingw32

# shellcheck source=deps.sh
. "$HERE/deps.sh"
PREFIX=${GOCUA_WIN_PREFIX:-$("$HERE/prefix.sh")}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON

# Size (docs/windows.md, "Executable size"): -O2, not CMake's Release default -O3, and each
# function and object in its own section so that the linker drops what nothing calls
# (--gc-sections). The prefix's libraries were built without sections: only the project's code
# and the mingw runtime shrink. -static comes from the toolchain file.
release_flags="-O2 -DNDEBUG -ffunction-sections -fdata-sections"

t0=$(date +%s)
# The build folder's private Wine prefix, its server started first (kept 60 s after its last
# program): test discovery runs each test executable under Wine at build time.
mkdir -p "$BUILD/wineprefix"
export WINEPREFIX=$BUILD/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wineserver -p 60 </dev/null >/dev/null 2>&1 || true  # 2: already running
wine cmd /c exit </dev/null >/dev/null 2>&1 || true
cmake -S "$REPO" -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$HERE/mingw-w64.cmake" \
  -DGOCUA_WIN_PREFIX="$PREFIX" -DCMAKE_BUILD_TYPE=Release -DGOCUA_WERROR="$werror" \
  -DCMAKE_C_FLAGS_RELEASE="$release_flags" -DCMAKE_CXX_FLAGS_RELEASE="$release_flags" \
  -DCMAKE_EXE_LINKER_FLAGS_RELEASE="-Wl,--gc-sections" \
  -DGOCUA_LINUX_BUILD="${GOCUA_LINUX_BUILD:-$REPO/build/test}" >"$BUILD.configure.log" 2>&1 || {
  tail -n 40 "$BUILD.configure.log" >&2
  exit 1
}
# What Windows users run and what the Windows suite tests (not the benchmarks), unless told.
[ $# -gt 0 ] || set -- --target gocua gocua-cli gocua_tests gocua_app_tests
nice -n 10 cmake --build "$BUILD" -j "$JOBS" "$@"
echo "==> Windows build: $(($(date +%s) - t0)) s ($BUILD)"

# Windows' own DLLs only: anything else (libstdc++-6.dll, libwinpthread-1.dll, zlib1.dll, ...)
# means something was linked dynamically and the .exe would not start on a clean machine.
SYSTEM_DLLS=" advapi32 bcrypt comctl32 comdlg32 crypt32 dbghelp gdi32 imm32 iphlpapi kernel32
  msvcrt normaliz ntdll ole32 oleaut32 opengl32 secur32 setupapi shell32 shlwapi user32 userenv
  version winmm ws2_32 wldap32 "
system=" $(echo $SYSTEM_DLLS) "
bad=0
for exe in "$BUILD/app/gocua.exe" "$BUILD/tools/cli/gocua-cli.exe"; do
  [ -f "$exe" ] || continue
  dlls=$("$TRIPLE-objdump" -p "$exe" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' |
    sed 's/\.dll$//' | sort -u | tr '\n' ' ')
  echo "    $(basename "$exe"): $(stat -c %s "$exe") bytes; imports: $dlls"
  for d in $dlls; do
    [[ "$system" == *" $d "* ]] || { echo "FAIL: $(basename "$exe") imports $d.dll" >&2; bad=1; }
  done
done
exit $bad
