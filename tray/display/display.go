// Package display tells whether a window or a tray item can be shown here, for the programs that
// show them (the app, the accounts window) to say why not before they try.
package display

import (
	"os"
	"runtime"
)

// Missing says why a window or a tray item cannot be shown here, "" when it can: on Linux and
// the BSDs they need an X or Wayland display (an ssh session or a cron job has neither).
func Missing() string {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "there is no display to show it on (DISPLAY and WAYLAND_DISPLAY are not set); the commands, such as `tokentray token NAME`, work without one"
}
