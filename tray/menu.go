package tray

import "fyne.io/fyne/v2"

// Actions are what the menu's items do. The menu is built from state by a pure function so it can
// be tested without a display; the actions are the only part that touches the app.
type Actions struct {
	ShowAccounts func()
	Quit         func()
}

// MenuState is what the tray menu shows.
type MenuState struct {
	Accounts []string // account names; empty shows "No accounts yet"
	Problem  string   // a problem with the accounts file, shown instead of the accounts
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
		for _, name := range s.Accounts {
			items = append(items, disabled(name+" — signed out"))
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
