package auth

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"tokentray/auth/text"

	"tokentray/auth/fakeidp"
)

// The fuzzers below feed every decoder of a provider's answers what a hostile or broken provider
// could send. None may panic; each states what holds of whatever it accepts, whichever way it is
// written. (ParseOnSIP, OnSIP's XML and JSON, has FuzzParseOnSIP.)

var fuzzNow = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// Whatever discovery document is accepted, every endpoint it gives is https, or http on loopback,
// printable ASCII, without a user or a fragment.
func FuzzDecodeDiscovery(f *testing.F) {
	f.Add([]byte(`{"issuer":"https://i.example","authorization_endpoint":"https://i.example/a","token_endpoint":"https://i.example/t",` +
		`"userinfo_endpoint":"https://i.example/u","jwks_uri":"https://i.example/k","revocation_endpoint":"https://i.example/r",` +
		`"introspection_endpoint":"https://i.example/in","device_authorization_endpoint":"https://i.example/d",` +
		`"code_challenge_methods_supported":["S256"],"token_endpoint_auth_methods_supported":["client_secret_basic"],` +
		`"authorization_response_iss_parameter_supported":true}`))
	f.Add([]byte(`{"authorization_endpoint":"http://127.0.0.1:8080/a","token_endpoint":"http://localhost/t","jwks_uri":null}`))
	f.Add([]byte(`{"authorization_endpoint":"javascript:alert(1)","token_endpoint":"http://other.example/t"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := decodeDiscovery(raw)
		if err != nil {
			return
		}
		for _, e := range []string{d.Authorization, d.Token, d.UserInfo, d.JWKS, d.Introspection, d.Revocation, d.Device} {
			if e == "" {
				continue
			}
			u, perr := url.Parse(e)
			if perr != nil || u.User != nil || strings.Contains(e, "#") || strings.ContainsFunc(e, func(r rune) bool { return r <= ' ' || r > '~' }) ||
				!(u.Scheme == "https" || u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "::1" || strings.HasPrefix(u.Hostname(), "127."))) {
				t.Fatalf("accepted endpoint %q", e)
			}
		}
		if d.Authorization == "" || d.Token == "" {
			t.Fatal("accepted a document without its two endpoints")
		}
	})
}

// Whatever token answer is accepted, its credentials are printable ASCII without spaces and of a
// credential's length, and it expires within a day of now, after now.
func FuzzReadTokenAnswer(f *testing.F) {
	f.Add(200, "", fakeidp.Seed("net2phone-token.json"))
	f.Add(200, "Thu, 03 Dec 2026 14:00:00 GMT", []byte(`{"access_token":"a","expires":"2026-12-03T14:01:00.5"}`))
	f.Add(200, "", []byte(`{"access_token":"a","refresh_token":"r","id_token":"x.y.z","token_type":"Bearer","expires_in":"3599","scope":["a","b"]}`))
	f.Add(400, "", []byte(`{"error":"invalid_grant","error_description":"gone"}`))
	f.Add(200, "", []byte(`{"access_token":"a b","expires_in":-1e300}`))
	f.Fuzz(func(t *testing.T, status int, date string, body []byte) {
		tok, _, err := readTokenAnswer("fuzz", status, date, body, fuzzNow, &Token{RefreshToken: "kept"})
		if err != nil {
			return
		}
		for _, c := range []Secret{tok.AccessToken, tok.RefreshToken, tok.IDToken} {
			if CheckCredential("fuzz", c.Reveal()) != nil {
				t.Fatalf("accepted credential %q", c)
			}
		}
		if tok.AccessToken == "" || !tok.Expiry.After(fuzzNow) || tok.Expiry.After(fuzzNow.Add(maxLifetime)) {
			t.Fatalf("accepted token %q expiring %v", tok.AccessToken, tok.Expiry)
		}
	})
}

// Whatever device answer is accepted is polled at 1 to 60 s and given up within half an hour;
// its pages are web addresses and its code can be shown.
func FuzzDecodeDeviceAuth(f *testing.F) {
	f.Add([]byte(`{"device_code":"d","user_code":"WDJB-MJHT","verification_uri":"https://i.example/device","verification_uri_complete":"https://i.example/device?user_code=WDJB-MJHT","expires_in":1800,"interval":5}`))
	f.Add([]byte(`{"device_code":"d","user_code":"U","verification_url":"https://i.example/d","interval":-1}`))
	f.Add([]byte(`{"device_code":"d","user_code":"U","verification_uri":"https://i.example/d","interval":9223372036854775807,"expires_in":1e300}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		da, err := decodeDeviceAuth(body, fuzzNow)
		if err != nil {
			return
		}
		if da.Interval < 1 || da.Interval > maxDeviceInterval || !da.Expiry.After(fuzzNow) || da.Expiry.After(fuzzNow.Add(maxDeviceLifetime)) {
			t.Fatalf("interval %d, expiry %v", da.Interval, da.Expiry)
		}
		if checkEndpoint("", da.VerificationURI) != nil || checkEndpoint("", da.VerificationURIComplete) != nil || !text.IsPrintable(da.UserCode, 64) {
			t.Fatalf("accepted %+v", da)
		}
	})
}

// Whatever introspection answer is accepted, none of the account's credentials is in it.
func FuzzDecodeIntrospection(f *testing.F) {
	f.Add([]byte(`{"active":true,"scope":"openid","client_id":"c","token":"access-token-1"}`), "access-token-1", "refresh-token-1")
	f.Add([]byte(`{"active":true,"x":[{"refresh-token-1":["before refresh-token-1 after"]}]}`), "access-token-1", "refresh-token-1")
	f.Fuzz(func(t *testing.T, body []byte, access, refresh string) {
		if len(access) < 8 || len(refresh) < 8 || strings.Contains(CredentialHidden, access) || strings.Contains(CredentialHidden, refresh) {
			return
		}
		ans, err := decodeIntrospection(body, &Token{AccessToken: Secret(access), RefreshToken: Secret(refresh)})
		if err != nil {
			return
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if strings.Contains(v, access) || strings.Contains(v, refresh) {
					t.Fatalf("a credential is in the answer: %q", v)
				}
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				for k, e := range v {
					walk(k)
					walk(e)
				}
			}
		}
		walk(ans)
	})
}

// Who-am-I answers of every provider, and an id_token's claims, read without a panic whatever
// they hold.
func FuzzDecodeIdentity(f *testing.F) {
	f.Add([]byte(`{"sub":"ada","name":"Ada Lovelace","email":"ada@example.test","preferred_username":7}`))
	f.Add(fakeidp.Seed("avaya-users-me.json"))
	f.Add([]byte(`{"name":"N","username":["x"],"email":"e","user":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, kind := range []string{"oidc", "avaya", "net2phone"} {
			_, _ = decodeIdentity(kind, body)
		}
		_ = idTokenIdentity(Secret("e30." + base64.RawURLEncoding.EncodeToString(body) + ".sig"))
	})
}
