package tray

import "testing"

// The Win32 clipboard takes the credential and gives it back.
func TestWindowsClipboard(t *testing.T) {
	c := SystemClipboard()
	if err := c.Set("tok-é-1"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(); err != nil || got != "tok-é-1" {
		t.Fatalf("the clipboard holds %q (%v)", got, err)
	}
}
