package tray

import (
	"sync"
	"testing"
	"time"
)

type memClipboard struct {
	mu sync.Mutex
	s  string
}

func (m *memClipboard) Set(s string) error   { m.mu.Lock(); defer m.mu.Unlock(); m.s = s; return nil }
func (m *memClipboard) Get() (string, error) { m.mu.Lock(); defer m.mu.Unlock(); return m.s, nil }

func TestCopierClearsOnlyItsOwnCredential(t *testing.T) {
	clip := &memClipboard{}
	c := &Copier{Clipboard: clip, ClearAfter: 50 * time.Millisecond}
	if err := c.Copy("secret-1"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if got, _ := clip.Get(); got != "" {
		t.Fatalf("clipboard %q after the clear time, want empty", got)
	}
	_ = c.Copy("secret-2")
	_ = clip.Set("something the user copied")
	time.Sleep(150 * time.Millisecond)
	if got, _ := clip.Get(); got != "something the user copied" {
		t.Fatalf("the clear wiped the user's own copy: %q", got)
	}
}

func TestCopiedMessage(t *testing.T) {
	now := time.Now()
	a := Account{Name: "Work", Provider: "avaya"}
	if got := CopiedMessage(a, now.Add(57*time.Minute), now, false); got != "Copied Work token — valid for 57 min" {
		t.Errorf("got %q", got)
	}
	o := Account{Name: "Phones", Provider: "onsip", Session: true}
	if got := CopiedMessage(o, now, now, false); got != "Copied Phones SessionId — session active" {
		t.Errorf("got %q", got)
	}
}
