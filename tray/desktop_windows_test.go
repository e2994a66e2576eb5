package tray

import (
	"testing"
	"unsafe"
)

// The notification's struct is Windows' NOTIFYICONDATAW: a field out of place moves the title.
func TestNotifyIconDataIsWindows(t *testing.T) {
	var n notifyIconData
	if size, title := unsafe.Sizeof(n), unsafe.Offsetof(n.InfoTitle); size != 976 || title != 820 {
		t.Fatalf("NOTIFYICONDATAW is %d bytes with its title at %d; Windows' is 976, at 820", size, title)
	}
}
