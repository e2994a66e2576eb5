package window

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tokentray/app/client"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

type saved struct {
	name, kind        string
	settings, secrets map[string]string
}

func newTestForm(t *testing.T, check func(string, map[string]string) (string, error), saveErr error) (*Form, *[]saved, *string, *bool) {
	t.Helper()
	test.NewTempApp(t)
	var got []saved
	var copied string
	var closed bool
	f := NewForm(func(name, kind string, settings, secrets map[string]string) error {
		got = append(got, saved{name, kind, settings, secrets})
		return saveErr
	}, check, func(s string) { copied = s }, func() { closed = true })
	f.async = func(fn func()) { fn() }
	return f, &got, &copied, &closed
}

// shownFields lists the keys of the fields the form shows now, main and advanced.
func shownFields(f *Form) (main, advanced []string) {
	for _, fl := range f.kind.Fields {
		if row := f.rows[fl.Key]; row != nil && row.Visible() {
			if fl.Advanced {
				advanced = append(advanced, fl.Key)
			} else {
				main = append(main, fl.Key)
			}
		}
	}
	return main, advanced
}

// The form shows the fields of the chosen provider that apply to the chosen grant or sign-in
// method, the rarely changed ones under Advanced.
func TestFormAdaptsToTheProviderAndTheGrant(t *testing.T) {
	f, _, _, _ := newTestForm(t, nil, nil)
	for _, tc := range []struct {
		kind, choiceKey, choice string
		main, advanced          []string
		redirect                bool
	}{
		{"Net2Phone Canada", "grant", "authorization_code", []string{"grant", "client_id", "client_secret"},
			[]string{"base_url", "api_version", "pkce", "redirect_port", "redirect_host", "redirect_path", "redirect_url"}, true},
		{"Net2Phone Canada", "grant", "client_credentials", []string{"grant", "client_id", "client_secret"}, []string{"base_url", "api_version"}, false},
		{"OnSIP", "method", "password", []string{"method", "username", "password"}, []string{"api_url", "probe_action", "probe_interval"}, false},
		{"OnSIP", "method", "slack", []string{"method", "client_id"},
			[]string{"authorize_url", "scopes", "api_url", "probe_action", "probe_interval", "replace_user_service", "redirect_port", "redirect_host", "redirect_path", "redirect_url"}, true},
		{"OpenID Connect", "", "", []string{"issuer", "client_id", "client_secret"},
			[]string{"scopes", "pkce", "redirect_port", "redirect_host", "redirect_path", "redirect_url"}, true},
	} {
		t.Run(tc.kind+" "+tc.choice, func(t *testing.T) {
			f.Kind.SetSelected(tc.kind)
			if tc.choiceKey != "" {
				f.Fields[tc.choiceKey].(*widget.Select).SetSelected(tc.choice)
			}
			main, adv := shownFields(f)
			if !slices.Equal(main, tc.main) || !slices.Equal(adv, tc.advanced) {
				t.Fatalf("shows %v and, under Advanced, %v; want %v and %v", main, adv, tc.main, tc.advanced)
			}
			if got := !strings.HasPrefix(f.Redirect.Text, "none"); got != tc.redirect {
				t.Fatalf("redirect URI %q", f.Redirect.Text)
			}
		})
	}
}

// What does not apply is not saved; a required field of what applies is, and nothing is saved
// while one is missing.
func TestFormSavesWhatApplies(t *testing.T) {
	f, got, _, closed := newTestForm(t, nil, nil)
	f.Kind.SetSelected("OnSIP")
	f.Fields["method"].(*widget.Select).SetSelected("password")
	f.Name.SetText("Phones")
	f.submit()
	if len(*got) != 0 || !strings.Contains(f.Status.Text, "Username is required") {
		t.Fatalf("saved without the username: %v, %q", *got, f.Status.Text)
	}
	f.Fields["username"].(*widget.Entry).SetText("alice")
	f.Fields["password"].(*widget.Entry).SetText("pw")
	f.submit()
	if len(*got) != 1 || (*got)[0].settings["username"] != "alice" || (*got)[0].secrets["password"] != "pw" || (*got)[0].settings["client_id"] != "" || !*closed {
		t.Fatalf("saved %+v (closed %v)", *got, *closed)
	}
}

// The redirect URI to register is shown above Save, and its Copy button copies the URI alone.
func TestFormCopiesTheRedirectURIAlone(t *testing.T) {
	f, _, copied, _ := newTestForm(t, nil, nil)
	f.Kind.SetSelected("Avaya Spaces")
	f.Fields["redirect_port"].(*widget.Entry).SetText("8400")
	if f.Redirect.Text != "http://127.0.0.1:8400/callback" {
		t.Fatalf("redirect %q", f.Redirect.Text)
	}
	f.Fields["redirect_port"].(*widget.Entry).SetText("0")
	test.Tap(f.CopyURI)
	if *copied != "http://127.0.0.1/callback" {
		t.Fatalf("copied %q", *copied)
	}
}

// An OpenID issuer's discovery document is read before saving; what is wrong is said at the
// issuer's field, and so is the app's refusal of a setting.
func TestFormSaysErrorsAtTheirField(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	f, got, _, closed := newTestForm(t, CheckDiscovery, nil)
	f.Kind.SetSelected("OpenID Connect")
	f.Name.SetText("SSO")
	f.Fields["issuer"].(*widget.Entry).SetText(srv.URL)
	f.Fields["client_id"].(*widget.Entry).SetText("tokentray")
	f.submit()
	if len(*got) != 0 || *closed || !strings.Contains(f.Status.Text, "no discovery document") || f.errAt != "issuer" {
		t.Fatalf("saved an issuer without discovery: %v, %q", *got, f.Status.Text)
	}

	g, _, _, _ := newTestForm(t, nil, &client.FieldError{Field: "settings.client_id", Msg: "Avaya Spaces refused the client id"})
	g.Kind.SetSelected("Avaya Spaces")
	g.Name.SetText("Work")
	g.Fields["client_id"].(*widget.Entry).SetText("x")
	g.submit()
	if g.errAt != "client_id" || !strings.Contains(g.Status.Text, "refused the client id") {
		t.Fatalf("the refusal is not at its field: %q at %q", g.Status.Text, g.errAt)
	}
}

// Cancel closes the form without saving.
func TestFormCancel(t *testing.T) {
	f, got, _, closed := newTestForm(t, nil, nil)
	test.Tap(f.Cancel)
	if !*closed || len(*got) != 0 {
		t.Fatal("Cancel did not close, or saved")
	}
}
