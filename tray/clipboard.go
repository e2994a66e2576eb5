package tray

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// Clipboard puts text on the system clipboard and reads it back.
type Clipboard interface {
	Set(text string) error
	Get() (string, error)
}

// SystemClipboard picks how to reach the clipboard. On Linux a click in the tray gives no window
// focus, and GLFW's clipboard (Fyne's) needs a focused window on Wayland and its own window to own
// the X11 selection: so under Wayland it uses wl-copy/wl-paste and under X11 xclip when installed,
// and Fyne's clipboard otherwise (and on macOS and Windows, where it works from the tray).
func SystemClipboard(a fyne.App) Clipboard {
	if runtime.GOOS == "linux" {
		if os.Getenv("WAYLAND_DISPLAY") != "" && has("wl-copy") && has("wl-paste") {
			return commandClipboard{set: []string{"wl-copy"}, get: []string{"wl-paste", "--no-newline"}}
		}
		if os.Getenv("DISPLAY") != "" && has("xclip") {
			return commandClipboard{set: []string{"xclip", "-selection", "clipboard", "-in"}, get: []string{"xclip", "-selection", "clipboard", "-out"}}
		}
	}
	return fyneClipboard{a}
}

func has(cmd string) bool { _, err := exec.LookPath(cmd); return err == nil }

type commandClipboard struct{ set, get []string }

func (c commandClipboard) Set(text string) error {
	cmd := exec.Command(c.set[0], c.set[1:]...)
	cmd.Stdin = strings.NewReader(text)
	// xclip and wl-copy fork a process that serves the selection; not waiting on its output lets Run
	// return once the parent has handed over.
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("could not set the clipboard with %s: %w", c.set[0], err)
	}
	return nil
}

func (c commandClipboard) Get() (string, error) {
	var out bytes.Buffer
	cmd := exec.Command(c.get[0], c.get[1:]...)
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "", err
	}
	return out.String(), nil
}

type fyneClipboard struct{ a fyne.App }

func (c fyneClipboard) Set(text string) error {
	fyne.DoAndWait(func() { c.a.Clipboard().SetContent(text) })
	return nil
}

func (c fyneClipboard) Get() (s string, err error) {
	fyne.DoAndWait(func() { s = c.a.Clipboard().Content() })
	return s, nil
}

// Copier puts credentials on the clipboard and takes them off again after ClearAfter, but only if
// the clipboard still holds the credential (the user may have copied something else since).
type Copier struct {
	Clipboard  Clipboard
	ClearAfter time.Duration // 0: never clear

	mu    sync.Mutex
	timer *time.Timer
}

// Copy puts value on the clipboard.
func (c *Copier) Copy(value string) error {
	if err := c.Clipboard.Set(value); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.ClearAfter > 0 {
		c.timer = time.AfterFunc(c.ClearAfter, func() {
			if now, err := c.Clipboard.Get(); err == nil && now == value {
				_ = c.Clipboard.Set("")
			}
		})
	}
	return nil
}

// CopiedMessage is the notification after a copy, e.g. "Copied Work token — valid for 57 min".
func CopiedMessage(a Account, expiry, now time.Time, asHeader bool) string {
	what := a.credentialName()
	if asHeader {
		what = "Authorization header"
	}
	if a.Session {
		return fmt.Sprintf("Copied %s %s — session active", a.Name, what)
	}
	return fmt.Sprintf("Copied %s %s — valid for %s", a.Name, what, humanDuration(expiry.Sub(now)))
}
