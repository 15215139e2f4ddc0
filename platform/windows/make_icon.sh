#!/usr/bin/env bash
# Draws Gõ Cửa's icon (a door, ajar, on a round red tile: "gõ cửa" is "knock on the door") with
# ImageMagick from Debian (imagemagick), at the sizes Windows asks for, into one .ico file.
#   platform/windows/make_icon.sh OUT.ico
# Deterministic: the same ImageMagick gives the same file. No image is kept in the repository.
set -euo pipefail
out=${1:?usage: make_icon.sh OUT.ico}
command -v convert >/dev/null || { echo "make_icon.sh: ImageMagick's convert is missing (apt-get install imagemagick)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Drawn once at 256 px, then scaled down.
convert -size 256x256 xc:none \
  -fill '#b03a2e' -draw 'roundrectangle 8,8 247,247 48,48' \
  -fill '#f6e7c8' -draw 'rectangle 72,44 184,224' \
  -fill '#7a4a22' -draw 'polygon 80,52 160,68 160,224 80,224' \
  -fill '#f6e7c8' -draw 'circle 144,146 152,146' \
  -fill '#f6e7c8' -draw 'rectangle 48,224 208,236' \
  -define png:exclude-chunks=date,time \
  "$tmp/256.png"
for s in 16 24 32 48 64; do
  convert "$tmp/256.png" -resize "${s}x${s}" -define png:exclude-chunks=date,time "$tmp/$s.png"
done
convert "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" "$tmp/256.png" "$out"
