// Package tray is Tokentray's always-on face: the tray item and its menu (through fyne.io/systray,
// with no GUI toolkit in the process), notifications and the clipboard. It shows what the core
// manages and asks the core for every action, through Core; it knows nothing of OAuth or the
// keyring (`go list -deps ./tray` shows neither).
package tray

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"tokentray/app/model"
	"tokentray/tray/words"
)

// Core is what the tray asks of Tokentray's core (app.Core in the same process). Every method is
// safe for concurrent use; ids are account ids.
type Core interface {
	Accounts() []model.Account
	ConfigProblem() string
	Preferences() model.Preferences
	SetPreferences(model.Preferences) error
	Subscribe(changed func()) (stop func())
	Credential(ctx context.Context, id model.AccountID, v model.Validity) (model.Credential, error)
	SignIn(ctx context.Context, id model.AccountID) error
	CancelSignIn(id model.AccountID) error
	SignOut(ctx context.Context, id model.AccountID) error
	RenewNow(ctx context.Context, id model.AccountID) error
	ChooseUser(ctx context.Context, id model.AccountID, user string) error
}

// Renderer draws the tray item: its menu, icon and tooltip (Systray in production).
type Renderer interface {
	Render(menu []Item, icon []byte, tooltip string)
}

// Tray is the tray item and what its menu does: each action is a method that calls the core and
// tells the person how it went. Every change the core reports, and a minute's tick (so "valid for
// 52 min" stays true), re-renders the menu and icon and may raise a notification.
type Tray struct {
	Core      Core
	Renderer  Renderer
	Desktop   Desktop // notifications; nil shows none
	Clipboard *Copier
	// ShowAccounts brings the accounts window forward (starting its process if needed).
	ShowAccounts func()
	// Quit ends the app; the credential Tokentray put on the clipboard is cleared first.
	Quit func()
	Now  func() time.Time // default time.Now

	mu       sync.Mutex
	notifier Notifier
	shown    MenuState // what the menu shows now, to skip renders that change nothing
	stop     func()
}

// Start shows the tray item and keeps it true until ctx ends.
func (t *Tray) Start(ctx context.Context) {
	if t.Now == nil {
		t.Now = time.Now
	}
	t.stop = t.Core.Subscribe(t.Refresh)
	t.Refresh()
	go func() {
		tick := time.NewTicker(time.Minute)
		defer tick.Stop()
		defer t.stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				t.Refresh()
			}
		}
	}()
}

// Refresh re-reads the core and re-renders what changed. Safe to call from any goroutine.
func (t *Tray) Refresh() {
	// One refresh at a time, reading and rendering under the lock: changes are told on the
	// goroutine that made them, and a refresh holding an older snapshot must not render (or
	// notify) after a newer one.
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	prefs := t.Core.Preferences()
	// the minute to come, not the one begun: "valid for 2 min" never overstates what is left, and
	// the menu changes once a minute
	s := MenuState{Accounts: t.Core.Accounts(), Problem: t.Core.ConfigProblem(), Now: now.Truncate(time.Minute).Add(time.Minute),
		StartAtLogin: prefs.StartAtLogin}
	notes := t.notifier.Update(s.Accounts, now)
	same := reflect.DeepEqual(s, t.shown)
	t.shown = s
	if prefs.Notifications {
		for _, n := range notes {
			t.notify(n.Title, n.Body)
		}
	}
	if !same {
		t.Renderer.Render(BuildMenu(s, t.actions()), Icon(s), tooltip(s))
	}
}

func tooltip(s MenuState) string {
	for _, a := range s.Accounts {
		if a.State.NeedsUser() {
			return "Tokentray — " + a.Name + " needs you"
		}
	}
	return "Tokentray"
}

func (t *Tray) actions() Actions {
	return Actions{Copy: t.Copy, Refresh: t.RenewNow, SignIn: t.SignIn, CancelSignIn: t.CancelSignIn, SignOut: t.SignOut, ActAs: t.ActAs,
		ShowAccounts: t.ShowAccounts, StartAtLogin: t.SetStartAtLogin, Quit: t.quit}
}

func (t *Tray) notify(title, body string) {
	if t.Desktop == nil {
		return
	}
	if err := t.Desktop.Notify(title, body); err != nil {
		slog.Info("could not show a notification", "title", title, "err", err)
		return
	}
	slog.Debug("notification shown", "title", title)
}

// report tells the person that an action failed: the tray has no place of its own for words.
func (t *Tray) report(what string, err error) {
	if err != nil {
		slog.Warn(what, "err", err)
		t.notify("Tokentray", what+": "+err.Error())
	}
}

func (t *Tray) account(id model.AccountID) model.Account {
	for _, a := range t.Core.Accounts() {
		if a.ID == id {
			return a
		}
	}
	return model.Account{ID: id}
}

// Copy puts a fresh credential of the account on the clipboard (as an Authorization header with
// asHeader), to be cleared after the clipboard_clear setting.
func (t *Tray) Copy(id model.AccountID, asHeader bool) {
	go func() {
		cred, err := t.Core.Credential(context.Background(), id, model.Default)
		if err != nil {
			t.report("Could not copy", err)
			return
		}
		text := cred.Value
		if asHeader {
			text = "Authorization: " + cred.Type + " " + cred.Value
		}
		clear := t.Core.Preferences().ClipboardClear
		if err := t.Clipboard.Copy(text, clear); err != nil {
			t.report("Could not copy", err)
			return
		}
		t.notify("Copied", words.CopiedMessage(t.account(id), cred.Expiry, t.Now(), asHeader, clear))
	}()
}

// RenewNow renews the account's credential now.
func (t *Tray) RenewNow(id model.AccountID) {
	go func() { t.report("Could not refresh", t.Core.RenewNow(context.Background(), id)) }()
}

// SignIn starts the account's sign-in in the browser.
func (t *Tray) SignIn(id model.AccountID) {
	go func() {
		if err := t.Core.SignIn(context.Background(), id); err != nil && !isCanceled(err) {
			t.report("Sign-in did not finish", err)
		}
	}()
}

// CancelSignIn gives up the account's sign-in that waits for the browser.
func (t *Tray) CancelSignIn(id model.AccountID) {
	go func() { t.report("Could not cancel the sign-in", t.Core.CancelSignIn(id)) }()
}

// SignOut signs the account out.
func (t *Tray) SignOut(id model.AccountID) {
	go func() { t.report("Could not sign out", t.Core.SignOut(context.Background(), id)) }()
}

// ActAs makes an OnSIP account act as another of its users.
func (t *Tray) ActAs(id model.AccountID, user string) {
	go func() { t.report("Could not switch the OnSIP user", t.Core.ChooseUser(context.Background(), id, user)) }()
}

// SetStartAtLogin turns starting at login on or off.
func (t *Tray) SetStartAtLogin(on bool) {
	p := t.Core.Preferences()
	p.StartAtLogin = on
	t.report("Could not change start at login", t.Core.SetPreferences(p))
	t.Refresh()
}

func (t *Tray) quit() {
	t.Clipboard.Clear()
	if t.Quit != nil {
		t.Quit()
	}
}

func isCanceled(err error) bool { return errors.Is(err, context.Canceled) }
