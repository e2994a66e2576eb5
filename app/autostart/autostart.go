package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Autostart starts Tokentray when the user logs in: an XDG autostart entry on Linux, a LaunchAgent
// on macOS, the Run key on Windows. Exec is the program to start.
type Autostart struct {
	ID   string // the app ID, e.g. io.github.tokentray.Tokentray
	Exec string
	Name string // Windows: the Run entry's name, Tokentray unless set (tests use their own)
}

// Enabled reports whether Tokentray starts at login.
func (a Autostart) Enabled() bool { return a.enabled() }

// Set turns starting at login on or off.
func (a Autostart) Set(on bool) error {
	if on {
		return a.enable()
	}
	return a.disable()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not turn off start at login: %w", err)
	}
	return nil
}
