//go:build !windows && !darwin

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostartEntry(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	a := Autostart{ID: "io.github.tokentray.Tokentray", Exec: "/opt/tokentray/bin/tokentray"}
	if a.Enabled() {
		t.Fatal("enabled before Set")
	}
	if err := a.Set(true); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", a.ID+".desktop"))
	if err != nil || !strings.Contains(string(b), `Exec="/opt/tokentray/bin/tokentray"`) || !a.Enabled() {
		t.Fatalf("autostart entry: %s %v", b, err)
	}
	if err := a.Set(false); err != nil || a.Enabled() {
		t.Fatalf("still enabled after Set(false): %v", err)
	}
	if err := a.Set(false); err != nil {
		t.Fatalf("turning off twice: %v", err)
	}
}
