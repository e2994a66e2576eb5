// Package tray is everything Fyne: the tray icon and menu, the accounts window, and later the
// sign-in dialogs, notifications and clipboard. It never speaks OAuth; it shows what app/ manages.
//
// Threading: Fyne objects are touched only on Fyne's goroutine. Code that runs elsewhere (the
// account manager's callbacks, timers) reaches the UI only through UI.Update, which uses fyne.Do.
package tray

import (
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
}

// UI owns the tray menu and the accounts window.
type UI struct {
	app   fyne.App
	info  Info
	state MenuState
	win   fyne.Window
}

// New sets up the tray for a (a real app, or fyne's test app) and shows the window at once when
// there is no tray to show it from. It must be called on Fyne's goroutine, before or inside Run.
func New(a fyne.App, info Info, s MenuState) *UI {
	u := &UI{app: a, info: info, state: s}
	a.SetIcon(resources.IconNormal)
	u.win = a.NewWindow("Tokentray")
	u.win.Resize(fyne.NewSize(560, 420))
	u.win.SetCloseIntercept(func() {
		if u.info.TrayAvailable {
			u.win.Hide() // the tray icon stays; Accounts… brings the window back
		} else {
			u.app.Quit()
		}
	})
	if d, ok := a.(desktop.App); ok && info.TrayAvailable {
		d.SetSystemTrayIcon(resources.IconNormal)
	}
	u.render()
	if !info.TrayAvailable {
		u.win.Show()
	}
	return u
}

// Update replaces the state shown by the menu and window. Safe to call from any goroutine.
func (u *UI) Update(s MenuState) {
	fyne.Do(func() {
		u.state = s
		u.render()
	})
}

// ShowAccounts brings the accounts window forward.
func (u *UI) ShowAccounts() {
	u.win.Show()
	u.win.RequestFocus()
}

// Window returns the accounts window, for tests and screenshots.
func (u *UI) Window() fyne.Window { return u.win }

func (u *UI) render() {
	if d, ok := u.app.(desktop.App); ok {
		// Set even without a tray host: the menu is harmless there, and a panel started later finds it.
		d.SetSystemTrayMenu(BuildMenu(u.state, Actions{ShowAccounts: u.ShowAccounts, Quit: u.app.Quit}))
	}
	u.win.SetContent(accountsContent(u.info, u.state))
}
