package tests

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tokentray/tests/testenv"

	"github.com/pelletier/go-toml/v2"
)

// TestPackagingAgreesWithFyneAppTOML keeps the .desktop file and AppStream metainfo in step with
// FyneApp.toml, the one source of the app ID, name and version.
func TestPackagingAgreesWithFyneAppTOML(t *testing.T) {
	var meta struct {
		Details struct{ ID, Name, Version string }
	}
	b, _ := os.ReadFile("../FyneApp.toml")
	if err := toml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	id := meta.Details.ID

	desktop, err := os.ReadFile("../packaging/linux/" + id + ".desktop")
	if err != nil {
		t.Fatalf("no .desktop file named after the app ID: %v", err)
	}
	for _, want := range []string{"Name=" + meta.Details.Name, "Exec=tokentray", "Icon=" + id, "Type=Application"} {
		if !strings.Contains(string(desktop), want+"\n") {
			t.Errorf(".desktop file lacks %q", want)
		}
	}

	raw, err := os.ReadFile("../packaging/linux/" + id + ".metainfo.xml")
	if err != nil {
		t.Fatalf("no metainfo named after the app ID: %v", err)
	}
	var info struct {
		ID         string `xml:"id"`
		Name       string `xml:"name"`
		Launchable string `xml:"launchable"`
		Releases   []struct {
			Version string `xml:"version,attr"`
		} `xml:"releases>release"`
	}
	if err := xml.Unmarshal(raw, &info); err != nil {
		t.Fatalf("metainfo is not well-formed XML: %v", err)
	}
	if info.ID != id || info.Name != meta.Details.Name || info.Launchable != id+".desktop" {
		t.Errorf("metainfo id/name/launchable = %q/%q/%q, want %q/%q/%q", info.ID, info.Name, info.Launchable, id, meta.Details.Name, id+".desktop")
	}
	if len(info.Releases) == 0 || info.Releases[0].Version != meta.Details.Version {
		t.Errorf("metainfo's newest release is not FyneApp.toml's version %s", meta.Details.Version)
	}
}

// TestScreenshotsExist keeps the README's and the metainfo's screenshots in the repository.
func TestScreenshotsExist(t *testing.T) {
	readme, _ := os.ReadFile("../README.md")
	meta, _ := os.ReadFile("../packaging/linux/io.github.tokentray.Tokentray.metainfo.xml")
	for _, name := range []string{"accounts.png", "add-account.png", "sign-in-in-progress.png"} {
		if fi, err := os.Stat("../packaging/screenshots/" + name); err != nil || fi.Size() < 10000 {
			t.Errorf("packaging/screenshots/%s is missing or empty", name)
		}
		if !strings.Contains(string(meta), "packaging/screenshots/"+name) {
			t.Errorf("the metainfo does not list %s", name)
		}
	}
	if !strings.Contains(string(readme), "packaging/screenshots/accounts.png") {
		t.Error("the README does not show the accounts window")
	}
}

// The Debian package, as a person installs it: lintian finds no error, the shipped desktop file
// and metainfo validate, apt installs it, the installed command and man page and completions
// work, the installed app starts and answers, and removing the package leaves nothing behind.
// make test builds the package and names it in TOKENTRAY_DEB; installing needs root (CI is).
func TestDebianPackageInstallsAndRemovesCleanly(t *testing.T) {
	deb := os.Getenv("TOKENTRAY_DEB")
	if deb == "" {
		t.Skip("no package to try: make test builds one (TOKENTRAY_DEB)")
	}
	deb, _ = filepath.Abs(filepath.Join("..", deb))
	if os.Getuid() != 0 {
		t.Skip("installing a package needs root")
	}
	for _, c := range []string{"apt-get", "dpkg", "lintian", "desktop-file-validate", "appstreamcli"} {
		testenv.Command(t, c)
	}
	if out, err := exec.Command("lintian", "--fail-on", "error", deb).CombinedOutput(); err != nil {
		t.Errorf("lintian: %v\n%s", err, out)
	}
	shipped := t.TempDir()
	if out, err := exec.Command("dpkg-deb", "-x", deb, shipped).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb: %v\n%s", err, out)
	}
	id := "io.github.tokentray.Tokentray"
	if out, err := exec.Command("desktop-file-validate", filepath.Join(shipped, "usr/share/applications", id+".desktop")).CombinedOutput(); err != nil {
		t.Errorf("desktop-file-validate: %v\n%s", err, out)
	}
	if out, err := exec.Command("appstreamcli", "validate", "--no-net", filepath.Join(shipped, "usr/share/metainfo", id+".metainfo.xml")).CombinedOutput(); err != nil {
		t.Errorf("appstreamcli validate: %v\n%s", err, out)
	}

	apt := func(args ...string) {
		t.Helper()
		cmd := exec.Command("apt-get", append([]string{"-y", "-q", "--no-install-recommends"}, args...)...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("apt-get %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	apt("install", deb)
	removed := false
	t.Cleanup(func() {
		if !removed {
			_ = exec.Command("apt-get", "-y", "-q", "purge", "tokentray").Run()
		}
	})
	listed, err := exec.Command("dpkg", "-L", "tokentray").Output()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range strings.Fields(string(listed)) {
		if fi, err := os.Stat(f); err == nil && !fi.IsDir() {
			files = append(files, f)
		}
	}
	for _, want := range []string{"/usr/bin/tokentray", "/usr/lib/tokentray/tokentray-tray", "/usr/lib/tokentray/tokentray-window",
		"/usr/share/man/man1/tokentray.1.gz", "/usr/share/bash-completion/completions/tokentray", "/usr/share/zsh/vendor-completions/_tokentray",
		"/usr/share/fish/vendor_completions.d/tokentray.fish", "/usr/share/icons/hicolor/48x48/apps/" + id + ".png",
		"/usr/share/icons/hicolor/scalable/apps/" + id + ".svg", "/usr/share/applications/" + id + ".desktop"} {
		if !slices.Contains(files, want) {
			t.Errorf("the package does not install %s", want)
		}
	}

	var meta struct{ Details struct{ Version string } }
	b, _ := os.ReadFile("../FyneApp.toml")
	_ = toml.Unmarshal(b, &meta)
	home := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("/usr/bin/tokentray", args...)
		cmd.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the installed tokentray %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if got := run("version"); got != "tokentray "+meta.Details.Version+"\n" {
		t.Errorf("the installed tokentray version: %q", got)
	}
	if got := run("--help"); !strings.Contains(got, "tokentray token NAME") {
		t.Errorf("the installed tokentray --help:\n%s", got)
	}
	if out, err := exec.Command("man", "-P", "cat", "tokentray").CombinedOutput(); err != nil || !strings.Contains(string(out), "tokentray exec NAME") {
		t.Errorf("man tokentray: %v\n%.400s", err, out)
	}
	if out, err := exec.Command("bash", "-c", "source /usr/share/bash-completion/completions/tokentray && complete -p tokentray").CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "_tokentray") {
		t.Errorf("the installed bash completion: %v\n%s", err, out)
	}

	// The installed app, started as a person would (its command on PATH), answers the command line.
	testenv.Display(t)
	bus := testenv.PrivateBus(t, home, false)
	testenv.StartWatcher(t, bus)
	app := exec.Command("/usr/bin/tokentray")
	app.Env = append(testenv.HomeEnv(home), "DBUS_SESSION_BUS_ADDRESS="+bus)
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = app.Wait(); close(done) }()
	t.Cleanup(func() { _ = app.Process.Kill(); <-done })
	list := exec.Command("/usr/bin/tokentray", "list")
	list.Env = app.Env
	sock := filepath.Join(home, "run", "tokentray", "tokentray.sock")
	eventually(t, 20*time.Second, "the installed app's socket", func() bool { _, err := os.Stat(sock); return err == nil })
	if out, err := list.CombinedOutput(); err != nil || !strings.Contains(string(out), "No accounts yet") {
		t.Errorf("tokentray list with the installed app: %v\n%s", err, out)
	}
	if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", app.Process.Pid)); exe != "/usr/lib/tokentray/tokentray-tray" {
		t.Errorf("the app running is %s, not the installed /usr/lib/tokentray/tokentray-tray", exe)
	}
	_ = app.Process.Signal(os.Interrupt)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("the installed app did not stop on SIGINT")
	}

	apt("purge", "tokentray")
	removed = true
	for _, f := range files {
		if _, err := os.Lstat(f); err == nil {
			t.Errorf("%s is left after the package was removed", f)
		}
	}
	if _, err := os.Stat("/usr/lib/tokentray"); err == nil {
		t.Error("/usr/lib/tokentray is left after the package was removed")
	}
}
