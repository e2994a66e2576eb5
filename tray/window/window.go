// Package window is the accounts window: a Fyne app in a process of its own, started when the
// person asks for it and gone when closed, talking to the always-on app through Core (ipc.Client
// over the socket). It is built once and updated in place: a status change or the clock's tick
// never rebuilds it, so the scroll position, the selected tab, typed text and focus stay.
//
// Threading: Fyne objects are touched only on Fyne's goroutine; the core's callbacks and timers
// reach the window through fyne.Do.
package window

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
)

// Core is what the window asks of the app. ipc.Client implements it over the socket; tests use
// a fake. ids are account ids.
type Core interface {
	Accounts() []model.Account
	ConfigProblem() string
	Preferences() model.Preferences
	Info() model.AppInfo
	Subscribe(changed func()) (stop func())
	Credential(ctx context.Context, id model.AccountID, v model.Validity) (model.Credential, error)
	SignIn(ctx context.Context, id model.AccountID) error // starts it; its progress shows in the account
	SignInOnDevice(ctx context.Context, id model.AccountID) error
	CancelSignIn(id model.AccountID) error
	Paste(id model.AccountID, text string) error
	SignOut(ctx context.Context, id model.AccountID) error
	RenewNow(ctx context.Context, id model.AccountID) error
	ChooseUser(ctx context.Context, id model.AccountID, user string) error
	Check(ctx context.Context, id model.AccountID) (string, error)
	AddAccount(name, kind string, settings, secrets map[string]string) error
	UpdateAccount(id model.AccountID, name string, settings, secrets map[string]string) error
	RemoveAccount(ctx context.Context, id model.AccountID) error
	SetPreferences(model.Preferences) error
	Quit() error
	Audit(id model.AccountID, n int) ([]model.HandOut, error) // the account's newest hand-outs
	Inspect(ctx context.Context, id model.AccountID) (model.Inspection, error)
}

// Opener opens an address in the system browser (Open again) — the window's own, since the
// person is at this window.
type Opener func(url string) error

// Window is the accounts window: a compact list of the accounts, the chosen one's details and
// actions, the settings, and a status line where every action says how it went.
type Window struct {
	core Core
	app  fyne.App
	win  fyne.Window
	open Opener
	now  func() time.Time

	accounts []model.Account // what the list shows
	selected model.AccountID // the chosen account's id

	tabs      *container.AppTabs
	list      *widget.List
	detail    *detail
	settings  *settings
	status    *widget.Label // the last action's outcome
	banners   *fyne.Container
	empty     *widget.Label
	problem   *widget.Label
	page      *fyne.Container // the Accounts tab: laid out again when its top lines come or go
	shown     int             // AppInfo.Shown last seen
	bannerKey string          // what the banners show, to redraw them only when it changes
	toClear   string          // the credential last copied, while its clear is due
	stop      func()
	done      chan struct{} // closed when the window closes: its tick stops
	// async runs a call to the core away from Fyne's goroutine (go f()); tests run it in place.
	async func(func())
	// tickEvery is how often the countdowns move (a second); 0 stops the ticker (tests tick
	// themselves, since Fyne's test driver runs fyne.Do on the caller's goroutine).
	tickEvery time.Duration
	started   bool // Start ran: calls to the core may begin
}

// New builds the accounts window of a (a real app, or Fyne's test app) on core. Call it on Fyne's
// goroutine; Show shows it.
func New(a fyne.App, core Core, open Opener) *Window {
	w := &Window{core: core, app: a, open: open, now: time.Now, win: a.NewWindow("Tokentray"), done: make(chan struct{}),
		async: func(f func()) { go f() }, tickEvery: time.Second}
	w.status = widget.NewLabel("")
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.banners = container.NewVBox()
	w.empty = wrap("No accounts yet. Add an OnSIP, Net2Phone Canada, Avaya Spaces or OpenID Connect account: Tokentray signs you in " +
		"through your browser once, keeps its credential fresh, and copies it in one click.")
	w.problem = wrap("")
	w.list = w.newList()
	w.detail = newDetail(w)
	w.settings = newSettings(w)
	add := widget.NewButtonWithIcon("Add account…", theme.ContentAddIcon(), func() { w.ShowForm(nil) })
	add.Importance = widget.HighImportance
	split := container.NewHSplit(w.list, container.NewPadded(w.detail.box))
	split.Offset = 0.56 // the list: names, countdowns, Copy; the pane: a sentence and two columns of buttons
	w.page = container.NewBorder(container.NewVBox(w.problem, w.empty), container.NewHBox(add), nil, nil, split)
	w.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Accounts", theme.AccountIcon(), w.page),
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), w.settings.content),
	)
	w.win.SetContent(container.NewBorder(w.banners, w.status, nil, nil, w.tabs))
	w.win.Resize(fyne.NewSize(800, 600))
	w.win.SetCloseIntercept(w.closed)
	w.update()
	return w
}

// Window is the Fyne window, for tests and screenshots.
func (w *Window) Window() fyne.Window { return w.win }

// Start keeps the window true to the core until it closes: every change the core pushes, and a
// second's tick for the countdowns.
func (w *Window) Start() {
	w.started = true
	w.stop = w.core.Subscribe(func() { fyne.Do(w.update) })
	w.refreshRecent(w.selected)
	if w.tickEvery <= 0 {
		return
	}
	go func() {
		t := time.NewTicker(w.tickEvery)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				fyne.Do(w.tick)
			}
		}
	}()
}

// Show brings the window forward.
func (w *Window) Show() {
	w.win.Show()
	w.win.RequestFocus()
}

// closed: with a tray the window's process ends (the app goes on in the tray); without one,
// the app ends too, since there is no icon to come back to.
func (w *Window) closed() {
	// the timer that would clear the last copy ends with this process: clear it now
	w.clearClipboard(w.toClear)
	if !w.core.Info().TrayAvailable {
		_ = w.core.Quit()
	}
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	w.win.Close()
	w.app.Quit()
}

// update takes what the core says now into the window, in place.
func (w *Window) update() {
	info := w.core.Info()
	w.accounts = w.core.Accounts()
	if info.Shown > w.shown && w.shown > 0 {
		w.Show()
	}
	w.shown = info.Shown
	w.updateBanners(info)
	p := w.core.ConfigProblem()
	before := [2]bool{w.problem.Visible(), w.empty.Visible()}
	setText(w.problem, "The accounts file could not be read, and Tokentray will not change it until it is fixed:\n"+p, p != "")
	visible(w.empty, len(w.accounts) == 0 && p == "")
	if before != [2]bool{w.problem.Visible(), w.empty.Visible()} {
		w.page.Refresh()
	}
	if w.selected == "" && len(w.accounts) > 0 {
		w.list.Select(0)
	}
	w.list.Refresh()
	w.detail.show(w.account(w.selected))
	w.settings.update(w.core.Preferences(), info)
}

// tick moves the countdowns on.
func (w *Window) tick() {
	w.list.Refresh()
	w.detail.tick()
}

// account returns the account with id as last seen; the zero Account when there is none.
func (w *Window) account(id model.AccountID) model.Account {
	for _, a := range w.accounts {
		if a.ID == id {
			return a
		}
	}
	return model.Account{}
}

// say puts the outcome of an action in the status line, where it was taken.
func (w *Window) say(text string) { w.status.SetText(text) }
