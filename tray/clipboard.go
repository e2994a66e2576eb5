package tray

import (
	"sync"
	"time"
)

// Clipboard puts text on the system clipboard and reads it back.
type Clipboard interface {
	Set(text string) error
	Get() (string, error)
}

// Copier puts credentials on the clipboard and takes them off again after ClearAfter (and when
// Tokentray quits), but only if the clipboard still holds the credential: the user may have copied
// something else since. Safe for concurrent use.
type Copier struct {
	Clipboard Clipboard

	mu     sync.Mutex
	timer  *time.Timer
	copied string // what Tokentray put there last, until cleared
}

// Copy puts value on the clipboard, to be cleared after clearAfter (0: never).
func (c *Copier) Copy(value string, clearAfter time.Duration) error {
	if err := c.Clipboard.Set(value); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
	c.copied = value
	if clearAfter > 0 {
		c.timer = time.AfterFunc(clearAfter, c.Clear)
	}
	return nil
}

// Clear takes the credential Tokentray put on the clipboard off it, if it is still there.
func (c *Copier) Clear() {
	c.mu.Lock()
	value := c.copied
	c.copied = ""
	c.mu.Unlock()
	if value == "" {
		return
	}
	if now, err := c.Clipboard.Get(); err == nil && now == value {
		_ = c.Clipboard.Set("")
	}
}
