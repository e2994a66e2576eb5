#!/bin/sh
# Builds the packages into build/:
#   tokentray_VERSION_ARCH.deb  by nfpm (a pinned Go tool: go tool nfpm) from packaging/nfpm.yaml
#   Tokentray.tar.xz            the same files under usr/ for other Linux systems (make install in it)
# Both hold the lean command (/usr/bin/tokentray), the app and its window (/usr/lib/tokentray/),
# the .desktop file, hicolor icons, AppStream metainfo, the man page and the shell completions.
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
dpkg-deb -x build/tokentray_*.deb "$root/tokentray" 2>/dev/null || { echo "package: dpkg-deb missing: no tarball" >&2; exit 0; }
rm -rf "$root/tokentray/usr/share/lintian"
cp packaging/linux/Makefile.install "$root/tokentray/Makefile"
tar -cJf build/Tokentray.tar.xz -C "$root" tokentray
echo "package: build/Tokentray.tar.xz (tar xJf it, then make -C tokentray install)"
