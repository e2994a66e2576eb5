package kinds

import (
	"strings"
	"testing"
)

// Each kind's fields check their values as the field's type says, with a message that names the
// setting and says what it wants.
func TestFieldsCheckTheirValues(t *testing.T) {
	for _, tc := range []struct {
		f        Field
		ok, bad  []string
		sayWants string
	}{
		{Field{Key: "issuer", Type: URL}, []string{"https://x.example", "http://127.0.0.1:8080", "http://localhost/a", "http://[::1]:9/"},
			[]string{"http://x.example", "ftp://x", "x.example", "", "javascript:alert(1)"}, "https URL"},
		{Field{Key: "redirect_port", Type: Port}, []string{"0", "8400", "65535"}, []string{"-1", "65536", "x"}, "port number"},
		{Field{Key: "pkce", Type: Choice, Choices: []string{"S256", "off"}}, []string{"S256", "off"}, []string{"s256", ""}, "one of S256, off"},
		{Field{Key: "probe_interval", Type: Duration}, []string{"90s", "5m"}, []string{"-1s", "soon"}, "duration"},
	} {
		for _, v := range tc.ok {
			if err := tc.f.Check(v); err != nil {
				t.Errorf("%s=%q: %v", tc.f.Key, v, err)
			}
		}
		for _, v := range tc.bad {
			if err := tc.f.Check(v); err == nil || !strings.Contains(err.Error(), tc.f.Key) || !strings.Contains(err.Error(), tc.sayWants) {
				t.Errorf("%s=%q: %v", tc.f.Key, v, err)
			}
		}
	}
}

// Loopback is this computer only: no name but localhost is believed, nor an address with a zone.
func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "127.9.9.9": true, "::1": true, "::ffff:127.0.0.1": true,
		"localhost.example": false, "10.0.0.1": false, "::1%eth0": false, "": false, "0.0.0.0": false} {
		if IsLoopback(host) != want {
			t.Errorf("IsLoopback(%q) = %v", host, !want)
		}
	}
}

// Every kind is found by its name, fields by their keys; a setting left out takes the field's
// default; conditions and capabilities read the settings; Net2Phone's authorization code needs the
// registered redirect port.
func TestKinds(t *testing.T) {
	for _, name := range Names() {
		k, ok := Lookup(name)
		if !ok || k.Name != name || k.Title == "" || len(k.Fields) == 0 {
			t.Errorf("%s: %+v", name, k)
		}
		for _, f := range k.Fields {
			if g, ok := k.Field(f.Key); !ok || g.Key != f.Key || f.Label == "" {
				t.Errorf("%s.%s", name, f.Key)
			}
			if f.Default != "" && f.Check(f.Default) != nil {
				t.Errorf("%s.%s: its default %q does not pass its own check", name, f.Key, f.Default)
			}
		}
	}
	if _, ok := Lookup("gitlab"); ok {
		t.Error("an unknown kind was found")
	}
	n2p, _ := Lookup("net2phone")
	if n2p.Setting(nil, "base_url") != "https://integrate.versature.com/api" || n2p.Setting(map[string]string{"base_url": "https://t"}, "base_url") != "https://t" {
		t.Error("settings and their defaults")
	}
	if n2p.IsUnattended(nil) || !n2p.IsUnattended(map[string]string{"grant": "client_credentials"}) {
		t.Error("a client-credentials account needs no sign-in; an authorization-code one does")
	}
	get := func(m map[string]string) func(string) string {
		return func(k string) string { return n2p.Setting(m, k) }
	}
	if key, err := n2p.Check(get(nil)); err == nil || key != "settings.redirect_port" {
		t.Errorf("an authorization-code account without its port: %q %v", key, err)
	}
	if _, err := n2p.Check(get(map[string]string{"redirect_port": "8400"})); err != nil {
		t.Error(err)
	}
	onsip, _ := Lookup("onsip")
	oidc, _ := Lookup("oidc")
	if !onsip.Session || onsip.DeviceSignIn || !oidc.DeviceSignIn || oidc.Session {
		t.Error("capabilities: OnSIP's credential is a session; an OpenID issuer can sign in on another device")
	}
}
