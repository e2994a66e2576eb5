package tray

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tokentray/app/model"
	"tokentray/resources"
)

func labels(items []Item) []string {
	var out []string
	for _, it := range items {
		switch {
		case it.Separator:
			out = append(out, "---")
		case it.Children != nil:
			out = append(out, it.Label+" ▸")
		case it.Disabled:
			out = append(out, "("+it.Label+")")
		case it.Checkbox && it.Checked:
			out = append(out, "[x] "+it.Label)
		case it.Checkbox:
			out = append(out, "[ ] "+it.Label)
		default:
			out = append(out, it.Label)
		}
	}
	return out
}

var tail = []string{"Accounts…", "[ ] Start at login", "---", "Quit"}

func avaya(state model.State, now time.Time) model.Account {
	return model.Account{ID: "a", Name: "Work", Provider: "avaya", State: state, Expiry: now.Add(52 * time.Minute),
		Problem: model.Problem{Class: model.ProviderFault, Detail: "could not refresh: the provider answered 503"}}
}

func TestBuildMenuForEachState(t *testing.T) {
	now := time.Now()
	bearerActions := []string{"Copy token", "Copy as Authorization header", "Refresh now", "Sign out", "---"}
	signingIn := avaya(model.SignedOut, now)
	signingIn.SigningIn = true
	tests := []struct {
		name  string
		state MenuState
		want  []string
	}{
		{"no accounts", MenuState{}, append([]string{"(No accounts yet)", "---"}, tail...)},
		{"broken file", MenuState{Problem: "x:2: bad", Accounts: []model.Account{avaya(model.Valid, now)}}, append([]string{"(The accounts file has a problem — see Accounts…)", "---"}, tail...)},
		{"valid", MenuState{Accounts: []model.Account{avaya(model.Valid, now)}}, append(append([]string{"(Work — valid for 52 min)"}, bearerActions...), tail...)},
		{"refreshing", MenuState{Accounts: []model.Account{avaya(model.Refreshing, now)}}, append(append([]string{"(Work — refreshing…)"}, bearerActions...), tail...)},
		{"retrying", MenuState{Accounts: []model.Account{avaya(model.Retrying, now)}}, append(append([]string{"(Work — retrying — server busy)"}, bearerActions...), tail...)},
		{"expired", MenuState{Accounts: []model.Account{avaya(model.Expired, now)}}, append(append([]string{"(Work — expired — retrying)"}, bearerActions...), tail...)},
		{"paused", MenuState{Accounts: []model.Account{avaya(model.Paused, now)}}, append(append([]string{"(Work — paused — renewing too often)"}, bearerActions...), tail...)},
		{"sign-in required", MenuState{Accounts: []model.Account{avaya(model.SignInRequired, now)}}, append([]string{"(Work — sign-in required)", "Sign in…", "---"}, tail...)},
		{"signed out", MenuState{Accounts: []model.Account{avaya(model.SignedOut, now)}}, append([]string{"(Work — signed out)", "Sign in…", "---"}, tail...)},
		{"signing in", MenuState{Accounts: []model.Account{signingIn}}, append([]string{"(Work — signing in…)", "(Sign in…)", "Cancel sign-in", "---"}, tail...)},
		{"onsip with two users", MenuState{Accounts: []model.Account{{ID: "o", Name: "Phones", Provider: "onsip", State: model.Valid, Session: true,
			Users: []model.User{{ID: "1", Name: "Ann"}, {ID: "2", Name: "Bob"}}, CurrentUser: "2"}}},
			append([]string{"(Phones — session active)", "Copy SessionId", "Act as ▸", "Refresh now", "Sign out", "---"}, tail...)},
		{"start at login on", MenuState{StartAtLogin: true}, []string{"(No accounts yet)", "---", "Accounts…", "[x] Start at login", "---", "Quit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.state.Now = now
			if d := cmp.Diff(tc.want, labels(BuildMenu(tc.state, Actions{}))); d != "" {
				t.Errorf("menu (-want +got):\n%s", d)
			}
		})
	}
}

// With more than a few accounts, each gets a submenu (its state in the label) instead of a flat
// list of a few dozen items.
func TestManyAccountsGetASubmenuEach(t *testing.T) {
	now := time.Now()
	var s MenuState
	for i := range 5 {
		a := avaya(model.Valid, now)
		a.ID, a.Name = model.AccountID(fmt.Sprint(i)), fmt.Sprintf("Work %d", i)
		s.Accounts = append(s.Accounts, a)
	}
	s.Now = now
	m := BuildMenu(s, Actions{})
	want := append([]string{"Work 0 — valid for 52 min ▸", "Work 1 — valid for 52 min ▸", "Work 2 — valid for 52 min ▸",
		"Work 3 — valid for 52 min ▸", "Work 4 — valid for 52 min ▸", "---"}, tail...)
	if d := cmp.Diff(want, labels(m)); d != "" {
		t.Fatalf("menu (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Copy token", "Copy as Authorization header", "Refresh now", "Sign out"}, labels(m[0].Children)); d != "" {
		t.Fatalf("an account's submenu (-want +got):\n%s", d)
	}
}

func TestActAsSubmenuChecksTheCurrentUser(t *testing.T) {
	var picked string
	m := BuildMenu(MenuState{Accounts: []model.Account{{ID: "o", Name: "Phones", Provider: "onsip", State: model.Valid, Session: true,
		Users: []model.User{{ID: "1", Name: "Ann"}, {ID: "2", Name: "Bob"}}, CurrentUser: "2"}}}, Actions{ActAs: func(id model.AccountID, u string) { picked = string(id) + "/" + u }})
	sub := m[2].Children
	if d := cmp.Diff([]string{"[ ] Ann (1)", "[x] Bob (2)"}, labels(sub)); d != "" {
		t.Fatalf("Act as submenu (-want +got):\n%s", d)
	}
	sub[0].Action()
	if picked != "o/1" {
		t.Fatalf("Act as Ann chose %q", picked)
	}
}

func TestMenuActions(t *testing.T) {
	var got []string
	rec := func(s string) { got = append(got, s) }
	m := BuildMenu(MenuState{Accounts: []model.Account{{ID: "a", Name: "Work", Provider: "avaya", State: model.Valid}, {ID: "b", Name: "Home", Provider: "oidc", State: model.SignedOut}}},
		Actions{Copy: func(id model.AccountID, h bool) { rec(fmt.Sprintf("copy %s %v", id, h)) }, Refresh: func(id model.AccountID) { rec("refresh " + string(id)) },
			SignIn: func(id model.AccountID) { rec("signin " + string(id)) }, SignOut: func(id model.AccountID) { rec("signout " + string(id)) },
			ShowAccounts: func() { rec("accounts") }, StartAtLogin: func(on bool) { rec(fmt.Sprint("login ", on)) }, Quit: func() { rec("quit") }})
	for _, it := range m {
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
		states    []model.State
		signingIn bool
		want      []byte
	}{
		{nil, false, resources.TrayNormal},
		{[]model.State{model.Valid, model.Refreshing, model.Retrying, model.SignedOut, model.Paused}, false, resources.TrayNormal},
		{[]model.State{model.Valid, model.SignInRequired}, false, resources.TrayAttention},
		{[]model.State{model.Expired}, false, resources.TrayAttention},
		{[]model.State{model.SignInRequired}, true, resources.TrayBusy},
	} {
		var s MenuState
		for _, st := range tc.states {
			s.Accounts = append(s.Accounts, model.Account{State: st, SigningIn: tc.signingIn})
		}
		if got := Icon(s); !bytes.Equal(got, tc.want) {
			t.Errorf("%v (signing in %v): the wrong icon", tc.states, tc.signingIn)
		}
	}
}

// While a sign-in waits for the browser, its account's menu offers to give it up.
func TestASignInInProgressCanBeCancelled(t *testing.T) {
	var cancelled model.AccountID
	act := Actions{CancelSignIn: func(id model.AccountID) { cancelled = id }}
	for _, a := range []model.Account{
		{ID: "x", Name: "New", State: model.SignedOut, SigningIn: true},
		{ID: "y", Name: "Again", State: model.Valid, SigningIn: true, Expiry: time.Now().Add(time.Hour)},
	} {
		items := accountItems(a, act)
		last := items[len(items)-1]
		if last.Label != "Cancel sign-in" {
			t.Fatalf("%s: %v", a.Name, items)
		}
		last.Action()
		if cancelled != a.ID {
			t.Fatalf("%s: cancelled %q", a.Name, cancelled)
		}
	}
	if items := accountItems(model.Account{ID: "z", State: model.SignedOut}, act); len(items) != 1 {
		t.Fatalf("no sign-in in progress: %v", items)
	}
}
