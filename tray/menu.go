package tray

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"tokentray/resources"
)

// Actions are what the menu's items do. The menu is built from state by a pure function so it can
// be tested without a display; the actions are the only part that touches the app. Any may be nil.
type Actions struct {
	Copy         func(id string, asHeader bool)
	Refresh      func(id string)
	SignIn       func(id string)
	SignOut      func(id string)
	ActAs        func(id, userID string)
	ShowAccounts func()
	StartAtLogin func(on bool)
	Quit         func()

	// The accounts window's own actions.
	AddAccount    func(name, kind string, settings, secrets map[string]string) error
	EditAccount   func(id, name string, settings, secrets map[string]string) error
	RemoveAccount func(id string) error
	Check         func(id string) (who string, err error)
	CancelSignIn  func(id string)
	Paste         func(id, text string)
	SavePrefs     func(Prefs) error
}

// MenuState is what the tray menu shows.
type MenuState struct {
	Accounts     []Account // empty shows "No accounts yet"
	Problem      string    // a problem with the accounts file, shown instead of the accounts
	Now          time.Time // for "valid for 52 min"
	StartAtLogin bool
	Prefs        Prefs
}

// Account is one account as the tray shows it. State is the account manager's state name
// ("valid", "refreshing", "retrying", "expired", "sign-in required", "signed out", "signing in").
type Account struct {
	ID            string
	Name          string
	Provider      string // a kind name: net2phone, avaya, onsip, oidc
	State         string
	SigningIn     bool // a sign-in waits for the browser; the current credential stays in use
	Expiry        time.Time
	RefreshExpiry time.Time
	Session       bool // an OnSIP SessionId: no lifetime to show
	Identity      string
	Problem       string            // the last failure, if any
	Users         []User            // OnSIP users the account can act as; shown when there are several
	CurrentUser   string            // the UserID it acts as
	Settings      map[string]string // its settings as in the accounts file, for the edit form
}

// User is an OnSIP user an account can act as.
type User struct{ ID, Name string }

// Summary is the account's status as a person reads it at a glance.
func (a Account) Summary(now time.Time) string {
	if a.SigningIn && !a.HasCredential() {
		return "signing in…"
	}
	switch a.State {
	case "valid":
		if a.Session {
			return "session active"
		}
		return "valid for " + humanDuration(a.Expiry.Sub(now))
	case "refreshing":
		return "refreshing…"
	case "retrying":
		return "retrying — " + reason(a.Problem)
	case "expired":
		return "expired — retrying"
	case "paused":
		return "paused — renewing too often"
	}
	return a.State
}

// HasCredential reports whether Copy can work without the user.
func (a Account) HasCredential() bool {
	switch a.State {
	case "valid", "refreshing", "retrying", "expired", "paused":
		return true
	}
	return false
}

// credentialName is what the account's credential is called in menus and notifications.
func (a Account) credentialName() string {
	if a.Provider == "onsip" {
		return "SessionId"
	}
	return "token"
}

// reason names a transient failure in a word or two.
func reason(problem string) string {
	switch {
	case problem == "":
		return "network"
	case strings.Contains(problem, "keyring"):
		return "keyring"
	case containsAny(problem, "503", "500", "502", "504", "429", "answered 5"):
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
		items = append(items, disabled("The accounts file has a problem — see Accounts…"), fyne.NewMenuItemSeparator())
	case len(s.Accounts) == 0:
		items = append(items, disabled("No accounts yet"), fyne.NewMenuItemSeparator())
	default:
		for _, a := range s.Accounts {
			items = append(items, accountItems(a, s.Now, act)...)
			items = append(items, fyne.NewMenuItemSeparator())
		}
	}
	login := fyne.NewMenuItem("Start at login", bind(act.StartAtLogin, !s.StartAtLogin))
	login.Checked = s.StartAtLogin
	quit := fyne.NewMenuItem("Quit", act.Quit)
	quit.IsQuit = true // so Fyne does not add a second Quit of its own
	items = append(items, fyne.NewMenuItem("Accounts…", act.ShowAccounts), login, fyne.NewMenuItemSeparator(), quit)
	return fyne.NewMenu("Tokentray", items...)
}

// accountItems are one account's lines: its status, then what can be done with it now.
func accountItems(a Account, now time.Time, act Actions) []*fyne.MenuItem {
	items := []*fyne.MenuItem{disabled(a.Name + " — " + a.Summary(now))}
	if a.HasCredential() {
		items = append(items, fyne.NewMenuItem("Copy "+a.credentialName(), func() { call2(act.Copy, a.ID, false) }))
		if a.Provider != "onsip" {
			items = append(items, fyne.NewMenuItem("Copy as Authorization header", func() { call2(act.Copy, a.ID, true) }))
		}
		if len(a.Users) > 1 {
			var users []*fyne.MenuItem
			for _, u := range a.Users {
				it := fyne.NewMenuItem(u.Name+" ("+u.ID+")", func() {
					if act.ActAs != nil {
						act.ActAs(a.ID, u.ID)
					}
				})
				it.Checked = u.ID == a.CurrentUser
				users = append(users, it)
			}
			actAs := fyne.NewMenuItem("Act as", nil)
			actAs.ChildMenu = fyne.NewMenu("", users...)
			items = append(items, actAs)
		}
		items = append(items, fyne.NewMenuItem("Refresh now", bind(act.Refresh, a.ID)),
			fyne.NewMenuItem("Sign out", bind(act.SignOut, a.ID)))
		return items
	}
	signIn := fyne.NewMenuItem("Sign in…", bind(act.SignIn, a.ID))
	signIn.Disabled = a.SigningIn
	return append(items, signIn)
}

// Icon is the tray icon for s: busy while a sign-in is in progress, attention when some account
// needs the user, normal otherwise.
func Icon(s MenuState) fyne.Resource {
	attention := s.Problem != ""
	for _, a := range s.Accounts {
		if a.SigningIn {
			return resources.IconBusy
		}
		switch a.State {
		case "sign-in required", "expired":
			attention = true
		}
	}
	if attention {
		return resources.IconAttention
	}
	return resources.IconNormal
}

func bind[T any](f func(T), v T) func() {
	if f == nil {
		return nil
	}
	return func() { f(v) }
}

func call2[A, B any](f func(A, B), a A, b B) {
	if f != nil {
		f(a, b)
	}
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
