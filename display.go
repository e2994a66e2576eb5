//go:build !cli

package main

import (
	"os"
	"runtime"
)

// noDisplay says why a window or a tray item cannot be shown here, "" when it can: on Linux and
// the BSDs they need an X or Wayland display (an ssh session or a cron job has neither).
func noDisplay() string {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" || os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "there is no display to show it on (DISPLAY and WAYLAND_DISPLAY are not set); the commands, such as `tokentray token NAME`, work without one"
}
