package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"tokentray/app/model"
	"tokentray/auth"
)

// SignIn runs the account's interactive sign-in and stores the result. While it waits for the
// browser the account says so (Status.SigningIn), and its current credential, if any, is still
// renewed and served: it is replaced only when the new sign-in succeeds, and a sign-in that
// fails, is declined or cancelled changes nothing.
func (m *Manager) SignIn(ctx context.Context, id model.AccountID, ui auth.SignInUI) error {
	m.mu.Lock()
	a, ok := m.accs[id]
	if !ok {
		m.mu.Unlock()
		return ErrNoAccount
	}
	if a.prov == nil {
		m.mu.Unlock()
		return fmt.Errorf("%s: %s", a.cfg.Name, a.st.Problem.Detail)
	}
	a.signIns++
	a.st.SigningIn = true
	prev, st := a.tok, a.st
	m.mu.Unlock()
	m.publish(st)

	// The provider hands the new token to keep before its browser page says "Signed in"; one
	// whose sign-in has no page (a grant, a password, another device) is kept here.
	kept := false
	ui.Keep = func(tok *auth.Token) error { kept = true; return m.keep(ctx, a, prev, tok) }
	var tok *auth.Token
	var err error
	if ui.Device != nil { // on another device (RFC 8628), where the provider offers it
		ds, ok := a.prov.(auth.DeviceSigner)
		if !ok {
			err = errors.New("signing in on another device is for OpenID Connect issuers that offer it")
		} else {
			tok, err = ds.SignInOnDevice(ctx, ui)
		}
	} else {
		tok, err = a.prov.SignIn(ctx, ui)
	}
	if err == nil && !kept {
		if err = m.keep(ctx, a, prev, tok); err != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			_ = a.prov.Revoke(rctx, tok) // not kept: it must not live on at the provider
			cancel()
		}
	}
	m.mu.Lock()
	a.signIns--
	a.st.SigningIn = a.signIns > 0
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

// keep makes tok, a new sign-in of a, the account's credential: the OnSIP user chosen before
// kept, who signed in named, stored and put in use.
func (m *Manager) keep(ctx context.Context, a *account, prev, tok *auth.Token) error {
	tok = m.keepUserChoice(ctx, a.prov, prev, tok)
	tok.Identity = m.completeIdentity(ctx, a.prov, tok)
	return m.install(a, tok)
}

// completeIdentity asks the provider who signed in when the sign-in itself did not say by name
// (an id_token with only sub and email, as Avaya's and many OpenID issuers' are), so that the user
// sees a name rather than an opaque subject. The provider's answer fills only what is missing.
func (m *Manager) completeIdentity(ctx context.Context, prov auth.Provider, tok *auth.Token) auth.Identity {
	id := tok.Identity
	if id.Name != "" && id.Username != "" {
		return id
	}
	who, err := prov.WhoAmI(ctx, tok)
	if err != nil {
		slog.Info("could not ask the provider who signed in", "err", err)
		return id
	}
	id.Name = cmp.Or(id.Name, who.Name)
	id.Username = cmp.Or(id.Username, who.Username)
	id.Subject = cmp.Or(id.Subject, who.Subject)
	return id
}

// install stores tok as the account's credential and puts it in use, once no renewal of the
// account is in progress (whose older grant would otherwise overwrite it).
func (m *Manager) install(a *account, tok *auth.Token) error {
	f := m.claim(a)
	err := m.store(a.cfg.ID, tok, true)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		a.setToken(tok, m.o.Now())
		a.interrupted = false
	}
	m.releaseLocked(a, f)
	return err
}

// SignOut revokes the account's grant where the provider supports it and deletes its tokens from
// the keyring. The client secret, being configuration, stays until the account is removed. If the
// provider did not confirm the revocation, the tokens are forgotten all the same and the returned
// error wraps *auth.RevokeError, so the user can be told that the grant may live on there.
func (m *Manager) SignOut(ctx context.Context, id model.AccountID) error {
	m.mu.Lock()
	a, ok := m.accs[id]
	m.mu.Unlock()
	if !ok {
		return ErrNoAccount
	}
	f := m.claim(a) // a renewal finishing after the sign-out would store its token again
	m.mu.Lock()
	tok := a.tok
	m.mu.Unlock()
	var revokeErr error
	if tok != nil && a.prov != nil {
		if revokeErr = a.prov.Revoke(ctx, tok); revokeErr != nil {
			slog.Warn("could not revoke at the provider; forgetting the tokens anyway", "account", a.cfg.Name, "err", revokeErr)
			if !errors.As(revokeErr, new(*auth.RevokeError)) {
				revokeErr = &auth.RevokeError{Err: revokeErr}
			}
		}
	}
	err := m.o.Store.Delete(string(id), secretToken)
	if err == nil {
		_ = m.o.Store.Delete(string(id), secretRenewing)
	}
	m.mu.Lock()
	if err == nil {
		a.tok = nil
		a.st = Status{ID: a.cfg.ID, Name: a.cfg.Name, Provider: a.cfg.Provider, State: SignedOut, SigningIn: a.signIns > 0}
	}
	st := a.st
	m.releaseLocked(a, f)
	m.mu.Unlock()
	if err != nil {
		return fmt.Errorf("could not delete the sign-in from the keyring, so it is kept: %w", err)
	}
	m.publish(st)
	if revokeErr != nil {
		return fmt.Errorf("%s: signed out here, but %w", a.cfg.Name, revokeErr)
	}
	return nil
}

// RenewNow renews the account's credential now ("Refresh now"), joining a renewal in progress.
// A person asked, so it is not held back by the limit on automatic renewals.
func (m *Manager) RenewNow(ctx context.Context, id model.AccountID) error {
	m.mu.Lock()
	a, ok := m.accs[id]
	if !ok {
		m.mu.Unlock()
		return ErrNoAccount
	}
	if (a.tok == nil && !a.unattended()) || a.st.State == SignInRequired {
		m.mu.Unlock()
		return fmt.Errorf("%s: %w", a.cfg.Name, auth.ErrSignInRequired)
	}
	if !a.renewable() {
		m.mu.Unlock()
		return fmt.Errorf("%s: this sign-in cannot be renewed (the provider gave it no refresh token); sign in again for a new token", a.cfg.Name)
	}
	f := m.renewLocked(a)
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
func (m *Manager) Check(ctx context.Context, id model.AccountID) (auth.Identity, error) {
	cred, err := m.Credential(ctx, id, Default)
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
	who, err := a.prov.WhoAmI(ctx, tok)
	return who.Printable(), err
}
