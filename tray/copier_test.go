package tray

import (
	"sync"
	"testing"
	"time"

	"tokentray/app/model"
	"tokentray/tray/words"
)

type memClipboard struct {
	mu sync.Mutex
	s  string
}

func (m *memClipboard) Set(s string) error   { m.mu.Lock(); defer m.mu.Unlock(); m.s = s; return nil }
func (m *memClipboard) Get() (string, error) { m.mu.Lock(); defer m.mu.Unlock(); return m.s, nil }

func TestCopierClearsOnlyItsOwnCredential(t *testing.T) {
	clip := &memClipboard{}
	c := &Copier{Clipboard: clip}
	if err := c.Copy("secret-1", 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if got, _ := clip.Get(); got != "" {
		t.Fatalf("clipboard %q after the clear time, want empty", got)
	}
	_ = c.Copy("secret-2", 50*time.Millisecond)
	_ = clip.Set("something the user copied")
	time.Sleep(150 * time.Millisecond)
	if got, _ := clip.Get(); got != "something the user copied" {
		t.Fatalf("the clear wiped the user's own copy: %q", got)
	}
}

// On quit, a credential Tokentray put on the clipboard is taken off if it is still there.
func TestCopierClearsOnQuit(t *testing.T) {
	clip := &memClipboard{}
	c := &Copier{Clipboard: clip}
	_ = c.Copy("secret", 0) // kept until something else is copied…
	c.Clear()               // …or Tokentray quits
	if got, _ := clip.Get(); got != "" {
		t.Fatalf("clipboard %q after quitting", got)
	}
}

func TestCopiedMessage(t *testing.T) {
	now := time.Now()
	a := model.Account{Name: "Work", Provider: "avaya"}
	if got := words.CopiedMessage(a, now.Add(57*time.Minute), now, false, 0); got != "Copied Work token — valid for 57 min" {
		t.Errorf("got %q", got)
	}
	if got := words.CopiedMessage(a, now.Add(54*time.Minute), now, true, 2*time.Minute); got != "Copied Work Authorization header — valid for 54 min, cleared from the clipboard in 2 min" {
		t.Errorf("got %q", got)
	}
	s := model.Account{Name: "Phones", Provider: "onsip", Session: true}
	if got := words.CopiedMessage(s, now, now, false, 0); got != "Copied Phones SessionId — session active" {
		t.Errorf("got %q", got)
	}
}
