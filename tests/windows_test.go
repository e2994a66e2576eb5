package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tokentray/app/about"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// The Windows build is tested under Wine (Debian's wine 8): every package's own tests, built for
// Windows, pass there; see also TestWindowsProgramsUnderWine and TestWindowsInstaller. What Wine
// cannot show is in README (Windows).
func TestWindowsPackagesPassUnderWine(t *testing.T) {
	w := testenv.StartWine(t)
	testenv.Display(t) // the tray's and the window's tests draw, the clipboard's needs X
	overlay := testenv.WineOverlay(t)
	list, err := exec.Command("go", "list", "-f", "{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}", "../...").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var pkgs []string
	dirs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		path, src, _ := strings.Cut(line, " ")
		if path == "tokentray/tests" || strings.HasPrefix(path, "tokentray/packaging/") {
			continue // this package drives Linux programs; packaging is Linux's
		}
		pkgs, dirs[path] = append(pkgs, path), src
	}
	// one go test -c for all of them: the compiler works on several at once
	build := exec.Command("go", append([]string{"test", "-c", "-overlay", overlay, "-o", dir}, pkgs...)...)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC=x86_64-w64-mingw32-gcc")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the tests for Windows: %v\n%s", err, out)
	}
	// Each program runs in its package's folder, as go test runs it, without make test's session
	// flag: a test that needs Linux's parts (D-Bus, gnome-keyring) skips on Windows and says so.
	w.Setenv("TOKENTRAY_TEST_SESSION=")
	total := map[string]int{}
	for _, pkg := range pkgs {
		exe := filepath.Join(dir, filepath.Base(pkg)+".test.exe")
		if _, err := os.Stat(exe); err != nil {
			t.Errorf("%s: no test program was built (%v)", pkg, err)
			continue
		}
		cmd := w.Command(exe, "-test.v", "-test.timeout", "5m")
		cmd.Dir = dirs[pkg]
		out, err := cmd.CombinedOutput()
		count := map[string]int{}
		var failed, skipped []string
		for _, m := range regexp.MustCompile(`(?m)^\s*--- (PASS|FAIL|SKIP): (\S+)`).FindAllStringSubmatch(string(out), -1) {
			count[m[1]]++
			total[m[1]]++
			switch m[1] {
			case "FAIL":
				failed = append(failed, m[2])
			case "SKIP":
				skipped = append(skipped, m[2])
			}
		}
		if err != nil || len(failed) > 0 {
			t.Errorf("%s under Wine: %v; failed: %v\n%s", pkg, err, failed, tail(string(out), 60))
			continue
		}
		t.Logf("%s: %d passed under Wine, %d skipped %v", pkg, count["PASS"], count["SKIP"], skipped)
	}
	t.Logf("under Wine: %d passed, %d failed, %d skipped", total["PASS"], total["FAIL"], total["SKIP"])
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

var winBin struct {
	once sync.Once
	dir  string
	err  error
}

// windowsBinaries is the folder of the Windows programs: $TOKENTRAY_BIN_DIR/windows (make test
// builds them), or built here.
func windowsBinaries(t testing.TB) string {
	t.Helper()
	winBin.once.Do(func() {
		if d := os.Getenv("TOKENTRAY_BIN_DIR"); d != "" {
			winBin.dir, winBin.err = filepath.Abs(filepath.Join(d, "windows"))
			return
		}
		if winBin.dir, winBin.err = os.MkdirTemp("", "tokentray-windows"); winBin.err != nil {
			return
		}
		cmd := exec.Command("../packaging/build.sh", winBin.dir)
		cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64")
		if out, err := cmd.CombinedOutput(); err != nil {
			winBin.err = fmt.Errorf("packaging/build.sh: %v\n%s", err, out)
		}
	})
	if winBin.err != nil {
		t.Fatal(winBin.err)
	}
	return winBin.dir
}

// winEnv runs the Windows programs in a prefix of the test's own.
type winEnv struct {
	t   testing.TB
	w   *testenv.Wine
	bin string
}

func newWinEnv(t testing.TB) *winEnv {
	t.Helper()
	testenv.Display(t)
	return &winEnv{t: t, w: testenv.StartWine(t), bin: windowsBinaries(t)}
}

// run runs program (tokentray, tokentray-tray) with args and stdin; its output and exit code.
func (e *winEnv) run(stdin, program string, args ...string) (string, string, int) {
	e.t.Helper()
	return runCmd(e.t, e.w.Command(filepath.Join(e.bin, program+".exe"), args...), stdin)
}

// must runs the lean command, which must exit with want (Wine keeps the low 8 bits of a code).
func (e *winEnv) must(want int, stdin string, args ...string) (string, string) {
	e.t.Helper()
	out, errs, code := e.run(stdin, "tokentray", args...)
	if code != want {
		e.t.Fatalf("tokentray.exe %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errs)
	}
	return out, errs
}

// localAppData and appData are the user's folders, as host paths.
func (e *winEnv) localAppData() string { return filepath.Join(e.w.UserDir(), "AppData", "Local") }
func (e *winEnv) appData() string      { return filepath.Join(e.w.UserDir(), "AppData", "Roaming") }

// The Windows programs as a person uses them, under Wine: the lean command without the app and
// with it (over the named pipe, the asking program in the record), a secret longer than Credential
// Manager's cap, the app's tray icon and a notification from it, a sign-in through the system's URL
// handler, a second launch bringing the accounts window forward (screenshots in build/screenshots:
// windows-tray.png, windows-accounts.png).
func TestWindowsProgramsUnderWine(t *testing.T) {
	e := newWinEnv(t)
	if out, _ := e.must(0, "", "version"); out != "tokentray "+about.Version+"\n" {
		t.Errorf("version: %q", out)
	}
	if out, _ := e.must(0, "", "help"); !strings.HasPrefix(out, "Usage:\n") || !strings.Contains(out, "tokentray token NAME") {
		t.Errorf("help:\n%s", out)
	}

	// A client-credentials account whose secret is longer than Credential Manager's 2,560 bytes.
	n2p := fakeidp.Start(fakeidp.Net2Phone)
	t.Cleanup(n2p.Close)
	logs.Track(n2p.Issued)
	long := strings.Repeat("s3cr3t-", 500) // 3,500 bytes
	n2p.Tune(func(s *fakeidp.Server) { s.ClientSecret = long })
	args := []string{"add", "Phones", "--provider", "net2phone", "--set", "grant=client_credentials", "--secret", "client_secret", "--secret-stdin"}
	for k, v := range n2p.Settings() {
		if k != "redirect_port" {
			args = append(args, "--set", k+"="+v)
		}
	}
	e.must(0, long+"\n", args...)
	tok, _ := e.must(0, "", "token", "Phones") // no app: the command does the job itself
	if !n2p.AccessValid(strings.TrimSpace(tok)) {
		t.Fatalf("token without the app: %q", tok)
	}
	cfg, err := os.ReadFile(filepath.Join(e.appData(), "Tokentray", "accounts.toml"))
	if err != nil || strings.Contains(string(cfg), "s3cr3t") || !strings.Contains(string(cfg), "Phones") {
		t.Fatalf("the accounts file (%v):\n%s", err, cfg)
	}

	// The app: a GUI program, started as the Start menu starts it.
	app := e.w.Command(filepath.Join(e.bin, "tokentray-tray.exe"), "--debug") // the log says each notification shown
	var appOut syncBuffer
	app.Stdout, app.Stderr = &appOut, &appOut
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.Process.Kill(); _ = app.Wait() })
	logPath := filepath.Join(e.localAppData(), "Tokentray", "Logs", "tokentray.log")
	appLog := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	eventually(t, 60*time.Second, "the app's start in its log", func() bool { return strings.Contains(appLog(), "msg=starting") })
	if strings.Contains(appLog(), "could not open the command socket") {
		t.Fatalf("the app has no pipe:\n%s", appLog())
	}
	tok, _ = e.must(0, "", "token", "Phones")
	if !n2p.AccessValid(strings.TrimSpace(tok)) {
		t.Fatalf("token through the app: %q", tok)
	}
	out, _ := e.must(0, "", "audit", "Phones", "--json")
	var rec []struct{ Via, Program string }
	if err := json.Unmarshal([]byte(out), &rec); err != nil || len(rec) == 0 {
		t.Fatalf("audit --json: %v\n%s", err, out)
	}
	// asked through the pipe: the app names the lean command, which Windows told it
	if !strings.HasSuffix(strings.ToLower(rec[0].Program), `\tokentray.exe`) || rec[0].Via != "token" {
		t.Errorf("the newest hand-out, through the pipe: %+v", rec[0])
	}
	for _, bad := range []string{"systray error", "unable to set icon"} {
		if strings.Contains(appOut.String()+appLog(), bad) {
			t.Errorf("the app said %q:\n%s\n%s", bad, appOut.String(), appLog())
		}
	}

	// A sign-in: the app opens the system's URL handler, which Wine hands to its WineBrowser
	// setting, here this test program clicking Allow on the provider's page.
	av := fakeidp.Start(fakeidp.Avaya)
	t.Cleanup(av.Close)
	logs.Track(av.Issued)
	browser := filepath.Join(t.TempDir(), "browser")
	script := "#!/bin/sh\nTOKENTRAY_TEST_BROWSER=allow exec '" + os.Args[0] + "' \"$@\"\n"
	if err := os.WriteFile(browser, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := e.w.Reg("add", `HKCU\Software\Wine\WineBrowser`, "/v", "Browsers", "/t", "REG_MULTI_SZ", "/d", browser, "/f"); err != nil {
		t.Fatalf("reg add: %v %s", err, out)
	}
	args = []string{"add", "Work", "--provider", "avaya", "--secret", "client_secret", "--secret-stdin"}
	for k, v := range av.Settings() {
		args = append(args, "--set", k+"="+v)
	}
	e.must(0, av.ClientSecret+"\n", args...)
	if _, errs := e.must(0, "", "login", "Work"); !strings.Contains(errs, "Signed in to Work as Test User <test@avaya.com>") {
		t.Errorf("login through the system's browser: %s", errs)
	}
	// The notification of the sign-in, a balloon of the tray icon under Wine.
	eventually(t, 10*time.Second, "the sign-in's notification", func() bool {
		return strings.Contains(appLog(), `msg="notification shown" title="Signed in"`) || strings.Contains(appLog(), "could not show a notification")
	})
	if strings.Contains(appLog(), "could not show a notification") {
		t.Errorf("the notification failed:\n%s", appLog())
	}
	time.Sleep(3 * time.Second) // Wine draws a balloon 2 s after it is asked for: for the screenshot
	screenshot(t, "windows-tray")

	// A second launch finds the app and brings its window forward.
	_, errs, code := e.run("", "tokentray-tray")
	if code != 0 || !strings.Contains(errs, "already running; its window was brought forward") {
		t.Fatalf("a second launch: exit %d: %s", code, errs)
	}
	eventually(t, 60*time.Second, "the accounts window", func() bool {
		ids, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Tokentray$").Output()
		return len(ids) > 0
	})
	time.Sleep(3 * time.Second) // its first frames
	screenshot(t, "windows-accounts", "Tokentray")
	if strings.Count(appLog(), "msg=starting") != 1 {
		t.Errorf("a second app started:\n%s", appLog())
	}
}
