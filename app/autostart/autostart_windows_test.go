package autostart

import (
	"testing"

	"golang.org/x/sys/windows/registry"
)

// Start at login is the user's Run value, as Windows reads it; off is Windows' own switch for it
// (StartupApproved), which an upgrade writing the Run value again does not turn back on.
func TestAutostartRunKey(t *testing.T) {
	a := Autostart{ID: "io.github.tokentray.Tokentray", Exec: `C:\Users\me\AppData\Local\Programs\Tokentray\tokentray-tray.exe`,
		Name: "Tokentray-test-" + t.Name()} // not the real entry, on a real Windows
	t.Cleanup(func() {
		for _, key := range []string{runKey, approvedKey} {
			if k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.SET_VALUE); err == nil {
				_ = k.DeleteValue(a.name())
				k.Close()
			}
		}
	})
	if a.Enabled() {
		t.Fatal("on before it was turned on")
	}
	if err := a.Set(true); err != nil || !a.Enabled() {
		t.Fatalf("Set(true): %v, enabled %v", err, a.Enabled())
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue(a.name())
	if err != nil || v != `"`+a.Exec+`"` {
		t.Fatalf("the Run key holds %q (%v)", v, err)
	}
	if err := a.Set(false); err != nil || a.Enabled() {
		t.Fatalf("Set(false): %v, enabled %v", err, a.Enabled())
	}
	if err := k.SetStringValue(a.name(), v); err != nil { // what an upgrade's installer does
		t.Fatal(err)
	}
	if a.Enabled() {
		t.Fatal("the installer's Run value turned start at login back on")
	}
	if err := a.Set(true); err != nil || !a.Enabled() {
		t.Fatalf("on again: %v, enabled %v", err, a.Enabled())
	}
}
