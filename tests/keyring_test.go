package tests

import (
	"strings"
	"testing"
	"time"

	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
	"tokentray/tests/testenv"
)

// Avaya rotates its refresh token on every renewal: a rotated token the keyring refuses to take,
// if thrown away, loses the grant. With the keyring locked before a renewal, no renewal starts;
// locked, or its daemon killed, while the provider answers, the rotated token is kept and served
// from memory, and stored once the keyring is back: the account never needs signing in again.
func TestALockedKeyringLosesNoRotatingGrant(t *testing.T) {
	fake, e := avayaUser(t)
	e.startApp()
	e.must(0, "", "login", "work-avaya")
	k := testenv.ControlKeyring(t, e.home, e.bus)
	const refresh = "/oauth2/access_token"

	// Locked before a renewal: none is started (its answer could not be stored).
	k.Lock()
	before := fake.Count(refresh, "refresh_token")
	_, errs, code := e.run("", "token", "work-avaya", "--min-valid", "59m59s") // needs a renewal
	if code != 1 || !strings.Contains(errs, "keyring") || fake.Count(refresh, "refresh_token") != before {
		t.Fatalf("a renewal with the keyring locked: exit %d, %q, %d requests", code, errs, fake.Count(refresh, "refresh_token")-before)
	}
	k.Unlock()
	waitValid := func(what string) {
		t.Helper()
		status := ""
		for end := time.Now().Add(40 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			if status, _ = e.must(0, "", "status", "work-avaya"); strings.Contains(status, "State:      valid") && !strings.Contains(status, "Problem") {
				return
			}
		}
		t.Fatalf("%s: not within 40 s; status:\n%s\nlog:\n%s", what, status, readLog(t, e.home))
	}
	waitValid("valid again once the keyring is unlocked") // the retry, after its backoff

	// Each renewal below is forced by asking for more than the current token has left, with the
	// provider now issuing longer tokens so that the renewed one satisfies the ask.
	ttl := 3 * time.Hour
	for _, fault := range []struct {
		name    string
		breakIt func()
		mend    func()
	}{
		{"locked", k.Lock, k.Unlock},
		{"its daemon killed", k.Kill, k.Start},
	} {
		func() {
			// The keyring goes while the provider is answering (slowly): it has rotated by then.
			faults.Set(fake, &faults.Fault{Grants: []string{"refresh_token"}, Delay: 2 * time.Second})
			fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = ttl })
			go func() { time.Sleep(time.Second); fault.breakIt() }()
			out, _ := e.must(0, "", "token", "work-avaya", "--min-valid", (ttl - time.Hour).String())
			ttl += 2 * time.Hour
			faults.Set(fake, nil)
			if tok := strings.TrimSpace(out); !fake.AccessValid(tok) {
				t.Fatalf("keyring %s: the renewed token was not handed out", fault.name)
			}
			if status, _ := e.must(0, "", "status", "work-avaya"); !strings.Contains(status, "keyring") {
				t.Errorf("keyring %s: the account does not say the keyring needs unlocking:\n%s", fault.name, status)
			}
			fault.mend()
			waitValid("the renewed sign-in stored once the keyring is back (" + fault.name + ")")
		}()
	}

	// What the keyring holds is the live grant: a restarted app renews with it.
	e.restartApp()
	fake.Tune(func(s *fakeidp.Server) { s.AccessTTL = ttl })
	e.must(0, "", "token", "work-avaya", "--min-valid", (ttl - time.Hour).String())
	if status, _ := e.must(0, "", "status", "work-avaya"); !strings.Contains(status, "State:      valid") {
		t.Fatalf("after a restart:\n%s", status)
	}
}
