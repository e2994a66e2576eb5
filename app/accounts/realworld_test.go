package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/tests/testenv"
)

// signInAgain signs the fixture's account in again, after a test changed the fake.
func (f *fixture) signInAgain(t *testing.T) {
	t.Helper()
	if err := f.m.SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(true), Timeout: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
}

// settle waits for the renewal in flight, if any.
func (m *Manager) settle(id model.AccountID) {
	m.mu.Lock()
	f := m.accs[id].flight
	m.mu.Unlock()
	if f != nil {
		<-f.done
	}
}

// Keycloak's default access tokens live 5 minutes, as long as the old default minimum validity:
// every `tokentray token` then forced a renewal that could not help, and failed. With no minimum
// asked for, 1,000 calls over a token's whole life are all served, and the fake sees only the
// renewal the schedule makes (at a third of the life before expiry), none for the calls.
func TestDefaultValidityIsMetByFiveMinuteTokensWithoutExtraRenewals(t *testing.T) {
	var c clock
	f := newFixture(t, fakeidp.OIDC, func(o *Options) { o.Now = c.Now })
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 5 * time.Minute })
	f.signInAgain(t)
	before := f.fake.Count("/token", "refresh_token")
	for i := range 1000 {
		c.Advance(300 * time.Millisecond) // 1,000 calls over 5 minutes
		f.m.scan(c.Now())                 // what Run does meanwhile
		f.m.settle(f.id)
		if _, err := f.m.Credential(context.Background(), f.id, Default); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := f.fake.Count("/token", "refresh_token") - before; n != 1 {
		t.Fatalf("%d refresh grants for 1,000 calls over one 5-minute token, want the schedule's 1", n)
	}
}

// An explicit minimum longer than the provider's tokens live renews at most once per token (the
// provider may issue longer ones now), then fails at once with the numbers and a hint; it used to
// renew, and rotate the refresh token, on every call.
func TestExplicitMinimumLongerThanTheLifetimeFailsFastWithNumbers(t *testing.T) {
	var c clock
	f := newFixture(t, fakeidp.Avaya, func(o *Options) { o.Now = c.Now })
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 5 * time.Minute })
	f.signInAgain(t)
	refreshes := func() int { return f.fake.Count("/oauth2/access_token", "refresh_token") }
	c.Advance(48 * time.Second)
	var short *TooShortError
	for i := range 100 {
		_, err := f.m.Credential(context.Background(), f.id, AtLeast(10*time.Minute))
		if !errors.As(err, &short) || !strings.Contains(err.Error(), "valid for 5m, asked 10m; this provider's tokens live 5m") {
			t.Fatalf("call %d: err = %v", i, err)
		}
	}
	if n := refreshes(); n != 1 {
		t.Fatalf("%d renewals for 100 asks no 5-minute token can meet, want 1", n)
	}
	// Within the lifetime, one renewal meets it.
	c.Advance(48 * time.Second)
	if _, err := f.m.Credential(context.Background(), f.id, AtLeast(4*time.Minute+30*time.Second)); err != nil || refreshes() != 2 {
		t.Fatalf("an ask within the lifetime: %v after %d renewals", err, refreshes())
	}
	// The provider now issues 10-minute tokens: the next long ask's one renewal finds it out.
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 10 * time.Minute })
	if _, err := f.m.Credential(context.Background(), f.id, AtLeast(8*time.Minute)); err != nil || refreshes() != 3 {
		t.Fatalf("a provider lengthening its tokens: %v after %d renewals", err, refreshes())
	}
}

// Net2Phone states each token's expiry twice, "expires" on its own clock. With this computer's
// clock two hours ahead, every fresh token used to look expired, and the schedule renewed in a
// loop (4,136 grants in a second). expires_in, measured here, is trusted instead.
func TestAProviderClockHoursOffCausesNoRenewalStorm(t *testing.T) {
	f := newFixture(t, fakeidp.Net2Phone, func(o *Options) { o.Tick = 20 * time.Millisecond })
	f.fake.Tune(func(s *fakeidp.Server) { s.Clock = func() time.Time { return time.Now().Add(-2 * time.Hour) } })
	f.signInAgain(t)
	f.run(t)
	time.Sleep(time.Second)
	if n := f.fake.Count("/api/oauth/token/", "refresh_token"); n != 0 {
		t.Fatalf("%d refresh grants in a second after signing in", n)
	}
	if st, _ := f.m.Status(f.id); st.State != Valid || time.Until(st.Expiry) < 59*time.Minute {
		t.Fatalf("state %v, expiry %s", st.State, st.Expiry)
	}
}

// Whatever makes renewals come back to back (here a provider whose tokens live one second), an
// account renews a few times, then pauses and says why; Refresh now still works at once.
func TestRenewalsAreLimitedWhateverTheCause(t *testing.T) {
	f := newFixture(t, fakeidp.OIDC, func(o *Options) { o.Tick = 20 * time.Millisecond })
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = time.Second })
	f.signInAgain(t)
	f.run(t)
	time.Sleep(4 * time.Second)
	n := f.fake.Count("/token", "refresh_token")
	if n > 3 {
		t.Fatalf("%d automatic renewals in 4 s, want at most the burst of 3", n)
	}
	st, _ := f.m.Status(f.id)
	if st.State != Paused || st.Problem.Class != RenewingTooOften || !strings.Contains(st.Err(), "live 1s") || st.Problem.RetryAt.IsZero() {
		t.Fatalf("state %v, problem %+v", st.State, st.Problem)
	}
	if err := f.m.RenewNow(context.Background(), f.id); err != nil {
		t.Fatalf("Refresh now while paused: %v", err)
	}
	if f.fake.Count("/token", "refresh_token") != n+1 {
		t.Fatal("Refresh now did not renew")
	}
}

// A Net2Phone client-credentials account needs no sign-in: its first `token` makes the grant, and
// who it is survives a restart.
func TestClientCredentialsAccountWorksWithoutSigningIn(t *testing.T) {
	fake := fakeidp.Start(fakeidp.Net2Phone)
	t.Cleanup(fake.Close)
	logs.Track(fake.Issued)
	store := testStore(t)
	id := model.AccountID(uuid.NewString())
	if err := store.Set(string(id), secretClientSecret, fake.ClientSecret); err != nil {
		t.Fatal(err)
	}
	settings := fake.Settings()
	settings["grant"] = "client_credentials"
	cfg := &config.Config{Version: 1, Accounts: []config.Account{{ID: id, Name: "Company", Provider: "net2phone", Settings: settings}}}
	m := NewManager(cfg, Options{Store: store})
	cred, err := m.Credential(context.Background(), id, Default)
	if err != nil || !fake.AccessValid(cred.Value.Reveal()) {
		t.Fatalf("first token of an account never signed in: %v", err)
	}
	if n := fake.Count("/api/oauth/token/", "client_credentials"); n != 1 {
		t.Fatalf("%d grants", n)
	}
	again := NewManager(cfg, Options{Store: store})
	if st, _ := again.Status(id); st.State != Valid || st.Identity.Name != fake.User.Name {
		t.Fatalf("after a restart: %+v", st)
	}
}

// The user sees who signed in by name, even when the id_token says only who by id: Avaya's (sub
// and email) from users/me, an OpenID issuer's (sub) from userinfo.
func TestSignedInAsANameNotAnOpaqueSubject(t *testing.T) {
	for _, kind := range []fakeidp.Kind{fakeidp.Avaya, fakeidp.OIDC} {
		t.Run(string(kind), func(t *testing.T) {
			f := newFixture(t, kind, nil)
			st, _ := f.m.Status(f.id)
			if st.Identity.Name != f.fake.User.Name || st.Identity.Username != f.fake.User.Username || st.Identity.Subject != f.fake.User.Sub {
				t.Fatalf("identity %+v, want %+v", st.Identity, f.fake.User)
			}
		})
	}
}

// A revocation the provider does not confirm is reported to the user; the tokens are forgotten
// here all the same.
func TestSignOutReportsAFailedRevocation(t *testing.T) {
	f := newFixture(t, fakeidp.OIDC, nil)
	f.fake.Tune(func(s *fakeidp.Server) { s.ClientID = "renamed at the issuer" }) // the revocation endpoint now refuses the client
	err := f.m.SignOut(context.Background(), f.id)
	var re *auth.RevokeError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "signed out here") {
		t.Fatalf("err = %v, want the failed revocation reported", err)
	}
	if st, _ := f.m.Status(f.id); st.State != SignedOut {
		t.Fatalf("state %v", st.State)
	}
	if _, err := f.store.Get(string(f.id), secretToken); !errors.Is(err, auth.ErrNotFound) {
		t.Fatalf("tokens kept: %v", err)
	}
}

func testStore(t *testing.T) *auth.Keyring {
	t.Helper()
	testenv.Keyring(t)
	store := auth.NewKeyring("tokentray-test-" + uuid.NewString())
	t.Cleanup(func() { _ = store.DeleteService() })
	return store
}

// While a sign-in waits for the browser (up to 5 minutes), the current grant goes on being
// renewed and served; a sign-in that fails changes nothing.
func TestASignInInProgressDoesNotStopRenewal(t *testing.T) {
	f := newFixture(t, fakeidp.OIDC, func(o *Options) { o.Tick = 20 * time.Millisecond; o.Every = 100 * time.Millisecond })
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 2 * time.Second })
	f.signInAgain(t)
	f.run(t)
	ctx, cancel := context.WithCancel(context.Background())
	signedIn := make(chan error, 1)
	go func() { // a browser that never comes back
		signedIn <- f.m.SignIn(ctx, f.id, auth.SignInUI{OpenURL: func(string) error { return nil }, Timeout: time.Minute})
	}()
	time.Sleep(100 * time.Millisecond)
	before := f.fake.Count("/token", "refresh_token")
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		cred, err := f.m.Credential(context.Background(), f.id, Default)
		if err != nil || !f.fake.AccessValid(cred.Value.Reveal()) {
			t.Fatalf("during a sign-in: %v", err)
		}
		if st, _ := f.m.Status(f.id); !st.SigningIn {
			t.Fatal("the account does not say a sign-in is waiting")
		}
	}
	if n := f.fake.Count("/token", "refresh_token") - before; n < 1 {
		t.Fatal("no renewal while the sign-in waited")
	}
	cancel()
	if err := <-signedIn; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sign-in: %v", err)
	}
	if st, _ := f.m.Status(f.id); st.SigningIn || (st.State != Valid && st.State != Refreshing) || st.Problem.Class != NoProblem {
		t.Fatalf("after the cancelled sign-in: %+v", st)
	}
}

// staleReads hands out, on its first reads of the token, the one stored before: what a process
// that read the keyring just before another one renewed sees.
type staleReads struct {
	SecretStore
	stale string
	left  int
}

func (s *staleReads) Get(account, key string) (string, error) {
	if key == secretToken && s.left > 0 {
		s.left--
		return s.stale, nil
	}
	return s.SecretStore.Get(account, key)
}

// A command from cron used to take its lock elsewhere and renew with the same refresh token as
// the app; the loser said "sign-in required" for ever while the keyring held a valid grant. After
// invalid_grant the keyring is read again, and a newer grant another process stored is used.
func TestInvalidGrantLooksForANewerGrantInTheKeyring(t *testing.T) {
	f := newFixture(t, fakeidp.Avaya, nil)
	raw, _ := f.store.Get(string(f.id), secretToken)
	other := NewManager(f.cfg, f.opts) // another process, which renews first
	if err := other.RenewNow(context.Background(), f.id); err != nil {
		t.Fatal(err)
	}
	opts := f.opts
	// It loaded the spent refresh token, and read it again just before renewing (no shared lock).
	opts.Store = &staleReads{SecretStore: f.store, stale: raw, left: 2}
	late := NewManager(f.cfg, opts)
	if err := late.RenewNow(context.Background(), f.id); err != nil {
		t.Fatalf("renew with a spent refresh token: %v", err)
	}
	st, _ := late.Status(f.id)
	cred, err := late.Credential(context.Background(), f.id, Default)
	if st.State != Valid || err != nil || !f.fake.AccessValid(cred.Value.Reveal()) {
		t.Fatalf("state %v (%s), %v", st.State, st.Err(), err)
	}
	if n := f.fake.Count("/oauth2/access_token", "refresh_token"); n != 2 {
		t.Fatalf("%d refresh requests, want 2: the other's, and the refused one", n)
	}
}
