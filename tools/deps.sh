#!/usr/bin/env bash
# Sourced by run.sh and test.sh: installs the Debian packages the build needs, if missing.
# Uses sudo when not root. Safe to run again: installed packages are skipped.

GOCUA_PACKAGES=(
  build-essential cmake pkg-config ccache
  libsqlite3-dev libutf8proc-dev nlohmann-json3-dev libssl-dev zlib1g-dev
  libcpp-httplib-dev libcurl4-openssl-dev
  doctest-dev
  # The app: Dear ImGui 1.86 (its GLFW/OpenGL3 backends are inside libimgui.a), GLFW, OpenGL,
  # fonts with full Vietnamese coverage.
  libimgui-dev libglfw3-dev libgl-dev fonts-noto-core fonts-dejavu-core
  # Leaders' monthly report (XLSX).
  libxlsxwriter-dev
  # The web console's browser tests (tests/console/): Chromium headless through chromedriver.
  chromium chromium-driver
  firefox-esr  # the console's browser tests in Firefox too (its built-in Marionette, no geckodriver)
  # Running the app where there is no display, and its screenshots.
  xvfb xauth x11-apps imagemagick
  # The PostgreSQL hub store (libpq) and its tests' private cluster on loopback.
  postgresql libpq-dev
  nginx  # tests/deploy: nginx in front of real hubs (tools/deploy/nginx), started by the test
)

gocua_install_deps() {
  local missing=()
  for p in "${GOCUA_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq || return 1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
