//go:build !(linux || freebsd || openbsd || netbsd)

package tray

// HostPresent reports whether the desktop shows tray icons; Windows and macOS always do.
func HostPresent() bool { return true }
