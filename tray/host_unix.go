//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"github.com/godbus/dbus/v5"
)

// HostPresent reports whether a StatusNotifierItem host (a panel that shows tray icons) is on the
// session bus. Fyne's tray on Linux and the BSDs speaks only that protocol: without a host, as on
// GNOME without the AppIndicator extension, the icon is simply not shown.
func HostPresent() bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	v, err := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").
		GetProperty("org.kde.StatusNotifierWatcher.IsStatusNotifierHostRegistered")
	if err != nil {
		return false
	}
	ok, _ := v.Value().(bool)
	return ok
}
