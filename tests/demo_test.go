package tests

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tokentray/tests/testenv"

	"github.com/godbus/dbus/v5"
)

// TestDemo runs `tokentray demo` as a newcomer would, on a desktop with a panel, signs in to each
// demo account from the tray through the browser, and takes the screenshots the README shows.
func TestDemo(t *testing.T) {
	testenv.Display(t)
	e := newCLIEnv(t)
	w := testenv.StartWatcher(t, e.bus)
	notes := testenv.StartNotifications(t, e.bus)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the notifications: %+v", notes.Calls())
		}
	})
	extraEnv = []string{"BROWSER=" + os.Args[0], "TOKENTRAY_TEST_BROWSER=slow"}
	p := startApp(t, e.home, e.bus, "demo")
	extraEnv = nil
	dest, path := w.WaitItem(t, 30*time.Second)
	names := []string{"Demo Net2Phone", "Demo Avaya", "Demo OnSIP", "Demo OpenID"}
	eventually(t, 10*time.Second, "four signed-out demo accounts", func() bool {
		labels := strings.Join(testenv.Labels(w.Menu(t, dest, path)), "\n")
		for _, n := range names {
			if !strings.Contains(labels, n+" — signed out") {
				return false
			}
		}
		return true
	})
	accounts, _ := testenv.Find(w.Menu(t, dest, path), "Accounts…")
	w.Click(t, dest, accounts.ID)
	eventually(t, 10*time.Second, "the accounts window", func() bool { return len(p.windows(t, "Tokentray", true)) == 1 })
	time.Sleep(700 * time.Millisecond)
	screenshot(t, "accounts-signed-out", "Tokentray")

	for i, name := range names {
		clickInSubmenu(t, w, dest, path, name, func(it testenv.MenuItem) bool { return it.Label == "Sign in…" }, func(labels string) bool {
			return strings.Contains(labels, name+" — signing in…") || strings.Contains(labels, name+" — valid for ") || strings.Contains(labels, name+" — session active")
		})
		if i == 0 {
			eventually(t, 5*time.Second, "signing in… in the menu", func() bool {
				return strings.Contains(strings.Join(testenv.Labels(w.Menu(t, dest, path)), "\n"), name+" — signing in…")
			})
			time.Sleep(700 * time.Millisecond)
			screenshot(t, "sign-in-in-progress", "Tokentray")
		}
		eventually(t, 20*time.Second, name+" signed in", func() bool {
			labels := strings.Join(testenv.Labels(w.Menu(t, dest, path)), "\n")
			return strings.Contains(labels, name+" — valid for ") || strings.Contains(labels, name+" — session active")
		})
	}
	time.Sleep(700 * time.Millisecond)
	screenshot(t, "accounts", "Tokentray")

	// Every demo account's Copy puts what `tokentray token NAME` prints on the clipboard.
	for _, name := range names {
		_ = exec.Command("sh", "-c", "printf none | xclip -selection clipboard -in").Run()
		before, _ := e.must(0, "", "token", name)
		clickInSubmenu(t, w, dest, path, name, func(it testenv.MenuItem) bool {
			return strings.HasPrefix(it.Label, "Copy ") && !strings.Contains(it.Label, "header") && it.Enabled
		},
			func(string) bool {
				after, _ := e.must(0, "", "token", name) // demo tokens live 2 minutes: one may renew meanwhile
				got := clipboard(t)
				return got != "none" && (got == strings.TrimSpace(before) || got == strings.TrimSpace(after))
			})
	}
	signedIn := 0
	for _, n := range notes.Calls() {
		if n.Summary == "Signed in" {
			signedIn++
		}
	}
	if signedIn != len(names) {
		t.Errorf("%d \"Signed in\" notifications for %d sign-ins, want one each: %+v", signedIn, len(names), notes.Calls())
	}
	addFormScreenshot(t, p)
}

// clickInSubmenu clicks the item of an account's submenu (four accounts: a submenu each, its
// state in its label) that is, until done says it worked: the menu is rebuilt on every change,
// and a click on an item of the menu before lands on nothing, as a person's would.
func clickInSubmenu(t *testing.T, w *testenv.Watcher, dest string, path dbus.ObjectPath, account string, is func(testenv.MenuItem) bool, done func(labels string) bool) {
	t.Helper()
	for range 5 {
		for _, it := range w.Menu(t, dest, path) {
			if !strings.HasPrefix(it.Label, account+" — ") {
				continue
			}
			if i := slices.IndexFunc(it.Children, is); i >= 0 { // the first that is: one click
				w.Click(t, dest, it.Children[i].ID)
			}
		}
		for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if done(strings.Join(testenv.Labels(w.Menu(t, dest, path)), "\n")) {
				return
			}
		}
	}
	t.Fatalf("clicking in %s's submenu did nothing: %q", account, testenv.Labels(w.Menu(t, dest, path)))
}

// addFormScreenshot clicks "Add account…" (bottom left of the accounts window, above the status
// line) and saves the form.
// Without a window manager the window sits at the screen's origin; if the click misses, no
// screenshot is taken, which a person looking for it will notice.
func addFormScreenshot(t *testing.T, p *proc) {
	wins := p.windows(t, "Tokentray", true)
	if len(wins) != 1 {
		t.Logf("no add-form screenshot: %d accounts windows", len(wins))
		return
	}
	out, _ := exec.Command("xdotool", "getwindowgeometry", "--shell", wins[0]).Output()
	var x, y, h int
	for _, l := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(l, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "X":
			x = n
		case "Y":
			y = n
		case "HEIGHT":
			h = n
		}
	}
	_ = exec.Command("xdotool", "mousemove", strconv.Itoa(x+70), strconv.Itoa(y+h-62), "click", "1").Run()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if add := p.windows(t, "Add account — Tokentray", true); len(add) > 0 {
			time.Sleep(700 * time.Millisecond)
			screenshot(t, "add-account", "Add account — Tokentray")
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the Add account… click missed; no add-form screenshot")
}

// Ctrl-C while a demo sign-in waits for the browser: the demo ends at once, with no panic, and
// leaves nothing behind (its temporary folder, its keyring items); the waiting command says why
// it got no answer.
func TestDemoInterruptedDuringASignIn(t *testing.T) {
	testenv.Display(t)
	e := newCLIEnv(t)
	tmp := filepath.Join(e.home, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	extraEnv = []string{"TMPDIR=" + tmp}
	p := startApp(t, e.home, e.bus, "demo")
	extraEnv = nil
	eventually(t, 20*time.Second, "the demo's accounts through its socket", func() bool {
		out, _, _ := e.run("", "list")
		return strings.Contains(out, "Demo Avaya")
	})
	login := exec.Command(binary(t), "login", "Demo Avaya", "--no-browser")
	login.Env = e.env()
	loginErr := &syncBuffer{}
	login.Stderr = loginErr
	if err := login.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the sign-in's address", func() bool { return strings.Contains(loginErr.String(), "http://127.0.0.1:") })

	_ = p.cmd.Process.Signal(os.Interrupt)
	if err := p.wait(t, 10*time.Second); err != nil {
		t.Fatalf("the demo ended with %v after Ctrl-C:\n%s", err, p.out.String())
	}
	if out := p.out.String(); strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
		t.Fatalf("the demo panicked on Ctrl-C:\n%s", out)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the demo left %d things in its temporary folder: %v", len(left), left)
	}
	_ = login.Wait()
	if !strings.Contains(loginErr.String(), "Tokentray ended before it answered") {
		t.Errorf("the waiting login said:\n%s", loginErr.String())
	}
}

// With no display (an ssh session), the tray app and the demo say so in one sentence and exit 1.
func TestNoDisplayIsOneSentence(t *testing.T) {
	e := newCLIEnv(t)
	for _, args := range [][]string{{}, {"demo"}} {
		cmd := exec.Command(binary(t), args...)
		cmd.Env = slices.DeleteFunc(e.env(), func(kv string) bool {
			return strings.HasPrefix(kv, "DISPLAY=") || strings.HasPrefix(kv, "WAYLAND_DISPLAY=")
		})
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("tokentray %v without a display: %v\n%s", args, err, out)
		}
		if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "there is no display") {
			t.Errorf("tokentray %v without a display said:\n%s", args, out)
		}
	}
}
