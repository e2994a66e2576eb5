package tray

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/go-cmp/cmp"

	"tokentray/resources"
)

func labels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		switch {
		case it.IsSeparator:
			out = append(out, "---")
		case it.Disabled:
			out = append(out, "("+it.Label+")")
		case it.ChildMenu != nil:
			out = append(out, it.Label+" ▸")
		default:
			out = append(out, it.Label)
		}
	}
	return out
}

func TestBuildMenuForEachState(t *testing.T) {
	now := time.Now()
	tail := []string{"Accounts…", "Start at login", "---", "Quit"}
	avaya := func(state string) Account {
		return Account{ID: "a", Name: "Work", Provider: "avaya", State: state, Expiry: now.Add(52 * time.Minute), Problem: "could not refresh: the provider answered 503"}
	}
	bearerActions := []string{"Copy token", "Copy as Authorization header", "Refresh now", "Sign out", "---"}
	tests := []struct {
		name  string
		state MenuState
		want  []string
	}{
		{"no accounts", MenuState{}, append([]string{"(No accounts yet)", "---"}, tail...)},
		{"broken file", MenuState{Problem: "x:2: bad", Accounts: []Account{avaya("valid")}}, append([]string{"(The accounts file has a problem — see Accounts…)", "---"}, tail...)},
		{"valid", MenuState{Accounts: []Account{avaya("valid")}}, append(append([]string{"(Work — valid for 52 min)"}, bearerActions...), tail...)},
		{"refreshing", MenuState{Accounts: []Account{avaya("refreshing")}}, append(append([]string{"(Work — refreshing…)"}, bearerActions...), tail...)},
		{"retrying", MenuState{Accounts: []Account{avaya("retrying")}}, append(append([]string{"(Work — retrying — server busy)"}, bearerActions...), tail...)},
		{"expired", MenuState{Accounts: []Account{avaya("expired")}}, append(append([]string{"(Work — expired — retrying)"}, bearerActions...), tail...)},
		{"sign-in required", MenuState{Accounts: []Account{avaya("sign-in required")}}, append([]string{"(Work — sign-in required)", "Sign in…", "---"}, tail...)},
		{"signed out", MenuState{Accounts: []Account{avaya("signed out")}}, append([]string{"(Work — signed out)", "Sign in…", "---"}, tail...)},
		{"signing in", MenuState{Accounts: []Account{avaya("signing in")}}, append([]string{"(Work — signing in…)", "(Sign in…)", "---"}, tail...)},
		{"onsip with two users", MenuState{Accounts: []Account{{ID: "o", Name: "Phones", Provider: "onsip", State: "valid", Session: true,
			Users: []User{{"1", "Ann"}, {"2", "Bob"}}, CurrentUser: "2"}}},
			append([]string{"(Phones — session active)", "Copy SessionId", "Act as ▸", "Refresh now", "Sign out", "---"}, tail...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.state.Now = now
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

func TestActAsSubmenuChecksTheCurrentUser(t *testing.T) {
	var picked string
	m := BuildMenu(MenuState{Accounts: []Account{{ID: "o", Name: "Phones", Provider: "onsip", State: "valid", Session: true,
		Users: []User{{"1", "Ann"}, {"2", "Bob"}}, CurrentUser: "2"}}}, Actions{ActAs: func(id, u string) { picked = id + "/" + u }})
	sub := m.Items[2].ChildMenu
	if sub == nil || len(sub.Items) != 2 || sub.Items[0].Checked || !sub.Items[1].Checked || sub.Items[0].Label != "Ann (1)" {
		t.Fatalf("Act as submenu: %+v", sub)
	}
	sub.Items[0].Action()
	if picked != "o/1" {
		t.Fatalf("Act as Ann chose %q", picked)
	}
}

func TestMenuActions(t *testing.T) {
	var got []string
	rec := func(s string) { got = append(got, s) }
	m := BuildMenu(MenuState{Accounts: []Account{{ID: "a", Name: "Work", Provider: "avaya", State: "valid"}, {ID: "b", Name: "Home", Provider: "oidc", State: "signed out"}}},
		Actions{Copy: func(id string, h bool) { rec(fmt.Sprintf("copy %s %v", id, h)) }, Refresh: func(id string) { rec("refresh " + id) },
			SignIn: func(id string) { rec("signin " + id) }, SignOut: func(id string) { rec("signout " + id) },
			ShowAccounts: func() { rec("accounts") }, StartAtLogin: func(on bool) { rec(fmt.Sprint("login ", on)) }, Quit: func() { rec("quit") }})
	for _, it := range m.Items {
		if it.Action != nil && !it.Disabled {
			it.Action()
		}
	}
	want := []string{"copy a false", "copy a true", "refresh a", "signout a", "signin b", "accounts", "login true", "quit"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("actions (-want +got):\n%s", d)
	}
}

func TestIconShowsTheWorstState(t *testing.T) {
	for _, tc := range []struct {
		states []string
		want   fyne.Resource
	}{
		{nil, resources.IconNormal},
		{[]string{"valid", "refreshing", "retrying", "signed out"}, resources.IconNormal},
		{[]string{"valid", "sign-in required"}, resources.IconAttention},
		{[]string{"expired"}, resources.IconAttention},
		{[]string{"sign-in required", "signing in"}, resources.IconBusy},
	} {
		var s MenuState
		for _, st := range tc.states {
			s.Accounts = append(s.Accounts, Account{State: st})
		}
		if got := Icon(s); got != tc.want {
			t.Errorf("%v: icon %s, want %s", tc.states, got.Name(), tc.want.Name())
		}
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
	u := New(a, Info{Version: "1.2.3", ConfigPath: "/c/accounts.toml", LogPath: "/l/tokentray.log", KeyringService: "tokentray"}, MenuState{}, Actions{})
	got := texts(u.Window().Content())
	for _, want := range []string{"could not find a system tray", "AppIndicator", "No accounts yet.", "/c/accounts.toml", "/l/tokentray.log", "1.2.3", "“tokentray”"} {
		if !strings.Contains(got, want) {
			t.Errorf("the window does not show %q; it shows:\n%s", want, got)
		}
	}
}

func TestWindowWithATrayListsAccounts(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Info{TrayAvailable: true}, MenuState{}, Actions{})
	if strings.Contains(texts(u.Window().Content()), "could not find a system tray") {
		t.Error("the no-tray explanation shows although there is a tray")
	}
	u.Update(MenuState{Problem: "/c/accounts.toml:4: unknown provider"})
	got := texts(u.Window().Content())
	if !strings.Contains(got, "/c/accounts.toml:4: unknown provider") {
		t.Errorf("the window does not show the accounts file's problem:\n%s", got)
	}
}
