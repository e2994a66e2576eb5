package tests

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// TestPackagingAgreesWithFyneAppTOML keeps the .desktop file and AppStream metainfo in step with
// FyneApp.toml, the one source of the app ID, name and version.
func TestPackagingAgreesWithFyneAppTOML(t *testing.T) {
	var meta struct {
		Details struct{ ID, Name, Version string }
	}
	b, _ := os.ReadFile("../FyneApp.toml")
	if err := toml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	id := meta.Details.ID

	desktop, err := os.ReadFile("../packaging/linux/" + id + ".desktop")
	if err != nil {
		t.Fatalf("no .desktop file named after the app ID: %v", err)
	}
	for _, want := range []string{"Name=" + meta.Details.Name, "Exec=tokentray", "Icon=" + id, "Type=Application"} {
		if !strings.Contains(string(desktop), want+"\n") {
			t.Errorf(".desktop file lacks %q", want)
		}
	}

	raw, err := os.ReadFile("../packaging/linux/" + id + ".metainfo.xml")
	if err != nil {
		t.Fatalf("no metainfo named after the app ID: %v", err)
	}
	var info struct {
		ID         string `xml:"id"`
		Name       string `xml:"name"`
		Launchable string `xml:"launchable"`
		Releases   []struct {
			Version string `xml:"version,attr"`
		} `xml:"releases>release"`
	}
	if err := xml.Unmarshal(raw, &info); err != nil {
		t.Fatalf("metainfo is not well-formed XML: %v", err)
	}
	if info.ID != id || info.Name != meta.Details.Name || info.Launchable != id+".desktop" {
		t.Errorf("metainfo id/name/launchable = %q/%q/%q, want %q/%q/%q", info.ID, info.Name, info.Launchable, id, meta.Details.Name, id+".desktop")
	}
	if len(info.Releases) == 0 || info.Releases[0].Version != meta.Details.Version {
		t.Errorf("metainfo's newest release is not FyneApp.toml's version %s", meta.Details.Version)
	}
}

// TestScreenshotsExist keeps the README's and the metainfo's screenshots in the repository.
func TestScreenshotsExist(t *testing.T) {
	readme, _ := os.ReadFile("../README.md")
	meta, _ := os.ReadFile("../packaging/linux/io.github.tokentray.Tokentray.metainfo.xml")
	for _, name := range []string{"accounts.png", "add-account.png", "sign-in-in-progress.png"} {
		if fi, err := os.Stat("../packaging/screenshots/" + name); err != nil || fi.Size() < 10000 {
			t.Errorf("packaging/screenshots/%s is missing or empty", name)
		}
		if !strings.Contains(string(meta), "packaging/screenshots/"+name) {
			t.Errorf("the metainfo does not list %s", name)
		}
	}
	if !strings.Contains(string(readme), "packaging/screenshots/accounts.png") {
		t.Error("the README does not show the accounts window")
	}
}
