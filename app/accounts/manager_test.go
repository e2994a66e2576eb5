package accounts

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/zalando/go-keyring"

	"tokentray/app/config"
	"tokentray/app/logging"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
	"tokentray/tests/testenv"
)

// Every test's log goes to one capture through the redacting handler; TestMain then checks that no
// token any fake issued appears in it.
var logs testenv.LogCapture

func TestMain(m *testing.M) {
	if os.Getenv("TOKENTRAY_CRASH_CHILD") == "1" {
		crashChild()
		return
	}
	slog.SetDefault(slog.New(logging.NewRedactingHandler(logs.Handler())))
	code := m.Run()
	os.Exit(logs.Verdict(code))
}

// clock is a wall clock a test can move forward.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off).Round(0)
}
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.off += d }

type fixture struct {
	fake  *fakeidp.Server
	store *auth.Keyring
	cfg   *config.Config
	opts  Options
	m     *Manager
	id    model.AccountID
}

// newFixture makes an account of kind pointed at a fake, with its client secret in a keyring
// service of the test's own, and a signed-in manager.
func newFixture(t *testing.T, kind fakeidp.Kind, tune func(*Options)) *fixture {
	t.Helper()
	return newFixtureOf(t, kind, nil, tune)
}

// newFixtureOf is newFixture with the fake changed by tuneFake before the sign-in.
func newFixtureOf(t *testing.T, kind fakeidp.Kind, tuneFake func(*fakeidp.Server), tune func(*Options)) *fixture {
	t.Helper()
	testenv.Keyring(t)
	fake := fakeidp.Start(kind)
	t.Cleanup(fake.Close)
	if tuneFake != nil {
		fake.Tune(tuneFake)
	}
	logs.Track(fake.Issued)
	store := auth.NewKeyring("tokentray-test-" + uuid.NewString())
	t.Cleanup(func() { _ = keyring.DeleteAll(store.Service) })
	id := model.AccountID(uuid.NewString())
	if fake.ClientSecret != "" {
		if err := store.Set(string(id), secretClientSecret, fake.ClientSecret); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{fake: fake, store: store, id: id,
		cfg:  &config.Config{Version: 1, Accounts: []config.Account{{ID: id, Name: "Test " + string(kind), Provider: string(kind), Settings: fake.Settings()}}},
		opts: Options{Store: store, Backoff: func(n int) time.Duration { return 50 * time.Millisecond }}}
	if tune != nil {
		tune(&f.opts)
	}
	f.m = NewManager(f.cfg, f.opts)
	if err := f.m.SignIn(context.Background(), id, auth.SignInUI{OpenURL: fakeidp.Browser(true), Timeout: 10 * time.Second}); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	return f
}

func (f *fixture) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.m.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (f *fixture) stored(t *testing.T) *auth.Token {
	t.Helper()
	raw, err := f.store.Get(string(f.id), secretToken)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.UnmarshalToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestConcurrentCallersAtExpiryCauseOneRefresh(t *testing.T) {
	var c clock
	f := newFixture(t, fakeidp.Avaya, func(o *Options) { o.Now = c.Now })
	c.Advance(time.Hour - 30*time.Second) // the token has 29 s left: too little for a 60 s request
	var wg sync.WaitGroup
	var failed atomic.Int32
	values := make(chan string, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cred, err := f.m.Credential(context.Background(), f.id, AtLeast(60*time.Second))
			if err != nil {
				failed.Add(1)
				return
			}
			values <- cred.Value.Reveal()
		}()
	}
	wg.Wait()
	close(values)
	if n := failed.Load(); n != 0 {
		t.Fatalf("%d callers failed", n)
	}
	if n := f.fake.Count("/oauth2/access_token", "refresh_token"); n != 1 {
		t.Fatalf("%d refresh requests for 100 concurrent callers, want 1", n)
	}
	first := ""
	for v := range values {
		if first == "" {
			first = v
		}
		if v != first || !f.fake.AccessValid(v) {
			t.Fatal("callers got different or invalid tokens")
		}
	}
}

func TestRotatedRefreshTokenIsStoredBeforeItIsHandedOut(t *testing.T) {
	var c clock
	var handedOut atomic.Bool
	var storedBeforeHandout atomic.Bool
	f := newFixture(t, fakeidp.Avaya, func(o *Options) {
		o.Now = c.Now
		o.AfterStore = func(id model.AccountID, tok *auth.Token) { storedBeforeHandout.Store(!handedOut.Load()) }
	})
	old := f.stored(t)
	c.Advance(2 * time.Hour)
	cred, err := f.m.Credential(context.Background(), f.id, AtLeast(time.Minute))
	handedOut.Store(true)
	if err != nil {
		t.Fatal(err)
	}
	now := f.stored(t)
	if now.AccessToken != cred.Value || now.RefreshToken == old.RefreshToken || !f.fake.RefreshValid(now.RefreshToken.Reveal()) {
		t.Fatal("the keyring does not hold the rotated refresh token with the access token handed out")
	}
	if f.fake.RefreshValid(old.RefreshToken.Reveal()) {
		t.Fatal("the fake did not rotate")
	}
	if !storedBeforeHandout.Load() {
		t.Fatal("the token was handed out before it was stored")
	}
}

func TestInvalidGrantStopsAtOnce(t *testing.T) {
	var c clock
	f := newFixture(t, fakeidp.OIDC, func(o *Options) { o.Now = c.Now; o.Tick = 20 * time.Millisecond })
	f.run(t)
	f.fake.RevokeAll()
	c.Advance(2 * time.Hour)
	_, err := f.m.Credential(context.Background(), f.id, AtLeast(time.Minute))
	if !errors.Is(err, auth.ErrSignInRequired) {
		t.Fatalf("err = %v, want ErrSignInRequired", err)
	}
	time.Sleep(300 * time.Millisecond) // the schedule runs meanwhile and must not retry
	if n := f.fake.Count("/token", "refresh_token"); n != 1 {
		t.Fatalf("%d refresh attempts after invalid_grant, want exactly 1", n)
	}
	if st, _ := f.m.Status(f.id); st.State != SignInRequired || st.Err() == "" {
		t.Fatalf("state %v (%q), want sign-in required with a reason", st.State, st.Err())
	}
}

func TestTransientFaultsRetryUntilValidAgain(t *testing.T) {
	// Renewals every 2 s are more than the default limit allows: these tokens are meant to be short.
	f := newFixture(t, fakeidp.Net2Phone, func(o *Options) { o.Tick = 20 * time.Millisecond; o.Every = 100 * time.Millisecond })
	var mu sync.Mutex
	var states []State
	f.m.Subscribe(func(s Status) { mu.Lock(); states = append(states, s.State); mu.Unlock() })
	// Tokens of 3 s are renewed 1 s before expiry. The fake fails every refresh for 2.5 s: long
	// enough to outlast the token, so the account goes retrying → expired → valid.
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 3 * time.Second })
	if err := f.m.SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(true)}); err != nil {
		t.Fatal(err)
	}
	faultEnd := time.Now().Add(4 * time.Second)
	faults.Set(f.fake, &faults.Fault{Grants: []string{"refresh_token"}, Status: 503, Until: faultEnd})
	f.run(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, _ := f.m.Status(f.id)
		if st.State == Valid && time.Now().After(faultEnd) && st.Err() == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not valid again: %v (%s)", st.State, st.Err())
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	seen := map[State]bool{}
	for _, s := range states {
		seen[s] = true
	}
	if !seen[Retrying] || !seen[Expired] || seen[SignInRequired] {
		t.Fatalf("states seen %v: want retrying and expired, never sign-in required", states)
	}
	t.Logf("%d refresh attempts, %d state changes", f.fake.Count("/api/oauth/token/", "refresh_token"), len(states))
}

func TestShortLifetimesNeverServeAStaleToken(t *testing.T) {
	f := newFixture(t, fakeidp.OIDC, func(o *Options) { o.Tick = 20 * time.Millisecond; o.Every = 100 * time.Millisecond })
	f.fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = 2 * time.Second }) // expires_in is whole seconds
	if err := f.m.SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(true)}); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	end := time.Now().Add(8 * time.Second)
	served := 0
	for time.Now().Before(end) {
		cred, err := f.m.Credential(context.Background(), f.id, AtLeast(200*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if !f.fake.AccessValid(cred.Value.Reveal()) || time.Until(cred.Expiry) < 200*time.Millisecond {
			t.Fatalf("served a token the fake no longer honours, or short of the asked validity")
		}
		served++
		time.Sleep(10 * time.Millisecond)
	}
	if n := f.fake.Count("/token", "refresh_token"); n < 5 {
		t.Fatalf("only %d refresh cycles in 8 s of 2 s tokens", n)
	}
	t.Logf("%d credentials served over %d refresh cycles", served, f.fake.Count("/token", "refresh_token"))
}

func TestRestartRestoresFromTheKeyringAndSignOutForgets(t *testing.T) {
	f := newFixture(t, fakeidp.Avaya, nil)
	want := f.stored(t)
	again := NewManager(f.cfg, f.opts) // as after a restart: no browser involved
	st, _ := again.Status(f.id)
	if st.State != Valid || st.Identity.Username != f.fake.User.Username {
		t.Fatalf("after restart: %+v", st)
	}
	cred, err := again.Credential(context.Background(), f.id, AtLeast(time.Minute))
	if err != nil || cred.Value != want.AccessToken {
		t.Fatalf("after restart: %v", err)
	}
	if err := again.SignOut(context.Background(), f.id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Get(string(f.id), secretToken); !errors.Is(err, auth.ErrNotFound) {
		t.Fatalf("the token is still in the keyring: %v", err)
	}
	if f.fake.RefreshValid(want.RefreshToken.Reveal()) {
		t.Fatal("sign-out did not revoke at the provider")
	}
	if st, _ := again.Status(f.id); st.State != SignedOut {
		t.Fatalf("state after sign-out: %v", st.State)
	}
	if _, err := again.Credential(context.Background(), f.id, AtLeast(time.Minute)); !errors.Is(err, auth.ErrSignInRequired) {
		t.Fatalf("credential after sign-out: %v", err)
	}
}

func TestDeniedSignInChangesNothing(t *testing.T) {
	f := newFixture(t, fakeidp.Avaya, nil)
	before := f.stored(t)
	err := f.m.SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(false)})
	if !errors.Is(err, auth.ErrDenied) {
		t.Fatalf("err = %v", err)
	}
	if st, _ := f.m.Status(f.id); st.State != Valid {
		t.Fatalf("state after a declined sign-in: %v", st.State)
	}
	if after := f.stored(t); after.RefreshToken != before.RefreshToken {
		t.Fatal("a declined sign-in changed the stored token")
	}
}

func TestSignOutDuringARenewalStaysSignedOut(t *testing.T) {
	var c clock
	f := newFixture(t, fakeidp.Net2Phone, func(o *Options) { o.Now = c.Now })
	faults.Set(f.fake, &faults.Fault{Grants: []string{"refresh_token"}, Delay: 300 * time.Millisecond})
	c.Advance(time.Hour)
	go func() { _, _ = f.m.Credential(context.Background(), f.id, AtLeast(time.Minute)) }() // a slow renewal starts
	time.Sleep(100 * time.Millisecond)
	if err := f.m.SignOut(context.Background(), f.id); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	if st, _ := f.m.Status(f.id); st.State != SignedOut {
		t.Fatalf("state %v after signing out during a renewal", st.State)
	}
	if _, err := f.store.Get(string(f.id), secretToken); !errors.Is(err, auth.ErrNotFound) {
		t.Fatalf("the renewal stored a token after the sign-out: %v", err)
	}
}
