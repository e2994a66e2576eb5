// Package tray is everything Fyne: the tray icon and menu, the accounts window, and later the
// sign-in dialogs, notifications and clipboard. It never speaks OAuth; it shows what app/ manages.
//
// Threading: Fyne objects are touched only on Fyne's goroutine. Code that runs elsewhere (the
// account manager's callbacks, timers) reaches the UI only through UI.Update, which uses fyne.Do.
package tray

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"tokentray/resources"
)

// Info is what the window shows about where things live.
type Info struct {
	Version        string
	ConfigPath     string
	LogPath        string
	KeyringService string
	// TrayAvailable is false when the desktop has no tray host; the window then says so and
	// closing it quits, since there is no icon to come back to.
	TrayAvailable bool
	Demo          bool // demo mode: the window says the accounts are demo ones
}

// UI owns the tray menu and the accounts window.
type UI struct {
	app     fyne.App
	info    Info
	state   MenuState
	win     fyne.Window
	act     Actions
	started bool // the tray is shown (Start); before it, only the window follows the state

	addWindow fyne.Window // the add-account form, when open
}

// New sets up the tray for a (a real app, or fyne's test app) and shows the window at once when
// there is no tray to show it from. It must be called on Fyne's goroutine, before or inside Run.
// act's ShowAccounts and Quit default to the window and the app.
func New(a fyne.App, info Info, s MenuState, act Actions) *UI {
	u := &UI{app: a, info: info, state: s, act: act}
	if u.act.ShowAccounts == nil {
		u.act.ShowAccounts = u.ShowAccounts
	}
	if u.act.Quit == nil {
		u.act.Quit = a.Quit
	}
	a.SetIcon(resources.IconNormal)
	u.win = a.NewWindow("Tokentray")
	u.win.Resize(fyne.NewSize(640, 560))
	u.win.SetCloseIntercept(func() {
		if u.info.TrayAvailable {
			u.win.Hide() // the tray icon stays; Accounts… brings the window back
		} else {
			u.app.Quit()
		}
	})
	u.win.SetContent(u.windowContent())
	if !info.TrayAvailable {
		u.win.Show()
	}
	return u
}

// Start puts the icon and menu in the tray. Call it once, after SetActions and SetState, before Run.
//
// Fyne's tray (2.8) applies the menu of its first SetSystemTrayMenu call again when the item has
// registered with the panel, so every menu set in between is lost: Start sets the real menu first,
// and sets it once more after the item has had time to register.
func (u *UI) Start() {
	u.started = true
	u.render()
	time.AfterFunc(2*time.Second, func() { fyne.Do(u.render) })
}

// Update replaces the state shown by the menu and window. Safe to call from any goroutine.
func (u *UI) Update(s MenuState) { fyne.Do(func() { u.SetState(s) }) }

// SetState replaces the state shown, on Fyne's goroutine (or the main goroutine before Run, when
// fyne.Do would queue the change behind an event loop that has not started).
func (u *UI) SetState(s MenuState) {
	u.state = s
	u.render()
}

// ShowAccounts brings the accounts window forward.
func (u *UI) ShowAccounts() {
	u.win.Show()
	u.win.RequestFocus()
}

// Window returns the accounts window, for tests and screenshots.
func (u *UI) Window() fyne.Window { return u.win }

func (u *UI) render() {
	if d, ok := u.app.(desktop.App); ok && u.started {
		// Set even without a tray host: the menu is harmless there, and a panel started later finds it.
		d.SetSystemTrayMenu(BuildMenu(u.state, u.act))
		d.SetSystemTrayIcon(Icon(u.state))
	}
	u.win.SetContent(u.windowContent())
}

// SetActions sets what the menu's items do. Call on Fyne's goroutine, before Run.
func (u *UI) SetActions(act Actions) {
	if act.ShowAccounts == nil {
		act.ShowAccounts = u.ShowAccounts
	}
	if act.Quit == nil {
		act.Quit = u.app.Quit
	}
	u.act = act
	u.render()
}

// State returns what the tray shows now. Call on Fyne's goroutine.
func (u *UI) State() MenuState { return u.state }
