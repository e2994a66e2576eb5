package tray

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// SystemClipboard is the desktop's clipboard. On Linux a click in the tray gives no window
// focus, so no toolkit's clipboard can be used from here: under Wayland wl-copy/wl-paste, and
// under X11 xclip, each owning the selection in a process of its own.
func SystemClipboard() Clipboard {
	if os.Getenv("WAYLAND_DISPLAY") != "" && has("wl-copy") && has("wl-paste") {
		return commandClipboard{set: []string{"wl-copy"}, get: []string{"wl-paste", "--no-newline"}}
	}
	if has("xclip") {
		return commandClipboard{set: []string{"xclip", "-selection", "clipboard", "-in"}, get: []string{"xclip", "-selection", "clipboard", "-out"}}
	}
	return noClipboard{}
}

func has(cmd string) bool { _, err := exec.LookPath(cmd); return err == nil }

type commandClipboard struct{ set, get []string }

func (c commandClipboard) Set(text string) error {
	cmd := exec.Command(c.set[0], c.set[1:]...)
	cmd.Stdin = strings.NewReader(text)
	// xclip and wl-copy fork a process that serves the selection; Run returns once the parent
	// has handed over.
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

type noClipboard struct{}

var errNoClipboard = errors.New("there is no clipboard tool: install xclip (X11) or wl-clipboard (Wayland)")

func (noClipboard) Set(string) error     { return errNoClipboard }
func (noClipboard) Get() (string, error) { return "", errNoClipboard }
