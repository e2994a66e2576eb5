//go:build !windows && !darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"

	"tokentray/app/config"
)

// path is $XDG_CONFIG_HOME/autostart/<ID>.desktop (the XDG Autostart specification).
func (a Autostart) path() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = filepath.Join(os.Getenv("HOME"), ".config")
	}
	return filepath.Join(dir, "autostart", a.ID+".desktop")
}

func (a Autostart) enabled() bool { return fileExists(a.path()) }

func (a Autostart) enable() error {
	entry := fmt.Sprintf("[Desktop Entry]\nType=Application\nName=Tokentray\nComment=Keeps API credentials fresh\nExec=%q\nIcon=%s\nTerminal=false\nX-GNOME-Autostart-enabled=true\n", a.Exec, a.ID)
	if err := config.WriteFileAtomic(a.path(), []byte(entry)); err != nil {
		return fmt.Errorf("could not turn on start at login: %w", err)
	}
	return nil
}

func (a Autostart) disable() error { return removeFile(a.path()) }
