# Two commands set everything up on a fresh Debian or Ubuntu machine:
#   make run    installs what is missing, builds and starts Tokentray
#   make test   installs what the tests need and runs the whole suite in a private desktop session
GO ?= go
BIN := build/tokentray
export CGO_ENABLED := 1

.PHONY: all build run test bench package icons clean deps-run deps-test

all: build

deps-run:
	@packaging/install-deps.sh run

deps-test:
	@packaging/install-deps.sh test

build: deps-run
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

test: deps-test
	packaging/test.sh

# Benchmarks print figures; compare ratios within one run (the machines are shared and noisy).
bench: deps-test
	packaging/session.sh $(GO) test -run '^$$' -bench . -benchmem -count 5 ./...

# A Linux tarball (Tokentray.tar.xz) with the binary, .desktop file and icon, via the pinned fyne tool.
package: deps-run
	$(GO) tool fyne package --os linux --release --src . --icon packaging/icons/normal-256.png
	@ls -l Tokentray.tar.xz

# Re-render the icon PNGs from resources/*.svg.
icons:
	$(GO) test ./resources -run TestIcons -args -write

clean:
	rm -rf build Tokentray.tar.xz
