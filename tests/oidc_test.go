package tests

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"tokentray/app/accounts"
	"tokentray/app/config"
	"tokentray/app/model"

	"github.com/google/uuid"

	"tokentray/auth"
	"tokentray/tests/testenv"
)

// The checks below run against an independent, certified OpenID provider (panva's
// oidc-provider), signed in to through its own login and consent pages in Chromium: nothing here
// can agree with Tokentray's mistakes the way the project's own fakes could.

type opAccount struct {
	op       *testenv.OIDCProvider
	client   string
	secret   string
	id       model.AccountID
	store    *auth.Keyring
	cfg      *config.Config
	lockDir  string
	m        *accounts.Manager
	chromium *testenv.Chromium
}

// newOPAccount makes an OpenID Connect account at op as client (with secret for the
// confidential one), its keyring service of its own, and a manager.
func newOPAccount(t testing.TB, op *testenv.OIDCProvider, chromium *testenv.Chromium, client, secret string, tune func(*accounts.Options)) *opAccount {
	t.Helper()
	testenv.Keyring(t)
	a := &opAccount{op: op, client: client, secret: secret, id: model.AccountID(uuid.NewString()), chromium: chromium, lockDir: t.TempDir(),
		store: auth.NewKeyring("tokentray-test-" + uuid.NewString())}
	t.Cleanup(func() { _ = a.store.DeleteService() })
	if secret != "" {
		if err := a.store.Set(string(a.id), "client_secret", secret); err != nil {
			t.Fatal(err)
		}
	}
	a.cfg = &config.Config{Version: 1, Accounts: []config.Account{{ID: a.id, Name: "Certified " + client, Provider: "oidc",
		Settings: map[string]string{"issuer": op.Issuer, "client_id": client}}}}
	a.m = a.manager(tune)
	return a
}

// manager is another process's manager for the same account: same keyring, same lock.
func (a *opAccount) manager(tune func(*accounts.Options)) *accounts.Manager {
	o := accounts.Options{Store: a.store, Lock: accounts.AccountLocks(a.lockDir)}
	if tune != nil {
		tune(&o)
	}
	return accounts.NewManager(a.cfg, o)
}

func (a *opAccount) signIn(t testing.TB) {
	t.Helper()
	err := a.m.SignIn(context.Background(), a.id, auth.SignInUI{OpenURL: a.chromium.SignInAt(t, "ada"), Timeout: time.Minute})
	if page := <-a.chromium.Pages; page != "Signed in" {
		t.Errorf("the browser ended on %q, want Tokentray's \"Signed in\" page", page)
	}
	if err != nil {
		t.Fatalf("sign-in at the certified provider: %v", err)
	}
}

func (a *opAccount) stored(t testing.TB) *auth.Token {
	t.Helper()
	raw, err := a.store.Get(string(a.id), "token")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.UnmarshalToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (a *opAccount) active(t testing.TB, token auth.Secret) bool {
	return a.op.Active(t, token.Reveal(), a.client, a.secret)
}

// Sign-in with PKCE (the provider requires it of both clients), who signed in by name from
// userinfo (its id_token has only sub), a rotation Tokentray follows, tokens that live 5 minutes
// handed out by default without renewing, and sign-out revoking the grant: for a public and a
// confidential client.
func TestCertifiedProviderSignInRotationAndSignOut(t *testing.T) {
	op := testenv.StartOIDCProvider(t, 5*time.Minute)
	chromium := testenv.StartChromium(t)
	for _, c := range []struct{ client, secret string }{
		{testenv.OIDCPublicClient, ""},
		{testenv.OIDCConfidentialClient, testenv.OIDCConfidentialSecret},
	} {
		t.Run(c.client, func(t *testing.T) {
			a := newOPAccount(t, op, chromium, c.client, c.secret, nil)
			a.signIn(t)
			st, _ := a.m.Status(a.id)
			if want := (auth.Identity{Name: "Ada Lovelace", Username: "ada@example.test", Subject: "ada"}); st.Identity != want {
				t.Fatalf("signed in as %+v, want %+v (from userinfo)", st.Identity, want)
			}
			first := a.stored(t)
			if !a.active(t, first.AccessToken) || !a.active(t, first.RefreshToken) {
				t.Fatal("the provider does not know the tokens Tokentray stored")
			}

			// 5-minute tokens: the default validity is met without renewing, however often asked.
			before := op.Counts(t).Token.Success["refresh_token"]
			for range 100 {
				if _, err := a.m.Credential(context.Background(), a.id, accounts.Default); err != nil {
					t.Fatalf("token with the default validity: %v", err)
				}
			}
			if n := op.Counts(t).Token.Success["refresh_token"] - before; n != 0 {
				t.Fatalf("%d refresh grants for 100 default asks on a fresh 5-minute token", n)
			}

			// A renewal rotates the refresh token: the old one is dead at the provider, the new
			// one stored, and Tokentray never sends the old one again (which would revoke the grant).
			if err := a.m.RenewNow(context.Background(), a.id); err != nil {
				t.Fatal(err)
			}
			second := a.stored(t)
			if second.RefreshToken == first.RefreshToken || a.active(t, first.RefreshToken) || !a.active(t, second.RefreshToken) {
				t.Fatal("the rotation was not followed")
			}
			if who, err := a.m.Check(context.Background(), a.id); err != nil || who.Name != "Ada Lovelace" {
				t.Fatalf("Check: %+v, %v", who, err)
			}
			// Inspect: the provider's own introspection of the access token, its id token's
			// signature checked against the keys it publishes.
			in, _, err := a.m.Inspect(context.Background(), a.id)
			if err != nil || in.Introspection["active"] != true || in.Introspection["client_id"] != c.client ||
				in.IDToken == nil || in.IDToken.Claims["sub"] != "ada" || in.IDToken.Signature != "verified with the issuer's published keys" {
				t.Fatalf("inspect: %v %+v (id token %+v)", err, in, in.IDToken)
			}

			if err := a.m.SignOut(context.Background(), a.id); err != nil {
				t.Fatalf("sign-out: %v", err)
			}
			if a.active(t, second.RefreshToken) || a.active(t, second.AccessToken) {
				t.Fatal("sign-out left the grant alive at the provider")
			}
			if n := op.Counts(t).RefreshTokenReuse; n != 0 {
				t.Fatalf("the provider saw %d reuses of a rotated refresh token", n)
			}
		})
	}
}

// Tokens that live 20 seconds: the schedule keeps the credential fresh on its own, every default
// ask is answered with a token the provider honours, and nothing is refused along the way.
func TestCertifiedProviderTwentySecondTokens(t *testing.T) {
	op := testenv.StartOIDCProvider(t, 20*time.Second)
	a := newOPAccount(t, op, testenv.StartChromium(t), testenv.OIDCPublicClient, "", func(o *accounts.Options) { o.Tick = time.Second })
	a.signIn(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	seen := map[auth.Secret]bool{}
	for end := time.Now().Add(35 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		cred, err := a.m.Credential(context.Background(), a.id, accounts.Default)
		if err != nil {
			t.Fatalf("token: %v", err)
		}
		if !seen[cred.Value] {
			seen[cred.Value] = true
			if !a.active(t, cred.Value) {
				t.Fatal("handed out a token the provider does not honour")
			}
		}
	}
	c := op.Counts(t)
	if n := c.Token.Success["refresh_token"]; n < 2 || len(seen) < 3 {
		t.Fatalf("%d renewals and %d tokens in 35 s of 20-second tokens", n, len(seen))
	}
	if len(c.TokenErrors) != 0 || c.RefreshTokenReuse != 0 {
		t.Fatalf("the provider refused something: %+v", c.TokenErrors)
	}
	if st, _ := a.m.Status(a.id); st.State != accounts.Valid && st.State != accounts.Refreshing {
		t.Fatalf("state %v (%s)", st.State, st.Err())
	}
}

// The app and a command (another process: another manager on the same keyring and lock) renew
// the same rotating grant, many times and at once: neither ever sends a refresh token the other
// has already spent, which at this provider would revoke the whole grant.
func TestCertifiedProviderTwoRenewersShareTheGrant(t *testing.T) {
	op := testenv.StartOIDCProvider(t, 5*time.Minute)
	a := newOPAccount(t, op, testenv.StartChromium(t), testenv.OIDCConfidentialClient, testenv.OIDCConfidentialSecret, nil)
	a.signIn(t)
	command := a.manager(nil) // restored from the keyring, as `tokentray token` without the app
	var wg sync.WaitGroup
	for _, m := range []*accounts.Manager{a.m, command} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if err := m.RenewNow(context.Background(), a.id); err != nil {
					t.Errorf("renew: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := op.Counts(t).RefreshTokenReuse; n != 0 {
		t.Fatalf("%d reuses of a spent refresh token: the grant is revoked", n)
	}
	for _, m := range []*accounts.Manager{a.m, command} {
		cred, err := m.Credential(context.Background(), a.id, accounts.Default)
		if err != nil || !a.active(t, cred.Value) {
			t.Fatalf("after both renewed: %v", err)
		}
	}
	if !a.active(t, a.stored(t).RefreshToken) {
		t.Fatal("the keyring holds a spent refresh token")
	}
}

// Sign-in on another device (RFC 8628) at the certified provider: the code and the address go to
// the person, who confirms the code, signs in and consents on the provider's own pages on "another
// device" (Chromium); Tokentray, polling at the interval the issuer asks, gets a grant it can
// renew. Through the manager, and through `tokentray login --device` with the app running.
func TestCertifiedProviderDeviceSignIn(t *testing.T) {
	op := testenv.StartOIDCProvider(t, 5*time.Minute)
	chromium := testenv.StartChromium(t)
	a := newOPAccount(t, op, chromium, testenv.OIDCPublicClient, "", nil)
	var shown auth.DeviceCode
	err := a.m.SignIn(context.Background(), a.id, auth.SignInUI{Timeout: time.Minute, Device: func(d auth.DeviceCode) {
		shown = d
		chromium.SignInOnDevice(t, d.Complete, "ada")
	}})
	if page := <-chromium.Pages; page != "Sign-in Success" {
		t.Errorf("the other device ended on %q", page)
	}
	if err != nil {
		t.Fatalf("device sign-in: %v", err)
	}
	if shown.UserCode == "" || !strings.HasPrefix(shown.VerificationURI, op.Issuer) || !strings.Contains(shown.Complete, "user_code=") {
		t.Fatalf("what the person was shown: %+v", shown)
	}
	st, _ := a.m.Status(a.id)
	tok := a.stored(t)
	if st.Identity.Name != "Ada Lovelace" || !a.active(t, tok.AccessToken) || !a.active(t, tok.RefreshToken) {
		t.Fatalf("after the device sign-in: %+v", st)
	}
	if err := a.m.RenewNow(context.Background(), a.id); err != nil {
		t.Fatalf("renewing the device grant: %v", err)
	}
	if n := op.Counts(t).Token.Success["urn:ietf:params:oauth:grant-type:device_code"]; n != 1 {
		t.Errorf("%d device_code grants, want 1", n)
	}

	// The same through the command line and the app.
	e := newCLIEnv(t)
	e.must(0, "", "add", "work-sso", "--provider", "oidc", "--set", "issuer="+op.Issuer, "--set", "client_id="+testenv.OIDCPublicClient)
	e.startApp()
	cmd := exec.Command(binary(t), "login", "sso", "--device")
	cmd.Env = e.env()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var said []string
	ended := make(chan string, 1)
	for lines.Scan() {
		said = append(said, lines.Text())
		if u, ok := strings.CutPrefix(lines.Text(), "  "); ok && strings.Contains(u, "user_code=") {
			chromium.SignInOnDevice(t, strings.TrimSuffix(u, " )"), "ada")
			go func() { // a device that could not finish: the command would wait minutes
				page := <-chromium.Pages
				if page != "Sign-in Success" {
					_ = cmd.Process.Kill()
				}
				ended <- page
			}()
		}
	}
	err = cmd.Wait()
	var page string
	select {
	case page = <-ended:
	case <-time.After(30 * time.Second):
	}
	if err != nil || !strings.Contains(strings.Join(said, "\n"), "Signed in to work-sso as Ada Lovelace") ||
		!strings.Contains(strings.Join(said, "\n"), "and enter the code") || page != "Sign-in Success" {
		t.Fatalf("login --device: %v; the other device ended on %q\n%s", err, page, strings.Join(said, "\n"))
	}
	e.must(0, "", "token", "work-sso")
}

// With this computer's clock two hours off, the certified provider's id_token does not verify:
// Chromium's last page, which waits for the whole sign-in, says the sign-in failed and why (never
// "Signed in"), nothing is kept, and the grant the provider issued is revoked, not left alive.
func TestCertifiedProviderFailedVerificationSaysSoAndRevokes(t *testing.T) {
	op := testenv.StartOIDCProvider(t, 5*time.Minute)
	chromium := testenv.StartChromium(t)
	a := newOPAccount(t, op, chromium, testenv.OIDCConfidentialClient, testenv.OIDCConfidentialSecret,
		func(o *accounts.Options) { o.Now = func() time.Time { return time.Now().Add(2 * time.Hour) } })
	before := op.Counts(t)
	err := a.m.SignIn(context.Background(), a.id, auth.SignInUI{OpenURL: a.chromium.SignInAt(t, "ada"), Timeout: time.Minute})
	if page := <-a.chromium.Pages; page != "Sign-in failed" {
		t.Errorf("Chromium ended on %q, want \"Sign-in failed\"", page)
	}
	if err == nil || !strings.Contains(err.Error(), "did not verify") {
		t.Fatalf("sign-in with the clock 2 h off: %v", err)
	}
	if _, err := a.store.Get(string(a.id), "token"); err == nil {
		t.Fatal("the failed sign-in was stored")
	}
	after := op.Counts(t)
	if after.Token.Success["authorization_code"] != before.Token.Success["authorization_code"]+1 || after.Revocation.Requests != before.Revocation.Requests+1 {
		t.Fatalf("code exchanges %d→%d, revocations %d→%d; want the issued grant revoked",
			before.Token.Success["authorization_code"], after.Token.Success["authorization_code"], before.Revocation.Requests, after.Revocation.Requests)
	}
}
