#!/usr/bin/env bash
# Renders Keyholder's icon from keyholder.svg into every size the packages need; the results are
# committed, so only a change to the SVG needs this. Needs Debian's librsvg2-bin (rsvg-convert),
# imagemagick (the Windows .ico) and icnsutils (the macOS .icns).
#   Linux hicolor theme: 16 24 32 48 64 128 256 512 and the SVG itself
#   Windows .ico: 16 24 32 48 64 256;  macOS .icns: 16 32 128 256 512 1024;  window icon: 256
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert --width "$size" --height "$size" keyholder.svg --output "keyholder-$size.png"
done
convert keyholder-16.png keyholder-24.png keyholder-32.png keyholder-48.png keyholder-64.png \
  keyholder-256.png keyholder.ico
png2icns keyholder.icns keyholder-16.png keyholder-32.png keyholder-128.png keyholder-256.png \
  keyholder-512.png keyholder-1024.png >/dev/null
ls -l keyholder-*.png keyholder.ico keyholder.icns
