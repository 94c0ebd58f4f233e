#!/usr/bin/env bash
# Build the self-contained one-folder app with PyInstaller (Linux; see packaging/README.md):
#   packaging/build.sh [--dist DIR] [--work DIR] [--archive]
# Result: DIR/netguard/ (default dist/netguard/) with the `netguard` executable, its libraries,
# netguard's resources and forms, share/ (desktop entry, AppStream metainfo, icons) and
# install.sh, which puts it in a menu. --archive also packs it as
# DIR/netguard-<version>-linux-<machine>.tar.gz. Uses the project venv ($NETGUARD_VENV, default
# .venv, the one tools/dev makes), creating it when missing, and installs PyInstaller from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${NETGUARD_VENV:-.venv}
DIST=dist
WORK=build/pyinstaller
ARCHIVE=no
APP_ID=nl.netguard.NetGuard
PYINSTALLER="pyinstaller>=6.10,<7"

while [ $# -gt 0 ]; do
  case "$1" in
    --dist) DIST=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --archive) ARCHIVE=yes; shift ;;
    *) echo "usage: packaging/build.sh [--dist DIR] [--work DIR] [--archive]" >&2; exit 2 ;;
  esac
done

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -I -c "import netguard.cli.main, PySide6.QtWidgets" 2>/dev/null \
  || "$VENV/bin/python" -m pip install -q -e .
"$VENV/bin/python" -m pip install -q "$PYINSTALLER"
"$VENV/bin/python" tools/build_native.py --require  # the bundle carries the compiled parser
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" packaging/netguard.spec

app="$DIST/netguard"
install -D -m 0644 "packaging/$APP_ID.desktop" "$app/share/applications/$APP_ID.desktop"
install -D -m 0644 "packaging/$APP_ID.metainfo.xml" "$app/share/metainfo/$APP_ID.metainfo.xml"
install -D -m 0644 resources/icons/netguard-app.svg \
  "$app/share/icons/hicolor/scalable/apps/$APP_ID.svg"
for png in resources/icons/netguard-app-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 0644 "$png" "$app/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -m 0755 packaging/install.sh "$app/install.sh"
echo "Built $app ($(du -sh "$app" | cut -f1))"
if [ "$ARCHIVE" = yes ]; then
  version=$("$app/netguard" --version | cut -d' ' -f2)
  tarball="$DIST/netguard-$version-linux-$(uname -m).tar.gz"
  tar -czf "$tarball" -C "$DIST" netguard
  echo "Packed $tarball ($(du -sh "$tarball" | cut -f1))"
fi
