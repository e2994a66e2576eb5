package accounts

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/zalando/go-keyring"

	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
	"tokentray/auth/fakeidp"
	"tokentray/auth/fakeidp/faults"
	"tokentray/tests/testenv"
)

type onsipFixture struct {
	fake  *fakeidp.OnSIP
	clock *clock
	m     *Manager
	id    model.AccountID
	store *auth.Keyring
}

// newOnSIP makes an OnSIP account signing in with method at a fake OnSIP, and a manager for it
// on the real keyring; browser sign-ins click Allow on the fake's Slack or Google page.
func newOnSIP(t *testing.T, method string, tune func(*fakeidp.OnSIP)) *onsipFixture {
	return newOnSIPWith(t, method, tune, nil)
}

// newOnSIPWith is newOnSIP with extra account settings.
func newOnSIPWith(t *testing.T, method string, tune func(*fakeidp.OnSIP), settings map[string]string) *onsipFixture {
	t.Helper()
	testenv.Keyring(t)
	fake := fakeidp.StartOnSIP()
	t.Cleanup(fake.Close)
	password := fake.Password // what the user typed; tune may make the service disagree
	if tune != nil {
		tune(fake)
	}
	logs.Track(fake.Issued)
	logs.Track(func() []string { return []string{password} })
	store := auth.NewKeyring("tokentray-test-" + uuid.NewString())
	t.Cleanup(func() { _ = keyring.DeleteAll(store.Service) })
	id := model.AccountID(uuid.NewString())
	if method == "password" {
		if err := store.Set(string(id), "password", password); err != nil {
			t.Fatal(err)
		}
	}
	c := &clock{}
	set := fake.Settings(method)
	for k, v := range settings {
		set[k] = v
	}
	cfg := &config.Config{Version: 1, Accounts: []config.Account{{ID: id, Name: "OnSIP " + method, Provider: "onsip", Settings: set}}}
	m := NewManager(cfg, Options{Store: store, Now: c.Now, Tick: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 20 * time.Millisecond }})
	return &onsipFixture{fake: fake, clock: c, m: m, id: id, store: store}
}

func (f *onsipFixture) signIn(t *testing.T) {
	t.Helper()
	if err := f.m.SignIn(context.Background(), f.id, auth.SignInUI{OpenURL: fakeidp.Browser(true), Timeout: 10 * time.Second}); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
}

// credential asks for the SessionId the way a copy does, after the last check has gone stale.
func (f *onsipFixture) credential(t *testing.T) (string, error) {
	t.Helper()
	f.clock.Advance(2 * auth.SessionFreshness)
	c, err := f.m.Credential(context.Background(), f.id, AtLeast(5*time.Minute))
	return c.Value.Reveal(), err
}

func TestOnSIPSignInWithSlackOrGoogle(t *testing.T) {
	for _, method := range []string{"slack", "google"} {
		t.Run(method, func(t *testing.T) {
			f := newOnSIP(t, method, nil)
			f.signIn(t)
			sid, err := f.credential(t)
			if err != nil {
				t.Fatal(err)
			}
			if user, ok := f.fake.Live(sid); !ok || user != "555555" {
				t.Fatalf("SessionId %q: live %v as %s", sid, ok, user)
			}
			st, _ := f.m.Status(f.id)
			if st.State != Valid || !st.Session || st.Identity.Name != "Fake Name" {
				t.Fatalf("status %+v", st)
			}
		})
	}
}

func TestOnSIPChoosingTheSecondUserLastsAcrossNewSessions(t *testing.T) {
	f := newOnSIP(t, "slack", nil)
	f.signIn(t)
	users, current, err := f.m.OnSIPUsers(f.id)
	if err != nil || len(users) != 2 || current != "555555" {
		t.Fatalf("users %+v, current %q, %v", users, current, err)
	}
	if err := f.m.ChooseUser(context.Background(), f.id, "666666"); err != nil {
		t.Fatal(err)
	}
	sid, err := f.credential(t)
	if user, ok := f.fake.Live(sid); err != nil || !ok || user != "666666" {
		t.Fatalf("after choosing the second user the session acts as %q (live %v, %v)", user, ok, err)
	}
	// The session expires: the next request gets a new, live one as the chosen user, without the
	// browser, with exactly one OAuth2SessionCreate from the stored token.
	f.fake.ExpireSessions()
	again, err := f.credential(t)
	if err != nil {
		t.Fatal(err)
	}
	if user, ok := f.fake.Live(again); !ok || user != "666666" || again == sid {
		t.Fatalf("re-created session %q: live %v as %s", again, ok, user)
	}
	if n := f.fake.CountCreate(true); n != 1 {
		t.Fatalf("%d OAuth2SessionCreate from the stored token, want 1", n)
	}
	// Signing in again keeps the choice.
	f.signIn(t)
	if _, current, _ := f.m.OnSIPUsers(f.id); current != "666666" {
		t.Fatalf("a new sign-in acts as %s, not the chosen 666666", current)
	}
}

func TestOnSIPRevokedThirdPartyTokenNeedsSignIn(t *testing.T) {
	f := newOnSIP(t, "google", nil)
	f.signIn(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.m.Run(ctx)
	f.fake.RevokeThirdParty()
	f.fake.ExpireSessions()
	_, err := f.credential(t)
	if !errors.Is(err, auth.ErrSignInRequired) {
		t.Fatalf("err = %v, want sign-in required", err)
	}
	st, _ := f.m.Status(f.id)
	if st.State != SignInRequired || !strings.Contains(st.Err(), "no longer valid") {
		t.Fatalf("state %v (%q)", st.State, st.Err())
	}
	creates := f.fake.CountCreate(true)
	time.Sleep(300 * time.Millisecond) // the schedule runs meanwhile
	if n := f.fake.CountCreate(true); n != creates || n != 1 {
		t.Fatalf("%d attempts to re-create the session, want exactly 1 and no retries", n)
	}
}

func TestOnSIPPasswordSignIn(t *testing.T) {
	f := newOnSIP(t, "password", nil)
	f.signIn(t) // no browser: SessionCreate
	sid, err := f.credential(t)
	if _, ok := f.fake.Live(sid); err != nil || !ok {
		t.Fatalf("password session %q not live: %v", sid, err)
	}
	f.fake.ExpireSessions()
	again, err := f.credential(t)
	if _, ok := f.fake.Live(again); err != nil || !ok || again == sid {
		t.Fatalf("password session not re-created: %v", err)
	}
	if n := f.fake.Count("SessionCreate"); n != 2 {
		t.Fatalf("%d SessionCreate, want 2", n)
	}

	for name, tune := range map[string]func(*fakeidp.OnSIP){
		"wrong password": func(o *fakeidp.OnSIP) { o.Password = "something else" },
		"locked login":   func(o *fakeidp.OnSIP) { o.Locked = true },
	} {
		t.Run(name, func(t *testing.T) {
			f := newOnSIP(t, "password", tune)
			err := f.m.SignIn(context.Background(), f.id, auth.SignInUI{})
			want := map[string]string{"wrong password": "The username or password is incorrect.", "locked login": "wait 10 minutes"}[name]
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want the service's message %q", err, want)
			}
		})
	}
}

func TestOnSIPErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		kind      string
		state     State
		message   string
		transient bool
	}{
		{"exception", Retrying, "Service is down for maintenance.", true}, // the service's own trouble
		{"request", SignInRequired, "Service is down for maintenance.", false},
		{"action", SignInRequired, "Service is down for maintenance.", false},
		{"html", Retrying, "not an OnSIP API document", true},
		{"truncated", Retrying, "not an OnSIP API document", true},
		{"5xx", Retrying, "503", true},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			f := newOnSIP(t, "slack", nil)
			f.signIn(t)
			f.fake.ExpireSessions()
			faults.SetOnSIP(f.fake, &faults.OnSIPFault{Kind: tc.kind, Code: "Test.Fault", Message: "Service is down for maintenance.", Actions: []string{"OAuth2SessionCreate"}})
			f.clock.Advance(2 * auth.SessionFreshness)
			_, err := f.m.Credential(context.Background(), f.id, AtLeast(time.Minute))
			st, _ := f.m.Status(f.id)
			if err == nil || st.State != tc.state && !(tc.transient && st.State == Expired) || !strings.Contains(st.Err(), tc.message) {
				t.Fatalf("state %v, error %q (%v); want %v with %q", st.State, st.Err(), err, tc.state, tc.message)
			}
			if tc.transient { // once the fault clears, the retry brings a live session back
				faults.SetOnSIP(f.fake, nil)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				go f.m.Run(ctx)
				deadline := time.Now().Add(5 * time.Second)
				for st.State != Valid && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
					st, _ = f.m.Status(f.id)
				}
				if st.State != Valid {
					t.Fatalf("not valid again after the fault cleared: %v", st.State)
				}
			}
		})
	}
}

func TestOnSIPSignOutDestroysTheSession(t *testing.T) {
	f := newOnSIP(t, "slack", nil)
	f.signIn(t)
	sid, _ := f.credential(t)
	if err := f.m.SignOut(context.Background(), f.id); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.fake.Live(sid); ok || f.fake.Count("SessionDestroy") != 1 {
		t.Fatal("sign-out did not destroy the session")
	}
	if _, err := f.store.Get(string(f.id), secretToken); !errors.Is(err, auth.ErrNotFound) {
		t.Fatalf("the SessionId and third-party token are still in the keyring: %v", err)
	}
}

// SessionRead is in no OnSIP document or public client: OnSIP refuses it as a request, and says
// in the same answer that the session is established. A refused probe says nothing about the
// session: it stays, no new one is made, and the log says once, in words, what to change.
func TestOnSIPARefusedProbeKeepsTheSession(t *testing.T) {
	logged := logs.Count("OnSIP refused the keep-alive check")
	f := newOnSIPWith(t, "slack", nil, map[string]string{"probe_action": "SessionRead"})
	f.signIn(t)
	first, err := f.credential(t)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		sid, err := f.credential(t)
		if err != nil || sid != first {
			t.Fatalf("a refused probe replaced the session: %q → %q (%v)", first, sid, err)
		}
	}
	if n := f.fake.Count("SessionRead"); n != 4 {
		t.Fatalf("%d probes", n)
	}
	if n := f.fake.CountCreate(true); n != 0 {
		t.Fatalf("%d new sessions for a live one", n)
	}
	if n := logs.Count("OnSIP refused the keep-alive check") - logged; n != 1 {
		t.Fatalf("the refused probe was logged %d times, want once", n)
	}
}

// The default probe is UserRead, which OnSIP documents and its public clients send (SessionId and
// the session's UserId); the session lives on through it, and is re-created only once OnSIP says
// it is no longer established.
func TestOnSIPDefaultProbeIsUserRead(t *testing.T) {
	f := newOnSIP(t, "google", nil)
	f.signIn(t)
	first, _ := f.credential(t)
	if again, err := f.credential(t); err != nil || again != first || f.fake.Count("UserRead") != 2 {
		t.Fatalf("UserRead probes %d, session %q then %q (%v)", f.fake.Count("UserRead"), first, again, err)
	}
	f.fake.ExpireSessions()
	again, err := f.credential(t)
	if _, live := f.fake.Live(again); err != nil || again == first || !live || f.fake.CountCreate(true) != 1 {
		t.Fatalf("not re-created once the session ended: %v", err)
	}
}

// OAuth2SessionReplaceUser takes the Service values of the seed's table (SlackLoginDummy); the
// spelling of the seed's cURL sample (SlackDummyLogin) is refused, and the setting can change it.
func TestOnSIPReplaceUserSendsTheDocumentedService(t *testing.T) {
	f := newOnSIPWith(t, "slack", nil, map[string]string{"replace_user_service": "SlackDummyLogin"})
	f.signIn(t)
	err := f.m.ChooseUser(context.Background(), f.id, "666666")
	if err == nil || !strings.Contains(err.Error(), "SlackLoginDummy") {
		t.Fatalf("err = %v, want OnSIP's refusal of the Service value", err)
	}
}

// OnSIP's reply to OAuth2SessionReplaceUser may lack Session/UserId (seen on the wire): the
// account keeps the user it asked for, its name, and its keep-alive, and the next session made
// without the browser acts as that user.
func TestOnSIPKeepsTheUserItAskedFor(t *testing.T) {
	f := newOnSIP(t, "slack", func(s *fakeidp.OnSIP) {
		faults.Rewrite(s, faults.Action("OAuth2SessionReplaceUser"), func(b []byte) []byte {
			return regexp.MustCompile(`(?s)(<Session>.*?)<UserId>\d+</UserId>`).ReplaceAll(b, []byte("$1"))
		})
	})
	f.signIn(t)
	if err := f.m.ChooseUser(context.Background(), f.id, "666666"); err != nil {
		t.Fatal(err)
	}
	if st, _ := f.m.Status(f.id); st.Identity.Subject != "666666" || st.Identity.Name == "" {
		t.Fatalf("acting as %+v after choosing 666666", st.Identity)
	}
	sid, err := f.credential(t)
	if user, ok := f.fake.Live(sid); err != nil || !ok || user != "666666" {
		t.Fatalf("the session acts as %q (live %v, %v)", user, ok, err)
	}
	if n := f.fake.Count("OAuth2SessionCreate"); n != 1 {
		t.Fatalf("%d OAuth2SessionCreate: the probe did not keep the session", n)
	}
	f.fake.ExpireSessions()
	again, err := f.credential(t)
	if user, ok := f.fake.Live(again); err != nil || !ok || user != "666666" {
		t.Fatalf("the re-created session acts as %q (live %v, %v)", user, ok, err)
	}
}

// A session OnSIP ends as soon as Tokentray makes it again (whatever the cause) is not made again
// forever: after a few tries in a row the account needs the user, in words.
func TestOnSIPReCreatesAreBounded(t *testing.T) {
	f := newOnSIP(t, "google", func(s *fakeidp.OnSIP) {
		faults.Rewrite(s, faults.Action("UserRead"), func(b []byte) []byte { // every probe: "no session"
			return bytes.ReplaceAll(b, []byte("<IsEstablished>true</IsEstablished>"), []byte("<IsEstablished>false</IsEstablished>"))
		})
	})
	f.signIn(t)
	for range 10 {
		_, _ = f.credential(t)
		f.m.settle(f.id)
	}
	st, _ := f.m.Status(f.id)
	if st.State != SignInRequired || !strings.Contains(st.Problem.Detail, "in a row") {
		t.Fatalf("after sessions that never held: %v %q", st.State, st.Problem.Detail)
	}
	if n := f.fake.CountCreate(true); n > 4 {
		t.Fatalf("%d sessions made again without the browser; want a bounded few", n)
	}
}

// While OnSIP answers its keep-alive check with an Exception (its own trouble, which says nothing
// against the session), the account and `token` agree: the session last confirmed within its check
// interval is handed out and the account says "retrying"; past the interval it is "expired" and
// refused. They used to disagree: "valid" in status while token refused.
func TestOnSIPStatusAndTokenAgreeDuringAnException(t *testing.T) {
	f := newOnSIP(t, "slack", nil)
	f.signIn(t)
	faults.SetOnSIP(f.fake, &faults.OnSIPFault{Kind: "exception", Message: "An internal error occurred.", Actions: []string{"UserRead"}})
	for _, step := range []struct {
		advance time.Duration
		want    State
	}{{2 * auth.SessionFreshness, Retrying}, {0, Retrying}, {10 * time.Minute, Expired}} {
		f.clock.Advance(step.advance)
		_, err := f.m.Credential(context.Background(), f.id, Default)
		st, _ := f.m.Status(f.id)
		if served := st.State == Valid || st.State == Retrying; st.State != step.want || (err == nil) != served {
			t.Fatalf("after %s more: state %v, token error %v; want %v, and a token exactly while the state has one", step.advance, st.State, err, step.want)
		}
	}
}
