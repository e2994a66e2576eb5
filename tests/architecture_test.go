package tests

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The import graph ARCHITECTURE.md draws, checked: each rule names a package (or a binary, by its
// build tags) and what it must not link.
func TestImportGraph(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	oauth := []string{"golang.org/x/oauth2", "github.com/coreos/go-oidc", "github.com/zalando/go-keyring"}
	fyne := []string{"fyne.io/fyne/v2"}
	core := []string{"tokentray/app", "tokentray/app/accounts", "tokentray/app/audit", "tokentray/app/server", "tokentray/app/autostart"}
	faces := []string{"tokentray/tray", "tokentray/tray/window", "tokentray/app/cli", "tokentray/app/cli/commands", "tokentray/app/client"}
	gui := append([]string{"fyne.io/systray"}, fyne...)
	all := func(lists ...[]string) []string { return slices.Concat(lists...) }
	rules := []struct {
		what, tags string
		pkgs       []string
		never      []string
	}{
		// the bottom: plain data and the wire, which every face and program may use
		{"the model, the wire, the provider kinds, about", "", []string{"./app/model", "./app/ipc/...", "./auth/kinds", "./app/about"},
			all(core, faces, oauth, gui, []string{"tokentray/auth", "tokentray/app/config"})},
		{"auth", "", []string{"./auth/..."}, all(core, faces, gui, []string{"tokentray/app/model", "tokentray/app/ipc", "tokentray/app/config"})},
		// the core's parts, each below the core
		{"the accounts file", "", []string{"./app/config"}, all(core, faces, gui)},
		{"the account manager", "", []string{"./app/accounts"}, all([]string{"tokentray/app", "tokentray/app/audit", "tokentray/app/server"}, faces, gui)},
		{"the record, the log, start at login", "", []string{"./app/audit", "./app/logging", "./app/autostart"},
			all([]string{"tokentray/app", "tokentray/app/accounts", "tokentray/app/server", "tokentray/auth"}, faces, gui, oauth)},
		{"the socket server", "", []string{"./app/server"}, all([]string{"tokentray/app", "tokentray/app/accounts", "tokentray/app/config", "tokentray/auth"}, faces, gui, oauth)},
		{"the core", "", []string{"./app"}, all([]string{"tokentray/app/server"}, faces, gui)},
		// the faces: none speaks OAuth or holds the core
		{"the command line", "", []string{"./app/cli/...", "./app/client"}, all(core, gui, oauth, []string{"tokentray/auth", "tokentray/app/config", "tokentray/tray"})},
		{"the tray", "", []string{"./tray", "./tray/words", "./tray/display"}, all(core, fyne, oauth, []string{"tokentray/auth", "tokentray/app/config", "tokentray/app/client"})},
		{"the window", "", []string{"./tray/window"}, all(core, oauth, []string{"tokentray/auth", "tokentray/app/config", "fyne.io/systray"})},
		{"the fakes the demo ships", "", []string{"./auth/fakeidp"}, append([]string{"tokentray/auth", "tokentray/app"}, oauth...)},
		// the programs
		{"tokentray-tray, the always-on app", "", []string{"."}, all(fyne, []string{"tokentray/auth/fakeidp/faults", "tokentray/tray/window", "tokentray/tray/fakecore"})},
		{"tokentray, the lean command", "", []string{"./cmd/tokentray"},
			all(core, oauth, gui, []string{"tokentray/auth", "tokentray/app/config", "tokentray/app/cli/commands", "tokentray/app/ipc/jsoncodec", "tokentray/tray"})},
		{"tokentray-window", "", []string{"./cmd/tokentray-window"}, all(core, oauth, []string{"tokentray/auth", "tokentray/app/config"})}, // Fyne links systray itself
	}
	for _, r := range rules {
		args := []string{"list", "-deps", "-f", "{{.ImportPath}}"}
		if r.tags != "" {
			args = append(args, "-tags", r.tags)
		}
		cmd := exec.Command("go", append(args, r.pkgs...)...)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(cmd.Args[1:], " "), err, out)
		}
		deps := strings.Fields(string(out))
		if len(deps) < len(r.pkgs) {
			t.Fatalf("%s: go list named %d packages", r.what, len(deps))
		}
		for _, d := range deps {
			for _, n := range r.never {
				if matches(d, n) && !within(d, r.pkgs) {
					t.Errorf("%s links %s", r.what, d)
				}
			}
		}
	}
}

// matches reports whether the package d is the forbidden n: one of ours exactly (tokentray/auth
// is not tokentray/auth/kinds), anything else with its subpackages.
func matches(d, n string) bool {
	if strings.HasPrefix(n, "tokentray/") {
		return d == n
	}
	return d == n || strings.HasPrefix(d, n+"/")
}

// within reports whether the package d is one the rule is about.
func within(d string, pkgs []string) bool {
	for _, p := range pkgs {
		own := "tokentray" + strings.TrimPrefix(strings.TrimSuffix(p, "/..."), ".")
		if d == own || (strings.HasSuffix(p, "/...") && strings.HasPrefix(d, own+"/")) {
			return true
		}
	}
	return false
}

// The lean command on Linux links only what a credential's way needs (make bench): no package net
// (its start-up alone cost `tokentray token` a twentieth; the command speaks to its socket through
// system calls, app/ipc), no encoding/json (the everyday lines are written and read by hand; its
// reflection and the code it keeps grew the binary by a fifth), no package flag, no help
// (text/tabwriter) and no provider kinds (net/netip, whose start-up makes unique handles): the other
// commands go to the whole program.
func TestLeanCommandLinksNoJSON(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/tokentray")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	for _, p := range []string{"net", "encoding/json", "encoding/base64", "flag", "text/tabwriter", "net/netip", "net/url", "tokentray/auth/kinds"} {
		if slices.Contains(deps, p) {
			t.Errorf("the lean command links %s again", p)
		}
	}
}

// A program is a folder (the top for tokentray-tray, cmd/NAME for the others), never a build tag:
// the only build constraints in the tree name a system (linux, windows, unix…), so every package
// has one API wherever it is built.
func TestNoBuildTagsButSystems(t *testing.T) {
	systems := regexp.MustCompile(`^(linux|windows|darwin|freebsd|openbsd|netbsd|unix|android|ios|amd64|arm64|386|arm|cgo)$`)
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == "node_modules" || d.Name() == "build" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(b), "\n") {
			expr, ok := strings.CutPrefix(line, "//go:build ")
			if !ok {
				continue
			}
			for _, word := range regexp.MustCompile(`[A-Za-z0-9_.]+`).FindAllString(expr, -1) {
				if !systems.MatchString(word) {
					t.Errorf("%s: build tag %q: a program is a folder, not a tag", path, word)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
