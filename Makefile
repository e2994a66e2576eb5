# Two commands set everything up on a fresh Debian or Ubuntu machine:
#   make run    installs what is missing, builds and starts Tokentray
#   make test   installs what the tests need and runs the whole suite in a private desktop session
GO ?= go
export CGO_ENABLED := 1

.PHONY: all build run demo test soak screenshots bench package install uninstall icons clean deps-run deps-package deps-test

all: build

deps-run:
	@packaging/install-deps.sh run

deps-package:
	@packaging/install-deps.sh package

deps-test:
	@packaging/install-deps.sh test

# Three programs, built by packaging/build.sh (the one recipe): tokentray-tray (go build .) is the
# always-on app (core, tray item, socket: no GUI toolkit) and every command without it;
# tokentray-window (cmd/tokentray-window) is the accounts window, a Fyne app started while the
# window is open; tokentray (cmd/tokentray, without cgo: a static binary, no dynamic loader at
# start) is the lean command scripts run, which asks the running app and hands everything else to
# tokentray-tray.
build: deps-run
	packaging/build.sh build

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
# Accounts… to its first frame, and both processes' memory with it open (medians of three); and
# under Wine, tokentray.exe token through the named pipe against a hello-world built for Windows.
bench: deps-test build
	packaging/session.sh $(GO) test -run '^$$' -bench . -benchmem -count 5 ./app
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -run '^$$' -bench 'TokenCommand$$|TokenBesideSlowClients' -benchtime 300x -count 3 ./tests
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -run '^$$' -bench 'IdleTray|WindowOpen' -benchtime 3x -timeout 30m ./tests
	GOOS=windows GOARCH=amd64 packaging/build.sh build/windows
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -run '^$$' -bench 'TokenCommandUnderWine' -benchtime 30x -count 3 ./tests

# An hour of the app under failing providers (SOAK=10m for less): 40 accounts of every kind with
# 20-second credentials, the providers failing three minutes in every ten. It prints grants lost,
# memory and open files over time, and notifications per account. Not part of make test.
SOAK ?= 1h
soak: deps-test build
	TOKENTRAY_SOAK=$(SOAK) TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -run '^TestSoak$$' -v -count=1 -timeout 3h ./tests

# The Debian package (build/tokentray_VERSION_ARCH.deb, by the pinned nfpm: go tool nfpm), a
# tarball of the same files for other Linux systems, and for Windows an MSI (wixl) and a zip; see
# packaging/package.sh.
package: deps-package
	packaging/package.sh

# Installs the programs, desktop file, icons, metainfo, man page and completions under PREFIX
# (default ~/.local; sudo make install PREFIX=/usr/local for everyone), and takes them away again.
PREFIX ?= $(HOME)/.local
INSTALLED = bin/tokentray lib/tokentray/tokentray-tray lib/tokentray/tokentray-window \
	share/applications/io.github.tokentray.Tokentray.desktop share/metainfo/io.github.tokentray.Tokentray.metainfo.xml \
	share/icons/hicolor/scalable/apps/io.github.tokentray.Tokentray.svg share/man/man1/tokentray.1.gz \
	share/bash-completion/completions/tokentray share/zsh/site-functions/_tokentray share/fish/vendor_completions.d/tokentray.fish \
	$(foreach s,16 22 24 32 48 256,share/icons/hicolor/$(s)x$(s)/apps/io.github.tokentray.Tokentray.png)

install: build
	install -D -m 0755 build/tokentray $(DESTDIR)$(PREFIX)/bin/tokentray
	install -D -m 0755 build/tokentray-tray $(DESTDIR)$(PREFIX)/lib/tokentray/tokentray-tray
	install -D -m 0755 build/tokentray-window $(DESTDIR)$(PREFIX)/lib/tokentray/tokentray-window
	install -D -m 0644 packaging/linux/io.github.tokentray.Tokentray.desktop $(DESTDIR)$(PREFIX)/share/applications/io.github.tokentray.Tokentray.desktop
	install -D -m 0644 packaging/linux/io.github.tokentray.Tokentray.metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/io.github.tokentray.Tokentray.metainfo.xml
	install -D -m 0644 resources/normal.svg $(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/io.github.tokentray.Tokentray.svg
	for s in 16 22 24 32 48 256; do install -D -m 0644 packaging/icons/normal-$$s.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/$${s}x$$s/apps/io.github.tokentray.Tokentray.png; done
	mkdir -p $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(GO) run ./packaging/mangen "$$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)" "$$(date -u +%Y-%m-%d)" > build/tokentray.1
	gzip -9nc build/tokentray.1 > $(DESTDIR)$(PREFIX)/share/man/man1/tokentray.1.gz
	build/tokentray completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/tokentray
	build/tokentray completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_tokentray
	build/tokentray completion fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/tokentray.fish
	@echo "installed under $(DESTDIR)$(PREFIX); make sure $(PREFIX)/bin is on PATH"

uninstall:
	cd "$(DESTDIR)$(PREFIX)" && rm -f $(INSTALLED)
	-rmdir $(DESTDIR)$(PREFIX)/lib/tokentray 2>/dev/null

# Re-take the screenshots: packaging/screenshots (README, AppStream) from the demo under Xvfb, each
# a whole window at its real size; build/screenshots also gets the window rendered by Fyne's test
# driver with eight accounts, during a sign-in, and the add form for each provider and grant.
screenshots: deps-test build
	TOKENTRAY_BIN_DIR=$(CURDIR)/build packaging/session.sh $(GO) test -count=1 -run 'TestDemo$$' ./tests
	$(GO) test -count=1 -run TestScreenshots ./tray/window -args -shots $(CURDIR)/build/screenshots
	cp build/screenshots/accounts.png build/screenshots/add-account.png build/screenshots/sign-in-in-progress.png packaging/screenshots/

# Re-render the icon PNGs from resources/*.svg.
icons:
	$(GO) test ./resources -run "TestIcons|TestICO" -args -write

clean:
	rm -rf build
