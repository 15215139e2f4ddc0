#!/usr/bin/env bash
# Packages the Windows build: a portable zip and an NSIS installer.
#   tools/windows/package.sh [BUILD_DIR] [OUT_DIR]
#     BUILD_DIR  a cross build (tools/windows/build.sh: build/win64) holding app/gocua.exe and
#                tools/cli/gocua-cli.exe
#     OUT_DIR    default BUILD_DIR/package
# Writes OUT_DIR/GoCua-<version>-win64.zip and OUT_DIR/GoCua-<version>-win64-setup.exe and
# prints their paths. <version> is the CMake project version of BUILD_DIR.
# What ships (OUT_DIR/stage/GoCua): gocua.exe, gocua-cli.exe (stripped), assets/, the fallback
# font fonts/DejaVuSans.ttf (Debian's fonts-dejavu-core; never committed), the public CAs
# certs/ca-certificates.crt (Debian's ca-certificates), the icon, licences/
# (Debian's copyright files of every library linked in, the font and the mingw-w64 runtime), a
# README.txt. Tools: tools/windows/deps.sh installs NSIS, zip, fonts-dejavu-core, ImageMagick,
# ca-certificates.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build/win64}" && pwd)
out=${2:-$build/package}
app="$build/app/gocua.exe"
cli="$build/tools/cli/gocua-cli.exe"
for f in "$app" "$cli"; do
  [ -f "$f" ] || { echo "package.sh: $f is missing (build it: tools/windows/build.sh)" >&2; exit 1; }
done
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || { echo "package.sh: no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt" >&2; exit 1; }
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
[ -f "$font" ] || { echo "package.sh: $font is missing (apt-get install fonts-dejavu-core)" >&2; exit 1; }
for tool in makensis zip x86_64-w64-mingw32-strip; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (tools/windows/deps.sh)" >&2; exit 1; }
done

stage="$out/stage/GoCua"
rm -rf "$out/stage"
mkdir -p "$stage/fonts" "$stage/certs" "$stage/licenses"
x86_64-w64-mingw32-strip -o "$stage/gocua.exe" "$app"
x86_64-w64-mingw32-strip -o "$stage/gocua-cli.exe" "$cli"
cp -r "$root/assets" "$stage/assets"
cp "$font" "$stage/fonts/DejaVuSans.ttf"
# The public CAs an https hub's certificate may come from (platform/tls_trust.h): Mozilla's set as
# Debian's ca-certificates ships it, one PEM file. Made from /usr/share/ca-certificates/mozilla,
# not /etc/ssl/certs/ca-certificates.crt, which may hold this build machine's local additions.
cas=(/usr/share/ca-certificates/mozilla/*.crt)
[ -f "${cas[0]}" ] || { echo "package.sh: no CAs in /usr/share/ca-certificates/mozilla (apt-get install ca-certificates)" >&2; exit 1; }
for ca in "${cas[@]}"; do
  cat "$ca"
  echo
done >"$stage/certs/ca-certificates.crt"
bash "$root/platform/windows/make_icon.sh" "$stage/gocua.ico"

# Licences: the Debian copyright file of the package each bundled part comes from (the Windows
# prefix is built from the same source packages; tools/windows/prefix.sh).
licence() {  # NAME DEBIAN_PACKAGE...
  local name=$1 pkg
  shift
  for pkg in "$@"; do
    if [ -f "/usr/share/doc/$pkg/copyright" ]; then
      cp "/usr/share/doc/$pkg/copyright" "$stage/licenses/$name.txt"
      return 0
    fi
  done
  echo "package.sh: no copyright file for $name (looked in: $*)" >&2
  return 1
}
licence sqlite libsqlite3-0 libsqlite3-dev
licence openssl libssl3 libssl-dev openssl
licence curl libcurl4 libcurl4-openssl-dev
licence zlib libz-mingw-w64 libz-mingw-w64-dev
licence glfw libglfw3 libglfw3-dev
licence imgui libimgui-dev libimgui0
licence stb libstb0 libstb-dev
licence utf8proc libutf8proc2 libutf8proc-dev
licence libxlsxwriter libxlsxwriter4 libxlsxwriter-dev
licence nlohmann-json nlohmann-json3-dev
licence dejavu-fonts fonts-dejavu-core
licence ca-certificates ca-certificates
licence mingw-w64-gcc-runtime gcc-mingw-w64-base
licence mingw-w64-crt mingw-w64-x86-64-dev mingw-w64-common

cat > "$stage/README.txt" <<TXT
Gõ Cửa $version cho Windows (64-bit)

Cài đặt: chạy GoCua-$version-win64-setup.exe. Không cần quyền quản trị.
Bản không cần cài: giải nén tệp zip vào một thư mục bất kỳ rồi mở gocua.exe.

Dữ liệu của bạn nằm ở %APPDATA%\\GoCua (cơ sở dữ liệu, bản sao lưu, báo cáo).
Gỡ cài đặt không xoá thư mục này.

gocua-cli.exe là công cụ dòng lệnh (xem: gocua-cli --help).
Giấy phép của các thư viện đi kèm: thư mục licenses.
TXT
# Windows line endings for Notepad.
sed -i 's/$/\r/' "$stage/README.txt"

base="GoCua-$version-win64"
rm -f "$out/$base.zip" "$out/$base-setup.exe"
(cd "$out/stage" && zip -qr -X "$out/$base.zip" GoCua)
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DSTAGE="$stage" \
  -DOUTFILE="$out/$base-setup.exe" "$root/tools/windows/installer.nsi" >&2
echo "$out/$base.zip"
echo "$out/$base-setup.exe"
