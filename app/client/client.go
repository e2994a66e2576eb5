// Package client is the running app's core over its socket, one typed method for each operation
// (ipc.Op), as the accounts window, in a process of its own, uses it. TestEveryOpHasAClientMethod
// holds it to the table of operations.
package client

import (
	"context"
	"errors"
	"sync"
	"time"

	"tokentray/app/ipc"
	"tokentray/app/ipc/jsoncodec"
	"tokentray/app/model"
)

// Client keeps the snapshot the app last pushed (a subscription), so reading is instant; each
// action is one request. Safe for concurrent use.
type Client struct {
	caller ipc.Caller

	mu   sync.Mutex
	snap ipc.Response
	subs model.Listeners
	gone chan struct{} // closed when the subscription ends: the app quit
}

// Connect subscribes to the app at socket and returns once its first snapshot arrived.
func Connect(ctx context.Context, socket string) (*Client, error) {
	c := &Client{caller: ipc.Caller{Socket: socket, Codec: jsoncodec.Codec{}}, gone: make(chan struct{})}
	first := make(chan struct{})
	failed := make(chan error, 1)
	var once sync.Once
	go func() {
		defer close(c.gone)
		err := c.caller.Subscribe(ctx, func(r *ipc.Response) {
			c.mu.Lock()
			c.snap = *r
			c.mu.Unlock()
			once.Do(func() { close(first) })
			c.subs.Notify()
		})
		failed <- err
		c.subs.Notify() // the app went: let the window see it
	}()
	select {
	case <-first:
		return c, nil
	case err := <-failed:
		if err == nil {
			err = errors.New("Tokentray ended the connection")
		}
		return nil, err
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

// do sends one request and returns the answer, or its error (a *FieldError when the app says
// which setting is at fault). It waits as long as the app lets the request run.
func (c *Client) do(ctx context.Context, req ipc.Request) (*ipc.Response, error) {
	r, err := c.caller.Call(ctx, req, max(req.Op.Timeout(), 90*time.Second), nil)
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

func (c *Client) act(ctx context.Context, req ipc.Request) error {
	_, err := c.do(ctx, req)
	return err
}

// Credential returns a credential of the account valid as v asks (ipc.OpToken).
func (c *Client) Credential(ctx context.Context, id model.AccountID, v model.Validity) (model.Credential, error) {
	req := ipc.Request{Op: ipc.OpToken, Account: string(id), Via: "window"}
	if v.Explicit {
		req.MinValid = v.Min.String()
	}
	r, err := c.do(ctx, req)
	if err != nil {
		return model.Credential{}, err
	}
	if r.Token == nil {
		return model.Credential{}, errors.New("the app returned no token")
	}
	return *r.Token, nil
}

// List asks the app for every account now (ipc.OpList); Accounts is the last snapshot's.
func (c *Client) List(ctx context.Context) ([]model.Account, error) {
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpList})
	if err != nil {
		return nil, err
	}
	return r.Accounts, nil
}

// Status asks the app for one account now (ipc.OpStatus).
func (c *Client) Status(ctx context.Context, id model.AccountID) (model.Account, error) {
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpStatus, Account: string(id)})
	if err != nil || len(r.Accounts) != 1 {
		return model.Account{}, cmpErr(err, "the app returned no account")
	}
	return r.Accounts[0], nil
}

// Login signs the account in and waits until it is done, handing the sign-in's address (or its
// code, on another device) to progress as soon as the app knows it (ipc.OpLogin).
func (c *Client) Login(ctx context.Context, id model.AccountID, device bool, progress func(*ipc.Response)) error {
	req := ipc.Request{Op: ipc.OpLogin, Account: string(id), Device: device}
	r, err := c.caller.Call(ctx, req, req.Op.Timeout(), progress)
	if err == nil && r.Error != "" {
		err = errors.New(r.Error)
	}
	return err
}

// SignIn starts the account's sign-in in the app; it goes on when the window closes, and its
// progress shows in the account (SigningIn, SignInURL) (ipc.OpSignIn).
func (c *Client) SignIn(ctx context.Context, id model.AccountID) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpSignIn, Account: string(id)})
}

// SignInOnDevice starts the account's sign-in on another device (RFC 8628); its code shows in
// the account (SignInDevice).
func (c *Client) SignInOnDevice(ctx context.Context, id model.AccountID) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpSignIn, Account: string(id), Device: true})
}

// CancelSignIn ends the account's sign-in that waits for the browser (ipc.OpCancel).
func (c *Client) CancelSignIn(id model.AccountID) error {
	return c.act(context.Background(), ipc.Request{Op: ipc.OpCancel, Account: string(id)})
}

// Paste hands a pasted address or code to the account's sign-in; a paste that is not its
// answer is refused with the reason, and the sign-in goes on (ipc.OpPaste).
func (c *Client) Paste(id model.AccountID, text string) error {
	return c.act(context.Background(), ipc.Request{Op: ipc.OpPaste, Account: string(id), Text: text})
}

// SignOut signs the account out (ipc.OpLogout).
func (c *Client) SignOut(ctx context.Context, id model.AccountID) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpLogout, Account: string(id)})
}

// RenewNow renews the account's credential now (ipc.OpRenew).
func (c *Client) RenewNow(ctx context.Context, id model.AccountID) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpRenew, Account: string(id)})
}

// ChooseUser makes an OnSIP account act as another of its users (ipc.OpActAs).
func (c *Client) ChooseUser(ctx context.Context, id model.AccountID, user string) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpActAs, Account: string(id), User: user})
}

// Check asks the provider who the credential belongs to (ipc.OpCheck).
func (c *Client) Check(ctx context.Context, id model.AccountID) (string, error) {
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpCheck, Account: string(id)})
	if err != nil {
		return "", err
	}
	return r.Text, nil
}

// AddAccount adds an account; its secrets go to the keyring (ipc.OpAdd).
func (c *Client) AddAccount(name, kind string, settings, secrets map[string]string) error {
	return c.act(context.Background(), ipc.Request{Op: ipc.OpAdd, Name: name, Provider: kind, Settings: settings, Secrets: secrets})
}

// UpdateAccount changes an account's name, settings and the secrets given (ipc.OpUpdate).
func (c *Client) UpdateAccount(id model.AccountID, name string, settings, secrets map[string]string) error {
	return c.act(context.Background(), ipc.Request{Op: ipc.OpUpdate, Account: string(id), Name: name, Settings: settings, Secrets: secrets})
}

// RemoveAccount removes an account and every secret of it (ipc.OpRemove).
func (c *Client) RemoveAccount(ctx context.Context, id model.AccountID) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpRemove, Account: string(id)})
}

// FetchPreferences asks the app for the preferences now (ipc.OpPrefs); Preferences is the last
// snapshot's.
func (c *Client) FetchPreferences(ctx context.Context) (model.Preferences, error) {
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpPrefs})
	if err != nil || r.Prefs == nil {
		return model.Preferences{}, cmpErr(err, "the app returned no preferences")
	}
	return *r.Prefs, nil
}

// SetPreferences saves the user's settings (ipc.OpSetPrefs).
func (c *Client) SetPreferences(p model.Preferences) error {
	return c.act(context.Background(), ipc.Request{Op: ipc.OpSetPrefs, Prefs: &p})
}

// Reload has the app read the accounts file again (ipc.OpReload).
func (c *Client) Reload(ctx context.Context) error {
	return c.act(ctx, ipc.Request{Op: ipc.OpReload})
}

// Show brings the accounts window forward (ipc.OpShow).
func (c *Client) Show(ctx context.Context) error { return c.act(ctx, ipc.Request{Op: ipc.OpShow}) }

// Quit ends the app (ipc.OpQuit).
func (c *Client) Quit() error { return c.act(context.Background(), ipc.Request{Op: ipc.OpQuit}) }

// Audit returns the newest n hand-outs of the account with id (all accounts for "") (ipc.OpAudit).
func (c *Client) Audit(id model.AccountID, n int) ([]model.HandOut, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpAudit, Account: string(id), Limit: n})
	if err != nil {
		return nil, err
	}
	return r.HandOuts, nil
}

// Inspect asks the app what the account's credential says (ipc.OpInspect).
func (c *Client) Inspect(ctx context.Context, id model.AccountID) (model.Inspection, error) {
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpInspect, Account: string(id)})
	if err != nil || r.Inspection == nil {
		return model.Inspection{}, cmpErr(err, "the app returned no inspection")
	}
	return *r.Inspection, nil
}

// API sends a request to the account's provider API with a fresh credential (ipc.OpAPI).
func (c *Client) API(ctx context.Context, id model.AccountID, req model.APIRequest) (model.APIResponse, error) {
	r, err := c.do(ctx, ipc.Request{Op: ipc.OpAPI, Account: string(id), API: &req})
	if err != nil || r.API == nil {
		return model.APIResponse{}, cmpErr(err, "the app returned no answer")
	}
	return *r.API, nil
}

// cmpErr is err, or an error saying what when err is nil.
func cmpErr(err error, what string) error {
	if err != nil {
		return err
	}
	return errors.New(what)
}
