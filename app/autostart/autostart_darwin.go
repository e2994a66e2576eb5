package autostart

import (
	"fmt"
	"html"
	"os"
	"path/filepath"

	"tokentray/app/config"
)

// path is ~/Library/LaunchAgents/<ID>.plist.
func (a Autostart) path() string {
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "Library", "LaunchAgents", a.ID+".plist")
}

func (a Autostart) enabled() bool { return fileExists(a.path()) }

func (a Autostart) enable() error {
	plist := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>Label</key><string>%s</string>
  <key>ProgramArguments</key><array><string>%s</string></array>
  <key>RunAtLoad</key><true/>
</dict></plist>
`, html.EscapeString(a.ID), html.EscapeString(a.Exec))
	if err := config.WriteFileAtomic(a.path(), []byte(plist)); err != nil {
		return fmt.Errorf("could not turn on start at login: %w", err)
	}
	return nil
}

func (a Autostart) disable() error { return removeFile(a.path()) }
