package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tokentray/app/config"
	"tokentray/app/model"
	"tokentray/auth"
)

// pendingSignIn is a sign-in waiting for the browser: where pastes go, how to cancel it, and
// the address it waits on.
type pendingSignIn struct {
	cancel context.CancelFunc
	pasted chan auth.Paste
	url    string
	device *model.DeviceCode // on another device: the code and the address
}

// SignInOptions say how a sign-in reaches the person.
type SignInOptions struct {
	// OnURL is told the sign-in page's address as soon as it is known, whether or not a browser
	// could be opened (`tokentray login` prints it).
	OnURL func(url string)
	// NoBrowser leaves opening the address to the person.
	NoBrowser bool
	// Device signs in on another device (RFC 8628); OnDevice is told the code and the address.
	Device   bool
	OnDevice func(model.DeviceCode)
}

// ErrNoSignIn means the account has no sign-in waiting for the browser.
var ErrNoSignIn = errors.New("no sign-in is waiting for the browser")

// SignIn runs the account's sign-in through the system browser (see SignInWith).
func (c *Core) SignIn(ctx context.Context, id model.AccountID) error {
	return c.SignInWith(ctx, id, SignInOptions{})
}

// SignInWith runs the account's sign-in through the system browser and waits until it is done,
// declined, cancelled (CancelSignIn) or given up (5 minutes). The account's current credential
// goes on being renewed and served meanwhile. A second sign-in of the same account while one
// waits is refused.
func (c *Core) SignInWith(ctx context.Context, id model.AccountID, o SignInOptions) error {
	a, err := c.account(id)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &pendingSignIn{cancel: cancel, pasted: make(chan auth.Paste)}
	c.mu.Lock()
	if c.signIns[a.ID] != nil {
		c.mu.Unlock()
		return fmt.Errorf("%s: a sign-in is already waiting for the browser", a.Name)
	}
	c.signIns[a.ID] = p
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.signIns, a.ID)
		c.mu.Unlock()
		c.changed()
	}()
	shown := func(u string) {
		c.mu.Lock()
		p.url = u
		c.mu.Unlock()
		if o.OnURL != nil {
			o.OnURL(u)
		}
		c.changed()
	}
	open := c.d.Browser
	if o.NoBrowser || open == nil {
		open = func(string) error { return errors.New("not opening a browser") }
	}
	ui := auth.SignInUI{Pasted: p.pasted, ShowURL: func(string) {},
		OpenURL: func(u string) error { shown(u); return open(u) }}
	if o.Device {
		ui.Device = func(dc auth.DeviceCode) {
			code := model.DeviceCode(dc)
			c.mu.Lock()
			p.device = &code
			c.mu.Unlock()
			if o.OnDevice != nil {
				o.OnDevice(code)
			}
			c.changed()
		}
	}
	return c.m.SignIn(ctx, a.ID, ui)
}

// Paste hands what the person pasted (the address the browser ended on, or the code) to the
// account's sign-in. A paste that is not this sign-in's answer is refused with the reason, and
// the sign-in goes on waiting.
func (c *Core) Paste(id model.AccountID, text string) error {
	a, p, err := c.waitingSignIn(id)
	if err != nil {
		return err
	}
	result := make(chan error, 1)
	select {
	case p.pasted <- auth.Paste{Text: text, Result: result}:
	case <-time.After(5 * time.Second):
		return fmt.Errorf("%s: the sign-in did not take the paste; it may have just ended", a.Name)
	}
	return <-result
}

// CancelSignIn ends the account's sign-in that waits for the browser; the current credential,
// if any, stays.
func (c *Core) CancelSignIn(id model.AccountID) error {
	_, p, err := c.waitingSignIn(id)
	if err != nil {
		return err
	}
	p.cancel()
	return nil
}

// waitingSignIn is the named account and its sign-in that waits for the browser.
func (c *Core) waitingSignIn(id model.AccountID) (config.Account, *pendingSignIn, error) {
	a, err := c.account(id)
	if err != nil {
		return a, nil, err
	}
	c.mu.Lock()
	p := c.signIns[a.ID]
	c.mu.Unlock()
	if p == nil {
		return a, nil, fmt.Errorf("%s: %w", a.Name, ErrNoSignIn)
	}
	return a, p, nil
}
