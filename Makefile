# Two commands set everything up on a fresh Debian or Ubuntu machine:
#   make run    installs what is missing, builds and starts Tokentray
#   make test   installs what the tests need and runs the whole suite in a private desktop session
GO ?= go
export CGO_ENABLED := 1

.PHONY: all build run demo test screenshots bench package icons clean deps-run deps-test

all: build

deps-run:
	@packaging/install-deps.sh run

deps-test:
	@packaging/install-deps.sh test

# Three binaries from one package: tokentray-tray is the always-on app (core, tray item, socket:
# no GUI toolkit) and every command without it; tokentray-window (-tags window) is the accounts
# window, a Fyne app started while the window is open; tokentray (-tags cli, without cgo: a static
# binary, no dynamic loader at start) is the lean command scripts run, which asks the running app
# and hands everything else to tokentray-tray.
# no_emoji: the window does without Fyne's 10 MB colour-emoji font (its memory, see make bench).
WINDOW_TAGS := window,no_emoji

build: deps-run
	$(GO) build -o build/tokentray-tray .
	$(GO) build -tags $(WINDOW_TAGS) -o build/tokentray-window .
	CGO_ENABLED=0 $(GO) build -tags cli -o build/tokentray .

run: build
	./build/tokentray

# Demo mode: fake providers on loopback and one ready account per provider kind; no vendor account needed.
demo: build
	./build/tokentray demo

test: deps-test
	packaging/test.sh

# Benchmarks print figures; compare ratios within one run (the machines are shared and noisy):
# the schedule's cost for 1,000 accounts and callback-to-stored time (app); `tokentray token`
# against a hello-world built in the same run, 300 runs each, medians and p95; the tray idle with
# ten accounts beside fyne.io/systray alone and an empty Fyne tray app, built in the same run
# (RSS and CPU ticks over an idle minute, medians of three rounds); the accounts window from
# Accounts… to its first frame, and both processes' memory with it open (medians of three).
bench: deps-test build
	packaging/session.sh $(GO) test -run '^$$' -bench . -benchmem -count 5 ./app
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -run '^$$' -bench TokenCommand -benchtime 300x -count 3 ./tests
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -run '^$$' -bench 'IdleTray|WindowOpen' -benchtime 3x -timeout 30m ./tests

# A Linux tarball (build/Tokentray.tar.xz): both binaries, .desktop file, metainfo and icon, via the pinned fyne tool.
package: deps-run
	packaging/package.sh

# Re-take the screenshots: packaging/screenshots (README, AppStream) from the demo under Xvfb, each
# a whole window at its real size; build/screenshots also gets the window rendered by Fyne's test
# driver with eight accounts, during a sign-in, and the add form for each provider and grant.
screenshots: deps-test build
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -count=1 -run 'TestDemo$$' ./tests
	$(GO) test -count=1 -run TestScreenshots ./tray/window -args -shots $(CURDIR)/build/screenshots
	cp build/screenshots/accounts.png build/screenshots/add-account.png build/screenshots/sign-in-in-progress.png packaging/screenshots/

# Re-render the icon PNGs from resources/*.svg.
icons:
	$(GO) test ./resources -run TestIcons -args -write

clean:
	rm -rf build
