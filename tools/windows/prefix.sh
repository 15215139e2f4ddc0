#!/usr/bin/env bash
# Builds the Windows dependency prefix: the app's and CLI's third-party libraries, cross-built with
# mingw-w64 (posix threads) from Debian's *source* packages, as static libraries with headers, .pc
# files and CMake package files. Nothing comes from anywhere but Debian's package mirror.
#
#   prefix=$(tools/windows/prefix.sh)      # logs go to stderr; stdout is the prefix's path alone
#
# Where: ${GOCUA_WIN_PREFIX_ROOT:-$HOME/.cache/gocua-win64}/<key>, outside the repository. The key
# hashes the exact source package versions (the .dsc files apt would fetch), the mingw compiler's
# and Debian's mingw zlib's versions, and this script's own text. A run whose key already has a
# complete prefix builds nothing and says it reused it.
#
# Atomic: everything is built in a temporary folder beside the prefix and renamed into place only
# when every step succeeded, so a failed or interrupted run never leaves a prefix that looks
# complete (a complete one holds .gocua-prefix-complete). The .pc files are relocatable
# (prefix=${pcfiledir}/../..) and the CMake package files are relative, so the rename is safe.
#
# Layout (like Debian's -dev packages, so the Linux CMake code finds things the same way):
#   include/{sqlite3.h,utf8proc.h,GLFW/,openssl/,curl/,xlsxwriter*,nlohmann/,httplib.h,doctest/}
#   include/imgui/ (+ backends/), include/stb/    lib/lib*.a    lib/pkgconfig/*.pc    lib/cmake/*/
#
# Environment: GOCUA_WIN_PREFIX_ROOT (cache root), GOCUA_WIN_JOBS (default 2; builds run under
# nice -n 10), GOCUA_WIN_KEEP_WORK=1 keeps the temporary folder of a failed run for inspection.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=${GOCUA_WIN_PREFIX_ROOT:-$HOME/.cache/gocua-win64}
JOBS=${GOCUA_WIN_JOBS:-2}
TRIPLE=x86_64-w64-mingw32
CC_WIN=$TRIPLE-gcc-posix
CXX_WIN=$TRIPLE-g++-posix
NICE=(nice -n 10)
MARK=.gocua-prefix-complete

# Debian source package names (apt-get source resolves binary names such as doctest-dev too).
# openssl is pinned to the release suite: the security suite's .dsc is sometimes not on the mirror.
SOURCES=(openssl/bookworm sqlite3 utf8proc glfw3 libstb imgui libxlsxwriter curl nlohmann-json3
  cpp-httplib doctest-dev)

log() { printf '%s\n' "$*" >&2; }
die() {
  log "prefix.sh: $*"
  exit 1
}

# shellcheck source=deps.sh
. "$HERE/deps.sh" >&2 || die "installing the toolchain failed"

sudo_cmd() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- deb-src ---------------------------------------------------------------------------------------
# One file of our own under sources.list.d: a deb-src line for every deb entry of this machine's apt
# sources (one-line .list files and deb822 .sources files) whose suite is this release's
# (bookworm, bookworm-updates, bookworm-security...). Other vendors' repositories are left out:
# most publish no sources and would make apt-get update fail.
deb_src_lines() {
  local codename f
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
  {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -n -E 's/^[[:space:]]*deb[[:space:]]+/deb-src /p'
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk 'function flush() {
             if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" && suites != "") {
               n = split(uris, u, " "); m = split(suites, s, " ")
               for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
                 print "deb-src" (signed != "" ? " [signed-by=" signed "]" : "") " " u[i] " " s[j] " " comps
             }
             types = uris = suites = comps = signed = enabled = ""
           }
           /^[[:space:]]*#/ { next }
           /^[[:space:]]*$/ { flush(); next }
           /^[[:space:]]/ { if (key == "signed-by") signed = ""; next }  # inline key: keep apt default
           { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, ""); val = $0
             if (key == "types") types = val; else if (key == "uris") uris = val
             else if (key == "suites") suites = val; else if (key == "components") comps = val
             else if (key == "signed-by") signed = val; else if (key == "enabled") enabled = tolower(val) }
           END { flush() }' "$f"
    done
  } | awk -v c="$codename" '{ i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                               if ($(i + 1) ~ ("^" c "(-|$)") && !seen[$0]++) print }'
}

ensure_deb_src() {
  local list=/etc/apt/sources.list.d/gocua-win-src.list want
  want=$(printf '# Written by gocua tools/windows/prefix.sh: source entries mirroring this machine'"'"'s\n# own apt sources, so that apt-get source can fetch Debian'"'"'s sources for the Windows build.\n%s\n' "$(deb_src_lines)")
  if [ ! -f "$list" ] || [ "$(cat "$list")" != "$want" ]; then
    log "==> Writing $list"
    printf '%s\n' "$want" | sudo_cmd tee "$list" >/dev/null
    return 1 # the package lists need an update
  fi
}

# The .dsc files apt would fetch now, one line per package ("name_version.dsc"), in one apt call.
# Fails unless every package has one.
dsc_names() {
  local out
  out=$(apt-get source --print-uris "${SOURCES[@]}" 2>/dev/null | awk '$2 ~ /\.dsc$/ { print $2 }') ||
    return 1
  [ "$(printf '%s\n' "$out" | grep -c .)" -eq "${#SOURCES[@]}" ] || return 1
  printf '%s\n' "$out"
}

# --- steps -----------------------------------------------------------------------------------------
# Each step runs in a subshell with its output in $WORK/logs/NAME.log; its time goes to the table.
STEP_TIMES=()
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
step() {
  local name=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  log "==> $name"
  # Not "if ! (...)": bash ignores set -e inside a condition, so a failing command would not stop
  # the step. The subshell runs with set -e in force; its status is read afterwards.
  local rc=0
  set +e
  ("$@") >"$WORK/logs/$name.log" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    log "prefix.sh: step '$name' failed; last lines of $WORK/logs/$name.log:"
    tail -n 30 "$WORK/logs/$name.log" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  STEP_TIMES+=("$(printf '%-12s %7s s' "$name" "$(seconds_between "$t0" "$t1")")")
  log "    ${STEP_TIMES[-1]}"
}

src_dir() { # the unpacked folder of source package $1 (name as Debian spells the source)
  local d
  d=$(find -L "$WORK/src" -mindepth 1 -maxdepth 1 -type d -name "$1-*" | head -n 1)
  [ -n "$d" ] || die "no unpacked source for $1"
  printf '%s\n' "$d"
}

cmake_win() { # cmake_win SRC BUILD [-D...]: configure, build and install a CMake project
  local src=$1 build=$2
  shift 2
  GOCUA_WIN_PREFIX=$P cmake -S "$src" -B "$build" -G "Unix Makefiles" \
    -DCMAKE_TOOLCHAIN_FILE="$HERE/mingw-w64.cmake" -DGOCUA_WIN_PREFIX="$P" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$P" -DCMAKE_INSTALL_LIBDIR=lib \
    -DBUILD_SHARED_LIBS=OFF "$@"
  "${NICE[@]}" cmake --build "$build" -j "$JOBS"
  cmake --install "$build"
}

fetch_sources() {
  cd "$WORK/src"
  local p
  for p in "${SOURCES[@]}"; do
    apt-get source -q "$p"
  done
}

build_openssl() {
  local s
  s=$(src_dir openssl)
  mkdir -p "$WORK/build/openssl" && cd "$WORK/build/openssl"
  # Static, no tests, no modules/engines as DLLs; the mingw64 target links ws2_32, crypt32, gdi32.
  # OPENSSLDIR, ENGINESDIR and MODULESDIR compiled into libcrypto.a are upstream's Windows
  # defaults (writable by administrators only), never a path of this machine, which Windows would
  # read relative to the current drive. Configure makes a --openssldir of "C:/..." relative to the
  # prefix, so the Makefile's variables are overridden at build time instead (they only feed the
  # -D options; install_dev does not use them). check/check_openssl.cpp checks the result.
  CC=$CC_WIN CXX=$CXX_WIN AR=$TRIPLE-ar RANLIB=$TRIPLE-ranlib RC=$TRIPLE-windres \
    perl "$s/Configure" mingw64 no-shared no-tests no-module no-dso \
    --prefix="$P" --libdir=lib
  "${NICE[@]}" make -j "$JOBS" build_libs \
    OPENSSLDIR="C:/Program Files/Common Files/SSL" \
    ENGINESDIR="C:/Program Files/OpenSSL/lib/engines-3" \
    MODULESDIR="C:/Program Files/OpenSSL/lib/ossl-modules"
  make install_dev
}

zlib_from_debian() {
  # Debian ships mingw zlib itself (libz-mingw-w64-dev). Link the static archive into the prefix so
  # that "-lz" found through the prefix's -L is the static one, never libz.dll.a.
  ln -s "/usr/$TRIPLE/lib/libz.a" "$P/lib/libz.a"
  local v
  v=$(sed -n 's/^Version: *//p' "/usr/$TRIPLE/lib/pkgconfig/zlib.pc")
  cat >"$P/lib/pkgconfig/zlib.pc" <<PC
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=/usr/$TRIPLE/include

Name: zlib
Description: zlib compression library (Debian's libz-mingw-w64-dev, static)
Version: $v
Libs: -L\${libdir} -lz
Cflags: -I\${includedir}
PC
}

build_sqlite() {
  # The amalgamation is generated natively (it is C source, the same for every target), then
  # compiled with mingw: Debian's compile options plus FTS5 (Debian enables it through configure).
  local s b
  s=$(src_dir sqlite3)
  b=$WORK/build/sqlite
  mkdir -p "$b" && cd "$b"
  "$s/configure" --disable-tcl >/dev/null
  "${NICE[@]}" make -j "$JOBS" sqlite3.c
  local defs=(-DSQLITE_ENABLE_FTS5 -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA
    -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
    -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB
    -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_JSON1
    -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS3_TOKENIZER=1
    -DSQLITE_USE_URI=1 -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_ENABLE_PREUPDATE_HOOK
    -DSQLITE_ENABLE_SESSION -DSQLITE_ENABLE_STMTVTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000)
  "${NICE[@]}" "$CC_WIN" -O2 -fno-strict-aliasing "${defs[@]}" -c sqlite3.c -o sqlite3.o
  "$TRIPLE-ar" rcs "$P/lib/libsqlite3.a" sqlite3.o
  install -m 0644 sqlite3.h sqlite3ext.h "$P/include/"
  local v
  v=$(sed -n 's/^#define SQLITE_VERSION  *"\(.*\)"/\1/p' sqlite3.h)
  cat >"$P/lib/pkgconfig/sqlite3.pc" <<PC
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: SQLite
Description: SQL database engine (Debian source, amalgamation with FTS5, static)
Version: $v
Libs: -L\${libdir} -lsqlite3
Cflags: -I\${includedir}
PC
}

build_utf8proc() {
  # One C file. Static on Windows needs UTF8PROC_STATIC (else the header declares dllimport).
  local s v
  s=$(src_dir utf8proc)
  mkdir -p "$WORK/build/utf8proc" && cd "$WORK/build/utf8proc"
  "${NICE[@]}" "$CC_WIN" -O2 -DUTF8PROC_STATIC -I"$s" -c "$s/utf8proc.c" -o utf8proc.o
  "$TRIPLE-ar" rcs "$P/lib/libutf8proc.a" utf8proc.o
  install -m 0644 "$s/utf8proc.h" "$P/include/"
  v=$(basename "$s" | sed 's/^utf8proc-//')
  cat >"$P/lib/pkgconfig/libutf8proc.pc" <<PC
prefix=\${pcfiledir}/../..
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libutf8proc
Description: UTF8 processing (Debian source, static)
Version: $v
Libs: -L\${libdir} -lutf8proc
Cflags: -I\${includedir} -DUTF8PROC_STATIC
PC
}

build_glfw() {
  cmake_win "$(src_dir glfw3)" "$WORK/build/glfw" -DGLFW_BUILD_EXAMPLES=OFF -DGLFW_BUILD_TESTS=OFF \
    -DGLFW_BUILD_DOCS=OFF
}

build_stb() {
  # Debian's own (patched) Makefile; only the parts ImGui and the app use: stb_image_write and the
  # rect_pack + truetype implementation ImGui is built against. All headers, as libstb-dev has.
  local s
  s=$(src_dir libstb)
  cp -a "$s" "$WORK/build/stb" && cd "$WORK/build/stb"
  "${NICE[@]}" make -j "$JOBS" CC="$CC_WIN" AR="$TRIPLE-ar" MULTIARCH= CFLAGS=-O2 \
    OBJS="stb_image_write.o stb_rect_pack_truetype.o" libstb.a stb.pc
  make MULTIARCH= PREFIX="$P" LIBDIR=lib OBJS="stb_image_write.o stb_rect_pack_truetype.o" \
    install-static install-header
}

build_imgui() {
  # Debian's own (patched) Makefile: ImGui 1.86 on Debian's stb, with the GLFW and OpenGL3 backends
  # inside libimgui.a and their headers in include/imgui/backends, as libimgui-dev has them.
  local s v srcs="imgui.cpp imgui_demo.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp
    misc/cpp/imgui_stdlib.cpp backends/imgui_impl_glfw.cpp backends/imgui_impl_opengl3.cpp"
  s=$(src_dir imgui)
  cp -a "$s" "$WORK/build/imgui" && cd "$WORK/build/imgui"
  v=$(basename "$s" | sed 's/^imgui-//; s/+[a-z]*//')
  CPPFLAGS="-I$P/include" CXXFLAGS=-O2 "${NICE[@]}" make -j "$JOBS" CXX="$CXX_WIN" \
    AR="$TRIPLE-ar" MULTIARCH= LIBS= SRCS="$srcs" VERSION="$v" PREFIX="$P" LIBDIR=lib libimgui.a imgui.pc
  make MULTIARCH= LIBS= SRCS="$srcs" VERSION="$v" PREFIX="$P" LIBDIR=lib install-static install-header
}

build_xlsxwriter() {
  # As Debian builds it (USE_OPENSSL_MD5), but with the minizip copy in the same source package:
  # Debian has no mingw minizip. Static zlib from the prefix.
  cmake_win "$(src_dir libxlsxwriter)" "$WORK/build/xlsxwriter" -DUSE_OPENSSL_MD5=ON \
    -DUSE_SYSTEM_MINIZIP=OFF -DBUILD_TESTS=OFF -DBUILD_EXAMPLES=OFF
  # Its .pc names only -lxlsxwriter -lz; a static link also needs libcrypto and what that needs.
  sed -i -E 's|^Libs:.*|Libs: -L${libdir} -lxlsxwriter -lz -lcrypto -lws2_32 -lgdi32 -lcrypt32|' \
    "$P/lib/pkgconfig/xlsxwriter.pc"
}

build_curl() {
  # On OpenSSL, not Schannel: Schannel refuses certificates for IP addresses. HTTP(S) is all the
  # sync client needs; the rest is off. No CA bundle or path compiled in: CMake would take this
  # Linux machine's /etc/ssl paths. The caller sets CURLOPT_CAINFO (or CURLSSLOPT_NATIVE_CA).
  cmake_win "$(src_dir curl)" "$WORK/build/curl" -DCURL_USE_OPENSSL=ON -DCURL_USE_SCHANNEL=OFF \
    -DCURL_ZLIB=ON -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DUSE_NGHTTP2=OFF -DUSE_LIBIDN2=OFF \
    -DCURL_USE_LIBPSL=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF -DCURL_USE_GSSAPI=OFF \
    -DHTTP_ONLY=ON -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON -DBUILD_CURL_EXE=OFF \
    -DBUILD_TESTING=OFF -DENABLE_MANUAL=OFF -DPICKY_COMPILER=OFF -DENABLE_THREADED_RESOLVER=ON
}

build_headers_only() {
  cmake_win "$(src_dir nlohmann-json3)" "$WORK/build/json" -DJSON_BuildTests=OFF -DJSON_Install=ON
  cmake_win "$(src_dir doctest)" "$WORK/build/doctest" -DDOCTEST_WITH_TESTS=OFF \
    -DDOCTEST_WITH_MAIN_IN_STATIC_LIB=OFF
  # cpp-httplib: the header alone (only the Linux hub uses its compiled form).
  local s v
  s=$(src_dir cpp-httplib)
  install -m 0644 "$s/httplib.h" "$P/include/"
  v=$(basename "$s" | sed 's/^cpp-httplib-//; s/+ds//')
  cat >"$P/lib/pkgconfig/cpp-httplib.pc" <<PC
prefix=\${pcfiledir}/../..
includedir=\${prefix}/include

Name: cpp-httplib
Description: header-only HTTP(S) library (Debian source)
Version: $v
Libs: -lws2_32
Cflags: -I\${includedir}
PC
}

finish_prefix() {
  # Relocatable .pc files, and no path into the temporary folder left anywhere in a text file.
  local f
  for f in "$P"/lib/pkgconfig/*.pc "$P"/share/pkgconfig/*.pc; do
    [ -f "$f" ] || continue
    sed -i -E "s|^prefix=.*|prefix=\${pcfiledir}/../..|; s|$P|\${prefix}|g" "$f"
  done
  # curl-config is a shell script for the build machine, naming the temporary folder.
  rm -rf "$P/bin" "$P/share/man" "$P/share/doc"
  if grep -rIl -- "$WORK" "$P" >&2; then
    die "the files above still name the temporary folder $WORK"
  fi
  cat >"$P/README.gocua" <<TXT
Gõ Cửa Windows dependency prefix, built by tools/windows/prefix.sh from Debian source packages:
$(printf '  %s\n' "${DSCS[@]}")
Toolchain: $($CXX_WIN --version | head -n 1); zlib: libz-mingw-w64-dev $(dpkg-query -W -f='${Version}' libz-mingw-w64-dev)
Build times:
$(printf '  %s\n' "${STEP_TIMES[@]}")
TXT
  touch "$P/$MARK"
}

# --- main ------------------------------------------------------------------------------------------
# In a function, so that bash has read all of it before running: editing the script while it runs
# cannot change what this run does.
main() {
  T0=$(date +%s.%N)
  # apt-get update only when our deb-src file changed or apt cannot name every source package.
  local dsc_text=""
  if ! ensure_deb_src || ! dsc_text=$(dsc_names); then
    log "==> apt-get update (source package lists)"
    sudo_cmd apt-get update -qq >&2 || die "apt-get update failed"
    dsc_text=$(dsc_names) || die "apt-get source cannot name all of: ${SOURCES[*]} (deb-src entries?)"
  fi
  mapfile -t DSCS <<<"$dsc_text"
  KEY=$(
    {
      printf '%s\n' "${DSCS[@]}"
      "$CXX_WIN" --version | head -n 1
      dpkg-query -W -f='${Version}\n' libz-mingw-w64-dev
      cat "$HERE/prefix.sh" "$HERE/mingw-w64.cmake"
    } | sha256sum | cut -c1-16
  )
  DEST=$ROOT/$KEY
  if [ -f "$DEST/$MARK" ]; then
    log "==> Reusing the prefix $DEST (key $KEY: same sources, toolchain and script)"
    printf '%s\n' "$DEST"
    exit 0
  fi

  mkdir -p "$ROOT"
  WORK=$(mktemp -d "$ROOT/.building-$KEY.XXXXXX")
  cleanup() {
    if [ "${GOCUA_WIN_KEEP_WORK:-0}" = 1 ] && [ ! -f "$DEST/$MARK" ]; then
      log "prefix.sh: kept $WORK"
    else
      rm -rf "$WORK"
    fi
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  P=$WORK/prefix
  mkdir -p "$WORK/src" "$WORK/build" "$WORK/logs" "$P/include" "$P/lib/pkgconfig"
  log "==> Building the prefix $DEST (key $KEY) in $WORK"
  log "    sources: ${DSCS[*]}"

  step sources fetch_sources
  step openssl build_openssl
  step zlib zlib_from_debian
  step sqlite build_sqlite
  step utf8proc build_utf8proc
  step glfw build_glfw
  step stb build_stb
  step imgui build_imgui
  step xlsxwriter build_xlsxwriter
  step curl build_curl
  step header-only build_headers_only
  step finish finish_prefix

  # Rename into place. A concurrent run that finished first wins; ours is dropped.
  if ! mv -T "$P" "$DEST" 2>/dev/null; then
    [ -f "$DEST/$MARK" ] || die "could not move the prefix into $DEST"
    log "==> Another run completed $DEST first; using it"
  fi
  log "==> Prefix ready in $(seconds_between "$T0" "$(date +%s.%N)") s: $DEST"
  printf '%s\n' "${STEP_TIMES[@]}" | sed 's/^/    /' >&2
  printf '%s\n' "$DEST"
}

main "$@"
exit
