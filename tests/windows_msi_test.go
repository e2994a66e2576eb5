package tests

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tokentray/app/about"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// The Windows installer as a person runs it, under Wine: msiexec installs it for the user alone
// into %LocalAppData%\Programs\Tokentray, with a Start-menu shortcut, start at login and an
// uninstall entry; a newer version replaces an older one in place; uninstalling leaves nothing but
// the user's accounts, which the zip's programs then find.
func TestWindowsInstaller(t *testing.T) {
	testenv.Command(t, "wixl")
	e := newWinEnv(t)
	older := buildMSI(t, e.bin, "0.0.9")
	current := fromRoot(os.Getenv("TOKENTRAY_MSI")) // make test's, from make package
	if current == "" {
		current = buildMSI(t, e.bin, about.Version)
	}
	msiexec := func(args ...string) {
		t.Helper()
		if out, err := e.w.Command("msiexec", args...).CombinedOutput(); err != nil {
			t.Fatalf("msiexec %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	dir := filepath.Join(e.localAppData(), "Programs", "Tokentray")
	shortcut := filepath.Join(e.appData(), "Microsoft", "Windows", "Start Menu", "Programs", "Tokentray.lnk")
	runValue := func() string {
		out, _ := e.w.Reg("query", `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`, "/v", "Tokentray")
		return out
	}

	msiexec("/i", testenv.WinPath(older), "/qn")
	for _, exe := range []string{"tokentray.exe", "tokentray-tray.exe", "tokentray-window.exe"} {
		if _, err := os.Stat(filepath.Join(dir, exe)); err != nil {
			t.Errorf("installed: %v", err)
		}
	}
	if _, err := os.Stat(shortcut); err != nil {
		t.Errorf("the Start-menu shortcut: %v", err)
	}
	if v := runValue(); !strings.Contains(v, `\Programs\Tokentray\tokentray-tray.exe"`) {
		t.Errorf("start at login: %q", v)
	}
	if got := uninstallEntries(e); len(got) != 1 || !strings.Contains(got[0], "DisplayVersion    REG_SZ    0.0.9") {
		t.Fatalf("uninstall entries after installing 0.0.9: %q", got)
	}
	if out, _ := e.w.Reg("query", `HKCU\Software\Microsoft\Installer\Products`, "/s"); !strings.Contains(out, "Tokentray") {
		t.Errorf("not installed for the user alone (HKCU's Installer\\Products):\n%s", out)
	}
	installed := e.w.Command(filepath.Join(dir, "tokentray.exe"), "version")
	if out, err := installed.Output(); err != nil || string(out) != "tokentray "+about.Version+"\n" {
		t.Errorf("the installed command: %q %v", out, err)
	}
	// The user's account, made with the installed command: the uninstall must keep it.
	n2p := fakeidp.Start(fakeidp.Net2Phone)
	t.Cleanup(n2p.Close)
	logs.Track(n2p.Issued)
	add := e.w.Command(filepath.Join(dir, "tokentray.exe"), "add", "Phones", "--provider", "net2phone", "--set", "grant=client_credentials",
		"--set", "client_id="+n2p.ClientID, "--set", "base_url="+n2p.Settings()["base_url"], "--secret", "client_secret", "--secret-stdin")
	add.Stdin = strings.NewReader(n2p.ClientSecret + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("add with the installed command: %v %s", err, out)
	}

	// The app runs while the newer version installs: the old version's removal quits it first, so
	// its files are replaced now (msiexec exits 0, not 3010 for a restart).
	running := startInstalled(t, e, dir)
	msiexec("/i", testenv.WinPath(current), "/qn")
	running.ended(t, "the upgrade")
	if got := uninstallEntries(e); len(got) != 1 || !strings.Contains(got[0], "DisplayVersion    REG_SZ    "+about.Version) {
		t.Fatalf("uninstall entries after the upgrade: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "tokentray-tray.exe")); err != nil {
		t.Errorf("after the upgrade: %v", err)
	}

	running = startInstalled(t, e, dir)
	msiexec("/x", testenv.WinPath(current), "/qn")
	running.ended(t, "the uninstall")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		left, _ := os.ReadDir(dir)
		t.Errorf("the programs' folder is left: %v %v", err, left)
	}
	if _, err := os.Stat(shortcut); !os.IsNotExist(err) {
		t.Errorf("the shortcut is left: %v", err)
	}
	if v := runValue(); strings.Contains(v, "Tokentray") {
		t.Errorf("start at login is left: %q", v)
	}
	if got := uninstallEntries(e); len(got) != 0 {
		t.Errorf("uninstall entries left: %q", got)
	}
	if out, err := e.w.Reg("query", `HKCU\Software\Tokentray`); err == nil {
		t.Errorf("HKCU\\Software\\Tokentray is left:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(e.appData(), "Tokentray", "accounts.toml")); err != nil {
		t.Errorf("the user's accounts went with the programs: %v", err)
	}

	// The zip: the same programs, run from wherever it was unpacked; they find the account, and
	// its secret in Credential Manager.
	zipped := fromRoot(os.Getenv("TOKENTRAY_ZIP"))
	if zipped == "" {
		t.Log("no zip to check (make test builds it with make package)")
		return
	}
	unpacked := unzip(t, zipped)
	tok, err := e.w.Command(filepath.Join(unpacked, "Tokentray", "tokentray.exe"), "token", "Phones").Output()
	if err != nil || !n2p.AccessValid(strings.TrimSpace(string(tok))) {
		t.Fatalf("the zip's command, after the uninstall: %q %v", tok, err)
	}
}

// fromRoot is path, named relative to the repository's root (as make test names its packages), as
// an absolute path; "" stays "".
func fromRoot(path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	abs, _ := filepath.Abs(filepath.Join("..", path))
	return abs
}

// installedApp is the installed app, running.
type installedApp struct{ done chan struct{} }

// startInstalled starts the installed app, as its shortcut does, and waits for its start.
func startInstalled(t *testing.T, e *winEnv, dir string) installedApp {
	t.Helper()
	logPath := filepath.Join(e.localAppData(), "Tokentray", "Logs", "tokentray.log")
	before, _ := os.ReadFile(logPath)
	cmd := e.w.Command(filepath.Join(dir, "tokentray-tray.exe"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := installedApp{done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(a.done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-a.done })
	eventually(t, 60*time.Second, "the installed app's start", func() bool {
		l, _ := os.ReadFile(logPath)
		return strings.Count(string(l), "msg=starting") > strings.Count(string(before), "msg=starting")
	})
	return a
}

// ended fails the test unless the app has ended, after what.
func (a installedApp) ended(t *testing.T, what string) {
	t.Helper()
	select {
	case <-a.done:
	case <-time.After(20 * time.Second):
		t.Errorf("the app still runs after %s", what)
	}
}

// buildMSI makes the installer of version from the programs in bin, as make package does.
func buildMSI(t *testing.T, bin, version string) string {
	t.Helper()
	// wixl takes sources relative to where it runs only
	dir := t.TempDir()
	ico, _ := filepath.Abs("../packaging/windows/tokentray.ico")
	wxs, _ := filepath.Abs("../packaging/windows/tokentray.wxs")
	if os.Symlink(bin, filepath.Join(dir, "bin")) != nil || os.Symlink(ico, filepath.Join(dir, "tokentray.ico")) != nil {
		t.Fatal("could not link the installer's sources")
	}
	out := filepath.Join(dir, "Tokentray-"+version+"-x64.msi")
	cmd := exec.Command("wixl", "-a", "x64", "-D", "Version="+version, "-D", "Bin=bin", "-D", "Icon=tokentray.ico", "-o", out, wxs)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil || strings.Contains(string(b), "WARNING") {
		t.Fatalf("wixl: %v\n%s", err, b)
	}
	return out
}

// uninstallEntries are the Add/Remove Programs entries named Tokentray: per user in HKCU on
// Windows, in HKLM under Wine, whose user is an administrator.
func uninstallEntries(e *winEnv) []string {
	var found []string
	for _, hive := range []string{"HKCU", "HKLM"} {
		out, _ := e.w.Reg("query", hive+`\Software\Microsoft\Windows\CurrentVersion\Uninstall`, "/s")
		for _, entry := range strings.Split(out, "\n\n") {
			if strings.Contains(entry, "DisplayName    REG_SZ    Tokentray") {
				found = append(found, entry)
			}
		}
	}
	return found
}

// unzip unpacks the zip at path into a new folder and returns it.
func unzip(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := t.TempDir()
	for _, f := range r.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, dir+string(filepath.Separator)) {
			t.Fatalf("the zip names %s, outside its folder", f.Name)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		_ = os.MkdirAll(filepath.Dir(dst), 0o755)
		src, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(src)
		src.Close()
		if err != nil || os.WriteFile(dst, b, 0o755) != nil {
			t.Fatalf("unzipping %s: %v", f.Name, err)
		}
	}
	return dir
}
