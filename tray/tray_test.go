package tray

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/go-cmp/cmp"
)

func labels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		switch {
		case it.IsSeparator:
			out = append(out, "---")
		case it.Disabled:
			out = append(out, "("+it.Label+")")
		default:
			out = append(out, it.Label)
		}
	}
	return out
}

func TestBuildMenu(t *testing.T) {
	now := time.Now()
	tail := []string{"---", "Accounts…", "---", "Quit"}
	tests := []struct {
		name  string
		state MenuState
		want  []string
	}{
		{"no accounts", MenuState{}, append([]string{"(No accounts yet)"}, tail...)},
		{"accounts", MenuState{Now: now, Accounts: []Account{
			{Name: "Work", State: "valid", Expiry: now.Add(52 * time.Minute)},
			{Name: "Home", State: "signed out"},
			{Name: "Lab", State: "retrying", Problem: "could not refresh: the provider answered 503"},
			{Name: "Old", State: "sign-in required"},
			{Name: "Busy", State: "refreshing"},
		}}, append([]string{"(Work — valid for 52 min)", "(Home — signed out)", "(Lab — retrying — server busy)", "(Old — sign-in required)", "(Busy — refreshing…)"}, tail...)},
		{"broken file", MenuState{Problem: "x:2: bad", Accounts: []Account{{Name: "Work"}}}, append([]string{"(The accounts file has a problem — see Accounts…)"}, tail...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := BuildMenu(tc.state, Actions{})
			if d := cmp.Diff(tc.want, labels(m)); d != "" {
				t.Errorf("menu (-want +got):\n%s", d)
			}
			if q := m.Items[len(m.Items)-1]; !q.IsQuit {
				t.Error("the Quit item is not marked IsQuit; Fyne would add a second one")
			}
		})
	}
}

func TestMenuActions(t *testing.T) {
	var shown, quit int
	m := BuildMenu(MenuState{}, Actions{ShowAccounts: func() { shown++ }, Quit: func() { quit++ }})
	for _, it := range m.Items {
		if it.Action != nil {
			it.Action()
		}
	}
	if shown != 1 || quit != 1 {
		t.Fatalf("Accounts… ran %d times and Quit %d times, want 1 each", shown, quit)
	}
}

// texts collects every label's text in a rendered object tree.
func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Form:
			for _, it := range w.Items {
				b.WriteString(it.Text + "\n")
				walk(it.Widget)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

func TestWindowWithoutATrayExplains(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Info{Version: "1.2.3", ConfigPath: "/c/accounts.toml", LogPath: "/l/tokentray.log", KeyringService: "tokentray"}, MenuState{})
	got := texts(u.Window().Content())
	for _, want := range []string{"could not find a system tray", "AppIndicator", "No accounts yet.", "/c/accounts.toml", "/l/tokentray.log", "1.2.3", "“tokentray”"} {
		if !strings.Contains(got, want) {
			t.Errorf("the window does not show %q; it shows:\n%s", want, got)
		}
	}
}

func TestWindowWithATrayListsAccounts(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Info{TrayAvailable: true}, MenuState{})
	if strings.Contains(texts(u.Window().Content()), "could not find a system tray") {
		t.Error("the no-tray explanation shows although there is a tray")
	}
	u.Update(MenuState{Problem: "/c/accounts.toml:4: unknown provider"})
	got := texts(u.Window().Content())
	if !strings.Contains(got, "/c/accounts.toml:4: unknown provider") {
		t.Errorf("the window does not show the accounts file's problem:\n%s", got)
	}
}
