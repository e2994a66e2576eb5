package accounts

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"tokentray/app/model"
	"tokentray/auth"
)

// Validity is model's: Default, or AtLeast a duration.
type Validity = model.Validity

// Default and AtLeast are model's (see there).
var (
	Default = model.Default
	AtLeast = model.AtLeast
)

// TooShortError says that no credential of this provider can be valid for as long as asked.
type TooShortError struct {
	Account   string
	Remaining time.Duration // how long the current credential is still valid
	Asked     time.Duration
	Lifetime  time.Duration // how long the provider's credentials live

	mark *auth.Token // to store: the credential is marked as renewed for such an ask
}

func (e *TooShortError) Error() string {
	return fmt.Sprintf("%s: the credential is valid for %s, asked %s; this provider's tokens live %s, so ask for less with --min-valid",
		e.Account, Short(e.Remaining), Short(e.Asked), Short(e.Lifetime))
}

// Short writes a duration as people do: "4m12s", "10m", "1h30m", never "10m0s".
func Short(d time.Duration) string {
	d = max(d, 0).Round(time.Second)
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Credential returns the account's credential, valid as v asks, renewing it first when that can
// help. However many goroutines ask at once, one renewal request goes to the provider. A renewal
// that could not satisfy v is never started: v longer than the provider's lifetime fails at once,
// and a renewal that failed is not tried again before its backoff ends.
func (m *Manager) Credential(ctx context.Context, id model.AccountID, v Validity) (Credential, error) {
	for tries := 0; ; tries++ {
		m.mu.Lock()
		a, ok := m.accs[id]
		if !ok {
			m.mu.Unlock()
			return Credential{}, ErrNoAccount
		}
		now := m.o.Now()
		need := m.needLocked(a, v)
		if a.tok.ValidFor(now, need) || a.sessionInDoubtLocked(now) {
			t := a.tok
			c := Credential{Value: t.AccessToken, Type: cmp.Or(t.TokenType, "Bearer"), Expiry: t.Expiry, Scope: t.Scope, Identity: a.st.Identity}
			m.mu.Unlock()
			return c, nil
		}
		if err := m.whyNotRenewLocked(a, v, need, now, tries); err != nil {
			st := a.st
			m.mu.Unlock()
			if st.State == Paused {
				m.publish(st)
			}
			if short, ok := err.(*TooShortError); ok && short.mark != nil {
				m.storeMark(id, short.mark)
			}
			return Credential{}, err
		}
		f := m.renewLocked(a)
		m.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return Credential{}, ctx.Err()
		}
	}
}

// sessionInDoubtLocked reports a session credential (an OnSIP SessionId) whose check failed for
// the service's own reasons (an Exception, a 5xx, the network) before its next check was due: the
// service said nothing against the session, so it is handed out, and the account says "retrying",
// as for a token still valid while renewing fails; past its check interval it is "expired" and
// refused.
func (a *account) sessionInDoubtLocked(now time.Time) bool {
	return a.tok != nil && a.tok.Session && a.st.State == Retrying && now.Before(a.tok.Expiry)
}

// CredentialNow is the account's credential when one valid as v asks is in hand: it waits for
// nothing (no renewal, no keyring), and ok is false when Credential would have to.
func (m *Manager) CredentialNow(id model.AccountID, v Validity) (c Credential, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accs[id]
	if !ok {
		return Credential{}, false
	}
	now := m.o.Now()
	if !a.tok.ValidFor(now, m.needLocked(a, v)) && !a.sessionInDoubtLocked(now) {
		return Credential{}, false
	}
	t := a.tok
	return Credential{Value: t.AccessToken, Type: cmp.Or(t.TokenType, "Bearer"), Expiry: t.Expiry, Scope: t.Scope, Identity: a.st.Identity}, true
}

// needLocked is how long a's credential must stay valid to satisfy v.
func (m *Manager) needLocked(a *account, v Validity) time.Duration {
	switch {
	case v.Explicit:
		return v.Min
	case !a.renewable():
		return time.Second // no renewal can give more: it is handed out to its end
	}
	return min(m.o.MinValid, m.marginLocked(a))
}

// marginLocked is how long before expiry a's credential is renewed.
func (m *Manager) marginLocked(a *account) time.Duration { return m.marginFor(a.lifetime()) }

// marginFor is the renewal margin of a credential that lives life (0: unknown): RefreshMargin, at
// most a third of the lifetime.
func (m *Manager) marginFor(life time.Duration) time.Duration {
	if life > 0 {
		return min(m.o.RefreshMargin, life/3)
	}
	return m.o.RefreshMargin
}

// lifetime is how long the provider made the current credential valid for; 0 when unknown.
func (a *account) lifetime() time.Duration {
	if a.tok == nil || a.tok.Session || a.obtained.IsZero() {
		return 0
	}
	return max(a.tok.Expiry.Sub(a.obtained), 0)
}

// askRetry is how long after a failed renewal someone asking for the credential has it tried again,
// however long the schedule's backoff: once the provider is back, a command need not wait minutes
// for the next scheduled try. The renewal budget (allowLocked) still bounds how often.
const askRetry = 10 * time.Second

// whyNotRenewLocked returns why a renewal cannot give a credential valid for need, or nil when
// one should be started (or joined).
func (m *Manager) whyNotRenewLocked(a *account, v Validity, need time.Duration, now time.Time, tries int) error {
	name := a.cfg.Name
	switch {
	case a.unread && tries == 0:
		return nil // the keyring could not be read at start: someone asks, so read it now
	case a.unread:
		return fmt.Errorf("%s: %s", name, a.st.Problem.Detail)
	case a.st.State == SignInRequired:
		return fmt.Errorf("%s: %w: %s", name, auth.ErrSignInRequired, a.st.Problem.Detail)
	case a.tok == nil && a.prov != nil && a.unattended():
		// a client-credentials account: its grant is made on demand
	case a.tok == nil:
		return fmt.Errorf("%s: %w", name, auth.ErrSignInRequired)
	}
	if a.tok != nil && !a.renewable() && a.tok.ValidFor(now, 0) {
		return fmt.Errorf("%s: the credential is valid for %s, asked %s, and cannot be renewed: the provider gave this sign-in no refresh token. Sign in again for a new one",
			name, Short(a.tok.Expiry.Sub(now)), Short(need))
	}
	short := &TooShortError{Account: name, Asked: need, Lifetime: a.lifetime()}
	if a.tok != nil {
		short.Remaining = a.tok.Expiry.Sub(now)
	}
	switch {
	case a.flight != nil:
		return nil // join it
	case tries > 0 && a.st.Problem.Class != NoProblem:
		return fmt.Errorf("%s: could not renew the credential: %s", name, a.st.Problem.Detail)
	case tries > 0 && a.tok != nil && v.Explicit:
		short.mark = m.markRenewedForLongerLocked(a)
		return short // renewed for this ask: the provider's credentials do not live long enough
	case tries > 0:
		return fmt.Errorf("%s: the renewed credential is valid for less than asked", name)
	case v.Explicit && short.Lifetime > 0 && need > short.Lifetime && a.tok.RenewedForLonger:
		return short // this credential was renewed for such an ask already: no renewal can help
	case (a.st.State == Retrying || a.st.State == Expired) && now.Before(a.retryAt) && now.Sub(a.failedAt) < askRetry,
		a.st.State == Paused && now.Before(a.retryAt):
		return fmt.Errorf("%s: could not renew the credential (trying again at %s): %s", name, a.retryAt.Local().Format("15:04:05"), a.st.Problem.Detail)
	case !m.allowLocked(a, now):
		return fmt.Errorf("%s: %s", name, a.st.Problem.Detail)
	}
	return nil
}

// markRenewedForLongerLocked notes on a's credential that a renewal for an ask longer than its
// lifetime made it, and returns the marked token to store (nil when there is nothing to store),
// so that other processes know too.
func (m *Manager) markRenewedForLongerLocked(a *account) *auth.Token {
	if a.tok.RenewedForLonger || a.tok.Session {
		return nil
	}
	marked := *a.tok
	marked.RenewedForLonger = true
	a.tok = &marked
	if a.st.Unsaved {
		return nil
	}
	return &marked
}

// storeMark writes the mark to the keyring under the account's lock, and only if the keyring
// still holds that very credential: a newer one another process stored must never be replaced.
func (m *Manager) storeMark(id model.AccountID, marked *auth.Token) {
	if m.o.Lock != nil {
		unlock, err := m.o.Lock(id)
		if err != nil {
			return
		}
		defer unlock()
	}
	if stored, err := readToken(m.o.Store, id); err == nil && stored != nil && stored.AccessToken == marked.AccessToken {
		_ = m.store(id, marked, false)
	}
}

// Inspect tells what can be told of the account's credential (fresh, as Default asks) without
// handing it out: see auth.Inspect.
func (m *Manager) Inspect(ctx context.Context, id model.AccountID) (auth.Inspection, *auth.Token, error) {
	_, tok, prov, err := m.CredentialFor(ctx, id)
	if err != nil {
		return auth.Inspection{}, nil, err
	}
	return auth.Inspect(ctx, prov, tok), tok, nil
}

// credentialFor is the account's credential (fresh, as Default asks), its token and provider,
// for a call Tokentray makes with it.
func (m *Manager) CredentialFor(ctx context.Context, id model.AccountID) (Credential, *auth.Token, auth.Provider, error) {
	cred, err := m.Credential(ctx, id, Default)
	if err != nil {
		return Credential{}, nil, nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accs[id]
	if !ok || a.tok == nil {
		return Credential{}, nil, nil, ErrNoAccount
	}
	tok := *a.tok
	return cred, &tok, a.prov, nil
}
