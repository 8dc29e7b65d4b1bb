#!/usr/bin/env bash
# Renders the app icon (resources/icons/icon.svg) into what electron-builder packages:
#   icon.png        1024×1024, the master PNG
#   png/NxN.png     16…1024, Linux's icon set (AppImage, deb)
#   icon.icns       macOS (16…1024)
#   icon.ico        Windows (16…256)
# Needs rsvg-convert, png2icns and ImageMagick's convert
# (Debian/Ubuntu: apt-get install -y librsvg2-bin icnsutils imagemagick).
# Run from anywhere: bash tools/make-icons.sh
set -euo pipefail

icons="$(cd "$(dirname "$0")/../resources/icons" && pwd)"
svg="$icons/icon.svg"
for tool in rsvg-convert png2icns convert; do
  command -v "$tool" >/dev/null || { echo "make-icons: $tool is missing (apt-get install -y librsvg2-bin icnsutils imagemagick)" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

render() { rsvg-convert --width "$1" --height "$1" "$svg" --output "$2"; }

mkdir -p "$icons/png"
for size in 16 24 32 48 64 128 256 512 1024; do
  render "$size" "$work/$size.png"
done
cp "$work/1024.png" "$icons/icon.png"
for size in 16 32 48 64 128 256 512 1024; do
  cp "$work/$size.png" "$icons/png/${size}x${size}.png"
done
png2icns "$icons/icon.icns" "$work/16.png" "$work/32.png" "$work/48.png" "$work/128.png" "$work/256.png" "$work/512.png" "$work/1024.png" >/dev/null
convert "$work/16.png" "$work/24.png" "$work/32.png" "$work/48.png" "$work/64.png" "$work/128.png" "$work/256.png" "$icons/icon.ico"
echo "make-icons: wrote icon.png, png/, icon.icns and icon.ico in $icons"
