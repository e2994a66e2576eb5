package tray

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tokentray/app/model"
	"tokentray/resources"
	"tokentray/tray/fakecore"
)

// recorder is a Renderer that keeps what it was last told to draw.
type recorder struct {
	mu      sync.Mutex
	menu    []Item
	icon    []byte
	renders int
}

func (r *recorder) Render(menu []Item, icon []byte, _ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.menu, r.icon = menu, icon
	r.renders++
}

func (r *recorder) click(t *testing.T, path ...string) {
	t.Helper()
	r.mu.Lock()
	items := r.menu
	r.mu.Unlock()
	for i, label := range path {
		j := slices.IndexFunc(items, func(it Item) bool { return strings.HasPrefix(it.Label, label) })
		if j < 0 {
			t.Fatalf("no %q in %v", label, labels(items))
		}
		if i == len(path)-1 {
			items[j].Action()
			return
		}
		items = items[j].Children
	}
}

type desktop struct {
	mu    sync.Mutex
	notes []Note
}

func (d *desktop) Notify(title, body string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes = append(d.notes, Note{title, body})
	return nil
}
func (d *desktop) Notes() []Note { d.mu.Lock(); defer d.mu.Unlock(); return slices.Clone(d.notes) }

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: not within 5 s", what)
		}
	}
}

// The tray as its wiring runs it, on a fake core: every menu item calls the right core method,
// and every change of the core reaches the menu, the icon and the notifications.
func TestTrayWiring(t *testing.T) {
	now := time.Now()
	core := &fakecore.Core{Prefs: model.Preferences{Notifications: true, ClipboardClear: 2 * time.Minute}}
	work := avaya(model.Valid, now)
	phones := model.Account{ID: "o", Name: "Phones", Provider: "onsip", State: model.Valid, Session: true,
		Users: []model.User{{ID: "1", Name: "Ann"}, {ID: "2", Name: "Bob"}}, CurrentUser: "1"}
	home := model.Account{ID: "h", Name: "Home", Provider: "oidc", State: model.SignedOut}
	core.Accts = []model.Account{work, phones, home}
	r, d, clip := &recorder{}, &desktop{}, &memClipboard{}
	var shown, quit int
	tr := &Tray{Core: core, Renderer: r, Desktop: d, Clipboard: &Copier{Clipboard: clip},
		ShowAccounts: func() { shown++ }, Quit: func() { quit++ }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr.Start(ctx)

	r.click(t, "Copy token")
	eventually(t, "the token on the clipboard", func() bool { s, _ := clip.Get(); return s == "tok-a" })
	eventually(t, "the copy notification", func() bool {
		n := d.Notes()
		return len(n) == 1 && n[0].Body == "Copied Work token — valid for 54 min, cleared from the clipboard in 2 min"
	})
	r.click(t, "Copy as Authorization header")
	eventually(t, "the header on the clipboard", func() bool { s, _ := clip.Get(); return s == "Authorization: Bearer tok-a" })
	r.click(t, "Refresh now")
	r.click(t, "Act as", "Bob")
	r.click(t, "Sign in…")
	r.click(t, "Sign out")
	home.SigningIn = true // the browser is open: the menu offers to give the sign-in up
	core.Set(work, phones, home)
	r.click(t, "Cancel sign-in")
	home.SigningIn = false
	r.click(t, "Accounts…")
	r.click(t, "Start at login")
	want := []string{"credential a default", "credential a default", "renew a", "act-as o 2", "sign-in h", "sign-out a", "cancel h", "prefs 2m0s 0s start-at-login true"}
	eventually(t, "every action at the core", func() bool { return cmp.Equal(want, sortedLike(core.Calls(), want)) })
	if shown != 1 {
		t.Errorf("Accounts… showed the window %d times", shown)
	}
	if !strings.Contains(strings.Join(labels(r.menu), "\n"), "[x] Start at login") {
		t.Errorf("Start at login not checked after clicking it: %v", labels(r.menu))
	}

	// A status change reaches the menu, the icon, and (once) a notification.
	work.State = model.SignInRequired
	core.Set(work, phones, home)
	eventually(t, "sign-in required in the menu", func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return slices.Contains(labels(r.menu), "(Work — sign-in required)") && bytes.Equal(r.icon, resources.TrayAttention)
	})
	core.Set(work, phones, home) // the same again: nothing more to announce or draw
	signIn := 0
	for _, n := range d.Notes() {
		if n.Title == "Sign-in required" {
			signIn++
		}
	}
	if signIn != 1 {
		t.Errorf("%d sign-in required notifications, want 1: %v", signIn, d.Notes())
	}

	// A failed action tells the person.
	core.FailCopy = errors.New("Work: sign-in required; run `tokentray login Work`")
	r.click(t, "Copy SessionId")
	eventually(t, "the failure told", func() bool {
		n := d.Notes()
		return strings.HasPrefix(n[len(n)-1].Body, "Could not copy: Work: sign-in required")
	})

	// Quit takes Tokentray's credential off the clipboard.
	_ = tr.Clipboard.Copy("tok-a", 0)
	r.click(t, "Quit")
	if s, _ := clip.Get(); s != "" || quit != 1 {
		t.Fatalf("after Quit: clipboard %q, quit %d", s, quit)
	}
}

// sortedLike orders got as want is ordered where they hold the same items: the actions run on
// goroutines of their own, so their order at the core is not the clicks'.
func sortedLike(got, want []string) []string {
	if len(got) != len(want) {
		return got
	}
	rest := slices.Clone(got)
	out := make([]string, 0, len(want))
	for _, w := range want {
		i := slices.Index(rest, w)
		if i < 0 {
			return got
		}
		out = append(out, w)
		rest = slices.Delete(rest, i, i+1)
	}
	return out
}
