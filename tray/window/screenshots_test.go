package window

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tokentray/app/model"
	"tokentray/tray/fakecore"
)

// shots, when set (make screenshots), is where TestScreenshots writes what it renders:
//
//	go test ./tray/window -run TestScreenshots -args -shots ../../build/screenshots
var shots = flag.String("shots", "", "write the window's screenshots (PNG) to this folder")

// eightAccounts are accounts in every state a person meets, as the core reports them.
func eightAccounts(now time.Time) []model.Account {
	avaya := "Test User <test@avaya.com>"
	return []model.Account{
		{ID: "1", Name: "Work Avaya", Provider: "avaya", State: model.Valid, Expiry: now.Add(52*time.Minute + 10*time.Second), Identity: avaya},
		{ID: "2", Name: "Net2Phone Office", Provider: "net2phone", State: model.Valid, Expiry: now.Add(41 * time.Minute), Identity: "Dana Office <dana@example.ca>"},
		{ID: "3", Name: "Net2Phone Reports", Provider: "net2phone", State: model.Refreshing, Expiry: now.Add(3 * time.Minute),
			Settings: map[string]string{"grant": "client_credentials"}, Identity: "Example Telecom"},
		{ID: "4", Name: "Demo OnSIP", Provider: "onsip", State: model.Valid, Session: true, Checked: now.Add(-20 * time.Second),
			Expiry: now.Add(4 * time.Minute), Identity: "Fake Name <fake@onsip.com>",
			Users: []model.User{{ID: "555555", Name: "Fake Name"}, {ID: "666666", Name: "Fake Admin"}}, CurrentUser: "555555"},
		{ID: "5", Name: "Keycloak Staging", Provider: "oidc", State: model.Retrying, Expiry: now.Add(90 * time.Second), Identity: "dev@example.com",
			Problem: model.Problem{Class: model.Network, Detail: "dial tcp: lookup sso.staging.example.com: no such host", Host: "sso.staging.example.com", RetryAt: now.Add(30 * time.Second)}},
		{ID: "6", Name: "Google SSO", Provider: "oidc", State: model.SignInRequired,
			Problem: model.Problem{Class: model.SignInNeeded, Detail: "invalid_grant: the refresh token was revoked"}},
		{ID: "7", Name: "Sandbox Avaya", Provider: "avaya", State: model.SignedOut},
		{ID: "8", Name: "Lab OIDC", Provider: "oidc", State: model.Valid, Expiry: now.Add(4*time.Minute + 30*time.Second), Identity: "lab@example.com"},
	}
}

// TestScreenshots renders the window as a person sees it, with Fyne's own theme, at 800×600:
// eight accounts with one that needs the person selected, a sign-in in progress, and the add
// form for each provider and grant or sign-in method, and compares each with the image kept in
// testdata/ (Fyne's test driver renders the same pixels every time): a change to the window
// fails here until its new images are looked at and kept (testdata/failed/ holds them). With
// -shots (make screenshots) it writes them as PNGs instead.
func TestScreenshots(t *testing.T) {
	now := time.Now()
	core := &fakecore.Core{Accts: eightAccounts(now), Prefs: model.Preferences{ClipboardClear: 2 * time.Minute, MinValid: 5 * time.Minute, RefreshMargin: 5 * time.Minute},
		AppInfo: model.AppInfo{Version: "0.1.0", TrayAvailable: true, KeyringService: "tokentray"}}
	w, _ := newTestWindowAt(t, core, func() time.Time { return now }) // the same pixels every time: "valid 52:10" stays

	w.list.Select(5) // Google SSO: sign-in required
	compare(t, w.Window().Canvas().Capture(), "window-eight-accounts")

	accs := eightAccounts(now)
	accs[6].SigningIn, accs[6].SignInURL = true, "https://accounts.avayacloud.com/oauth2/authorize?client_id=6702b20d233fdebcf743&redirect_uri=http%3A%2F%2F127.0.0.1%3A41823%2Fcallback&state=…"
	core.Set(accs...)
	w.list.Select(6)
	compare(t, w.Window().Canvas().Capture(), "window-sign-in")

	for _, tc := range []struct{ name, kind, key, choice string }{
		{"form-net2phone-authorization-code", "Net2Phone Canada", "grant", "authorization_code"},
		{"form-net2phone-client-credentials", "Net2Phone Canada", "grant", "client_credentials"},
		{"form-avaya", "Avaya Spaces", "", ""},
		{"form-onsip-slack", "OnSIP", "method", "slack"},
		{"form-onsip-google", "OnSIP", "method", "google"},
		{"form-onsip-password", "OnSIP", "method", "password"},
		{"form-oidc", "OpenID Connect", "", ""},
	} {
		f := NewForm(func(string, string, map[string]string, map[string]string) error { return nil }, nil, nil, nil)
		f.Kind.SetSelected(tc.kind)
		if tc.key != "" {
			f.Fields[tc.key].(*widget.Select).SetSelected(tc.choice)
		}
		fw := test.NewWindow(container.NewPadded(f.Content()))
		fw.Resize(fyne.NewSize(640, 680))
		compare(t, fw.Canvas().Capture(), tc.name)
		fw.Close()
	}
}

// compare holds img to the image kept as testdata/name.png; with -shots it writes it instead.
func compare(t *testing.T, img image.Image, name string) {
	t.Helper()
	if *shots == "" {
		test.AssertImageMatches(t, name+".png", img)
		return
	}
	save(t, img, name)
}

// save writes img as name.png when -shots asks for the screenshots (other tests' pictures, whose
// moving parts, a spinner or a clock, would make a comparison fail for nothing).
func save(t *testing.T, img image.Image, name string) {
	t.Helper()
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Fatalf("%s: a %v capture", name, b)
	}
	if *shots == "" {
		return
	}
	if err := os.MkdirAll(*shots, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(*shots, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", f.Name())
}
