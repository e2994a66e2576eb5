package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"tokentray/app/accounts"
	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth/kinds"
)

// Accounts returns every account as the faces show it, in the accounts file's order.
func (c *Core) Accounts() []model.Account {
	cfg := c.config()
	sts := c.m.Snapshot()
	out := make([]model.Account, 0, len(sts))
	for _, st := range sts {
		out = append(out, c.view(cfg, st))
	}
	return out
}

// Account returns one account.
func (c *Core) Account(id model.AccountID) (model.Account, error) {
	a, err := c.account(id)
	if err != nil {
		return model.Account{}, err
	}
	st, err := c.m.Status(a.ID)
	if err != nil {
		return model.Account{}, err
	}
	return c.view(c.config(), st), nil
}

// view is the manager's status of an account with what the faces also show.
func (c *Core) view(cfg *config.Config, st accounts.Status) model.Account {
	a := model.Account{ID: st.ID, Name: st.Name, Provider: st.Provider, State: st.State, SigningIn: st.SigningIn,
		Expiry: st.Expiry, RefreshExpiry: st.RefreshExpiry, Session: st.Session, Checked: st.Checked,
		Identity: st.Identity.String(), Problem: st.Problem, Unsaved: st.Unsaved}
	if a.State == model.Valid && !a.Session && !a.Expiry.IsZero() && !c.d.Now().Before(a.Expiry) {
		a.State = model.Expired // not renewed yet (a command without the app renews only when asked)
	}
	if acc, ok := cfg.AccountByID(st.ID); ok {
		a.Settings = acc.Settings
		k, _ := kinds.Lookup(acc.Provider)
		a.Unattended, a.DeviceSignIn, a.Session = k.IsUnattended(acc.Settings), k.DeviceSignIn, a.Session || k.Session
	}
	if users, current, err := c.m.OnSIPUsers(st.ID); err == nil {
		for _, u := range users {
			a.Users = append(a.Users, model.User{ID: u.UserID, Name: cmp.Or(u.Name, u.Email, u.UserID)})
		}
		a.CurrentUser = current
	}
	c.mu.Lock()
	if p := c.signIns[st.ID]; p != nil {
		a.SignInURL, a.SignInDevice = p.url, p.device
	}
	c.mu.Unlock()
	return a
}

// Credential returns the account's credential, valid as v asks (see Manager.Credential), and
// records the hand-out to the app's own face (the tray, in this process).
func (c *Core) Credential(ctx context.Context, id model.AccountID, v model.Validity) (model.Credential, error) {
	a, err := c.account(id)
	if err != nil {
		return model.Credential{}, err
	}
	cred, err := c.m.Credential(ctx, a.ID, v)
	if err != nil {
		return model.Credential{}, err
	}
	out := c.credentialOf(a, cred)
	c.handOut(Asker{}, a, out)()
	return out, nil
}

// credentialOf is the manager's credential of a, as the faces hand it out.
func (c *Core) credentialOf(a config.Account, cred accounts.Credential) model.Credential {
	kind := model.BearerKind
	if k, _ := kinds.Lookup(a.Provider); k.Session {
		kind = model.SessionKind
	}
	return model.Credential{Account: a.Name, Kind: kind, Value: cred.Value.Reveal(), Type: cred.Type, Expiry: cred.Expiry,
		Scope: cred.Scope, Identity: cred.Identity.String()}
}

// SignOut revokes where the provider can and forgets the account's tokens (see Manager.SignOut).
func (c *Core) SignOut(ctx context.Context, id model.AccountID) error {
	a, err := c.account(id)
	if err != nil {
		return err
	}
	return c.m.SignOut(ctx, a.ID)
}

// RenewNow renews the account's credential now ("Refresh now").
func (c *Core) RenewNow(ctx context.Context, id model.AccountID) error {
	a, err := c.account(id)
	if err != nil {
		return err
	}
	return c.m.RenewNow(ctx, a.ID)
}

// ChooseUser makes an OnSIP account act as user: an OnSIP user id, or a unique beginning of the
// name of one of the sign-in's users.
func (c *Core) ChooseUser(ctx context.Context, id model.AccountID, user string) error {
	a, err := c.account(id)
	if err != nil {
		return err
	}
	users, _, _ := c.m.OnSIPUsers(a.ID)
	var ids, matches []string
	for _, u := range users {
		ids = append(ids, u.UserID)
		if u.UserID == user {
			return c.m.ChooseUser(ctx, a.ID, u.UserID)
		}
		for _, s := range []string{u.Name, u.Email} {
			if s != "" && strings.HasPrefix(strings.ToLower(s), strings.ToLower(user)) {
				matches = append(matches, u.UserID)
				break
			}
		}
	}
	switch {
	case len(users) == 0:
		return fmt.Errorf("%s: only a signed-in OnSIP account acts as one of several OnSIP users", a.Name)
	case len(matches) == 1:
		return c.m.ChooseUser(ctx, a.ID, matches[0])
	case len(matches) > 1:
		return &config.LookupError{Name: user, Candidates: matches, Ambiguous: true}
	}
	return &config.LookupError{Name: user, Candidates: ids}
}

// Check asks the provider who the account's credential belongs to, proving it works.
func (c *Core) Check(ctx context.Context, id model.AccountID) (string, error) {
	a, err := c.account(id)
	if err != nil {
		return "", err
	}
	who, err := c.m.Check(ctx, a.ID)
	return who.String(), err
}

// AddAccount validates and saves a new account, its secrets in the keyring (see AddAccount), and
// takes it into use.
func (c *Core) AddAccount(name, kind string, settings, secrets map[string]string) (model.Account, error) {
	a, err := AddAccount(c.d.Paths, c.d.Store, name, kind, settings, secrets)
	if err != nil {
		return model.Account{}, err
	}
	if err := c.Reload(); err != nil {
		return model.Account{}, err
	}
	return c.Account(a.ID)
}

// UpdateAccount changes an account's name, settings and the secrets given (see UpdateAccount).
func (c *Core) UpdateAccount(id model.AccountID, name string, settings, secrets map[string]string) error {
	if err := UpdateAccount(c.d.Paths, c.d.Store, id, name, settings, secrets); err != nil {
		return err
	}
	return c.Reload()
}

// RemoveAccount signs the account out (revoking where it can), deletes every secret of it and
// drops it from the accounts file. It returns the account as it was.
func (c *Core) RemoveAccount(ctx context.Context, id model.AccountID) (model.Account, error) {
	a, err := c.account(id)
	if err != nil {
		return model.Account{}, err
	}
	view, _ := c.Account(a.ID)
	if err := c.SignOut(ctx, a.ID); err != nil && !errors.Is(err, accounts.ErrNoAccount) {
		c.d.Log.Warn("could not sign out before removing", "account", a.Name, "err", err)
	}
	if err := RemoveAccount(c.d.Paths, c.d.Store, a.ID); err != nil {
		return model.Account{}, err
	}
	return view, c.Reload()
}

// Preferences returns the user's settings, defaults filled in.
func (c *Core) Preferences() model.Preferences {
	p := c.config().Settings.Resolved()
	if c.d.Autostart != nil {
		p.StartAtLogin = c.d.Autostart.Enabled()
	}
	return p
}

// SetPreferences saves the user's settings and takes them into use, start at login included.
func (c *Core) SetPreferences(p model.Preferences) error {
	on := p.Notifications
	err := config.SavePreferences(c.d.Paths, config.Preferences{ClipboardClear: accounts.Short(p.ClipboardClear), MinValid: accounts.Short(p.MinValid),
		RefreshMargin: accounts.Short(p.RefreshMargin), Notifications: &on})
	if err != nil {
		return err
	}
	if c.d.Autostart != nil && p.StartAtLogin != c.d.Autostart.Enabled() {
		if err := c.d.Autostart.Set(p.StartAtLogin); err != nil {
			return err
		}
	}
	return c.Reload()
}

// Inspect tells what can be told of the account's credential without showing it (a JWT's claims,
// its signature, the provider's introspection); nothing leaves Tokentray, so nothing is recorded.
func (c *Core) Inspect(ctx context.Context, id model.AccountID) (model.Inspection, error) {
	a, err := c.account(id)
	if err != nil {
		return model.Inspection{}, err
	}
	in, tok, err := c.m.Inspect(ctx, a.ID)
	if err != nil {
		return model.Inspection{}, err
	}
	var out model.Inspection
	b, _ := json.Marshal(in) // the same fields, by the same names
	_ = json.Unmarshal(b, &out)
	out.Account, out.Scope, out.Issued, out.Expiry = a.Name, tok.Scope, tok.Issued, tok.Expiry
	return out, nil
}
