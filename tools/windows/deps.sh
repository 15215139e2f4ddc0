#!/usr/bin/env bash
# The Windows cross-build's tools: mingw-w64 (posix threads), Wine 8 to run what it builds, NSIS for
# the installer, Debian's mingw zlib, and dpkg-dev for `apt-get source`. Installs with apt only what is
# missing (root as is, sudo otherwise; `apt-get update` once, and only when something is missing).
# Source it (defines gocua_win_install_deps and runs it) or run it. Returns non-zero on failure.
#
# Wine: Debian 12 has no /usr/bin/wine64; call `wine` (it picks the 64-bit loader for PE32+).

GOCUA_WIN_PACKAGES=(
  g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix mingw-w64-tools
  libz-mingw-w64-dev
  wine wine64
  nsis
  # tools/windows/package.sh and the app's icon: the bundled fallback font, ImageMagick, zip,
  # the public CAs shipped as certs\ca-certificates.crt; the client TLS tests' openssl command.
  fonts-dejavu-core imagemagick zip ca-certificates openssl
  dpkg-dev
  # Building the prefix: CMake projects, OpenSSL's Configure (perl), SQLite's amalgamation (tcl).
  cmake make pkg-config perl tcl
)

gocua_win_install_deps() {
  local missing=() p
  for p in "${GOCUA_WIN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "==> Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq || return 1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  gocua_win_install_deps
else
  gocua_win_install_deps || return 1
fi
