//go:build !cli

package ipc

import (
	"context"
	"errors"
	"sync"
	"time"

	"tokentray/app/model"
)

// Client is the running app's core as the accounts window, in a process of its own, sees it
// through the socket. It keeps the snapshot the app last pushed (a subscription), so reading is
// instant; each action is one request. Safe for concurrent use.
type Client struct {
	socket string

	mu   sync.Mutex
	snap Response
	subs model.Listeners
	gone chan struct{} // closed when the subscription ends: the app quit
}

// Connect subscribes to the app at socket and returns once its first snapshot arrived.
func Connect(ctx context.Context, socket string) (*Client, error) {
	dl, _ := ctx.Deadline()
	conn, err := dial(socket, dl)
	if err != nil {
		return nil, err
	}
	c := &Client{socket: socket, gone: make(chan struct{})}
	first := make(chan struct{})
	var once sync.Once
	go func() {
		defer close(c.gone)
		defer conn.Close()
		_, _ = exchange(conn, Request{Op: "subscribe"}, time.Time{}, func(r *Response) {
			c.mu.Lock()
			c.snap = *r
			c.mu.Unlock()
			once.Do(func() { close(first) })
			c.subs.Notify()
		})
		c.subs.Notify() // the app went: let the window see it
	}()
	select {
	case <-first:
		return c, nil
	case <-c.gone:
		return nil, errors.New("Tokentray ended the connection")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Gone is closed once the app is no longer there.
func (c *Client) Gone() <-chan struct{} { return c.gone }

// Accounts returns the accounts as the app last said.
func (c *Client) Accounts() []model.Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap.Accounts
}

// ConfigProblem is the accounts file's problem, "" when there is none.
func (c *Client) ConfigProblem() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap.Problem
}

// Preferences are the user's settings.
func (c *Client) Preferences() model.Preferences {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap.Prefs == nil {
		return model.Preferences{}
	}
	return *c.snap.Prefs
}

// Subscribe calls f after every snapshot the app pushes, and once when the app goes.
func (c *Client) Subscribe(f func()) (stop func()) { return c.subs.Add(f) }

// do sends one request and returns the answer, or its error.
func (c *Client) do(ctx context.Context, req Request, timeout time.Duration) (*Response, error) {
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn, err := dial(c.socket, deadline)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	r, err := exchange(conn, req, deadline, func(*Response) {})
	if err != nil {
		return nil, err
	}
	if r.Error != "" {
		if r.Field != "" {
			return r, &FieldError{Field: r.Field, Msg: r.Error}
		}
		return r, errors.New(r.Error)
	}
	return r, nil
}

// FieldError is the app's refusal of an account's setting, which the form shows at its field.
type FieldError struct {
	Field string // e.g. "settings.client_id", "name"
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

// Info is about the app, as it last said.
func (c *Client) Info() model.AppInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap.Info == nil {
		return model.AppInfo{}
	}
	return *c.snap.Info
}

func (c *Client) act(ctx context.Context, req Request) error {
	_, err := c.do(ctx, req, 90*time.Second)
	return err
}

// Credential returns a credential of the account valid as v asks.
func (c *Client) Credential(ctx context.Context, id string, v model.Validity) (model.Credential, error) {
	req := Request{Op: "token", Account: id, Via: "window"}
	if v.Explicit {
		req.MinValid = v.Min.String()
	}
	r, err := c.do(ctx, req, 90*time.Second)
	if err != nil {
		return model.Credential{}, err
	}
	if r.Token == nil {
		return model.Credential{}, errors.New("the app returned no token")
	}
	return *r.Token, nil
}

// SignIn starts the account's sign-in in the app; it goes on when the window closes, and its
// progress shows in the account (SigningIn, SignInURL).
func (c *Client) SignIn(ctx context.Context, id string) error {
	return c.act(ctx, Request{Op: "sign-in", Account: id})
}

// SignInOnDevice starts the account's sign-in on another device (RFC 8628); its code shows in
// the account (SignInDevice).
func (c *Client) SignInOnDevice(ctx context.Context, id string) error {
	return c.act(ctx, Request{Op: "sign-in", Account: id, Device: true})
}

// CancelSignIn ends the account's sign-in that waits for the browser.
func (c *Client) CancelSignIn(id string) error {
	return c.act(context.Background(), Request{Op: "cancel", Account: id})
}

// Paste hands a pasted address or code to the account's sign-in; a paste that is not its
// answer is refused with the reason, and the sign-in goes on.
func (c *Client) Paste(id, text string) error {
	return c.act(context.Background(), Request{Op: "paste", Account: id, Text: text})
}

// SignOut signs the account out.
func (c *Client) SignOut(ctx context.Context, id string) error {
	return c.act(ctx, Request{Op: "logout", Account: id})
}

// RenewNow renews the account's credential now.
func (c *Client) RenewNow(ctx context.Context, id string) error {
	return c.act(ctx, Request{Op: "renew", Account: id})
}

// ChooseUser makes an OnSIP account act as another of its users.
func (c *Client) ChooseUser(ctx context.Context, id, user string) error {
	return c.act(ctx, Request{Op: "act-as", Account: id, User: user})
}

// Check asks the provider who the credential belongs to.
func (c *Client) Check(ctx context.Context, id string) (string, error) {
	r, err := c.do(ctx, Request{Op: "check", Account: id}, 90*time.Second)
	if err != nil {
		return "", err
	}
	return r.Text, nil
}

// AddAccount adds an account; its secrets go to the keyring.
func (c *Client) AddAccount(name, kind string, settings, secrets map[string]string) error {
	return c.act(context.Background(), Request{Op: "add", Name: name, Provider: kind, Settings: settings, Secrets: secrets})
}

// UpdateAccount changes an account's name, settings and the secrets given.
func (c *Client) UpdateAccount(id, name string, settings, secrets map[string]string) error {
	return c.act(context.Background(), Request{Op: "update", Account: id, Name: name, Settings: settings, Secrets: secrets})
}

// RemoveAccount removes an account and every secret of it.
func (c *Client) RemoveAccount(ctx context.Context, id string) error {
	return c.act(ctx, Request{Op: "remove", Account: id})
}

// SetPreferences saves the user's settings.
func (c *Client) SetPreferences(p model.Preferences) error {
	return c.act(context.Background(), Request{Op: "set-prefs", Prefs: &p})
}

// Quit ends the app.
func (c *Client) Quit() error { return c.act(context.Background(), Request{Op: "quit"}) }

// Audit returns the newest n hand-outs of the account with id (all accounts for "").
func (c *Client) Audit(id string, n int) ([]model.HandOut, error) {
	r, err := c.do(context.Background(), Request{Op: "audit", Account: id, Limit: n}, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return r.HandOuts, nil
}

// Inspect asks the app what the account's credential says.
func (c *Client) Inspect(ctx context.Context, id string) (model.Inspection, error) {
	r, err := c.do(ctx, Request{Op: "inspect", Account: id}, 90*time.Second)
	if err != nil {
		return model.Inspection{}, err
	}
	if r.Inspection == nil {
		return model.Inspection{}, errors.New("the app returned no inspection")
	}
	return *r.Inspection, nil
}
