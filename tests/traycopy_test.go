package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tokentray/tests/testenv"
)

// clipboard reads the X clipboard as any other program would.
func clipboard(t *testing.T) string {
	t.Helper()
	out, _ := exec.Command(testenv.Command(t, "xclip"), "-selection", "clipboard", "-o").Output()
	return string(out)
}

func TestTrayCopyAsAPanelSeesIt(t *testing.T) {
	testenv.Display(t)
	fake, e := avayaUser(t)
	e.must(0, "", "login", "work-avaya")
	// Clear the clipboard 3 s after a copy.
	cfg := filepath.Join(e.home, ".config", "tokentray", "accounts.toml")
	b, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "[[accounts]]", "[settings]\nclipboard_clear = \"3s\"\n\n[[accounts]]", 1)), 0o600); err != nil {
		t.Fatal(err)
	}

	w := testenv.StartWatcher(t, e.bus)
	notes := testenv.StartNotifications(t, e.bus)
	e.startApp()
	dest, path := w.WaitItem(t, 20*time.Second)
	var copyItem testenv.MenuItem
	eventually(t, 10*time.Second, "a Copy token item", func() bool {
		var ok bool
		items := w.Menu(t, dest, path)
		copyItem, ok = testenv.Find(items, "Copy token")
		return ok && copyItem.Enabled
	})
	items := w.Menu(t, dest, path)
	if !strings.HasPrefix(testenv.Labels(items)[0], "work-avaya — valid for ") {
		t.Errorf("menu starts %q", testenv.Labels(items))
	}

	_ = exec.Command("sh", "-c", "printf before | xclip -selection clipboard -in").Run()
	w.Click(t, dest, copyItem.ID)
	want, _ := e.must(0, "", "token", "work-avaya")
	want = strings.TrimSpace(want)
	eventually(t, 10*time.Second, "the token on the X clipboard", func() bool { return clipboard(t) == want })
	eventually(t, 5*time.Second, "the copy notification", func() bool {
		for _, n := range notes.Calls() {
			if strings.HasPrefix(n.Body, "Copied work-avaya token — valid for ") {
				return true
			}
		}
		return false
	})
	eventually(t, 10*time.Second, "the clipboard cleared after 3 s", func() bool { return clipboard(t) == "" })

	// A revoked grant shows once as a notification, and the icon and menu ask for a sign-in.
	fake.RevokeAll()
	refresh, _ := testenv.Find(w.Menu(t, dest, path), "Refresh now")
	w.Click(t, dest, refresh.ID)
	eventually(t, 10*time.Second, "Sign in… in the menu", func() bool {
		_, ok := testenv.Find(w.Menu(t, dest, path), "Sign in…")
		return ok
	})
	time.Sleep(500 * time.Millisecond)
	var asked []testenv.Notification
	for _, c := range notes.Calls() {
		if c.Summary == "Sign-in required" {
			asked = append(asked, c)
		}
	}
	if len(asked) != 1 {
		t.Fatalf("%d sign-in required notifications, want exactly 1: %+v", len(asked), notes.Calls())
	}

	// Clicking it opens the accounts window, where the person signs in.
	if !slices.Contains(asked[0].Actions, "default") {
		t.Fatalf("the notification offers no action: %q", asked[0].Actions)
	}
	if len(windows(t, "Tokentray")) != 0 {
		t.Fatal("the accounts window is open before the notification is clicked")
	}
	notes.Invoke(t, asked[0].ID, "default")
	eventually(t, 10*time.Second, "the accounts window after clicking the notification", func() bool {
		return len(windows(t, "Tokentray")) == 1
	})
}

// windows lists the visible X windows named exactly name, whichever process shows them.
func windows(t *testing.T, name string) []string {
	t.Helper()
	out, _ := exec.Command(testenv.Command(t, "xdotool"), "search", "--onlyvisible", "--name", "^"+name+"$").Output()
	return strings.Fields(string(out))
}
