package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"tokentray/app/model"
	"tokentray/auth"
)

// renewLocked starts the account's renewal, or returns the one in progress.
func (m *Manager) renewLocked(a *account) *flight {
	if a.flight != nil {
		return a.flight
	}
	f := &flight{done: make(chan struct{})}
	a.flight = f
	if a.tok != nil {
		a.st.State = Refreshing
	}
	go m.runRenewal(a, f)
	return f
}

// runRenewal renews the account and records how it went. A renewed token goes to the keyring
// before anyone can see it; if the keyring refuses it, it is kept (and served) in memory, and
// storing it is retried, because the provider may already have replaced the old refresh token.
func (m *Manager) runRenewal(a *account, f *flight) {
	m.publish(m.statusOf(a))
	ctx, cancel := context.WithTimeout(context.Background(), m.o.RefreshTimeout)
	defer cancel()
	m.mu.Lock()
	tok, unsaved, interrupted := a.tok, a.st.Unsaved, a.interrupted
	m.mu.Unlock()
	fresh, stored, err := m.renewOnce(ctx, a, tok, unsaved)
	now := m.o.Now()
	m.mu.Lock()
	switch {
	case errors.Is(err, errNotSignedIn):
		a.st.State, a.st.Problem, a.unread = SignedOut, Problem{}, false
	case err == nil:
		a.setToken(fresh, now)
		a.interrupted = false
		if !stored {
			a.st.Unsaved, a.saveAt = true, now.Add(m.o.SaveRetry)
			a.st.Problem = Problem{Class: KeyringTrouble, RetryAt: a.saveAt,
				Detail: "renewed, but the system keyring did not take the new sign-in (is it locked?); it is kept in memory until the keyring takes it"}
		}
	case errors.Is(err, auth.ErrSignInRequired):
		if interrupted {
			err = fmt.Errorf("Tokentray was stopped while renewing this sign-in, and the provider has replaced it since: %w", err)
		}
		a.st.State, a.st.Problem = SignInRequired, problemOf(err, time.Time{})
	default:
		a.attempts++
		a.retryAt, a.failedAt = now.Add(m.o.Backoff(a.attempts)), now
		a.st.State, a.st.Problem = Retrying, problemOf(err, a.retryAt)
		switch {
		case a.tok == nil:
			a.st.State = SignedOut
		case a.tok.Session && now.Before(a.tok.Expiry) && !errors.Is(err, auth.ErrSessionEnded):
			// in doubt, not gone: see sessionInDoubtLocked
		case !a.tok.ValidFor(now, 0):
			a.st.State = Expired
		}
	}
	f.err = err
	a.flight = nil
	st := a.st
	m.mu.Unlock()
	close(f.done)
	logRenewal(st, err)
	m.publish(st)
	m.poke()
}

// errNotSignedIn ends a renewal of an account that turned out to have no sign-in to renew.
var errNotSignedIn = errors.New("not signed in")

// renewOnce renews tok under the account's cross-process lock. It reports whether the returned
// token is in the keyring.
//
// A renewal that may rotate the grant starts only once the keyring has been read (another process
// may have renewed meanwhile: its token is newer and is taken instead) and has taken a write (the
// renewal mark, secretRenewing), so that the answer can be stored, and a run killed before storing
// it is noticed by the next one. After invalid_grant the keyring is read once more: a grant
// another process stored meanwhile is used rather than declaring "sign-in required".
func (m *Manager) renewOnce(ctx context.Context, a *account, tok *auth.Token, unsaved bool) (*auth.Token, bool, error) {
	id := a.cfg.ID
	if m.o.Lock != nil {
		unlock, err := m.o.Lock(id)
		if err != nil {
			return nil, false, &auth.TransientError{Err: err}
		}
		defer unlock()
	}
	if !unsaved { // else the keyring holds an older token than ours
		stored, err := readToken(m.o.Store, id)
		switch {
		case err != nil:
			return nil, false, fmt.Errorf("could not read the sign-in from the keyring, so it was not renewed: %w", err)
		case stored == nil && tok != nil:
			return nil, false, fmt.Errorf("%w: the sign-in is no longer in the keyring (signed out elsewhere?)", auth.ErrSignInRequired)
		case stored == nil && !a.unattended():
			return nil, false, errNotSignedIn // the keyring, readable again, holds no sign-in
		case stored != nil && (tok == nil || stored.Expiry.After(tok.Expiry)):
			if stored.ValidFor(m.o.Now(), m.marginFor(stored.Lifetime())) {
				return stored, true, nil // renewed by another process
			}
			tok = stored
		}
	}
	if unsaved { // store ours first: it is newer than the keyring's
		if err := m.store(id, tok, true); err != nil {
			return nil, false, fmt.Errorf("%w, so it was not renewed", err)
		}
	}
	marked := tok != nil && tok.RefreshToken != ""
	if marked {
		if err := m.o.Store.Set(string(id), secretRenewing, auth.Fingerprint(tok.RefreshToken.Reveal())); err != nil {
			return nil, false, fmt.Errorf("could not mark the renewal in the keyring, so it was not renewed: %w", err)
		}
	}
	fresh, err := a.prov.Refresh(ctx, tok)
	if errors.Is(err, auth.ErrSignInRequired) && tok != nil {
		if stored, rerr := readToken(m.o.Store, id); rerr == nil && stored != nil && stored.RefreshToken != tok.RefreshToken {
			slog.Info("the provider refused the refresh token; another process had stored a newer one", "account", a.cfg.Name)
			return stored, true, nil
		}
	}
	var refused *auth.ProviderError
	if marked && errors.As(err, &refused) {
		// the provider answered, and refused: nothing was rotated, so no answer was lost
		_ = m.o.Store.Delete(string(id), secretRenewing)
	}
	if err != nil {
		return nil, false, err
	}
	if fresh.Identity == (auth.Identity{}) { // a first client-credentials grant: say whose it is, once
		fresh.Identity = m.completeIdentity(ctx, a.prov, fresh)
	}
	if err := m.store(id, fresh, true); err != nil {
		slog.Warn("renewed, but could not store the new sign-in; keeping it in memory", "account", a.cfg.Name, "err", err)
		return fresh, false, nil
	}
	if marked {
		_ = m.o.Store.Delete(string(id), secretRenewing)
	}
	return fresh, true, nil
}

// store writes the token to the keyring, all of it in one item. final is false for the
// before-renewal mark, which AfterStore does not see.
func (m *Manager) store(id model.AccountID, t *auth.Token, final bool) error {
	raw, err := auth.MarshalToken(t)
	if err != nil {
		return err
	}
	if err := m.o.Store.Set(string(id), secretToken, raw); err != nil {
		return fmt.Errorf("could not save the sign-in to the keyring: %w", err)
	}
	if final && m.o.AfterStore != nil {
		m.o.AfterStore(id, t)
	}
	return nil
}

// save tries again to store a credential the keyring refused.
func (m *Manager) save(a *account) {
	m.mu.Lock()
	tok := a.tok
	m.mu.Unlock()
	err := m.store(a.cfg.ID, tok, true)
	m.mu.Lock()
	a.saving = false
	if a.tok == tok && err == nil {
		a.st.Unsaved, a.st.Problem = false, Problem{}
	} else if err != nil {
		a.saveAt = m.o.Now().Add(m.o.SaveRetry)
		a.st.Problem.RetryAt = a.saveAt
	}
	st := a.st
	m.mu.Unlock()
	if err == nil {
		slog.Info("the keyring took the renewed sign-in", "account", st.Name)
	}
	m.publish(st)
}

// allowLocked spends one of the account's automatic renewals, or pauses the account until one is
// due: renewals that come faster than credentials live (a provider whose clock is hours off, a
// credential that expires as it arrives) would otherwise run in a loop.
func (m *Manager) allowLocked(a *account, now time.Time) bool {
	next, ok := a.budget.take(now, m.o.Burst, m.o.Every)
	if ok {
		return true
	}
	a.retryAt = next
	if a.tok != nil {
		a.st.State = Paused
	}
	a.st.Problem = Problem{Class: RenewingTooOften, RetryAt: next, Detail: fmt.Sprintf(
		"renewed %d times in a short while and each new credential was due again at once (the provider's credentials live %s, or a clock is wrong); renewing again at %s",
		m.o.Burst, Short(a.lifetime()), next.Local().Format("15:04:05"))}
	return false
}

// budget is a token bucket: up to burst renewals at once, one more every every.
type budget struct {
	left float64
	at   time.Time
}

func (b *budget) take(now time.Time, burst int, every time.Duration) (next time.Time, ok bool) {
	switch {
	case b.at.IsZero():
		b.left = float64(burst)
	case now.After(b.at):
		b.left = min(float64(burst), b.left+float64(now.Sub(b.at))/float64(every))
	}
	b.at = now // a clock set back refills nothing
	if b.left >= 1 {
		b.left--
		return time.Time{}, true
	}
	return now.Add(time.Duration((1 - b.left) * float64(every))), false
}

// claim waits until no renewal, sign-in or sign-out of a is in progress and holds the account's
// flight slot, so that no renewal starts until release: a result stored next cannot be
// overwritten by an older grant's renewal.
func (m *Manager) claim(a *account) *flight {
	for {
		m.mu.Lock()
		if a.flight == nil {
			f := &flight{done: make(chan struct{})}
			a.flight = f
			m.mu.Unlock()
			return f
		}
		f := a.flight
		m.mu.Unlock()
		<-f.done
	}
}

// releaseLocked gives the slot taken by claim back.
func (m *Manager) releaseLocked(a *account, f *flight) {
	if a.flight == f {
		a.flight = nil
	}
	close(f.done)
}
