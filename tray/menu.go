package tray

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// Actions are what the menu's items do. The menu is built from state by a pure function so it can
// be tested without a display; the actions are the only part that touches the app.
type Actions struct {
	ShowAccounts func()
	Quit         func()
}

// MenuState is what the tray menu shows.
type MenuState struct {
	Accounts []Account // empty shows "No accounts yet"
	Problem  string    // a problem with the accounts file, shown instead of the accounts
	Now      time.Time // for "valid for 52 min"
}

// Account is one account as the tray shows it. State is the account manager's state name
// ("valid", "refreshing", "retrying", "expired", "sign-in required", "signed out", "signing in").
type Account struct {
	Name    string
	State   string
	Expiry  time.Time
	Problem string // the last failure, if any
}

// Summary is the account's status as a person reads it at a glance.
func (a Account) Summary(now time.Time) string {
	switch a.State {
	case "valid":
		return "valid for " + humanDuration(a.Expiry.Sub(now))
	case "refreshing":
		return "refreshing…"
	case "retrying":
		return "retrying — " + reason(a.Problem)
	case "expired":
		return "expired — retrying"
	case "signing in":
		return "signing in…"
	}
	return a.State
}

// reason names a transient failure in a word or two.
func reason(problem string) string {
	switch {
	case problem == "":
		return "network"
	case containsAny(problem, "keyring"):
		return "keyring"
	case containsAny(problem, " 5", "503", "500", "502", "504", "429"):
		return "server busy"
	}
	return "network"
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < 2*time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Round(time.Hour)/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// BuildMenu returns the tray menu for s. The whole menu is rebuilt on every change: Fyne's tray
// cannot update an item in place, and a rebuilt menu cannot drift from the state.
func BuildMenu(s MenuState, act Actions) *fyne.Menu {
	var items []*fyne.MenuItem
	switch {
	case s.Problem != "":
		items = append(items, disabled("The accounts file has a problem — see Accounts…"))
	case len(s.Accounts) == 0:
		items = append(items, disabled("No accounts yet"))
	default:
		for _, a := range s.Accounts {
			items = append(items, disabled(a.Name+" — "+a.Summary(s.Now)))
		}
	}
	quit := fyne.NewMenuItem("Quit", act.Quit)
	quit.IsQuit = true // so Fyne does not add a second Quit of its own
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Accounts…", act.ShowAccounts),
		fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("Tokentray", items...)
}

func disabled(label string) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, nil)
	it.Disabled = true
	return it
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
