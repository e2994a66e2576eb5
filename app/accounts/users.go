package accounts

import (
	"context"
	"fmt"
	"slices"

	"tokentray/app/model"
	"tokentray/auth"
)

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
func (m *Manager) OnSIPUsers(id model.AccountID) ([]auth.OnSIPUser, string, error) {
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
func (m *Manager) ChooseUser(ctx context.Context, id model.AccountID, userID string) error {
	m.mu.Lock()
	a, ok := m.accs[id]
	m.mu.Unlock()
	if !ok {
		return ErrNoAccount
	}
	f := m.claim(a) // a renewal still in progress would overwrite the choice
	m.mu.Lock()
	tok := a.tok
	m.mu.Unlock()
	chooser, ok := a.prov.(auth.UserChooser)
	var fresh *auth.Token
	var err error
	switch {
	case !ok || tok == nil:
		err = fmt.Errorf("%s: only a signed-in OnSIP account can act as another user", a.cfg.Name)
	default:
		if fresh, err = chooser.ChooseUser(ctx, tok, userID); err == nil {
			err = m.store(id, fresh, true)
		}
	}
	m.mu.Lock()
	if err == nil {
		a.setToken(fresh, m.o.Now())
	}
	st := a.st
	m.releaseLocked(a, f)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.publish(st)
	return nil
}
