package tests

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"

	"tokentray/tests/testenv"
)

func TestVersionComesFromFyneAppTOML(t *testing.T) {
	var meta struct{ Details struct{ Version string } }
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := toml.Unmarshal(b, &meta); err != nil || meta.Details.Version == "" {
		t.Fatalf("FyneApp.toml has no version: %v", err)
	}
	out, err := exec.Command(binary(t), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "tokentray "+meta.Details.Version+"\n"; got != want {
		t.Fatalf("tokentray version printed %q, want %q", got, want)
	}
}

func TestTrayMenuAsAPanelSeesIt(t *testing.T) {
	home := t.TempDir()
	bus := testenv.PrivateBus(t, home, false)
	w := testenv.StartWatcher(t, bus)
	p := startApp(t, home, bus)

	dest, path := w.WaitItem(t, 20*time.Second)
	var items []testenv.MenuItem
	want := []string{"No accounts yet", "---", "Accounts…", "Start at login", "---", "Quit"}
	eventually(t, 10*time.Second, "the tray menu", func() bool {
		items = w.Menu(t, dest, path)
		return slices.Equal(testenv.Labels(items), want)
	})
	if it, _ := testenv.Find(items, "No accounts yet"); it.Enabled {
		t.Error(`"No accounts yet" is clickable`)
	}
	if got := p.windows(t, "Tokentray", true); len(got) != 0 {
		t.Fatalf("with a tray the window is shown at start (%v)", got)
	}

	accounts, _ := testenv.Find(items, "Accounts…")
	w.Click(t, dest, accounts.ID)
	eventually(t, 10*time.Second, "the accounts window after clicking Accounts…", func() bool {
		return len(p.windows(t, "Tokentray", true)) == 1
	})

	quit, _ := testenv.Find(items, "Quit")
	w.Click(t, dest, quit.ID)
	if err := p.wait(t, 10*time.Second); err != nil {
		t.Fatalf("tokentray exited with %v after Quit", err)
	}
}

func TestWithoutATrayTheWindowExplains(t *testing.T) {
	home := t.TempDir()
	bus := testenv.PrivateBus(t, home, false) // no StatusNotifierWatcher: GNOME without the extension
	p := startApp(t, home, bus)
	eventually(t, 20*time.Second, "the window of a tray-less desktop", func() bool {
		return len(p.windows(t, "Tokentray", true)) == 1
	})
	time.Sleep(500 * time.Millisecond) // let it paint
	screenshot(t, "no-tray-window")
	log := readLog(t, home)
	if !strings.Contains(log, "tray_host=false") {
		t.Errorf("the log does not record the missing tray host:\n%s", log)
	}
}

func TestABrokenAccountsFileIsShownAndKept(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, ".config", "tokentray", "accounts.toml")
	broken := "version = 1\n[[accounts]]\nname = \"Work\"\nprovider = \"gitlab\"\n"
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	bus := testenv.PrivateBus(t, home, false)
	w := testenv.StartWatcher(t, bus)
	p := startApp(t, home, bus)
	dest, path := w.WaitItem(t, 20*time.Second)
	eventually(t, 10*time.Second, "the problem in the tray menu", func() bool {
		return slices.Contains(testenv.Labels(w.Menu(t, dest, path)), "The accounts file has a problem — see Accounts…")
	})
	if log := readLog(t, home); !strings.Contains(log, "accounts.toml:2") {
		t.Errorf("the log does not name the file and line:\n%s", log)
	}
	b, _ := os.ReadFile(cfg)
	if d := cmp.Diff(broken, string(b)); d != "" {
		t.Fatalf("the broken accounts file changed:\n%s", d)
	}

	// Fixed by hand (an editor writes a new file and renames it over the old): the problem goes,
	// without a restart.
	fixed := "version = 1\n[[accounts]]\nid = \"0b6c2a3e-5f4d-4c1b-9a8e-2d7f6e5c4b3a\"\nname = \"Work\"\nprovider = \"oidc\"\n" +
		"[accounts.settings]\nissuer = \"https://sso.example.com\"\nclient_id = \"c\"\n"
	if err := os.WriteFile(cfg+".new", []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(cfg+".new", cfg); err != nil {
		t.Fatal(err)
	}
	var labels []string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the menu: %q\nthe log:\n%s", labels, readLog(t, home))
		}
	})
	eventually(t, 10*time.Second, "the fixed file's account in the tray menu", func() bool {
		labels = testenv.Labels(w.Menu(t, dest, path))
		return !slices.Contains(labels, "The accounts file has a problem — see Accounts…") && len(labels) > 0 && strings.HasPrefix(labels[0], "Work — ")
	})
	_ = p.cmd.Process.Kill()
	<-p.done
}

func readLog(t testing.TB, home string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(home, ".local", "state", "tokentray", "tokentray.log"))
	if err != nil {
		t.Fatalf("no log file: %v", err)
	}
	return string(b)
}

// Ten accounts signed in one after another while the tray shows them: each change rebuilds the
// menu, and a rebuilt menu must not act on its own (an old item's closed channel once looked like
// a click: sign-ins started by themselves, the app quit).
func TestAMenuRebuiltUnderThePersonDoesNothingByItself(t *testing.T) {
	e := tenAccounts(t)
	var listed []listedAccount
	out, _ := e.must(0, "", "list", "--json")
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 10 {
		t.Fatalf("list: %v %s", err, out)
	}
	for _, a := range listed {
		if a.State != "valid" {
			t.Errorf("%s: %s %s", a.Name, a.State, a.Error)
		}
	}
	log := readLog(t, e.home)
	for _, bad := range []string{"Sign-in did not finish", "signed out", "msg=stopped"} {
		if strings.Contains(log, bad) {
			t.Errorf("the log says %q, which nobody asked for:\n%s", bad, log)
		}
	}
	if n := e.fake.Count("/oauth2/authorize", ""); n != 10 {
		t.Errorf("%d sign-in pages were opened for 10 logins", n)
	}
}
