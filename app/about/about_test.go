package about

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// The constants are FyneApp.toml's [Details], which Fyne's packaging and the Debian package read.
func TestAboutIsFyneAppTOML(t *testing.T) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	details := regexp.MustCompile(`(?s)\[Details\](.*?)(\n\[|$)`).FindSubmatch(b)
	if details == nil {
		t.Fatal("FyneApp.toml has no [Details]")
	}
	for key, want := range map[string]string{"ID": `"` + ID + `"`, "Name": `"` + Name + `"`, "Version": `"` + Version + `"`, "Build": strconv.Itoa(Build)} {
		m := regexp.MustCompile(`(?m)^` + key + `\s*=\s*(.+?)\s*$`).FindSubmatch(details[1])
		if m == nil || string(m[1]) != want {
			t.Errorf("FyneApp.toml's %s is %q; about says %s", key, m, want)
		}
	}
}
