#!/bin/sh
# Builds the packages into build/:
#   tokentray_VERSION_ARCH.deb  by nfpm (a pinned Go tool: go tool nfpm) from packaging/nfpm.yaml
#   Tokentray.tar.xz            the same files under usr/ for other Linux systems (make install in it)
#   Tokentray-VERSION-x64.msi   the Windows installer, by wixl from packaging/windows/tokentray.wxs
#   Tokentray-VERSION-windows-x64.zip  the same three programs, for those who do not install
# The Linux ones hold the lean command (/usr/bin/tokentray), the app and its window
# (/usr/lib/tokentray/), the .desktop file, hicolor icons, AppStream metainfo, the man page and the
# shell completions.
set -eu
cd "$(dirname "$0")/.."
VERSION=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
ARCH=$(dpkg --print-architecture 2>/dev/null || go env GOARCH)
export VERSION ARCH
pkg=build/pkg
rm -rf "$pkg" && mkdir -p "$pkg"
# -s -w: no symbol tables (lintian asks for stripped binaries); only the link step differs, so the
# build cache the tests warmed serves here too.
LDFLAGS="-s -w" packaging/build.sh "$pkg"
"$pkg/tokentray" completion bash > "$pkg/tokentray.bash"
"$pkg/tokentray" completion zsh > "$pkg/_tokentray"
"$pkg/tokentray" completion fish > "$pkg/tokentray.fish"
go run ./packaging/mangen "$VERSION" "$(date -u +%Y-%m-%d)" | gzip -9n > "$pkg/tokentray.1.gz"
rm -f build/tokentray_*.deb
go tool nfpm pkg --config packaging/nfpm.yaml --packager deb --target build/
echo "package: $(ls build/tokentray_*.deb)"

# The tarball: the package's files, and a Makefile that installs them under PREFIX.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
if dpkg-deb -x build/tokentray_*.deb "$root/tokentray" 2>/dev/null; then
  rm -rf "$root/tokentray/usr/share/lintian"
  cp packaging/linux/Makefile.install "$root/tokentray/Makefile"
  tar -cJf build/Tokentray.tar.xz -C "$root" tokentray
  echo "package: build/Tokentray.tar.xz (tar xJf it, then make -C tokentray install)"
else
  echo "package: dpkg-deb missing: no tarball" >&2
fi

# Windows: the three programs, stripped, in an MSI (per user, no administrator's prompt) and a zip.
win=build/pkg-windows
rm -rf "$win" && mkdir -p "$win/Tokentray"
GOOS=windows GOARCH=amd64 LDFLAGS="-s -w" packaging/build.sh "$win/Tokentray"
msi=build/Tokentray-$VERSION-x64.msi
wixl -a x64 -D Version="$VERSION" -D Bin="$win/Tokentray" -D Icon=packaging/windows/tokentray.ico \
  -o "$msi" packaging/windows/tokentray.wxs 2>"$win/wixl.log" || { cat "$win/wixl.log" >&2; exit 1; }
if grep -q WARNING "$win/wixl.log"; then # wixl only warns of what it does not know, and leaves it out
  cat "$win/wixl.log" >&2; exit 1
fi
rm -f build/Tokentray-*-windows-x64.zip
(cd "$win" && zip -q -r -9 "../Tokentray-$VERSION-windows-x64.zip" Tokentray)
echo "package: $msi and build/Tokentray-$VERSION-windows-x64.zip"
