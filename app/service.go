package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"tokentray/app/ipc"
	"tokentray/auth"
)

// Keyring is the secret store the service needs: the manager's, plus removing a whole account.
type Keyring interface {
	SecretStore
	DeleteAccount(account string) error
}

// Service is what commands act on: the accounts file, the keyring and the manager. The tray app
// holds one and answers the socket with it; a command run while the app is not running builds one
// for itself (Offline), so both give the same answers and the same errors.
type Service struct {
	Paths    Paths
	Store    Keyring
	Offline  bool               // no app running: a signed-out account means "no stored credential"
	OpenURL  func(string) error // the browser for login; default auth.OpenBrowser
	ShowURL  func(string)       // when the browser cannot be opened
	Show     func()             // bring the window forward ("show"); nil in a command
	Reloaded func(*Config)      // after the accounts file was re-read

	mu  sync.Mutex
	cfg *Config
	M   *Manager
}

// NewService loads the accounts file and builds the manager. With only set, the manager restores
// just that account from the keyring (a command needs one; the app needs all).
func NewService(paths Paths, store Keyring, opts Options, only string) (*Service, error) {
	cfg, err := LoadConfig(paths.Config)
	if err != nil {
		return nil, err
	}
	managed := cfg
	if only != "" {
		managed = &Config{Version: cfg.Version}
		if a, err := ResolveAccount(cfg.Accounts, only); err == nil {
			managed.Accounts = []Account{a}
		}
	}
	opts.Store = store
	if opts.Margin == 0 {
		opts.Margin = cfg.Settings.RenewalMargin()
	}
	if opts.MinValid == 0 {
		opts.MinValid = cfg.Settings.MinValidity()
	}
	if opts.Lock == nil {
		opts.Lock = AccountLocks(LockDir())
	}
	return &Service{Paths: paths, Store: store, cfg: cfg, M: NewManager(managed, opts)}, nil
}

// Config returns the accounts as last loaded.
func (s *Service) Config() *Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// Reload re-reads the accounts file (after `tokentray add` or `remove`, or an edit).
func (s *Service) Reload() error {
	cfg, err := LoadConfig(s.Paths.Config)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
	s.M.SetPolicy(cfg.Settings.RenewalMargin(), cfg.Settings.MinValidity())
	s.M.Reload(cfg)
	if s.Reloaded != nil {
		s.Reloaded(cfg)
	}
	return nil
}

// Handle answers one request, from the socket or from an offline command.
func (s *Service) Handle(ctx context.Context, req ipc.Request) ipc.Response {
	switch req.Op {
	case "list":
		var out []ipc.Account
		for _, st := range s.M.Snapshot() {
			out = append(out, accountInfo(st))
		}
		return ipc.Response{Accounts: out}
	case "reload":
		if err := s.Reload(); err != nil {
			return fail(ipc.ExitFailure, err)
		}
		return ipc.Response{}
	case "show":
		if s.Show != nil {
			s.Show()
		}
		return ipc.Response{}
	case "token", "status", "login", "logout":
	default:
		return ipc.Response{Error: fmt.Sprintf("unknown request %q", req.Op), Code: ipc.ExitUsage}
	}
	acc, err := ResolveAccount(s.Config().Accounts, req.Account)
	if err != nil {
		return fail(ipc.ExitNoAccount, err)
	}
	switch req.Op {
	case "token":
		v, err := validity(req.MinValid)
		if err != nil {
			return ipc.Response{Error: err.Error(), Code: ipc.ExitUsage}
		}
		cred, err := s.M.Credential(ctx, acc.ID, v)
		if err != nil {
			return s.credentialError(acc, err)
		}
		kind := "bearer"
		if acc.Provider == "onsip" {
			kind = "onsip-session"
		}
		return ipc.Response{Token: &ipc.Token{Account: acc.Name, Kind: kind, Value: cred.Value.Reveal(), Type: cred.Type,
			Expiry: cred.Expiry, Scope: cred.Scope, Identity: cred.Identity.String()}}
	case "login":
		ui := auth.SignInUI{OpenURL: s.OpenURL, ShowURL: s.ShowURL}
		if err := s.M.SignIn(ctx, acc.ID, ui); err != nil {
			return fail(ipc.ExitFailure, err)
		}
	case "logout":
		if err := s.M.SignOut(ctx, acc.ID); err != nil {
			return fail(ipc.ExitFailure, err)
		}
	}
	st, _ := s.M.Status(acc.ID)
	return ipc.Response{Accounts: []ipc.Account{accountInfo(st)}}
}

// validity reads a request's min_valid: "" is the default, else a duration that is not negative.
func validity(minValid string) (Validity, error) {
	if minValid == "" {
		return Default, nil
	}
	d, err := time.ParseDuration(minValid)
	if err != nil || d < 0 {
		return Default, fmt.Errorf("min_valid must be a duration that is not negative, such as 10m, not %q", minValid)
	}
	return AtLeast(d), nil
}

func (s *Service) credentialError(acc Account, err error) ipc.Response {
	st, _ := s.M.Status(acc.ID)
	switch {
	case errors.Is(err, auth.ErrSignInRequired) && s.Offline && st.State == SignedOut:
		return ipc.Response{Error: fmt.Sprintf("%s: Tokentray is not running and there is no stored credential; sign in with `tokentray login %s`", acc.Name, acc.Name), Code: ipc.ExitUnreachable}
	case errors.Is(err, auth.ErrSignInRequired):
		msg := fmt.Sprintf("%s: sign-in required; run `tokentray login %s`", acc.Name, acc.Name)
		if st.Err() != "" {
			msg += " (" + st.Err() + ")"
		}
		return ipc.Response{Error: msg, Code: ipc.ExitSignInRequired}
	}
	return fail(ipc.ExitFailure, err)
}

func fail(code int, err error) ipc.Response { return ipc.Response{Error: err.Error(), Code: code} }

func accountInfo(st Status) ipc.Account {
	return ipc.Account{ID: st.ID, Name: st.Name, Provider: st.Provider, State: st.State.String(), Expiry: st.Expiry,
		RefreshExpiry: st.RefreshExpiry, Identity: st.Identity.String(), Error: st.Err(), SigningIn: st.SigningIn}
}
