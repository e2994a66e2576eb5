package tray

import (
	"time"

	"tokentray/app/model"
	"tokentray/resources"
	"tokentray/tray/words"
)

// Item is one line of the tray menu, drawn by a Renderer.
type Item struct {
	Label     string
	Disabled  bool
	Checkbox  bool // drawn as a check box, checked or not
	Checked   bool
	Separator bool
	Action    func()
	Children  []Item // a submenu
}

// MenuState is what the tray menu shows.
type MenuState struct {
	Accounts     []model.Account // empty shows "No accounts yet"
	Problem      string          // a problem with the accounts file, shown instead of the accounts
	Now          time.Time       // for "valid for 52 min"
	StartAtLogin bool
}

// Actions are what the menu's items do. Any may be nil.
type Actions struct {
	Copy         func(id model.AccountID, asHeader bool)
	Refresh      func(id model.AccountID)
	SignIn       func(id model.AccountID)
	CancelSignIn func(id model.AccountID)
	SignOut      func(id model.AccountID)
	ActAs        func(id model.AccountID, userID string)
	ShowAccounts func()
	StartAtLogin func(on bool)
	Quit         func()
}

// flatAccounts is how many accounts the menu lists inline; with more, each gets a submenu.
const flatAccounts = 3

// BuildMenu returns the tray menu for s: a pure function of state, so every state's menu is
// tested without a panel. The whole menu is built again on each change, so it cannot drift from
// the state; Systray.Render updates a menu of the same shape in place.
func BuildMenu(s MenuState, act Actions) []Item {
	var items []Item
	switch {
	case s.Problem != "":
		items = append(items, disabled("The accounts file has a problem — see Accounts…"), separator())
	case len(s.Accounts) == 0:
		items = append(items, disabled("No accounts yet"), separator())
	case len(s.Accounts) > flatAccounts:
		for _, a := range s.Accounts {
			items = append(items, Item{Label: a.Name + " — " + words.Summary(a, s.Now), Children: accountItems(a, act)})
		}
		items = append(items, separator())
	default:
		for _, a := range s.Accounts {
			items = append(items, disabled(a.Name+" — "+words.Summary(a, s.Now)))
			items = append(items, accountItems(a, act)...)
			items = append(items, separator())
		}
	}
	return append(items,
		Item{Label: "Accounts…", Action: act.ShowAccounts},
		Item{Label: "Start at login", Checkbox: true, Checked: s.StartAtLogin, Action: bind(act.StartAtLogin, !s.StartAtLogin)},
		separator(),
		Item{Label: "Quit", Action: act.Quit})
}

// accountItems are what can be done with an account now; while its sign-in waits for the
// browser, giving it up too (the browser may be closed, the page lost).
func accountItems(a model.Account, act Actions) []Item {
	items := credentialItems(a, act)
	if a.SigningIn {
		items = append(items, Item{Label: "Cancel sign-in", Action: bind(act.CancelSignIn, a.ID)})
	}
	return items
}

func credentialItems(a model.Account, act Actions) []Item {
	if !a.State.HasCredential() {
		return []Item{{Label: "Sign in…", Disabled: a.SigningIn, Action: bind(act.SignIn, a.ID)}}
	}
	items := []Item{{Label: "Copy " + words.CredentialName(a), Action: func() { call2(act.Copy, a.ID, false) }}}
	if !a.Session {
		items = append(items, Item{Label: "Copy as Authorization header", Action: func() { call2(act.Copy, a.ID, true) }})
	}
	if len(a.Users) > 1 {
		actAs := Item{Label: "Act as"}
		for _, u := range a.Users {
			actAs.Children = append(actAs.Children, Item{Label: u.Name + " (" + u.ID + ")", Checkbox: true, Checked: u.ID == a.CurrentUser,
				Action: func() { call2(act.ActAs, a.ID, u.ID) }})
		}
		items = append(items, actAs)
	}
	return append(items, Item{Label: "Refresh now", Action: bind(act.Refresh, a.ID)}, Item{Label: "Sign out", Action: bind(act.SignOut, a.ID)})
}

// Icon is the tray icon for s: busy while a sign-in is in progress, attention when some account
// needs the user, normal otherwise.
func Icon(s MenuState) []byte {
	attention := s.Problem != ""
	for _, a := range s.Accounts {
		if a.SigningIn {
			return resources.TrayBusy
		}
		if a.State.NeedsUser() {
			attention = true
		}
	}
	if attention {
		return resources.TrayAttention
	}
	return resources.TrayNormal
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

func disabled(label string) Item { return Item{Label: label, Disabled: true} }

func separator() Item { return Item{Separator: true} }
