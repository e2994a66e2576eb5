package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/windows"
)

// say tells the person msg on stderr; started from the Start menu or at login, a GUI program has
// no stderr to show it, so Windows shows it in a message box instead.
func say(stderr io.Writer, msg string) {
	if h, err := windows.GetStdHandle(windows.STD_ERROR_HANDLE); stderr != os.Stderr || err == nil && h != 0 && h != windows.InvalidHandle {
		fmt.Fprint(stderr, msg)
		return
	}
	text, _ := windows.UTF16PtrFromString(strings.TrimSpace(strings.TrimPrefix(msg, "tokentray: ")))
	title, _ := windows.UTF16PtrFromString("Tokentray")
	_, _ = windows.MessageBox(0, text, title, windows.MB_OK|windows.MB_ICONWARNING)
}
