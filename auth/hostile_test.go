package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
)

// hostsSeen is an http.Client that records every host it is asked to reach, and reaches only
// loopback: what a provider's hostile document sends Tokentray to is seen, never contacted.
type hostsSeen struct {
	mu    sync.Mutex
	hosts []string
}

func (h *hostsSeen) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts = append(h.hosts, r.URL.Scheme+"://"+r.URL.Host)
	h.mu.Unlock()
	if host := r.URL.Hostname(); host != "127.0.0.1" {
		return nil, errors.New("test transport: not reaching " + host)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func (h *hostsSeen) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.hosts...)
}

// Every endpoint an issuer's discovery document names is held to the issuer's own rule (https, or
// http on loopback): a document pointing one elsewhere in clear, or at a javascript: or file:
// address, or with escape sequences in it, is refused as a whole, before anything (the code and
// PKCE verifier, a token, the client secret) is sent anywhere.
func TestDiscoveredEndpointsAreHeldToTheIssuersRule(t *testing.T) {
	for _, key := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
		"introspection_endpoint", "revocation_endpoint", "device_authorization_endpoint"} {
		for _, bad := range []string{"http://other.example/x", "javascript:alert(1)", "file:///etc/passwd",
			"https://evil.example/\x1b]0;pwned\x07", "https://user:pw@evil.example/x", "//other.example/x"} {
			t.Run(key+" "+bad, func(t *testing.T) {
				fake := fakeidp.Start(fakeidp.OIDC)
				t.Cleanup(fake.Close)
				faults.Rewrite(fake, faults.Path("/.well-known/openid-configuration"), func(b []byte) []byte {
					var doc map[string]any
					_ = json.Unmarshal(b, &doc)
					doc[key] = bad
					b, _ = json.Marshal(doc)
					return b
				})
				hosts := &hostsSeen{}
				p, err := auth.NewProvider(auth.Config{Kind: "oidc", Settings: fake.Settings(), HTTP: &http.Client{Transport: hosts}})
				if err != nil {
					t.Fatal(err)
				}
				opened := false
				_, err = p.SignIn(context.Background(), auth.SignInUI{Timeout: 5 * time.Second,
					OpenURL: func(string) error { opened = true; return nil }})
				if err == nil || !strings.Contains(err.Error(), key) || opened {
					t.Fatalf("sign-in: err %v, browser opened %v", err, opened)
				}
				if strings.ContainsAny(err.Error(), "\x1b\x07") {
					t.Fatalf("the error carries the document's escape sequence: %q", err)
				}
				tok := &auth.Token{AccessToken: "at", RefreshToken: "rt"}
				if _, err := p.Refresh(context.Background(), tok); err == nil {
					t.Fatal("refreshed through the document")
				}
				_ = p.Revoke(context.Background(), tok)
				_, _ = p.WhoAmI(context.Background(), tok)
				for _, h := range hosts.seen() {
					if h != fake.URL {
						t.Fatalf("reached %s", h)
					}
				}
				if n := len(fake.Requests("/token")) + len(fake.Requests("/revoke")) + len(fake.Requests("/userinfo")); n != 0 {
					t.Fatalf("%d requests reached the issuer's endpoints", n)
				}
			})
		}
	}
}

// deviceIssuer is a hostile OpenID issuer offering device sign-in, whose device authorization
// answer is device (its other endpoints never answer a token).
func deviceIssuer(t *testing.T, device string) string {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/authorize",
				"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/jwks", "device_authorization_endpoint": srv.URL + "/device"})
		case "/device":
			_, _ = w.Write([]byte(device))
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"authorization_pending"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// No polling interval or lifetime an issuer answers crashes the program (a negative interval
// panicked in x/oauth2's ticker and took the always-on app with it), and a verification page that
// is not a web address is refused.
func TestDeviceSignInSurvivesHostileAnswers(t *testing.T) {
	for _, tc := range []struct{ name, answer, want string }{
		{"negative interval", `{"device_code":"d","user_code":"U","verification_uri":"https://x.example/d","interval":-1,"expires_in":1}`, "expired"},
		{"zero interval", `{"device_code":"d","user_code":"U","verification_uri":"https://x.example/d","interval":0,"expires_in":1}`, "expired"},
		{"huge interval", `{"device_code":"d","user_code":"U","verification_uri":"https://x.example/d","interval":1e300,"expires_in":1}`, "expired"},
		{"overflowing interval", `{"device_code":"d","user_code":"U","verification_uri":"https://x.example/d","interval":9223372036854775807,"expires_in":1}`, "expired"},
		{"interval as text", `{"device_code":"d","user_code":"U","verification_uri":"https://x.example/d","interval":"soon","expires_in":1}`, "expired"},
		{"javascript page", `{"device_code":"d","user_code":"U","verification_uri":"javascript:alert(1)","expires_in":1}`, "verification_uri"},
		{"file page", `{"device_code":"d","user_code":"U","verification_uri":"https://x.example/","verification_uri_complete":"file:///etc/passwd","expires_in":1}`, "verification_uri_complete"},
		{"escape in code", `{"device_code":"d","user_code":"U\u001b[2J","verification_uri":"https://x.example/d","expires_in":1}`, "cannot be shown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			issuer := deviceIssuer(t, tc.answer)
			p, err := auth.NewProvider(auth.Config{Kind: "oidc", Settings: map[string]string{"issuer": issuer, "client_id": "c"}})
			if err != nil {
				t.Fatal(err)
			}
			shown := false
			start := time.Now()
			_, err = p.(auth.DeviceSigner).SignInOnDevice(context.Background(), auth.SignInUI{Timeout: 20 * time.Second, Device: func(auth.DeviceCode) { shown = true }})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
			if tc.want != "expired" && shown {
				t.Fatal("the hostile code or page was shown")
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("took %s", d)
			}
		})
	}
}

// "localhost" is both loopback addresses to a browser (Chromium tries ::1 first): a sign-in on
// localhost holds the port on both, so no other program can take the one left over and be handed
// the code; a fixed port taken on either is refused before the browser opens.
func TestLocalhostRedirectHoldsBothAddresses(t *testing.T) {
	if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skipf("skipped: this system has no IPv6 loopback (%v)", err)
	} else {
		ln.Close()
	}
	p, _ := provider(t, fakeidp.Avaya, map[string]string{"redirect_host": "localhost"})
	authURL, done := startSignIn(t, p, auth.SignInUI{Timeout: 20 * time.Second})
	redirect, err := url.Parse(mustQuery(t, authURL).Get("redirect_uri"))
	if err != nil || redirect.Hostname() != "localhost" {
		t.Fatalf("redirect_uri %v", redirect)
	}
	for _, host := range []string{"::1", "127.0.0.1"} {
		if ln, err := net.Listen("tcp", net.JoinHostPort(host, redirect.Port())); err == nil {
			ln.Close()
			t.Errorf("[%s]:%s was free during the sign-in", host, redirect.Port())
		}
	}
	// the browser's way: ::1 first, Host localhost:PORT
	final := strings.Replace(consentRedirect(t, authURL), "localhost:", "[::1]:", 1)
	req, _ := http.NewRequest(http.MethodGet, final, nil)
	req.Host = redirect.Host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := <-done; err != nil {
		t.Fatalf("sign-in through [::1]: %v", err)
	}

	taken, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := strconv.Itoa(taken.Addr().(*net.TCPAddr).Port)
	p, _ = provider(t, fakeidp.Avaya, map[string]string{"redirect_host": "localhost", "redirect_port": port})
	_, err = p.SignIn(context.Background(), auth.SignInUI{OpenURL: func(string) error { t.Fatal("opened a browser"); return nil }})
	if !errors.Is(err, auth.ErrPortBusy) || !strings.Contains(err.Error(), "on ::1") {
		t.Fatalf("with [::1]:%s taken: %v", port, err)
	}
	if ln, err := net.Listen("tcp", "127.0.0.1:"+port); err != nil {
		t.Fatalf("the refused sign-in left 127.0.0.1:%s held: %v", port, err)
	} else {
		ln.Close()
	}
}

// An introspection answer that echoes the token it was asked about (or the refresh token) does
// not get it printed: inspect shows what the provider says of a credential, never the credential.
func TestInspectHidesACredentialTheProviderEchoes(t *testing.T) {
	p, fake := provider(t, fakeidp.OIDC, nil)
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err != nil {
		t.Fatal(err)
	}
	// not the fake's own: an issuer that advertises introspection and echoes what it is sent
	faults.Rewrite(fake, faults.Path("/.well-known/openid-configuration"), func(b []byte) []byte {
		return bytes.Replace(b, []byte(`"issuer"`), []byte(`"introspection_endpoint":"`+fake.URL+`/introspect","issuer"`), 1)
	})
	fake.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/introspect" {
				next.ServeHTTP(w, r)
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"active": true, "token": r.PostForm.Get("token"),
				"nested": []any{map[string]any{"refresh": "rt=" + tok.RefreshToken.Reveal()}}, tok.AccessToken.Reveal(): "as a key"})
		})
	})
	p, _ = auth.NewProvider(auth.Config{Kind: "oidc", Settings: fake.Settings()}) // discovers anew
	in := auth.Inspect(context.Background(), p, tok)
	out, _ := json.Marshal(in)
	if in.Introspection["active"] != true || in.Introspection["token"] != auth.CredentialHidden {
		t.Fatalf("introspection: %s (%s)", out, in.IntrospectionNote)
	}
	for _, s := range []auth.Secret{tok.AccessToken, tok.RefreshToken} {
		if strings.Contains(string(out), s.Reveal()) {
			t.Fatalf("the inspection holds a credential: %s", out)
		}
	}
}
