package window

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
	"tokentray/tray/fakecore"
)

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: not within 5 s", what)
		}
	}
}

func accounts(now time.Time, n int) []model.Account {
	var out []model.Account
	for i := range n {
		out = append(out, model.Account{ID: model.AccountID(fmt.Sprint("id", i)), Name: fmt.Sprintf("Work %d", i), Provider: "avaya", State: model.Valid,
			Expiry: now.Add(52*time.Minute + 10*time.Second), Identity: "Test User <test@avaya.com>"})
	}
	return out
}

func newTestWindow(t *testing.T, core *fakecore.Core) (*Window, *[]string) {
	t.Helper()
	return newTestWindowAt(t, core, time.Now)
}

// newTestWindowAt is newTestWindow with the window's clock given, for what says seconds.
func newTestWindowAt(t *testing.T, core *fakecore.Core, now func() time.Time) (*Window, *[]string) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(theme.DefaultTheme()) // sizes as a person sees them, not the test theme's
	var opened []string
	w := New(a, core, func(u string) error { opened = append(opened, u); return nil })
	w.async = func(f func()) { f() } // Fyne's test driver runs fyne.Do in place: one goroutine only
	w.tickEvery = 0                  // for the same reason: the tests tick themselves
	w.now = now
	w.tick() // New showed the first account by the real clock; a slow New (-race) shows in seconds
	w.Start()
	w.Window().Resize(fyne.NewSize(800, 600))
	t.Cleanup(func() {
		select {
		case <-w.done: // closed by the test
		default:
			close(w.done)
		}
	})
	return w, &opened
}

// Status changes and the clock's tick update the window in place: what the person types in
// Settings, the tab they are on and the list's scroll position all stay.
func TestWindowUpdatesInPlace(t *testing.T) {
	now := time.Now()
	core := &fakecore.Core{Accts: accounts(now, 30), Prefs: model.Preferences{ClipboardClear: 2 * time.Minute, MinValid: 5 * time.Minute, RefreshMargin: 5 * time.Minute}}
	w, _ := newTestWindow(t, core)
	w.list.ScrollToOffset(120)
	w.tabs.SelectIndex(1)
	test.Type(w.settings.clear, "0") // "2m" becomes "02m": the person is typing
	typed := w.settings.clear.Text
	for i := range 3 {
		accs := accounts(now, 30)
		accs[i].State = model.Refreshing
		core.Set(accs...)
		fyne.DoAndWait(func() {})
	}
	fyne.DoAndWait(w.tick)
	if w.settings.clear.Text != typed || typed != "02m" {
		t.Errorf("typed text %q became %q", typed, w.settings.clear.Text)
	}
	if w.tabs.SelectedIndex() != 1 {
		t.Errorf("the Settings tab was left for tab %d", w.tabs.SelectedIndex())
	}
	if off := w.list.GetScrollOffset(); off != 120 {
		t.Errorf("the list scrolled to %v", off)
	}
}

// At 800×600, eight accounts fit without scrolling.
func TestEightAccountsFitAt800x600(t *testing.T) {
	now := time.Now()
	w, _ := newTestWindow(t, &fakecore.Core{Accts: accounts(now, 8), AppInfo: model.AppInfo{TrayAvailable: true}}) // no banner: a desktop with a tray
	rowH := w.list.CreateRenderer().MinSize().Height                                                               // one row's height, and the list's padding
	if h := w.list.Size().Height; rowH*8 > h+1 {
		t.Fatalf("8 rows of %.0f px need %.0f px; the list has %.0f", rowH, rowH*8, h)
	}
}

// Every button calls the right core method, and says how it went where it was pressed.
func TestWindowButtonsCallTheCore(t *testing.T) {
	now := time.Now()
	core := &fakecore.Core{Accts: accounts(now, 2), Prefs: model.Preferences{ClipboardClear: 2 * time.Minute}}
	w, _ := newTestWindow(t, core)
	w.list.Select(0)
	for _, b := range []*widget.Button{w.detail.copy, w.detail.check, w.detail.renew, w.detail.signOut, w.detail.inspect} {
		test.Tap(b)
	}
	eventually(t, "the calls", func() bool { return len(core.Calls()) == 5 })
	want := []string{"credential id0 default", "check id0", "renew id0", "sign-out id0", "inspect id0"}
	if got := core.Calls(); !sameItems(got, want) {
		t.Fatalf("calls %v, want %v", got, want)
	}
	test.Tap(w.detail.copy)
	eventually(t, "the copy said in the window", func() bool {
		return strings.HasPrefix(w.status.Text, "Copied Work 0 token — valid for 54 min, cleared from the clipboard in 2 min")
	})
	if got := w.app.Clipboard().Content(); got != "tok-id0" {
		t.Fatalf("clipboard %q", got)
	}
	test.Tap(w.detail.check)
	eventually(t, "the check said", func() bool {
		return w.status.Text == "Work 0 works: the provider says you are Test User <test@avaya.com>."
	})
}

// A problem is said in one sentence with what to do, and goes when the account is fine again.
func TestProblemsInWords(t *testing.T) {
	now := time.Now()
	accs := accounts(now, 1)
	accs[0].State = model.Retrying
	accs[0].Problem = model.Problem{Class: model.Network, Host: "accounts.avayacloud.com", RetryAt: now.Add(30 * time.Second),
		Detail: `could not refresh the token: Post "https://accounts.avayacloud.com/oauth2/access_token": dial tcp: lookup accounts.avayacloud.com: no such host`}
	core := &fakecore.Core{Accts: accs}
	w, _ := newTestWindowAt(t, core, func() time.Time { return now }) // a slow machine must not make it "29 s"
	w.list.Select(0)
	if got := w.detail.problem.Text; got != "Can't reach accounts.avayacloud.com — check your network; retrying in 30 s." || !w.detail.problem.Visible() {
		t.Fatalf("problem said %q", got)
	}
	accs[0].State, accs[0].Problem = model.Valid, model.Problem{}
	core.Set(accs...)
	fyne.DoAndWait(func() {})
	if w.detail.problem.Visible() {
		t.Fatalf("a stale problem stays: %q", w.detail.problem.Text)
	}
}

// A sign-in in progress shows its address with Open again, Copy link and Cancel; a paste that
// is not the sign-in's answer is said at the paste box, and the sign-in goes on.
func TestSignInInProgress(t *testing.T) {
	accs := accounts(time.Now(), 1)
	accs[0].State, accs[0].SigningIn, accs[0].SignInURL = model.SignedOut, true, "http://127.0.0.1:5555/authorize?state=s"
	core := &fakecore.Core{Accts: accs, PasteErr: errors.New("the pasted address is not from this sign-in")}
	w, opened := newTestWindow(t, core)
	w.list.Select(0)
	if !w.detail.signing.Visible() || w.detail.address.Text != accs[0].SignInURL {
		t.Fatalf("the sign-in's address is not shown: %q", w.detail.address.Text)
	}
	test.Tap(w.detail.reopen)
	if len(*opened) != 1 || (*opened)[0] != accs[0].SignInURL {
		t.Fatalf("Open again opened %v", *opened)
	}
	test.Tap(w.detail.copyLink)
	if w.app.Clipboard().Content() != accs[0].SignInURL {
		t.Fatal("Copy link copied something else")
	}
	test.Type(w.detail.paste, "http://127.0.0.1:5555/callback?code=x&state=wrong")
	test.Tap(w.detail.submit)
	eventually(t, "the refused paste said", func() bool { return w.detail.pasteErr.Text == "the pasted address is not from this sign-in" })
	test.Tap(w.detail.cancel)
	eventually(t, "the cancel", func() bool { return slices.Contains(core.Calls(), "cancel id0") })
}

// Settings show durations as people write them, and Save says it saved.
func TestSettingsSave(t *testing.T) {
	core := &fakecore.Core{Prefs: model.Preferences{ClipboardClear: 2 * time.Minute, MinValid: 5 * time.Minute, RefreshMargin: 90 * time.Second}}
	w, _ := newTestWindow(t, core)
	if w.settings.clear.Text != "2m" || w.settings.minValid.Text != "5m" || w.settings.margin.Text != "1m30s" {
		t.Fatalf("durations shown as %q %q %q", w.settings.clear.Text, w.settings.minValid.Text, w.settings.margin.Text)
	}
	w.settings.clear.SetText("30s")
	w.settings.save()
	eventually(t, "Saved.", func() bool { return w.settings.saved.Text == "Saved." })
	if !slices.Contains(core.Calls(), "prefs 30s 5m0s start-at-login false") {
		t.Fatalf("calls %v", core.Calls())
	}
}

func sameItems(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The details say which processes took the account's credential lately, from the app's record.
func TestDetailsShowRecentUse(t *testing.T) {
	now := time.Now()
	core := &fakecore.Core{Accts: accounts(now, 2), HandOuts: []model.HandOut{
		{Time: now.Add(-time.Minute), AccountID: "id0", Via: "exec", Command: "curl", PID: 77, Program: "/usr/bin/tokentray", Parent: "/usr/bin/bash"}}}
	w, _ := newTestWindow(t, core)
	w.list.Select(0)
	if !w.detail.recent.Visible() || !strings.Contains(w.detail.recent.Text, "exec curl — tokentray (run by bash)") {
		t.Fatalf("recent use: %v %q", w.detail.recent.Visible(), w.detail.recent.Text)
	}
	test.Tap(w.detail.copy)
	eventually(t, "the copy in recent use", func() bool { return strings.Contains(w.detail.recent.Text, "window — tokentray-window") })
	w.list.Select(1)
	if w.detail.recent.Visible() {
		t.Fatalf("another account shows the first's use: %q", w.detail.recent.Text)
	}
}

// Inspect… shows what the credential says in a dialog: its claims and its signature's fate.
func TestInspectShowsTheClaims(t *testing.T) {
	core := &fakecore.Core{Accts: accounts(time.Now(), 1)}
	w, _ := newTestWindow(t, core)
	w.list.Select(0)
	test.Tap(w.detail.inspect)
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	var texts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Work 0: a JWT access token", "issuer        https://sso.example.com", "signature     verified with the issuer's published keys"} {
		if !strings.Contains(all, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, all)
		}
	}
	save(t, w.Window().Canvas().Capture(), "window-inspect")
}

// Signing in on another device: the button for an account that can (an OpenID one), then the code, the address
// and a QR code of the address with the code in it.
func TestSignInOnAnotherDevice(t *testing.T) {
	acc := model.Account{ID: "s", Name: "Work SSO", Provider: "oidc", State: model.SignedOut, DeviceSignIn: true}
	core := &fakecore.Core{Accts: []model.Account{acc}, AppInfo: model.AppInfo{TrayAvailable: true}}
	w, _ := newTestWindow(t, core)
	w.list.Select(0)
	if !w.detail.onDevice.Visible() {
		t.Fatal("no Sign in on another device for an OpenID account")
	}
	test.Tap(w.detail.onDevice)
	eventually(t, "the core asked", func() bool { return slices.Contains(core.Calls(), "sign-in-device s") })
	acc.SigningIn = true
	acc.SignInDevice = &model.DeviceCode{UserCode: "WDJB-MJHT", VerificationURI: "https://sso.example.com/device",
		Complete: "https://sso.example.com/device?user_code=WDJB-MJHT"}
	core.Set(acc)
	if !w.detail.onDevicePane.Visible() || w.detail.inBrowser.Visible() || !strings.Contains(w.detail.deviceText.Text, "open https://sso.example.com/device and enter this code") || w.detail.userCode.Text != "WDJB-MJHT" ||
		w.detail.qr.Image == nil || w.detail.qrFor != acc.SignInDevice.Complete {
		t.Fatalf("the device pane: visible %v, browser pane %v, %q, QR for %q", w.detail.onDevicePane.Visible(), w.detail.inBrowser.Visible(), w.detail.deviceText.Text, w.detail.qrFor)
	}
	if w.detail.onDevice.Visible() {
		t.Error("a second device sign-in is offered while one waits")
	}
	save(t, w.Window().Canvas().Capture(), "window-sign-in-on-device")
	for _, a := range accounts(time.Now(), 1) { // Avaya: no device sign-in to offer
		core.Set(a)
		w.list.Select(0)
		if w.detail.onDevice.Visible() {
			t.Error("Sign in on another device offered for Avaya")
		}
	}
}

// The window's process ends when it closes, and the timer that would clear a copy with it: the
// copy is cleared on close, unless something else was copied since.
func TestClosingTheWindowClearsItsCopy(t *testing.T) {
	for _, replaced := range []bool{false, true} {
		core := &fakecore.Core{Accts: accounts(time.Now(), 1), Prefs: model.Preferences{ClipboardClear: 2 * time.Minute}, AppInfo: model.AppInfo{TrayAvailable: true}}
		w, _ := newTestWindow(t, core)
		w.list.Select(0)
		test.Tap(w.detail.copy)
		eventually(t, "the copy", func() bool { return w.app.Clipboard().Content() == "tok-id0" })
		want := ""
		if replaced {
			w.app.Clipboard().SetContent("something else")
			want = "something else"
		}
		w.closed()
		if got := w.app.Clipboard().Content(); got != want {
			t.Fatalf("replaced %v: after closing, the clipboard holds %q", replaced, got)
		}
	}
}
