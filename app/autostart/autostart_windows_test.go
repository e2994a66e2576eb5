package autostart

import (
	"testing"

	"golang.org/x/sys/windows/registry"
)

// Start at login is the user's Run key: set, read back as Windows reads it, and removed.
func TestAutostartRunKey(t *testing.T) {
	a := Autostart{ID: "io.github.tokentray.Tokentray", Exec: `C:\Users\me\AppData\Local\Programs\Tokentray\tokentray.exe`}
	if err := a.Set(true); err != nil || !a.Enabled() {
		t.Fatalf("Set(true): %v, enabled %v", err, a.Enabled())
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := k.GetStringValue("Tokentray")
	k.Close()
	if err != nil || v != `"`+a.Exec+`"` {
		t.Fatalf("the Run key holds %q (%v)", v, err)
	}
	if err := a.Set(false); err != nil || a.Enabled() {
		t.Fatalf("Set(false): %v, enabled %v", err, a.Enabled())
	}
}
