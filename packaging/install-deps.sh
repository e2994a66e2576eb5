#!/bin/sh
# Installs the system packages Tokentray needs, and only the missing ones.
#
#   packaging/install-deps.sh run       to build and run the app (a C compiler and the GL/X11/Wayland headers Fyne
#                                       needs; xclip and wl-clipboard, which copy from the tray)
#   packaging/install-deps.sh package   also what make package uses: the mingw-w64 cross compiler (the Windows
#                                       window's cgo), wixl (the MSI) and zip
#   packaging/install-deps.sh test      also what the tests use: Xvfb, D-Bus, gnome-keyring, xclip, xdotool,
#                                       Chromium, ImageMagick, curl, Node.js and npm (the independent OpenID
#                                       provider the tests sign in at), Wine (the Windows build's tests) and
#                                       msitools, lintian and the desktop file and AppStream checkers, and
#                                       zsh and fish (whose completion the tests run)
#
# It says what it installs, skips what is present and uses sudo when not run as root. On Debian and
# Ubuntu it installs with apt-get; elsewhere it prints what to install and exits.
set -eu

what=${1:-run}
run_pkgs="gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev xclip wl-clipboard"
package_pkgs="$run_pkgs mingw-w64 wixl zip"
test_pkgs="$package_pkgs xvfb dbus dbus-x11 gnome-keyring xclip xdotool chromium imagemagick curl nodejs npm zsh fish lintian desktop-file-utils appstream man-db oidc-agent-cli wine wine64 msitools"
case "$what" in
  run) pkgs=$run_pkgs ;;
  package) pkgs=$package_pkgs ;;
  test) pkgs=$test_pkgs ;;
  *) echo "usage: $0 run|package|test" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null 2>&1; then
  echo "install-deps: Go is not installed. Install Go 1.26 or later from https://go.dev/dl/ and run this again." >&2
  exit 1
fi

os=$(uname -s)
if [ "$os" != Linux ] || ! command -v apt-get >/dev/null 2>&1; then
  case "$os" in
    Darwin) echo "install-deps: on macOS install the Xcode command line tools (xcode-select --install); Fyne needs nothing else." ;;
    MINGW*|MSYS*|CYGWIN*) echo "install-deps: on Windows install a C compiler for cgo, e.g. MSYS2's mingw-w64-x86_64-gcc, and put it on PATH." ;;
    Linux)
      if command -v dnf >/dev/null 2>&1; then
        echo "install-deps: on Fedora run: sudo dnf install gcc pkgconf-pkg-config mesa-libGL-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel wayland-devel libxkbcommon-devel"
        [ "$what" = test ] && echo "  and for the tests: sudo dnf install xorg-x11-server-Xvfb dbus-daemon gnome-keyring xclip xdotool chromium ImageMagick mingw64-gcc"
      else
        echo "install-deps: this Linux has no apt-get; install a C compiler and the OpenGL, X11, Wayland and xkbcommon development headers."
      fi ;;
    *) echo "install-deps: $os is not one this script knows; Fyne needs a C compiler and the platform's OpenGL headers." ;;
  esac
  exit 0
fi

missing=""
for p in $pkgs; do
  case $p in # Node.js from elsewhere (NodeSource's package carries npm) serves as well as Debian's
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "install-deps: all $what packages are present."
  exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: not root and no sudo; install as root:$missing" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086 # the list is meant to split
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
