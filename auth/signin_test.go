package auth_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
	"tokentray/tests/testenv"
)

func provider(t *testing.T, kind fakeidp.Kind, extra map[string]string) (auth.Provider, *fakeidp.Server) {
	t.Helper()
	fake := fakeidp.Start(kind)
	t.Cleanup(fake.Close)
	settings := fake.Settings()
	for k, v := range extra {
		settings[k] = v
	}
	p, err := auth.NewProvider(auth.Config{Kind: string(kind), Settings: settings, ClientSecret: auth.Secret(fake.ClientSecret)})
	if err != nil {
		t.Fatal(err)
	}
	return p, fake
}

func TestSignInRefreshAndSignOutForEachProvider(t *testing.T) {
	for _, kind := range []fakeidp.Kind{fakeidp.Net2Phone, fakeidp.Avaya, fakeidp.OIDC} {
		t.Run(string(kind), func(t *testing.T) {
			p, fake := provider(t, kind, nil)
			ctx := context.Background()
			tok, err := p.SignIn(ctx, auth.SignInUI{OpenURL: fakeidp.Browser(true), Timeout: 10 * time.Second})
			if err != nil {
				t.Fatalf("SignIn: %v", err)
			}
			if !fake.AccessValid(tok.AccessToken.Reveal()) || tok.RefreshToken == "" || time.Until(tok.Expiry) < 50*time.Minute {
				t.Fatalf("SignIn gave %+v", tok)
			}
			id, err := p.WhoAmI(ctx, tok)
			if err != nil || id.Username != fake.User.Username || id.Name != fake.User.Name {
				t.Fatalf("WhoAmI = %+v, %v", id, err)
			}
			if kind == fakeidp.Net2Phone && time.Until(tok.RefreshExpiry) < 89*24*time.Hour {
				t.Errorf("Net2Phone refresh token life not tracked: %v", tok.RefreshExpiry)
			}
			// The id_token says only who, not by name (Avaya: sub and email; OIDC: sub).
			if kind != fakeidp.Net2Phone && tok.Identity.Subject != fake.User.Sub {
				t.Errorf("identity from the id_token = %+v", tok.Identity)
			}

			fresh, err := p.Refresh(ctx, tok)
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			if fresh.AccessToken == tok.AccessToken || !fake.AccessValid(fresh.AccessToken.Reveal()) {
				t.Fatal("Refresh returned no new access token")
			}
			if fake.Rotate && (fresh.RefreshToken == tok.RefreshToken || fake.RefreshValid(tok.RefreshToken.Reveal())) {
				t.Fatal("a rotated refresh token was not picked up")
			}
			if !fake.RefreshValid(fresh.RefreshToken.Reveal()) {
				t.Fatal("the refresh token to store is not valid at the provider")
			}

			if err := p.Revoke(ctx, fresh); err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			if kind != fakeidp.Net2Phone && fake.RefreshValid(fresh.RefreshToken.Reveal()) {
				t.Error("sign-out did not revoke the refresh token")
			}
		})
	}
}

func TestDenyGivesAClearMessage(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	_, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(false), Timeout: 10 * time.Second})
	if !errors.Is(err, auth.ErrDenied) || err.Error() != "you declined access" {
		t.Fatalf("err = %v, want ErrDenied", err)
	}
	if n := fake.Count(fake.TokenPath(), ""); n != 0 {
		t.Fatalf("%d token requests after a denial", n)
	}
}

func TestRefreshErrorsAreClassified(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []faults.Fault{{Status: 503}, {Status: 429}, {Reset: true}, {Malformed: true}} {
		faults.Set(fake, &f)
		if _, err := p.Refresh(context.Background(), tok); !auth.IsTransient(err) || errors.Is(err, auth.ErrSignInRequired) {
			t.Errorf("fault %+v: err = %v, want transient", f, err)
		}
	}
	faults.Set(fake, nil)
	fake.RevokeAll()
	if _, err := p.Refresh(context.Background(), tok); !errors.Is(err, auth.ErrSignInRequired) || auth.IsTransient(err) {
		t.Fatalf("revoked: err = %v, want ErrSignInRequired", err)
	}
}

func TestClientCredentialsRepeatsTheGrant(t *testing.T) {
	p, fake := provider(t, fakeidp.Net2Phone, map[string]string{"grant": "client_credentials"})
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: func(string) error { t.Fatal("opened a browser"); return nil }})
	if err != nil || tok.RefreshToken != "" {
		t.Fatalf("SignIn = %+v, %v", tok, err)
	}
	if _, err := p.Refresh(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count("/api/oauth/token/", "client_credentials"); n != 2 {
		t.Fatalf("%d client_credentials grants, want 2", n)
	}
}

// startSignIn starts a sign-in whose browser only reports the authorization URL, and returns that
// URL and the sign-in's result channel.
func startSignIn(t *testing.T, p auth.Provider, ui auth.SignInUI) (authURL string, done chan error) {
	t.Helper()
	urls := make(chan string, 1)
	ui.OpenURL = func(u string) error { urls <- u; return nil }
	done = make(chan error, 1)
	go func() { _, err := p.SignIn(context.Background(), ui); done <- err }()
	return <-urls, done
}

func TestLoopbackRefusesWhatItMust(t *testing.T) {
	p, fake := provider(t, fakeidp.OIDC, nil)
	authURL, done := startSignIn(t, p, auth.SignInUI{Timeout: 3 * time.Second})
	redirect, state := mustQuery(t, authURL).Get("redirect_uri"), mustQuery(t, authURL).Get("state")
	get := func(url, host string) int {
		req, _ := http.NewRequest("GET", url, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := get(redirect+"?code=x&state=wrong", ""); c != http.StatusBadRequest {
		t.Errorf("wrong state: %d, want 400", c)
	}
	if c := get(redirect+"?code=x&state="+state, "evil.example:80"); c != http.StatusMisdirectedRequest {
		t.Errorf("non-loopback Host: %d, want 421", c)
	}
	if n := fake.Count("/token", ""); n != 0 {
		t.Fatalf("%d token requests for refused callbacks", n)
	}
	if c := get(redirect+"?error=access_denied&state="+state, ""); c != http.StatusOK {
		t.Errorf("error callback: %d", c)
	}
	if err := <-done; !errors.Is(err, auth.ErrDenied) {
		t.Fatalf("err = %v, want ErrDenied", err)
	}
	// The listener is closed once the sign-in ended.
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(strings.Split(redirect, "/callback")[0], "http://"), time.Second); err == nil {
		t.Error("the loopback listener is still open after the sign-in")
	}
}

func TestLoopbackAcceptsOneResult(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	urls := make(chan string, 1)
	done := make(chan error, 1)
	var tok *auth.Token
	go func() {
		var err error
		tok, err = p.SignIn(context.Background(), auth.SignInUI{OpenURL: func(u string) error { urls <- u; return fakeidp.Browser(true)(u) }})
		done <- err
	}()
	authURL := <-urls
	if err := <-done; err != nil || tok == nil {
		t.Fatal(err)
	}
	// A second callback, even with the right state, reaches no listener and changes nothing.
	q := mustQuery(t, authURL)
	if resp, err := http.Get(q.Get("redirect_uri") + "?code=again&state=" + q.Get("state")); err == nil {
		resp.Body.Close()
		t.Errorf("a second callback was answered with %s", resp.Status)
	}
	if n := fake.Count(fake.TokenPath(), "authorization_code"); n != 1 {
		t.Fatalf("%d code exchanges, want 1", n)
	}
}

func TestBusyFixedPortSaysWhatToDo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	p, fake := provider(t, fakeidp.Net2Phone, map[string]string{"redirect_port": itoa(port)})
	_, err = p.SignIn(context.Background(), auth.SignInUI{OpenURL: func(string) error { t.Fatal("opened a browser"); return nil }})
	if !errors.Is(err, auth.ErrPortBusy) || !strings.Contains(err.Error(), "taken by another program") || !strings.Contains(err.Error(), "redirect port") {
		t.Fatalf("err = %v", err)
	}
	if fake.Count("/api/oauth/token/", "") != 0 {
		t.Fatal("a token request was made")
	}
}

func TestSignInTimesOutAndCloses(t *testing.T) {
	p, _ := provider(t, fakeidp.Avaya, nil)
	authURL, done := startSignIn(t, p, auth.SignInUI{Timeout: 300 * time.Millisecond})
	redirect := mustQuery(t, authURL).Get("redirect_uri")
	if err := <-done; !errors.Is(err, auth.ErrSignInTimeout) {
		t.Fatalf("err = %v, want ErrSignInTimeout", err)
	}
	if resp, err := http.Get(redirect); err == nil {
		resp.Body.Close()
		t.Fatal("the listener outlived the sign-in")
	}
}

func TestPasteTheRedirect(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	pasted := make(chan auth.Paste, 2)
	authURL, done := startSignIn(t, p, auth.SignInUI{Pasted: pasted})
	q := mustQuery(t, authURL)
	// The person finishes in the browser; the redirect goes nowhere Tokentray listens (we drive the
	// consent by hand), and they paste the address they ended on.
	final := consentRedirect(t, authURL)
	paste := func(text string) error {
		r := make(chan error, 1)
		pasted <- auth.Paste{Text: text, Result: r}
		return <-r
	}
	if err := paste(strings.Replace(final, "state="+q.Get("state"), "state=forged", 1)); err == nil || !strings.Contains(err.Error(), "not from this sign-in") {
		t.Fatalf("forged paste: err = %v", err)
	}
	if err := paste("   "); err == nil { // a slip of the hand is refused too, and ends nothing
		t.Fatal("a blank paste was taken")
	}
	if fake.Count(fake.TokenPath(), "") != 0 {
		t.Fatal("a forged paste reached the token endpoint")
	}
	if err := paste(final); err != nil { // the sign-in still waits, and the right address finishes it
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("sign-in after a refused paste: %v", err)
	}
}

func TestWhenTheBrowserCannotOpenTheURLIsShownAndSignInGoesOn(t *testing.T) {
	p, _ := provider(t, fakeidp.OIDC, nil)
	shown := make(chan string, 1)
	tok, err := p.SignIn(context.Background(), auth.SignInUI{
		OpenURL: func(string) error { return errors.New("no browser here") },
		ShowURL: func(u string) { shown <- u; _ = fakeidp.Browser(true)(u) }, // the person opens it by hand
	})
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("SignIn = %v", err)
	}
	if u := <-shown; !strings.Contains(u, "/authorize?") {
		t.Fatalf("shown %q, want the authorization URL", u)
	}
}

func TestPasteTheRedirectSignsIn(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, map[string]string{"pkce": "plain"})
	pasted := make(chan auth.Paste, 1)
	authURL, done := startSignIn(t, p, auth.SignInUI{Pasted: pasted})
	if m := mustQuery(t, authURL).Get("code_challenge_method"); m != "plain" {
		t.Fatalf("code_challenge_method = %q, want plain", m)
	}
	pasted <- auth.Paste{Text: consentRedirect(t, authURL)}
	if err := <-done; err != nil {
		t.Fatalf("pasted sign-in: %v", err)
	}
	if n := fake.Count(fake.TokenPath(), "authorization_code"); n != 1 {
		t.Fatalf("%d exchanges, want 1", n)
	}
}

func TestNet2PhoneRefreshTokenEndsAfter90Days(t *testing.T) {
	fake := fakeidp.Start(fakeidp.Net2Phone)
	defer fake.Close()
	later := time.Now()
	p, _ := auth.NewProvider(auth.Config{Kind: "net2phone", Settings: fake.Settings(), ClientSecret: auth.Secret(fake.ClientSecret),
		Now: func() time.Time { return later }})
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err != nil {
		t.Fatal(err)
	}
	later = later.Add(91 * 24 * time.Hour)
	_, err = p.Refresh(context.Background(), tok)
	if !errors.Is(err, auth.ErrSignInRequired) || !strings.Contains(err.Error(), "90 days") {
		t.Fatalf("err = %v, want sign-in required after 90 days", err)
	}
	if n := fake.Count("/api/oauth/token/", "refresh_token"); n != 0 {
		t.Fatalf("%d refresh requests with a refresh token past its life", n)
	}
}

// An id_token that does not verify fails the sign-in; the browser's page, which waits for the whole
// sign-in, says so (never "Signed in"), and the grant the issuer issued is revoked rather than
// left alive at the provider.
func TestOIDCRejectsAForgedOrReplayedIDToken(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*fakeidp.Server)
	}{
		{"signed with another key", func(s *fakeidp.Server) { s.BadIDToken = true }},
		{"another sign-in's nonce", func(s *fakeidp.Server) { s.WrongNonce = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := provider(t, fakeidp.OIDC, nil)
			tc.set(fake)
			page, err := signInPage(t, p, auth.SignInUI{Timeout: 20 * time.Second})
			if err == nil || !strings.Contains(err.Error(), "did not verify") {
				t.Fatalf("err = %v, want the id_token refused", err)
			}
			if !strings.Contains(page, "Sign-in failed") || !strings.Contains(page, "did not verify") {
				t.Fatalf("the browser's page:\n%s", page)
			}
			checkRevoked(t, fake)
		})
	}
}

// A sign-in whose token cannot be kept (the keyring refused it, say) is no sign-in: the page says
// what failed and the grant is revoked.
func TestASignInThatCannotBeKeptIsRevokedAndSaysSo(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	page, err := signInPage(t, p, auth.SignInUI{Timeout: 20 * time.Second,
		Keep: func(*auth.Token) error { return errors.New("could not save the sign-in to the keyring: locked") }})
	if err == nil || !strings.Contains(page, "Sign-in failed") || !strings.Contains(page, "keyring: locked") {
		t.Fatalf("err %v, page:\n%s", err, page)
	}
	checkRevoked(t, fake)
}

// signInPage signs in, following the consent page as a browser would, and returns the page the
// redirect ended on with the sign-in's result.
func signInPage(t *testing.T, p auth.Provider, ui auth.SignInUI) (string, error) {
	t.Helper()
	authURL, done := startSignIn(t, p, ui)
	resp, err := http.Get(consentRedirect(t, authURL))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return string(body), <-done
}

// checkRevoked fails unless the fake's one sign-in was revoked: its refresh token is dead.
func checkRevoked(t *testing.T, fake *fakeidp.Server) {
	t.Helper()
	issued := fake.Issued()
	if n := len(fake.Requests(fake.TokenPath())); n != 1 || len(issued) < 2 {
		t.Fatalf("%d token requests, %d tokens issued", n, len(issued))
	}
	if fake.RefreshValid(issued[1]) {
		t.Fatal("the grant issued to the failed sign-in is still alive at the provider")
	}
}

// Avaya's token requests send what the seed's do: Accept: application/json on every one, and the
// sign-in's redirect_uri again on the refresh (the fake refuses a refresh without it).
func TestAvayaTokenRequestsAreTheSeeds(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Refresh(context.Background(), tok); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	reqs := fake.Requests(fake.TokenPath())
	if len(reqs) != 2 {
		t.Fatalf("%d token requests", len(reqs))
	}
	for _, r := range reqs {
		if r.Accept != "application/json" {
			t.Errorf("%s: Accept %q, want application/json", r.Grant, r.Accept)
		}
		for _, k := range []string{"client_id", "client_secret", "grant_type", "redirect_uri"} {
			if r.Form.Get(k) == "" {
				t.Errorf("%s: no %s", r.Grant, k)
			}
		}
	}
	if reqs[1].Form.Get("redirect_uri") != reqs[0].Form.Get("redirect_uri") {
		t.Errorf("the refresh sent redirect_uri %q, the sign-in %q", reqs[1].Form.Get("redirect_uri"), reqs[0].Form.Get("redirect_uri"))
	}
}

// Net2Phone's token answer states its expiry twice: expires_in, and "expires" on its own clock
// (UTC, no zone, microseconds). A clock two hours off either way must not make a fresh token
// look expired (nor live longer than expires_in says).
func TestNet2PhoneExpiryWhateverTheClocks(t *testing.T) {
	for _, skew := range []time.Duration{0, -2 * time.Hour, 2 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			p, fake := provider(t, fakeidp.Net2Phone, map[string]string{"grant": "client_credentials"})
			fake.Tune(func(s *fakeidp.Server) { s.Clock = func() time.Time { return time.Now().Add(skew) } })
			tok, err := p.SignIn(context.Background(), auth.SignInUI{})
			if err != nil {
				t.Fatal(err)
			}
			if left := time.Until(tok.Expiry); left < 59*time.Minute || left > time.Hour {
				t.Fatalf("expiry in %s, want the hour expires_in says", left)
			}
		})
	}
	// Without expires_in, the absolute expiry is judged against the answer's Date (the provider's
	// own clock): a 60-second token is a 60-second token whichever clock is off.
	for _, skew := range []time.Duration{0, -2 * time.Hour, 2 * time.Hour} {
		t.Run("expires alone "+skew.String(), func(t *testing.T) {
			p, fake := provider(t, fakeidp.Net2Phone, map[string]string{"grant": "client_credentials"})
			fake.Tune(func(s *fakeidp.Server) {
				s.AccessTTL = time.Minute
				s.Clock = func() time.Time { return time.Now().Add(skew) }
			})
			faults.Rewrite(fake, faults.Path(fake.TokenPath()), func(b []byte) []byte {
				return regexp.MustCompile(`"expires_in": \d+,\n`).ReplaceAll(b, nil)
			})
			tok, err := p.SignIn(context.Background(), auth.SignInUI{})
			if err != nil {
				t.Fatal(err)
			}
			if left := time.Until(tok.Expiry); left < 58*time.Second || left > 61*time.Second {
				t.Fatalf("expiry in %s, want the minute the provider gave", left)
			}
		})
	}
}

// An OpenID issuer that says it names itself in its answers (RFC 9207) must: an answer naming
// another issuer is refused before its code is spent.
func TestOIDCRefusesAnAnswerFromAnotherIssuer(t *testing.T) {
	p, fake := provider(t, fakeidp.OIDC, nil)
	fake.Tune(func(s *fakeidp.Server) { s.ISS = "https://evil.example" })
	_, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err == nil || !strings.Contains(err.Error(), "RFC 9207") {
		t.Fatalf("err = %v", err)
	}
	if n := fake.Count("/token", ""); n != 0 {
		t.Fatalf("%d token requests", n)
	}
}

// Revocation authenticates the client as the token endpoint does (Basic for a confidential
// client), and a revocation the issuer refuses is reported, not swallowed.
func TestOIDCRevocationAuthenticatesAndReports(t *testing.T) {
	p, fake := provider(t, fakeidp.OIDC, nil)
	fake.Tune(func(s *fakeidp.Server) { s.ClientSecret = "oidc-secret" })
	p, err := auth.NewProvider(auth.Config{Kind: "oidc", Settings: fake.Settings(), ClientSecret: auth.Secret(fake.ClientSecret)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Revoke(context.Background(), tok); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if fake.RefreshValid(tok.RefreshToken.Reveal()) {
		t.Fatal("not revoked")
	}
	fake.Tune(func(s *fakeidp.Server) { s.ClientSecret = "changed at the issuer" })
	err = p.Revoke(context.Background(), tok)
	var re *auth.RevokeError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v, want a RevokeError with the issuer's answer", err)
	}
}

// Every credential is checked before anyone keeps it: a provider answering a token with a space,
// a shell metacharacter sequence is fine as long as it is printable without spaces, but control
// characters, spaces and oversized values are refused and the previous token is untouched.
func TestHostileTokenValuesAreRefused(t *testing.T) {
	for name, value := range map[string]string{
		"space":      "a b",
		"newline":    "a\nb",
		"escape":     "a\x1b[2Jb",
		"non-ascii":  "tökén",
		"oversized":  strings.Repeat("a", auth.MaxCredentialLength+1),
		"nul":        "a\x00b",
		"tab":        "a\tb",
		"del":        "a\x7fb",
		"unicode-ws": "a\u00a0b",
	} {
		t.Run(name, func(t *testing.T) {
			p, fake := provider(t, fakeidp.Net2Phone, map[string]string{"grant": "client_credentials"})
			fake.Tune(func(s *fakeidp.Server) { s.NextAccessToken = value })
			_, err := p.SignIn(context.Background(), auth.SignInUI{})
			if err == nil || !strings.Contains(err.Error(), "refused") {
				t.Fatalf("err = %v, want the value refused", err)
			}
		})
	}
	p, fake := provider(t, fakeidp.Net2Phone, map[string]string{"grant": "client_credentials"})
	hostile := "a$(id>/tmp/x)`id`;'\"" // printable: refused by nothing here, quoted where printed
	fake.Tune(func(s *fakeidp.Server) { s.NextAccessToken = hostile })
	if tok, err := p.SignIn(context.Background(), auth.SignInUI{}); err != nil || tok.AccessToken.Reveal() != hostile {
		t.Fatalf("a printable token: %v", err)
	}
}

// The authorization URL (state, PKCE challenge, redirect) is in the browser's command line, which
// every local user can read; the redirect listener takes a callback only from this user's
// processes, so another user cannot finish the sign-in with a code of their own account.
func TestLoopbackRefusesAnotherUsersCallback(t *testing.T) {
	testenv.Command(t, "curl")
	p, fake := provider(t, fakeidp.Avaya, nil)
	authURL, done := startSignIn(t, p, auth.SignInUI{Timeout: 20 * time.Second})
	q := mustQuery(t, authURL)
	out, err := testenv.AsOtherUser(t, exec.Command("curl", "-sS", "-m", "5", q.Get("redirect_uri")+"?code=attackers-code&state="+q.Get("state"))).CombinedOutput()
	if err == nil {
		t.Fatalf("another user's callback was answered: %s", out)
	}
	select {
	case err := <-done:
		t.Fatalf("the sign-in ended on another user's callback: %v", err)
	default:
	}
	// This user's browser still finishes it, with this user's code.
	if err := fakeidp.Click(authURL, true); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	if reqs := fake.Requests(fake.TokenPath()); len(reqs) != 1 || reqs[0].Form.Get("code") == "attackers-code" {
		t.Fatalf("exchanged %+v", reqs)
	}
}

// The browser's page says "Signed in" only once the code was exchanged, and a refused exchange
// says what it is.
func TestCallbackPageTellsHowTheExchangeWent(t *testing.T) {
	p, fake := provider(t, fakeidp.Avaya, nil)
	fake.Tune(func(s *fakeidp.Server) { s.ClientSecret = "changed at the provider" }) // the exchange will be refused
	authURL, done := startSignIn(t, p, auth.SignInUI{Timeout: 20 * time.Second})
	final := consentRedirect(t, authURL)
	resp, err := http.Get(final)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	err = <-done
	if !strings.Contains(string(body), "Sign-in failed") || strings.Contains(string(body), "Signed in") {
		t.Fatalf("page after a refused exchange:\n%s", body)
	}
	if err == nil || errors.Is(err, auth.ErrSignInRequired) || !strings.Contains(err.Error(), "refused to exchange") {
		t.Fatalf("err = %v, want the refused exchange named as such", err)
	}
}
