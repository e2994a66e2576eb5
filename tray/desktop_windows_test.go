package tray

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The notification's struct is 64-bit Windows' NOTIFYICONDATAW (Tokentray ships for amd64): a
// field out of place moves the title.
func TestNotifyIconDataIsWindows(t *testing.T) {
	var n notifyIconData
	if size, title := unsafe.Sizeof(n), unsafe.Offsetof(n.InfoTitle); size != 976 || title != 820 {
		t.Fatalf("NOTIFYICONDATAW is %d bytes with its title at %d; Windows' is 976, at 820", size, title)
	}
}

// A long title or body is cut with an ellipsis, never inside a character of two UTF-16 units.
func TestFillCutsWhole(t *testing.T) {
	var dst [8]uint16
	fill(dst[:], "abcde😀fgh") // the emoji is units 5 and 6: the cut falls between them
	got := windows.UTF16ToString(dst[:])
	if got != "abcde…" {
		t.Fatalf("cut to %q", got)
	}
	fill(dst[:], "short")
	if got := windows.UTF16ToString(dst[:]); got != "short" {
		t.Fatalf("%q", got)
	}
}
