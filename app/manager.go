package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"tokentray/auth"
)

// SecretStore is the keyring as the manager uses it; *auth.Keyring in production.
type SecretStore interface {
	Get(account, key string) (string, error)
	Set(account, key, value string) error
	Delete(account, key string) error
}

// Keys under which an account's secrets are stored.
const (
	secretToken        = "token"         // the auth.Token as JSON: access, refresh and id token in one write
	secretClientSecret = "client_secret" // configuration, kept across sign-out
)

// ErrNoAccount means no account has that id.
var ErrNoAccount = errors.New("no such account")

// Options tune the manager; zero values take the defaults.
type Options struct {
	Store       SecretStore
	NewProvider func(auth.Config) (auth.Provider, error) // default auth.NewProvider
	HTTP        *http.Client                             // for providers; default http.DefaultClient
	Now         func() time.Time                         // default time.Now
	// Margin is how long before expiry a credential is renewed; default 5 minutes, and never more
	// than a third of the credential's lifetime.
	Margin time.Duration
	// Tick bounds how long the schedule sleeps: the wall clock is checked at least this often, so a
	// laptop waking from suspend never serves a stale token. Default 30 s.
	Tick time.Duration
	// Backoff is the wait before retry n (1, 2, …) after a transient failure; default exponential
	// from 2 s to 5 min with ±20% jitter.
	Backoff func(n int) time.Duration
	// RefreshTimeout bounds one refresh request; default 30 s.
	RefreshTimeout time.Duration
	// AfterStore, for tests, runs right after a renewed token is in the keyring.
	AfterStore func(id string, t *auth.Token)
	// Lock, when set, is held around each renewal so that other processes (the command line with
	// the app not running) never renew the same account at once; see AccountLocks.
	Lock func(id string) (unlock func(), err error)
}

// Manager owns every account's credential: it is the only one to read, renew, store or hand out
// tokens. One goroutine (Run) owns the schedule; any number of goroutines may call Credential,
// SignIn, SignOut and Snapshot.
type Manager struct {
	o     Options
	mu    sync.Mutex
	accs  map[string]*account
	order []string // account ids in config order
	subs  []func(Status)
	wake  chan struct{}
}

type account struct {
	cfg      Account
	prov     auth.Provider
	tok      *auth.Token
	obtained time.Time // when tok arrived, for the margin
	st       Status
	flight   *flight   // the renewal in progress, shared by every caller
	retryAt  time.Time // after a transient failure
	attempts int
}

type flight struct {
	done chan struct{}
	err  error
}

// NewManager builds the manager for cfg's accounts and restores every signed-in account from the
// keyring, without a browser.
func NewManager(cfg *Config, o Options) *Manager {
	if o.NewProvider == nil {
		o.NewProvider = auth.NewProvider
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Margin == 0 {
		o.Margin = 5 * time.Minute
	}
	if o.Tick == 0 {
		o.Tick = 30 * time.Second
	}
	if o.Backoff == nil {
		o.Backoff = defaultBackoff
	}
	if o.RefreshTimeout == 0 {
		o.RefreshTimeout = 30 * time.Second
	}
	m := &Manager{o: o, accs: map[string]*account{}, wake: make(chan struct{}, 1)}
	for _, c := range cfg.Accounts {
		m.accs[c.ID] = m.load(c)
		m.order = append(m.order, c.ID)
	}
	return m
}

func defaultBackoff(n int) time.Duration {
	d := 2 * time.Second << min(n-1, 8)
	d = min(d, 5*time.Minute)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// load builds an account's provider and restores its token from the keyring.
func (m *Manager) load(c Account) *account {
	a := &account{cfg: c, st: Status{ID: c.ID, Name: c.Name, Provider: c.Provider, State: SignedOut}}
	secrets := map[string]auth.Secret{}
	for _, f := range c.Kind().Fields {
		if !f.Secret {
			continue
		}
		v, err := m.o.Store.Get(c.ID, f.Key)
		switch {
		case err == nil:
			secrets[f.Key] = auth.Secret(v)
		case !errors.Is(err, auth.ErrNotFound):
			a.st.Err = err.Error()
		}
	}
	prov, err := m.o.NewProvider(auth.Config{Kind: c.Provider, Settings: c.Settings, Secrets: secrets, HTTP: m.o.HTTP, Now: m.o.Now})
	a.prov = prov
	if err != nil {
		a.st.Err = err.Error()
		return a
	}
	raw, err := m.o.Store.Get(c.ID, secretToken)
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return a
	case err != nil:
		a.st.Err = "could not read the sign-in from the keyring: " + err.Error()
		return a
	}
	tok, err := auth.UnmarshalToken(raw)
	if err != nil {
		a.st.Err = err.Error()
		return a
	}
	a.setToken(tok, m.o.Now())
	return a
}

func (a *account) setToken(t *auth.Token, now time.Time) {
	a.tok, a.obtained = t, now
	a.st.State, a.st.Expiry, a.st.RefreshExpiry, a.st.Err = Valid, t.Expiry, t.RefreshExpiry, ""
	a.st.Session, a.st.Checked = t.Session, t.Checked
	if t.Identity != (auth.Identity{}) {
		a.st.Identity = t.Identity
	}
	a.attempts, a.retryAt = 0, time.Time{}
}

// Subscribe registers f to receive every account's status on each change. f runs on the goroutine
// that made the change, outside the manager's lock; it must not block.
func (m *Manager) Subscribe(f func(Status)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.subs = append(m.subs, f)
}

func (m *Manager) publish(s Status) {
	m.mu.Lock()
	subs := slices.Clone(m.subs)
	m.mu.Unlock()
	for _, f := range subs {
		f(s)
	}
}

// Snapshot returns every account's status, in config order.
func (m *Manager) Snapshot() []Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Status, len(m.order))
	for i, id := range m.order {
		out[i] = m.accs[id].st
	}
	return out
}

// Status returns one account's status.
func (m *Manager) Status(id string) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accs[id]
	if !ok {
		return Status{}, ErrNoAccount
	}
	return a.st, nil
}

// Credential returns the account's credential, valid for at least minValid, renewing it first when
// needed. However many goroutines ask at once, one renewal request goes to the provider.
func (m *Manager) Credential(ctx context.Context, id string, minValid time.Duration) (Credential, error) {
	for tries := 0; ; tries++ {
		m.mu.Lock()
		a, ok := m.accs[id]
		if !ok {
			m.mu.Unlock()
			return Credential{}, ErrNoAccount
		}
		if a.tok.ValidFor(m.o.Now(), minValid) {
			c := Credential{Value: a.tok.AccessToken, Type: cmp.Or(a.tok.TokenType, "Bearer"), Expiry: a.tok.Expiry, Scope: a.tok.Scope, Identity: a.st.Identity}
			m.mu.Unlock()
			return c, nil
		}
		if a.tok == nil || a.st.State == SignInRequired || a.st.State == SigningIn {
			st := a.st
			m.mu.Unlock()
			return Credential{}, fmt.Errorf("%s: %w", st.Name, auth.ErrSignInRequired)
		}
		if tries > 0 {
			err := a.lastErr()
			m.mu.Unlock()
			return Credential{}, err
		}
		f := m.renew(a)
		m.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return Credential{}, ctx.Err()
		}
	}
}

func (a *account) lastErr() error {
	if a.st.Err != "" {
		return fmt.Errorf("%s: could not renew the credential: %s", a.st.Name, a.st.Err)
	}
	return fmt.Errorf("%s: the provider's credential is valid for less than asked", a.st.Name)
}

// renew starts the account's renewal, or joins the one in progress. Called with m.mu held.
func (m *Manager) renew(a *account) *flight {
	if a.flight != nil {
		return a.flight
	}
	f := &flight{done: make(chan struct{})}
	a.flight = f
	prev := a.st.State
	a.st.State = Refreshing
	tok := a.tok
	go m.runRenewal(a, f, tok, prev)
	return f
}

// runRenewal asks the provider for a new token and stores it in the keyring before anyone can see
// it: a rotated refresh token is written before the access token is handed out, logged or announced.
func (m *Manager) runRenewal(a *account, f *flight, tok *auth.Token, prev State) {
	m.publish(m.statusOf(a))
	ctx, cancel := context.WithTimeout(context.Background(), m.o.RefreshTimeout)
	defer cancel()
	fresh, err := m.renewLocked(ctx, a.cfg.ID, a.prov, tok)
	now := m.o.Now()
	m.mu.Lock()
	switch {
	case err == nil:
		a.setToken(fresh, now)
	case errors.Is(err, auth.ErrSignInRequired):
		a.st.State, a.st.Err = SignInRequired, err.Error()
	default:
		a.attempts++
		a.retryAt = now.Add(m.o.Backoff(a.attempts))
		a.st.State, a.st.Err = Retrying, err.Error()
		if !a.tok.ValidFor(now, 0) {
			a.st.State = Expired
		}
	}
	f.err = err
	a.flight = nil
	st := a.st
	m.mu.Unlock()
	close(f.done)
	if err != nil {
		slog.Warn("could not renew", "account", st.Name, "state", st.State.String(), "err", err)
	} else {
		slog.Info("renewed", "account", st.Name, "expiry", st.Expiry.Format(time.RFC3339))
	}
	m.publish(st)
	m.poke()
}

// renewLocked renews under the account's lock. Another process may have renewed (and rotated) while
// this one waited for the lock: the keyring then holds a newer token, which is taken instead.
func (m *Manager) renewLocked(ctx context.Context, id string, prov auth.Provider, tok *auth.Token) (*auth.Token, error) {
	if m.o.Lock != nil {
		unlock, err := m.o.Lock(id)
		if err != nil {
			return nil, &auth.TransientError{Err: err}
		}
		defer unlock()
		if raw, err := m.o.Store.Get(id, secretToken); err == nil {
			if stored, err := auth.UnmarshalToken(raw); err == nil && stored.Expiry.After(tok.Expiry) {
				return stored, nil
			}
		}
	}
	fresh, err := prov.Refresh(ctx, tok)
	if err != nil {
		return nil, err
	}
	if err := m.store(id, fresh); err != nil {
		return nil, &auth.TransientError{Err: err} // keyring trouble: retry; the old token stays in use
	}
	return fresh, nil
}

func (m *Manager) statusOf(a *account) Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return a.st
}

// store writes the token to the keyring, all of it in one item.
func (m *Manager) store(id string, t *auth.Token) error {
	raw, err := auth.MarshalToken(t)
	if err != nil {
		return err
	}
	if err := m.o.Store.Set(id, secretToken, raw); err != nil {
		return fmt.Errorf("could not save the sign-in to the keyring: %w", err)
	}
	if m.o.AfterStore != nil {
		m.o.AfterStore(id, t)
	}
	return nil
}

// dueAt is when the schedule should next act on a; zero when it should not.
func (m *Manager) dueAt(a *account) time.Time {
	switch a.st.State {
	case Valid:
		if a.tok.Session {
			return a.tok.Expiry // a session is checked when its interval is up: it has no lifetime to beat
		}
		margin := min(m.o.Margin, a.tok.Expiry.Sub(a.obtained)/3)
		return a.tok.Expiry.Add(-margin)
	case Retrying, Expired:
		return a.retryAt
	}
	return time.Time{}
}

// Run keeps every account fresh until ctx ends: it renews each credential a margin before it
// expires and retries transient failures with backoff. It sleeps at most Tick at a time and
// compares against the wall clock, so time spent suspended is noticed on waking.
func (m *Manager) Run(ctx context.Context) {
	for {
		now := m.o.Now()
		t := time.NewTimer(m.scan(now).Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-m.wake:
			t.Stop()
		}
	}
}

// scan starts every renewal that is due at now and returns when the next one falls due, or now+Tick.
func (m *Manager) scan(now time.Time) time.Time {
	next := now.Add(m.o.Tick)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range m.accs {
		due := m.dueAt(a)
		switch {
		case due.IsZero() || a.flight != nil:
		case !due.After(now):
			m.renew(a)
		case due.Before(next):
			next = due
		}
	}
	return next
}

// poke makes Run look at the schedule again now.
func (m *Manager) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// SignIn runs the account's interactive sign-in and stores the result. While it waits the account
// is "signing in"; on failure (declined, timed out, cancelled) it returns to where it was.
func (m *Manager) SignIn(ctx context.Context, id string, ui auth.SignInUI) error {
	m.mu.Lock()
	a, ok := m.accs[id]
	if !ok {
		m.mu.Unlock()
		return ErrNoAccount
	}
	if a.prov == nil {
		m.mu.Unlock()
		return fmt.Errorf("%s: %s", a.cfg.Name, a.st.Err)
	}
	before := a.st
	a.st.State = SigningIn
	st := a.st
	m.mu.Unlock()
	m.publish(st)

	m.mu.Lock()
	prev := a.tok
	m.mu.Unlock()
	tok, err := a.prov.SignIn(ctx, ui)
	if err == nil {
		tok = m.keepUserChoice(ctx, a.prov, prev, tok)
	}
	if err == nil && tok.Identity == (auth.Identity{}) {
		if id, werr := a.prov.WhoAmI(ctx, tok); werr == nil {
			tok.Identity = id
		}
	}
	if err == nil {
		err = m.store(a.cfg.ID, tok)
	}
	m.mu.Lock()
	if err != nil {
		a.st = before
		a.st.Err = err.Error()
	} else {
		a.setToken(tok, m.o.Now())
	}
	st = a.st
	m.mu.Unlock()
	m.publish(st)
	m.poke()
	if err != nil {
		slog.Warn("sign-in failed", "account", st.Name, "err", err)
		return err
	}
	slog.Info("signed in", "account", st.Name, "identity", st.Identity.String())
	return nil
}

// settled returns the account with id once no renewal of it is in progress, so that a change the
// caller makes next cannot be overwritten by that renewal's result.
func (m *Manager) settled(id string) (*account, error) {
	m.mu.Lock()
	a, ok := m.accs[id]
	var f *flight
	if ok {
		f = a.flight
	}
	m.mu.Unlock()
	if !ok {
		return nil, ErrNoAccount
	}
	if f != nil {
		<-f.done
	}
	return a, nil
}

// SignOut revokes the account's grant where the provider supports it and deletes its tokens from
// the keyring. The client secret, being configuration, stays until the account is removed.
func (m *Manager) SignOut(ctx context.Context, id string) error {
	a, err := m.settled(id) // a renewal finishing after the sign-out would store its token again
	if err != nil {
		return err
	}
	m.mu.Lock()
	tok := a.tok
	m.mu.Unlock()
	if tok != nil && a.prov != nil {
		if err := a.prov.Revoke(ctx, tok); err != nil {
			slog.Warn("could not revoke at the provider; forgetting the tokens anyway", "account", a.cfg.Name, "err", err)
		}
	}
	if err := m.o.Store.Delete(id, secretToken); err != nil {
		return fmt.Errorf("could not delete the sign-in from the keyring: %w", err)
	}
	m.mu.Lock()
	a.tok = nil
	a.st = Status{ID: a.cfg.ID, Name: a.cfg.Name, Provider: a.cfg.Provider, State: SignedOut}
	st := a.st
	m.mu.Unlock()
	m.publish(st)
	return nil
}

// Reload takes a changed accounts file: new accounts are restored from the keyring, removed ones
// dropped, changed ones rebuilt; unchanged accounts keep their state and any renewal in flight.
func (m *Manager) Reload(cfg *Config) {
	fresh := map[string]*account{}
	var order []string
	m.mu.Lock()
	for _, c := range cfg.Accounts {
		if a, ok := m.accs[c.ID]; ok && sameAccount(a.cfg, c) {
			fresh[c.ID] = a
		}
		order = append(order, c.ID)
	}
	m.mu.Unlock()
	for _, c := range cfg.Accounts {
		if fresh[c.ID] == nil {
			fresh[c.ID] = m.load(c) // keyring reads: outside the lock
		}
	}
	m.mu.Lock()
	m.accs, m.order = fresh, order
	m.mu.Unlock()
	for _, id := range order {
		m.publish(m.statusOf(fresh[id]))
	}
	m.poke()
}

func sameAccount(a, b Account) bool {
	return a.Name == b.Name && a.Provider == b.Provider && maps.Equal(a.Settings, b.Settings)
}

// keepUserChoice applies the OnSIP user chosen before to a new sign-in, which OnSIP starts as the
// first user of the e-mail.
func (m *Manager) keepUserChoice(ctx context.Context, prov auth.Provider, prev, tok *auth.Token) *auth.Token {
	chooser, ok := prov.(auth.UserChooser)
	if !ok || prev == nil || prev.OnSIP == nil || tok.OnSIP == nil || prev.OnSIP.UserID == tok.OnSIP.UserID {
		return tok
	}
	for _, u := range tok.OnSIP.Users {
		if u.UserID == prev.OnSIP.UserID {
			if chosen, err := chooser.ChooseUser(ctx, tok, u.UserID); err == nil {
				return chosen
			}
		}
	}
	return tok
}

// OnSIPUsers returns the OnSIP users an OnSIP account's sign-in can act as, and the one it acts as.
func (m *Manager) OnSIPUsers(id string) ([]auth.OnSIPUser, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accs[id]
	if !ok {
		return nil, "", ErrNoAccount
	}
	if a.tok == nil || a.tok.OnSIP == nil {
		return nil, "", nil
	}
	return slices.Clone(a.tok.OnSIP.Users), a.tok.OnSIP.UserID, nil
}

// ChooseUser makes an OnSIP account act as another OnSIP user of the same e-mail. The choice is
// stored with the session and kept when the session is created again or the user signs in again.
func (m *Manager) ChooseUser(ctx context.Context, id, userID string) error {
	a, err := m.settled(id) // a renewal still in progress would overwrite the choice
	if err != nil {
		return err
	}
	chooser, ok := a.prov.(auth.UserChooser)
	m.mu.Lock()
	tok := a.tok
	m.mu.Unlock()
	if !ok || tok == nil {
		return fmt.Errorf("%s: only a signed-in OnSIP account can act as another user", a.cfg.Name)
	}
	fresh, err := chooser.ChooseUser(ctx, tok, userID)
	if err == nil {
		err = m.store(id, fresh)
	}
	if err != nil {
		return err
	}
	m.mu.Lock()
	a.setToken(fresh, m.o.Now())
	st := a.st
	m.mu.Unlock()
	m.publish(st)
	return nil
}

// RenewNow renews the account's credential now ("Refresh now"), joining a renewal in progress.
func (m *Manager) RenewNow(ctx context.Context, id string) error {
	m.mu.Lock()
	a, ok := m.accs[id]
	if !ok {
		m.mu.Unlock()
		return ErrNoAccount
	}
	if a.tok == nil || a.st.State == SigningIn {
		m.mu.Unlock()
		return fmt.Errorf("%s: %w", a.cfg.Name, auth.ErrSignInRequired)
	}
	f := m.renew(a)
	m.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Check asks the provider who the account's credential belongs to ("Check" in the window): it
// proves the credential works end to end.
func (m *Manager) Check(ctx context.Context, id string) (auth.Identity, error) {
	cred, err := m.Credential(ctx, id, 0)
	if err != nil {
		return auth.Identity{}, err
	}
	m.mu.Lock()
	a := m.accs[id]
	tok := a.tok
	m.mu.Unlock()
	if tok == nil || tok.AccessToken != cred.Value {
		return auth.Identity{}, errors.New("the credential changed while checking; try again")
	}
	return a.prov.WhoAmI(ctx, tok)
}
