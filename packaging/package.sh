#!/bin/sh
# Builds build/Tokentray.tar.xz: the fyne tool packages the whole program (tray app, icon, .desktop);
# this script then adds the lean `tokentray` command beside it, renames the whole program to
# tokentray-tray, and puts in our own .desktop file and AppStream metainfo.
# Install with: tar xJf build/Tokentray.tar.xz && sudo make -C tokentray install
set -eu
cd "$(dirname "$0")/.."
mkdir -p build
go tool fyne package --os linux --release --src . --icon packaging/icons/normal-256.png
CGO_ENABLED=0 go build -tags cli -trimpath -ldflags "-s -w" -o build/tokentray-cli .

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf Tokentray.tar.xz -C "$work"
rm Tokentray.tar.xz
root="$work/tokentray/usr/local"
mv "$root/bin/tokentray" "$root/bin/tokentray-tray"
cp build/tokentray-cli "$root/bin/tokentray"
id=io.github.tokentray.Tokentray
cp "packaging/linux/$id.desktop" "$root/share/applications/$id.desktop"
mkdir -p "$root/share/metainfo"
cp "packaging/linux/$id.metainfo.xml" "$root/share/metainfo/"
tar -cJf build/Tokentray.tar.xz -C "$work" tokentray
echo "package: build/Tokentray.tar.xz"
tar -tJf build/Tokentray.tar.xz | grep -E 'bin/|\.desktop|metainfo'
