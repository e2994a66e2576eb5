//go:build !linux && !windows

package tray

import "github.com/gen2brain/beeep"

// NewDesktop returns the desktop's notifications through gen2brain/beeep (a small, well-kept
// library with no GUI toolkit: Notification Center through osascript on macOS). A click on them
// does nothing there.
func NewDesktop(appID string, open func()) Desktop { return beeepDesktop{} }

type beeepDesktop struct{}

func (beeepDesktop) Notify(title, body string) error { return beeep.Notify(title, body, "") }
