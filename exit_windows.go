package main

import (
	"time"

	"golang.org/x/sys/windows"
)

// waitExit waits until the process pid has ended, at most within; it reports whether it did.
func waitExit(pid int, within time.Duration) bool {
	p, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return true // no such process: ended
	}
	defer windows.CloseHandle(p)
	ev, err := windows.WaitForSingleObject(p, uint32(within.Milliseconds()))
	return err == nil && ev == windows.WAIT_OBJECT_0
}
