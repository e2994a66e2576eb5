#!/bin/bash
# The whole check, as `make test` runs it: formatting, vet, the build for every platform, then every
# test with the race detector inside a private desktop session (packaging/session.sh). It prints one
# line per test so the log shows that the keyring and display tests ran rather than skipped, and
# ends with "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== build (linux: the app, the window and the lean command, which the end-to-end tests run)"
packaging/build.sh build

echo "== build for the other platforms"
# The core packages hold platform-specific code (keyring, paths, tray host, clipboard,
# notifications): compile them for macOS (without cgo: Fyne and the macOS tray need it there) so it
# cannot rot unseen, with the lean command; and the three Windows programs (the window with
# mingw-w64 as the cgo compiler).
GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go build ./app/... ./auth/... ./tray/words/
GOOS=darwin GOARCH=arm64 packaging/build.sh build/darwin
GOOS=windows GOARCH=amd64 packaging/build.sh build/windows

echo "== the packages (the Debian package by nfpm, the MSI by wixl), which the tests install, check and remove"
packaging/package.sh
TOKENTRAY_DEB=$(ls build/tokentray_*.deb)
TOKENTRAY_MSI=$(ls build/Tokentray-*-x64.msi)
TOKENTRAY_ZIP=$(ls build/Tokentray-*-windows-x64.zip)
export TOKENTRAY_DEB TOKENTRAY_MSI TOKENTRAY_ZIP

echo "== npm ci (the independent OpenID provider the tests sign in at: tests/oidcprovider)"
npm ci --prefix tests/oidcprovider --no-audit --no-fund --loglevel=error

echo "== go test -race (in a private D-Bus session with gnome-keyring and Xvfb)"
log=build/test.log
status=0
TOKENTRAY_BIN_DIR="$PWD/build" packaging/session.sh \
  go test -race -count=1 -timeout 30m -v ./... >"$log" 2>&1 || status=$?
# The OnSIP parser takes whatever the network brings: about a minute of fuzzing, from the
# documented samples and random bytes, must find no panic.
# Budgets are counts, not durations: with -fuzztime 60s, Go 1.26's coordinator can report its own
# deadline as a failure under load (golang/go#75804, fixed in Go 1.27), which failed CI once.
if [ "$status" = 0 ]; then
  echo "== go test -fuzz FuzzParseOnSIP (300000 inputs)" >>"$log"
  go test -run '^$' -fuzz '^FuzzParseOnSIP$' -fuzztime 300000x -fuzzminimizetime 2000x ./auth >>"$log" 2>&1 || status=$?
  tail -3 "$log" | grep -q '^ok' && echo "--- PASS: FuzzParseOnSIP (300000 inputs)" >>"$log"
  echo "fuzz: done, $(grep '^fuzz: elapsed' "$log" | tail -1 | cut -d' ' -f3-)" >>"$log"
fi
# The command's hand-reader of the app's answers must read as encoding/json does, or leave it be.
if [ "$status" = 0 ]; then
  echo "== go test -fuzz FuzzDecodeResponse (500000 inputs)" >>"$log"
  go test -run '^$' -fuzz '^FuzzDecodeResponse$' -fuzztime 500000x -fuzzminimizetime 2000x ./app/ipc >>"$log" 2>&1 || status=$?
  tail -3 "$log" | grep -q '^ok' && echo "--- PASS: FuzzDecodeResponse (500000 inputs)" >>"$log"
  echo "fuzz: done, $(grep '^fuzz: elapsed' "$log" | tail -1 | cut -d' ' -f3-)" >>"$log"
fi
# The lean command's own flag reader and JSON quoting must do as package flag and encoding/json do;
# every other decoder of a provider's answers (discovery, token, device, introspection, who-am-I)
# must take whatever a hostile provider sends without a panic, and keep what it promises.
for target in app/cli:FuzzOptionsReadAsPackageFlag:150000 app/ipc:FuzzAppendString:150000 \
  auth:FuzzDecodeDiscovery:100000 auth:FuzzReadTokenAnswer:100000 auth:FuzzDecodeDeviceAuth:100000 \
  auth:FuzzDecodeIntrospection:100000 auth:FuzzDecodeIdentity:100000; do
  [ "$status" = 0 ] || break
  pkg=${target%%:*} rest=${target#*:}
  name=${rest%%:*} count=${rest#*:}
  echo "== go test -fuzz $name ($count inputs)" >>"$log"
  go test -run '^$' -fuzz "^$name\$" -fuzztime "${count}x" -fuzzminimizetime 2000x "./$pkg" >>"$log" 2>&1 || status=$?
  tail -3 "$log" | grep -q '^ok' && echo "--- PASS: $name ($count inputs)" >>"$log"
  echo "fuzz: done, $(grep '^fuzz: elapsed' "$log" | tail -1 | cut -d' ' -f3-)" >>"$log"
done
grep -E '^ *--- (PASS|FAIL|SKIP)|^(ok|FAIL|panic:)|^session.sh:|^log check:|^FAIL:|^== go test -fuzz|^fuzz: done' "$log" || true
pass=$(grep -cE '^ *--- PASS' "$log" || true)
fail=$(grep -cE '^ *--- FAIL' "$log" || true)
skip=$(grep -cE '^ *--- SKIP' "$log" || true)
if [ "$status" != 0 ]; then
  echo; echo "== failures (full log: $log)"
  grep -vE '^=== (RUN|PAUSE|CONT)|^dbus-daemon\[' "$log" | grep -B2 -A30 -E -- '--- FAIL|^panic:|^FAIL' | head -300 || true
fi
echo "$pass passed, $fail failed, $skip skipped"
exit "$status"
