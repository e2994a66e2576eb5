#!/bin/sh
# The one recipe for Tokentray's three programs, into DIR (make build, make test, make package
# and the tests all use it):
#   tokentray-tray    the always-on app and every command     go build .
#   tokentray-window  the accounts window (Fyne, cgo)         go build ./cmd/tokentray-window
#   tokentray         the lean command scripts run all day    go build ./cmd/tokentray (static: no cgo)
# For another system set GOOS and GOARCH (windows: mingw-w64 is the window's C compiler; darwin:
# only the lean command, as Fyne and the tray need Apple's SDK there). The window leaves out Fyne's
# 10 MB colour-emoji font (no_emoji, Fyne's own build tag): its memory, see make bench. LDFLAGS are
# the linker's (make package strips the symbols: LDFLAGS="-s -w").
set -eu
out=${1:?usage: packaging/build.sh DIR}
cd "$(dirname "$0")/.."
goos=$(go env GOOS)
exe=""
[ "$goos" = windows ] && exe=.exe
mkdir -p "$out"
CGO_ENABLED=0 go build -ldflags "${LDFLAGS:-}" -o "$out/tokentray$exe" ./cmd/tokentray
[ "$goos" = darwin ] && exit 0
case $goos in
  windows) # the tray needs no cgo there; the window's does, from mingw-w64. Both are GUI programs
    # (-H windowsgui): started from the Start menu or at login, no console window opens beside them.
    CGO_ENABLED=0 go build -ldflags "${LDFLAGS:-} -H windowsgui" -o "$out/tokentray-tray$exe" .
    CGO_ENABLED=1 CC=${CC:-x86_64-w64-mingw32-gcc} go build -ldflags "${LDFLAGS:-} -H windowsgui" -tags no_emoji -o "$out/tokentray-window$exe" ./cmd/tokentray-window ;;
  *)
    CGO_ENABLED=1 go build -ldflags "${LDFLAGS:-}" -o "$out/tokentray-tray$exe" .
    CGO_ENABLED=1 go build -ldflags "${LDFLAGS:-}" -tags no_emoji -o "$out/tokentray-window$exe" ./cmd/tokentray-window ;;
esac
