package app

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"tokentray/app/accounts"
	"tokentray/app/audit"
	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
)

// Keyring is the secret store the core needs: the manager's, plus removing a whole account.
type Keyring interface {
	accounts.SecretStore
	DeleteAccount(account string) error
}

// Autostarter turns starting at login on and off (Autostart in production).
type Autostarter interface {
	Enabled() bool
	Set(on bool) error
}

// Deps are what the core needs from the world. Production returns the real ones, the one place
// where they are chosen; a test replaces what it needs.
type Deps struct {
	Paths     config.Paths
	Store     Keyring                                  // the secret store
	Lock      func(id model.AccountID) (func(), error) // the per-account lock shared with other processes
	Now       func() time.Time                         // the wall clock
	HTTP      *http.Client                             // for the providers
	Browser   func(url string) error                   // opens a sign-in page in the system browser
	Autostart Autostarter                              // nil: start at login is not offered
	Log       *slog.Logger                             // where the core says what it does (redacted)
	Manager   func(*accounts.Options)                  // tests tune the manager (its tick, backoff…)
	Providers func(auth.Config) (auth.Provider, error) // default auth.NewProvider
	// Only restores just the account of that name from the keyring: a command needs one account,
	// the app all of them.
	Only string
}

// Production returns the real dependencies: the system keyring under keyringService, the locks
// in the user's home, the system browser.
func Production(paths config.Paths, keyringService string) Deps {
	return Deps{Paths: paths, Store: auth.NewKeyring(keyringService), Lock: accounts.AccountLocks(paths.LockDir()), Now: time.Now,
		HTTP: http.DefaultClient, Browser: auth.OpenBrowser, Log: slog.Default()}
}

// Core is Tokentray without a face: the accounts, their credentials and sign-ins, and the
// preferences, behind one typed API that the tray, the socket (for the commands and the accounts
// window) and the offline command runner all use. Every method takes an account by name (any
// case, a unique beginning) or id, and is safe for concurrent use.
type Core struct {
	d Deps

	mu      sync.Mutex
	cfg     *config.Config
	problem error // why the accounts file does not load; nil when it does
	m       *accounts.Manager
	signIns map[model.AccountID]*pendingSignIn // by account id, while a sign-in waits for the browser
	subs    model.Listeners
	audit   *audit.Log
}

// NewCore loads the accounts file and restores every signed-in account from the keyring. An
// accounts file that does not load is no error here: the core then has no accounts and says why
// (ConfigProblem), and never writes over the file.
func NewCore(d Deps) *Core {
	d.Log = cmp.Or(d.Log, slog.Default())
	if d.Now == nil {
		d.Now = time.Now
	}
	c := &Core{d: d, signIns: map[model.AccountID]*pendingSignIn{}, audit: &audit.Log{Path: d.Paths.AuditFile(), Errors: d.Log}}
	cfg, err := config.LoadConfig(d.Paths.Config)
	if err != nil {
		c.problem, cfg = err, &config.Config{Version: config.ConfigVersion}
	}
	c.cfg = cfg
	prefs := cfg.Settings.Resolved()
	o := accounts.Options{Store: d.Store, Lock: d.Lock, Now: d.Now, HTTP: d.HTTP, NewProvider: d.Providers,
		RefreshMargin: prefs.RefreshMargin, MinValid: prefs.MinValid}
	if d.Manager != nil {
		d.Manager(&o)
	}
	c.m = accounts.NewManager(c.managed(cfg), o)
	c.m.Subscribe(func(accounts.Status) { c.changed() })
	return c
}

// managed is the part of cfg the manager keeps: every account, or the one a command needs.
func (c *Core) managed(cfg *config.Config) *config.Config {
	if c.d.Only == "" {
		return cfg
	}
	out := &config.Config{Version: cfg.Version, Settings: cfg.Settings}
	if a, err := config.ResolveAccount(cfg.Accounts, c.d.Only); err == nil {
		out.Accounts = []config.Account{a}
	}
	return out
}

// Run keeps every credential fresh until ctx ends (see Manager.Run), and takes in the accounts
// file whenever it changes on disk.
func (c *Core) Run(ctx context.Context) {
	go c.watchConfig(ctx)
	c.m.Run(ctx)
}

// ConfigProblem is why the accounts file does not load, in words; "" when it does.
func (c *Core) ConfigProblem() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.problem == nil {
		return ""
	}
	return c.problem.Error()
}

// Subscribe calls f after every change: a state, a sign-in, the accounts file, the preferences.
// f runs outside the core's locks and must not block; it asks for what it shows (Accounts…).
// The returned func stops the calls.
func (c *Core) Subscribe(f func()) (stop func()) { return c.subs.Add(f) }

// Changed tells the subscribers that something around the core changed that they show (the
// window was asked to come forward).
func (c *Core) Changed() { c.changed() }

func (c *Core) changed() { c.subs.Notify() }

// config returns the accounts as last loaded.
func (c *Core) config() *config.Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg
}

// resolve finds the account a person means.
func (c *Core) resolve(name string) (config.Account, error) {
	return config.ResolveAccount(c.config().Accounts, name)
}

// account is the account with id.
func (c *Core) account(id model.AccountID) (config.Account, error) {
	a, ok := c.config().AccountByID(id)
	if !ok {
		return config.Account{}, accounts.ErrNoAccount
	}
	return a, nil
}

// Reload re-reads the accounts file (after an edit, or another process's add or remove).
func (c *Core) Reload() error {
	cfg, err := config.LoadConfig(c.d.Paths.Config)
	c.mu.Lock()
	c.problem = err
	if err == nil {
		c.cfg = cfg
	}
	c.mu.Unlock()
	if err == nil {
		prefs := cfg.Settings.Resolved()
		c.m.SetPolicy(prefs.RefreshMargin, prefs.MinValid)
		c.m.Reload(c.managed(cfg))
	}
	c.changed()
	return err
}
