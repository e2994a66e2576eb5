package accounts

import (
	"cmp"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"tokentray/app/config"
	"tokentray/app/model"
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
	// secretRenewing is written before a renewal that may rotate the grant is sent, and deleted
	// once its answer is stored: found on load, it says a run stopped in between. It holds the
	// fingerprint of the refresh token sent, never the token.
	secretRenewing = "renewing"
)

// ErrNoAccount means no account has that id.
var ErrNoAccount = errors.New("no such account")

// Options tune the manager; zero values take the defaults.
type Options struct {
	Store       SecretStore
	NewProvider func(auth.Config) (auth.Provider, error) // default auth.NewProvider
	HTTP        *http.Client                             // for providers; default http.DefaultClient
	Now         func() time.Time                         // default time.Now
	// RefreshMargin is how long before expiry a credential is renewed (the refresh_margin
	// setting); default 5 minutes, and never more than a third of the credential's lifetime.
	RefreshMargin time.Duration
	// MinValid is how long a credential asked for with Default must stay valid; default 5
	// minutes, and never more than the renewal margin of the credential's lifetime, so that a
	// credential the schedule keeps fresh always satisfies it.
	MinValid time.Duration
	// Tick bounds how long the schedule sleeps: the wall clock is checked at least this often, so a
	// laptop waking from suspend never serves a stale token. Default 30 s.
	Tick time.Duration
	// Backoff is the wait before retry n (1, 2, …) after a transient failure; default exponential
	// from 2 s to 2 min with ±20% jitter.
	Backoff func(n int) time.Duration
	// RefreshTimeout bounds one refresh request; default 30 s.
	RefreshTimeout time.Duration
	// Burst and Every limit the renewals of one account that no person asked for: at most Burst
	// in a row, then one per Every (defaults 3 and 10 s: a few a minute, enough for credentials
	// that live 20 s). Refresh now and sign-in are never limited.
	Burst int
	Every time.Duration
	// SaveRetry is how often storing a credential the keyring refused is tried again; default 15 s.
	SaveRetry time.Duration
	// AfterStore, for tests, runs right after a renewed token is in the keyring.
	AfterStore func(id model.AccountID, t *auth.Token)
	// Lock, when set, is held around each renewal so that other processes (the command line with
	// the app not running) never renew the same account at once; see AccountLocks.
	Lock func(id model.AccountID) (unlock func(), err error)
}

// Manager owns every account's credential: it is the only one to read, renew, store or hand out
// tokens. One goroutine (Run) owns the schedule; any number of goroutines may call the other
// methods. Fields of Manager and of every account are guarded by mu; methods whose names end in
// Locked are called with mu held.
type Manager struct {
	o     Options
	mu    sync.Mutex
	accs  map[model.AccountID]*account
	order []model.AccountID // account ids in config order
	subs  []func(Status)
	wake  chan struct{}
}

type account struct {
	cfg      config.Account
	prov     auth.Provider
	tok      *auth.Token
	obtained time.Time // when tok arrived, on our clock: with its expiry, the provider's lifetime
	st       Status
	flight   *flight   // the renewal (or sign-in, sign-out) in progress, shared by every caller
	retryAt  time.Time // after a transient failure, or when paused
	attempts int
	failedAt time.Time // when the last renewal failed transiently
	budget   budget    // the automatic renewals it may still make now
	saving   bool      // a retry of storing an unsaved credential is under way
	saveAt   time.Time
	unread   bool // the keyring could not be read at load: reading it is retried
	signIns  int  // sign-ins waiting for the browser
	// interrupted: the keyring held a renewal mark for the stored token when it was loaded, so an
	// earlier run stopped between asking the provider and storing its answer.
	interrupted bool
}

type flight struct {
	done chan struct{}
	err  error
}

// NewManager builds the manager for cfg's accounts and restores every signed-in account from the
// keyring, without a browser.
func NewManager(cfg *config.Config, o Options) *Manager {
	if o.NewProvider == nil {
		o.NewProvider = auth.NewProvider
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.RefreshMargin = cmp.Or(o.RefreshMargin, 5*time.Minute)
	o.MinValid = cmp.Or(o.MinValid, 5*time.Minute)
	o.Tick = cmp.Or(o.Tick, 30*time.Second)
	o.RefreshTimeout = cmp.Or(o.RefreshTimeout, 30*time.Second)
	o.Burst = cmp.Or(o.Burst, 3)
	o.Every = cmp.Or(o.Every, 10*time.Second)
	o.SaveRetry = cmp.Or(o.SaveRetry, 15*time.Second)
	if o.Backoff == nil {
		o.Backoff = defaultBackoff
	}
	m := &Manager{o: o, accs: map[model.AccountID]*account{}, wake: make(chan struct{}, 1)}
	for _, c := range cfg.Accounts {
		m.accs[c.ID] = m.load(c)
		m.order = append(m.order, c.ID)
	}
	return m
}

func defaultBackoff(n int) time.Duration {
	d := 2 * time.Second << min(n-1, 8)
	d = min(d, 2*time.Minute) // a provider back after an outage is tried again within two minutes
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Subscribe registers f to receive every account's status on each change. f runs on the goroutine
// that made the change, outside the manager's lock; it must not block.
func (m *Manager) Subscribe(f func(Status)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.subs = append(m.subs, f)
}

func (m *Manager) publish(sts ...Status) {
	m.mu.Lock()
	subs := slices.Clone(m.subs)
	m.mu.Unlock()
	for _, s := range sts {
		for _, f := range subs {
			f(s)
		}
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
func (m *Manager) Status(id model.AccountID) (Status, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accs[id]
	if !ok {
		return Status{}, ErrNoAccount
	}
	return a.st, nil
}

// SetPolicy changes the renewal margin and the default minimum validity (the refresh_margin and
// min_valid settings); zero keeps the current value.
func (m *Manager) SetPolicy(refreshMargin, minValid time.Duration) {
	m.mu.Lock()
	m.o.RefreshMargin, m.o.MinValid = cmp.Or(refreshMargin, m.o.RefreshMargin), cmp.Or(minValid, m.o.MinValid)
	m.mu.Unlock()
	m.poke()
}

func (m *Manager) statusOf(a *account) Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return a.st
}

// logRenewal logs how a renewal ended, without the credential.
func logRenewal(st Status, err error) {
	if err != nil {
		slog.Warn("could not renew", "account", st.Name, "state", st.State.String(), "problem", st.Problem.Class.String(), "err", err)
		return
	}
	slog.Info("renewed", "account", st.Name, "expiry", st.Expiry.Format(time.RFC3339), "unsaved", st.Unsaved)
}
