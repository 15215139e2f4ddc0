# CMake toolchain for the Windows build: x86_64-w64-mingw32 with posix threads (Debian's mingw-w64),
# libraries from the dependency prefix that tools/windows/prefix.sh builds from Debian's sources.
#
#   prefix=$(tools/windows/prefix.sh)
#   cmake -S . -B build/win64 -DCMAKE_TOOLCHAIN_FILE=tools/windows/mingw-w64.cmake -DGOCUA_WIN_PREFIX="$prefix"
#
# Contract: GOCUA_WIN_PREFIX (cache variable, or the environment variable of that name) names a
# complete prefix. pkg-config sees only that prefix (PKG_CONFIG_LIBDIR), find_package/find_library
# only the prefix and the mingw sysroot, never the Linux host's libraries. Executables link with
# -static, so they import only Windows system DLLs. Built executables run under Wine through
# CMAKE_CROSSCOMPILING_EMULATOR, with a private WINEPREFIX inside the build folder (start its
# wineserver before running tests in parallel: see tools/windows/check_prefix.sh).

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(GOCUA_WIN_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${GOCUA_WIN_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${GOCUA_WIN_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${GOCUA_WIN_TRIPLE}-windres)
set(CMAKE_AR ${GOCUA_WIN_TRIPLE}-ar CACHE FILEPATH "mingw ar")
set(CMAKE_RANLIB ${GOCUA_WIN_TRIPLE}-ranlib CACHE FILEPATH "mingw ranlib")

# The prefix: from the cache, else from the environment (try_compile projects see the latter).
if(NOT GOCUA_WIN_PREFIX AND DEFINED ENV{GOCUA_WIN_PREFIX})
  set(GOCUA_WIN_PREFIX "$ENV{GOCUA_WIN_PREFIX}")
endif()
if(NOT GOCUA_WIN_PREFIX OR NOT EXISTS "${GOCUA_WIN_PREFIX}/lib/pkgconfig")
  message(FATAL_ERROR "GOCUA_WIN_PREFIX must name the prefix that tools/windows/prefix.sh prints "
                      "(got '${GOCUA_WIN_PREFIX}')")
endif()
set(GOCUA_WIN_PREFIX "${GOCUA_WIN_PREFIX}" CACHE PATH "Windows dependency prefix (tools/windows/prefix.sh)")
set(ENV{GOCUA_WIN_PREFIX} "${GOCUA_WIN_PREFIX}")

set(CMAKE_FIND_ROOT_PATH "${GOCUA_WIN_PREFIX}" /usr/${GOCUA_WIN_TRIPLE})
set(CMAKE_PREFIX_PATH "${GOCUA_WIN_PREFIX}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: the prefix's .pc files only (they are relocatable: prefix=${pcfiledir}/../..).
set(ENV{PKG_CONFIG_LIBDIR} "${GOCUA_WIN_PREFIX}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

# Static everything: the prefix has only static libraries; Find modules must not pick the mingw
# sysroot's DLL import libraries (libz.dll.a) either.
set(OPENSSL_USE_STATIC_LIBS TRUE)
set(OPENSSL_ROOT_DIR "${GOCUA_WIN_PREFIX}")
set(ZLIB_USE_STATIC_LIBS ON)
set(ZLIB_LIBRARY "${GOCUA_WIN_PREFIX}/lib/libz.a" CACHE FILEPATH "static zlib (Debian's libz-mingw-w64-dev)")
set(ZLIB_INCLUDE_DIR "/usr/${GOCUA_WIN_TRIPLE}/include" CACHE PATH "zlib headers")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

# Run what was built under Wine, in a private Wine prefix of this build folder. No Mono/Gecko
# download prompts (mscoree/mshtml off), no debug chatter.
find_program(GOCUA_WINE wine REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR
    /usr/bin/env "WINEPREFIX=${CMAKE_BINARY_DIR}/wineprefix" "WINEDEBUG=-all"
    "WINEDLLOVERRIDES=mscoree,mshtml=" ${GOCUA_WINE})
