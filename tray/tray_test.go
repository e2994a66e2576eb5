package tray

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

// texts collects every label's and button's text in a rendered object tree (the selected tab only).
func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Button:
			b.WriteString("[" + w.Text + "]\n")
		case *widget.Card:
			b.WriteString(w.Title + "\n")
			walk(w.Content)
		case *widget.Form:
			for _, it := range w.Items {
				b.WriteString(it.Text + "\n")
				walk(it.Widget)
			}
		case *container.AppTabs:
			walk(w.Selected().Content)
		case *container.Scroll:
			walk(w.Content)
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

// selectTab shows the window's tab called title.
func selectTab(t *testing.T, u *UI, title string) {
	t.Helper()
	var find func(fyne.CanvasObject) *container.AppTabs
	find = func(o fyne.CanvasObject) *container.AppTabs {
		switch w := o.(type) {
		case *container.AppTabs:
			return w
		case *fyne.Container:
			for _, c := range w.Objects {
				if t := find(c); t != nil {
					return t
				}
			}
		}
		return nil
	}
	tabs := find(u.Window().Content())
	for i, it := range tabs.Items {
		if it.Text == title {
			tabs.SelectIndex(i)
			return
		}
	}
	t.Fatalf("no %q tab", title)
}

func mustShow(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("the window does not show %q; it shows:\n%s", w, got)
		}
	}
}

func TestWindowWithoutATrayExplains(t *testing.T) {
	a := test.NewTempApp(t)
	u := New(a, Info{Version: "1.2.3", ConfigPath: "/c/accounts.toml", LogPath: "/l/tokentray.log", KeyringService: "tokentray"}, MenuState{}, Actions{})
	mustShow(t, texts(u.Window().Content()), "could not find a system tray", "AppIndicator", "No accounts yet.")
	selectTab(t, u, "Settings")
	mustShow(t, texts(u.Window().Content()), "/c/accounts.toml", "/l/tokentray.log", "1.2.3", "“tokentray”", "Clear clipboard after")
}

func TestWindowListsAccounts(t *testing.T) {
	a := test.NewTempApp(t)
	now := time.Now()
	u := New(a, Info{TrayAvailable: true, KeyringService: "tokentray"}, MenuState{}, Actions{AddAccount: func(string, string, map[string]string, map[string]string) error { return nil }})
	if strings.Contains(texts(u.Window().Content()), "could not find a system tray") {
		t.Error("the no-tray explanation shows although there is a tray")
	}
	u.SetState(MenuState{Now: now, Accounts: []Account{
		{ID: "a", Name: "Work", Provider: "avaya", State: "valid", Expiry: now.Add(52 * time.Minute), Identity: "Test User <test@avaya.com>"},
		{ID: "o", Name: "Phones", Provider: "onsip", State: "signing in"},
		{ID: "n", Name: "Office", Provider: "net2phone", State: "sign-in required", Problem: "invalid_grant"},
	}})
	mustShow(t, texts(u.Window().Content()),
		"Work — Avaya Spaces", "valid for 52 min", "Test User <test@avaya.com>", "System keyring, service “tokentray”", "[Copy token]", "[Sign out]", "[Check]",
		"Phones — OnSIP", "Waiting for the browser…", "[Cancel]",
		"Office — Net2Phone Canada", "sign-in required", "invalid_grant", "[Sign in…]", "[Add account…]")
	u.SetState(MenuState{Problem: "/c/accounts.toml:4: unknown provider"})
	mustShow(t, texts(u.Window().Content()), "/c/accounts.toml:4: unknown provider")
}

func TestAddFormValidatesAndSavesOnlyValidInput(t *testing.T) {
	test.NewTempApp(t)
	var saved []string
	form := NewAddForm(func(name, kind string, settings, secrets map[string]string) error {
		saved = append(saved, fmt.Sprintf("%s %s %v %v", name, kind, settings, secrets))
		if name == "taken" {
			return fmt.Errorf(`two accounts are called "taken"`)
		}
		return nil
	}, nil)
	test.NewTempWindow(t, form.Content())
	form.Kind.SetSelected("OpenID Connect")
	if _, ok := form.Fields["issuer"]; !ok || form.Fields["environment"] != nil {
		t.Fatalf("the OIDC form shows the wrong fields: %v", sortedKeys2(form.Fields))
	}
	if e := form.Fields["client_secret"].(*widget.Entry); !e.Password {
		t.Error("the client secret is not a password field")
	}
	if got := form.Fields["scopes"].(*widget.Entry).Text; got != "openid profile email offline_access" {
		t.Errorf("the default scopes are not filled in: %q", got)
	}

	form.Form.OnSubmit() // nothing filled in
	if len(saved) != 0 || !strings.Contains(form.Status.Text, "Not saved") {
		t.Fatalf("saved an empty form (%v, %q)", saved, form.Status.Text)
	}
	test.Type(form.Name, "google")
	test.Type(form.Fields["issuer"].(*widget.Entry), "accounts.google.com")
	test.Type(form.Fields["client_id"].(*widget.Entry), "abc.apps.googleusercontent.com")
	form.Form.OnSubmit()
	if len(saved) != 0 || !strings.Contains(form.Status.Text, "http or https URL") {
		t.Fatalf("saved an issuer that is not a URL (%v, %q)", saved, form.Status.Text)
	}
	form.Fields["issuer"].(*widget.Entry).SetText("https://accounts.google.com")
	form.Fields["client_secret"].(*widget.Entry).SetText("s3cret")
	form.Fields["redirect_port"].(*widget.Entry).SetText("8765")
	if got := form.Redirect.Text; got != "http://127.0.0.1:8765/callback" {
		t.Errorf("redirect URI shown %q", got)
	}
	form.Form.OnSubmit()
	want := "google oidc map[client_id:abc.apps.googleusercontent.com issuer:https://accounts.google.com redirect_port:8765] map[client_secret:s3cret]"
	if len(saved) != 1 || saved[0] != want {
		t.Fatalf("saved %q, want %q", saved, want)
	}
	form.Name.SetText("taken")
	form.Form.OnSubmit()
	if !strings.Contains(form.Status.Text, `two accounts are called "taken"`) {
		t.Errorf("the save's own error is not shown: %q", form.Status.Text)
	}
}

func sortedKeys2(m map[string]fyne.CanvasObject) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEditFormKeepsTheKindAndUnchangedSecrets(t *testing.T) {
	test.NewTempApp(t)
	var saved string
	form := NewAddForm(func(name, kind string, settings, secrets map[string]string) error {
		saved = fmt.Sprintf("%s %s %v %v", name, kind, settings, secrets)
		return nil
	}, nil)
	test.NewTempWindow(t, form.Content())
	form.Edit("avaya", "Work", map[string]string{"client_id": "c1", "environment": "staging"})
	if !form.Kind.Disabled() || form.Fields["environment"].(*widget.Select).Selected != "staging" || form.Fields["client_id"].(*widget.Entry).Text != "c1" {
		t.Fatal("the edit form does not show the account")
	}
	form.Fields["client_id"].(*widget.Entry).SetText("c2")
	form.Form.OnSubmit()
	if want := "Work avaya map[client_id:c2 environment:staging] map[]"; saved != want {
		t.Fatalf("saved %q, want %q (no secret typed: none replaced)", saved, want)
	}
}
