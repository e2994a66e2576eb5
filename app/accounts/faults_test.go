package accounts

import (
	"context"
	"strings"
	"testing"
	"time"

	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
)

// Net2Phone's own token sample has no refresh_token. Such a sign-in is said to end when its token
// does, its token is handed out to the end (no renewal can give more, and none is tried), and then
// the account needs the user: no "sign-in required" while the token still works.
func TestASignInWithoutARefreshTokenIsUsedToItsEnd(t *testing.T) {
	clk := &clock{}
	f := newFixtureOf(t, fakeidp.Net2Phone, func(s *fakeidp.Server) { s.NoRefreshToken = true },
		func(o *Options) { o.Now = clk.Now })
	f.run(t)
	st, _ := f.m.Status(f.id)
	if st.State != Valid || st.RefreshExpiry.IsZero() || !st.RefreshExpiry.Equal(st.Expiry) {
		t.Fatalf("after sign-in: %v, sign-in ends %v, token expires %v; want the sign-in to end with the token", st.State, st.RefreshExpiry, st.Expiry)
	}
	first, err := f.m.Credential(context.Background(), f.id, Default)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Until(st.Expiry) - 10*time.Second) // well inside the renewal margin
	f.m.poke()
	cred, err := f.m.Credential(context.Background(), f.id, Default)
	if err != nil || cred.Value != first.Value {
		t.Fatalf("10 s before it expires: %v (the same token: %v)", err, cred.Value == first.Value)
	}
	if _, err := f.m.Credential(context.Background(), f.id, AtLeast(time.Minute)); err == nil || !strings.Contains(err.Error(), "cannot be renewed") {
		t.Fatalf("asked for a minute: %v", err)
	}
	if err := f.m.RenewNow(context.Background(), f.id); err == nil || !strings.Contains(err.Error(), "cannot be renewed") {
		t.Fatalf("renew now: %v", err)
	}
	if st, _ := f.m.Status(f.id); st.State != Valid {
		t.Fatalf("while the token works: %v %s", st.State, st.Problem.Detail)
	}
	clk.Advance(11 * time.Second)
	f.m.poke()
	eventually(t, 5*time.Second, "sign-in required once the token expired", func() bool {
		st, _ := f.m.Status(f.id)
		return st.State == SignInRequired && strings.Contains(st.Problem.Detail, "no refresh token")
	})
	if n := f.fake.Count(f.fake.TokenPath(), "refresh_token"); n != 0 {
		t.Fatalf("%d refresh requests without a refresh token", n)
	}
}

// eventually retries cond until it holds or the time is up.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Once the provider is back, someone asking for the credential gets one without waiting out the
// schedule's backoff (minutes, after a long outage): an ask 10 s after the last failed try tries
// again. Asks in between do not reach the provider.
func TestAnAskAfterAnOutageDoesNotWaitOutTheBackoff(t *testing.T) {
	clk := &clock{}
	f := newFixture(t, fakeidp.Avaya, func(o *Options) {
		o.Now = clk.Now
		o.Backoff = func(int) time.Duration { return 5 * time.Minute }
	})
	faults.Set(f.fake, &faults.Fault{Status: 503})
	clk.Advance(2 * time.Hour) // the token expired meanwhile
	if _, err := f.m.Credential(context.Background(), f.id, Default); err == nil {
		t.Fatal("a token from a provider that answers 503")
	}
	before := f.fake.Count(f.fake.TokenPath(), "refresh_token")
	clk.Advance(5 * time.Second)
	if _, err := f.m.Credential(context.Background(), f.id, Default); err == nil || f.fake.Count(f.fake.TokenPath(), "refresh_token") != before {
		t.Fatalf("5 s after a failed try: %v, %d more requests", err, f.fake.Count(f.fake.TokenPath(), "refresh_token")-before)
	}
	faults.Set(f.fake, nil)
	clk.Advance(6 * time.Second)
	if _, err := f.m.Credential(context.Background(), f.id, Default); err != nil {
		t.Fatalf("11 s after the last failed try, the provider back: %v", err)
	}
}
