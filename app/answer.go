package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tokentray/app/ipc"
	"tokentray/app/model"
	"tokentray/auth"
)

// Faces are what the socket's requests reach beyond the core: the running app's window and its
// end. Nil members (in a command doing the job itself) answer that the app is needed.
type Faces struct {
	Show func()               // bring the accounts window forward
	Quit func()               // end the app (the window of a tray-less desktop closed)
	Info func() model.AppInfo // about the app, for the window
}

// Answer answers one request, from the socket or from a command doing the job itself: the one
// place where wire requests become core calls, so both give the same answers, messages and exit
// codes. send carries progress lines and, for a subscription, one snapshot per change; it
// returns an error once nobody listens.
func (c *Core) Answer(ctx context.Context, req ipc.Request, faces Faces, send func(ipc.Response) error) ipc.Response {
	switch req.Op {
	case "list":
		return ipc.Response{Accounts: c.Accounts(), Problem: c.ConfigProblem()}
	case "subscribe":
		return c.stream(ctx, faces, send)
	case "reload":
		return reply(nil, c.Reload())
	case "prefs":
		p := c.Preferences()
		return ipc.Response{Prefs: &p}
	case "set-prefs":
		if req.Prefs == nil {
			return ipc.Response{Error: "set-prefs needs prefs", Code: ipc.ExitUsage}
		}
		return reply(nil, c.SetPreferences(*req.Prefs))
	case "add":
		a, err := c.AddAccount(req.Name, req.Provider, req.Settings, req.Secrets)
		return reply([]model.Account{a}, err)
	case "audit":
		h, err := c.Audit(req.Account, req.Limit)
		if err != nil {
			return reply(nil, err)
		}
		return ipc.Response{HandOuts: h}
	case "show", "quit":
		f := map[string]func(){"show": faces.Show, "quit": faces.Quit}[req.Op]
		if f == nil {
			return ipc.Response{Error: "Tokentray is not running", Code: ipc.ExitFailure}
		}
		f()
		return ipc.Response{}
	}
	return c.answerAccount(ctx, req, send)
}

// answerAccount answers the requests about one account.
func (c *Core) answerAccount(ctx context.Context, req ipc.Request, send func(ipc.Response) error) ipc.Response {
	acc, err := c.resolve(req.Account)
	if err != nil {
		return reply(nil, err)
	}
	var done error
	switch req.Op {
	case "token":
		v, err := validity(req.MinValid)
		if err != nil {
			return ipc.Response{Error: err.Error(), Code: ipc.ExitUsage}
		}
		cred, err := c.Credential(ctx, acc.ID, v)
		if err != nil {
			return c.credentialError(acc, err)
		}
		return ipc.Response{Token: &cred}
	case "status":
	case "login":
		done = c.SignInWith(ctx, acc.ID, SignInOptions{NoBrowser: req.NoBrowser, Device: req.Device,
			OnURL:    func(u string) { _ = send(ipc.Response{Progress: u}) },
			OnDevice: func(d model.DeviceCode) { _ = send(ipc.Response{Device: &d}) }})
	case "sign-in": // started for the window: it goes on after the window's connection is gone
		go func() { _ = c.SignInWith(context.WithoutCancel(ctx), acc.ID, SignInOptions{Device: req.Device}) }()
	case "logout":
		done = c.SignOut(ctx, acc.ID)
	case "renew":
		done = c.RenewNow(ctx, acc.ID)
	case "act-as":
		if req.User != "" {
			done = c.ChooseUser(ctx, acc.ID, req.User)
		}
	case "api":
		if req.API == nil {
			return ipc.Response{Error: "api needs the request", Code: ipc.ExitUsage}
		}
		ans, err := c.API(ctx, acc.ID, *req.API)
		if err != nil {
			return c.credentialError(acc, err)
		}
		return ipc.Response{API: &ans}
	case "inspect":
		in, err := c.Inspect(ctx, acc.ID)
		if err != nil {
			return c.credentialError(acc, err)
		}
		return ipc.Response{Inspection: &in}
	case "check":
		who, err := c.Check(ctx, acc.ID)
		return ipc.Response{Text: who, Error: errText(err), Code: exitCode(err)}
	case "paste":
		done = c.Paste(acc.ID, req.Text)
	case "cancel":
		done = c.CancelSignIn(acc.ID)
	case "update":
		done = c.UpdateAccount(acc.ID, req.Name, req.Settings, req.Secrets)
	case "remove":
		a, err := c.RemoveAccount(ctx, acc.ID)
		return reply([]model.Account{a}, err)
	default:
		return ipc.Response{Error: fmt.Sprintf("unknown request %q", req.Op), Code: ipc.ExitUsage}
	}
	if done != nil {
		return reply(nil, done)
	}
	a, err := c.Account(acc.ID)
	return reply([]model.Account{a}, err)
}

// stream sends a snapshot of everything the window shows now and after every change, until the
// listener goes or ctx ends.
func (c *Core) stream(ctx context.Context, faces Faces, send func(ipc.Response) error) ipc.Response {
	changed := make(chan struct{}, 1)
	stop := c.Subscribe(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer stop()
	tick := time.NewTicker(time.Minute) // countdowns stay right between changes
	defer tick.Stop()
	for {
		p := c.Preferences()
		snap := ipc.Response{Progress: "snapshot", Accounts: c.Accounts(), Problem: c.ConfigProblem(), Prefs: &p}
		if faces.Info != nil {
			info := faces.Info()
			snap.Info = &info
		}
		if send(snap) != nil {
			return ipc.Response{}
		}
		select {
		case <-ctx.Done():
			return ipc.Response{}
		case <-changed:
		case <-tick.C:
		}
	}
}

// validity reads a request's min_valid: "" is the default, else a duration that is not negative.
func validity(minValid string) (model.Validity, error) {
	if minValid == "" {
		return model.Default, nil
	}
	d, err := time.ParseDuration(minValid)
	if err != nil || d < 0 {
		return model.Default, fmt.Errorf("min_valid must be a duration that is not negative, such as 10m, not %q", minValid)
	}
	return model.AtLeast(d), nil
}

func (c *Core) credentialError(acc Account, err error) ipc.Response {
	st, _ := c.m.Status(acc.ID)
	switch {
	case errors.Is(err, auth.ErrSignInRequired) && st.State == SignedOut: // with the app or without: the same answer
		return ipc.Response{Error: fmt.Sprintf("%s: not signed in; run `tokentray login %s`", acc.Name, acc.Name), Code: ipc.ExitSignInRequired}
	case errors.Is(err, auth.ErrSignInRequired):
		msg := fmt.Sprintf("%s: sign-in required; run `tokentray login %s`", acc.Name, acc.Name)
		if st.Err() != "" {
			msg += " (" + st.Err() + ")"
		}
		return ipc.Response{Error: msg, Code: ipc.ExitSignInRequired}
	}
	return reply(nil, err)
}

// reply is the answer of a call that returned accounts (or none) and err.
func reply(accounts []model.Account, err error) ipc.Response {
	if err != nil {
		r := ipc.Response{Error: err.Error(), Code: exitCode(err)}
		var inv *InvalidAccount
		if errors.As(err, &inv) {
			r.Field = inv.Key
		}
		return r
	}
	return ipc.Response{Accounts: accounts}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// exitCode is the exit code a command ends with after err.
func exitCode(err error) int {
	var le *LookupError
	var inv *InvalidAccount
	var ue usageError
	switch {
	case err == nil:
		return ipc.ExitOK
	case errors.As(err, &le), errors.Is(err, ErrNoAccount):
		return ipc.ExitNoAccount
	case errors.Is(err, auth.ErrSignInRequired):
		return ipc.ExitSignInRequired
	case errors.As(err, &inv), errors.As(err, &ue):
		return ipc.ExitUsage
	}
	return ipc.ExitFailure
}
