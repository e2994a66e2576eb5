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
)

// TestDemo runs `tokentray demo` as a newcomer would, on a desktop with a panel, signs in to each
// demo account from the tray through the browser, and takes the screenshots the README shows.
func TestDemo(t *testing.T) {
	testenv.Display(t)
	e := newCLIEnv(t)
	w := testenv.StartWatcher(t, e.bus)
	notes := testenv.StartNotifications(t, e.bus)
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
	screenshot(t, "accounts-signed-out")

	for i, name := range names {
		for _, it := range w.Menu(t, dest, path) { // four accounts: a submenu each, its state in its label
			if strings.HasPrefix(it.Label, name+" — ") {
				signIn, ok := testenv.Find(it.Children, "Sign in…")
				if !ok {
					t.Fatalf("%s's submenu has no Sign in…: %v", name, it.Children)
				}
				w.Click(t, dest, signIn.ID)
				break
			}
		}
		if i == 0 {
			eventually(t, 5*time.Second, "signing in… in the menu", func() bool {
				return strings.Contains(strings.Join(testenv.Labels(w.Menu(t, dest, path)), "\n"), name+" — signing in…")
			})
			time.Sleep(700 * time.Millisecond)
			screenshot(t, "sign-in-in-progress")
		}
		eventually(t, 20*time.Second, name+" signed in", func() bool {
			labels := strings.Join(testenv.Labels(w.Menu(t, dest, path)), "\n")
			return strings.Contains(labels, name+" — valid for ") || strings.Contains(labels, name+" — session active")
		})
	}
	time.Sleep(700 * time.Millisecond)
	screenshot(t, "accounts")
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

// addFormScreenshot clicks "Add account…" (bottom left of the accounts window) and saves the form.
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
	_ = exec.Command("xdotool", "mousemove", strconv.Itoa(x+70), strconv.Itoa(y+h-24), "click", "1").Run()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if add := p.windows(t, "Add account — Tokentray", true); len(add) > 0 {
			time.Sleep(700 * time.Millisecond)
			shot := filepath.Join("..", "build", "screenshots", "add-account.png")
			// A GL window reads back black on its own: capture the screen and crop to the form.
			geo, _ := exec.Command("xdotool", "getwindowgeometry", "--shell", add[len(add)-1]).Output()
			crop := map[string]string{}
			for _, l := range strings.Split(string(geo), "\n") {
				if k, v, ok := strings.Cut(l, "="); ok {
					crop[k] = v
				}
			}
			if out, err := exec.Command("import", "-window", "root", "-crop",
				crop["WIDTH"]+"x"+crop["HEIGHT"]+"+"+crop["X"]+"+"+crop["Y"], shot).CombinedOutput(); err != nil {
				t.Logf("no add-form screenshot: %v %s", err, out)
				return
			}
			t.Logf("screenshot: %s", shot)
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
