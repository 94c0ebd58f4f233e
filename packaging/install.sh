#!/usr/bin/env bash
# Put the built NetGuard folder in your menu (shipped inside dist/netguard/ by packaging/build.sh):
#   ./install.sh              for you: ~/.local (the app in ~/.local/lib/netguard)
#   ./install.sh --prefix P   elsewhere, e.g. sudo ./install.sh --prefix /usr/local
#   ./install.sh --uninstall  [--prefix P] removes what an install put there
set -euo pipefail
APP_ID=nl.netguard.NetGuard
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${HOME}/.local
ACTION=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$2; shift 2 ;;
    --uninstall) ACTION=uninstall; shift ;;
    *) echo "usage: install.sh [--prefix DIR] [--uninstall]" >&2; exit 2 ;;
  esac
done
APP_DIR="$PREFIX/lib/netguard"
SHARE="$PREFIX/share"

refresh_caches() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "$ACTION" = uninstall ]; then
  rm -rf "$APP_DIR"
  rm -f "$PREFIX/bin/netguard" "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
  find "$SHARE/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
  refresh_caches
  echo "NetGuard removed from $PREFIX (your profile and keyring entry are kept)."
  exit 0
fi

[ "$HERE" = "$APP_DIR" ] || { rm -rf "$APP_DIR"; mkdir -p "$APP_DIR"; cp -a "$HERE/." "$APP_DIR/"; }
mkdir -p "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo"
ln -sf "$APP_DIR/netguard" "$PREFIX/bin/netguard"
# The menu entry starts the installed binary by its full path: ~/.local/bin is not always on
# the PATH a desktop session starts programs with.
sed "s|^Exec=netguard|Exec=$APP_DIR/netguard|" "$HERE/share/applications/$APP_ID.desktop" \
  > "$SHARE/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
cp -r "$HERE/share/icons" "$SHARE/"
refresh_caches
echo "NetGuard installed: $PREFIX/bin/netguard and a menu entry."
