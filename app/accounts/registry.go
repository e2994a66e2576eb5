// The registry: each account built from its configuration and restored from the keyring.

package accounts

import (
	"errors"
	"maps"
	"time"

	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
)

// load builds an account's provider and restores its token from the keyring.
func (m *Manager) load(c config.Account) *account {
	a := &account{cfg: c, st: Status{ID: c.ID, Name: c.Name, Provider: c.Provider, State: SignedOut}}
	secrets := map[string]auth.Secret{}
	for _, f := range c.Kind().Fields {
		if !f.Secret {
			continue
		}
		v, err := m.o.Store.Get(string(c.ID), f.Key)
		switch {
		case err == nil:
			secrets[f.Key] = auth.Secret(v)
		case !errors.Is(err, auth.ErrNotFound):
			a.st.Problem = problemOf(err, time.Time{})
		}
	}
	prov, err := m.o.NewProvider(auth.Config{Kind: c.Provider, Settings: c.Settings, Secrets: secrets, HTTP: m.o.HTTP, Now: m.o.Now})
	a.prov = prov
	if err != nil {
		a.st.Problem = problemOf(&ConfigurationError{err}, time.Time{})
		return a
	}
	tok, err := readToken(m.o.Store, c.ID)
	switch {
	case err != nil:
		a.unread = true
		a.retryAt = m.o.Now().Add(m.o.Backoff(1))
		a.st.Problem = problemOf(err, a.retryAt)
	case tok != nil:
		a.setToken(tok, m.o.Now())
		mark, err := m.o.Store.Get(string(c.ID), secretRenewing)
		a.interrupted = err == nil && mark == auth.Fingerprint(tok.RefreshToken.Reveal())
	}
	return a
}

// readToken returns the account's stored token, nil if it has none.
func readToken(store SecretStore, id model.AccountID) (*auth.Token, error) {
	raw, err := store.Get(string(id), secretToken)
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return auth.UnmarshalToken(raw)
}

// setToken makes t the account's credential. Called with m.mu held (or before m is shared).
func (a *account) setToken(t *auth.Token, now time.Time) {
	a.tok, a.obtained = t, now
	if !t.Issued.IsZero() {
		a.obtained = t.Issued
	}
	a.st.State, a.st.Expiry, a.st.RefreshExpiry, a.st.Problem = Valid, t.Expiry, t.RefreshExpiry, Problem{}
	if !a.renewable() { // the sign-in ends with its token
		a.st.RefreshExpiry = t.Expiry
	}
	a.st.Session, a.st.Checked, a.st.Unsaved = t.Session, t.Checked, false
	if t.Identity != (auth.Identity{}) {
		a.st.Identity = t.Identity.Printable()
	}
	a.attempts, a.retryAt, a.unread = 0, time.Time{}, false
}

// renewable reports whether a's credential can be renewed without the user: a session is made
// again, a grant repeated, a token refreshed; a token issued without a refresh token (Net2Phone's
// seed answers so, and an OpenID issuer asked no offline_access) ends when it expires.
func (a *account) renewable() bool {
	return a.unattended() || a.tok != nil && (a.tok.Session || a.tok.RefreshToken != "")
}

// unattended reports whether the account's provider needs no user to get a credential
// (a client-credentials grant).
func (a *account) unattended() bool {
	u, ok := a.prov.(interface{ Unattended() bool })
	return ok && u.Unattended()
}

// Reload takes a changed accounts file: new accounts are restored from the keyring, removed ones
// dropped, changed ones rebuilt; unchanged accounts keep their state and any renewal in flight.
func (m *Manager) Reload(cfg *config.Config) {
	fresh := map[model.AccountID]*account{}
	var order []model.AccountID
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
	sts := make([]Status, len(order))
	for i, id := range order {
		sts[i] = fresh[id].st
	}
	m.mu.Unlock()
	m.publish(sts...)
	m.poke()
}

func sameAccount(a, b config.Account) bool {
	return a.Name == b.Name && a.Provider == b.Provider && maps.Equal(a.Settings, b.Settings)
}
