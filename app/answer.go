package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tokentray/app/config"
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
// place where wire requests become core calls (handlers), so both give the same answers, messages
// and exit codes. send carries progress lines and, for a subscription, one snapshot per change; it
// returns an error once nobody listens.
func (c *Core) Answer(ctx context.Context, req ipc.Request, faces Faces, send func(ipc.Response) error) ipc.Response {
	h, ok := handlers[req.Op]
	if !ok {
		return ipc.Response{Error: fmt.Sprintf("unknown request %q", req.Op), Code: ipc.ExitUsage}
	}
	r := &request{Request: req, ctx: ctx, faces: faces, send: send}
	if h.account {
		acc, err := c.resolve(req.Account)
		if err != nil {
			return reply(nil, err)
		}
		r.acc = acc
	}
	return h.answer(c, r)
}

// request is one request being answered: the wire's, and what answering it may use.
type request struct {
	ipc.Request
	ctx   context.Context
	faces Faces
	send  func(ipc.Response) error
	acc   config.Account // the account it names, for an operation about one (handler.account)
}

// handler answers one operation. account: the request names an account, which is found (by name,
// a unique beginning, or id) before answer runs.
type handler struct {
	account bool
	answer  func(c *Core, r *request) ipc.Response
}

// handlers answer every operation of ipc.Ops (TestEveryOpIsAnswered).
var handlers = map[ipc.Op]handler{
	ipc.OpList:      {false, (*Core).answerList},
	ipc.OpSubscribe: {false, (*Core).stream},
	ipc.OpReload:    {false, func(c *Core, _ *request) ipc.Response { return reply(nil, c.Reload()) }},
	ipc.OpPrefs:     {false, (*Core).answerPrefs},
	ipc.OpSetPrefs:  {false, (*Core).answerSetPrefs},
	ipc.OpAdd:       {false, (*Core).answerAdd},
	ipc.OpAudit:     {false, (*Core).answerAudit},
	ipc.OpShow:      {false, func(_ *Core, r *request) ipc.Response { return face(r.faces.Show) }},
	ipc.OpQuit:      {false, func(_ *Core, r *request) ipc.Response { return face(r.faces.Quit) }},
	ipc.OpToken:     {true, (*Core).answerToken},
	ipc.OpStatus:    {true, (*Core).answerStatus},
	ipc.OpLogin:     {true, (*Core).answerLogin},
	ipc.OpSignIn:    {true, (*Core).answerSignIn},
	ipc.OpLogout:    {true, func(c *Core, r *request) ipc.Response { return c.done(r, c.SignOut(r.ctx, r.acc.ID)) }},
	ipc.OpRenew:     {true, func(c *Core, r *request) ipc.Response { return c.done(r, c.RenewNow(r.ctx, r.acc.ID)) }},
	ipc.OpActAs:     {true, (*Core).answerActAs},
	ipc.OpAPI:       {true, (*Core).answerAPI},
	ipc.OpInspect:   {true, (*Core).answerInspect},
	ipc.OpCheck:     {true, (*Core).answerCheck},
	ipc.OpPaste:     {true, func(c *Core, r *request) ipc.Response { return c.done(r, c.Paste(r.acc.ID, r.Text)) }},
	ipc.OpCancel:    {true, func(c *Core, r *request) ipc.Response { return c.done(r, c.CancelSignIn(r.acc.ID)) }},
	ipc.OpUpdate: {true, func(c *Core, r *request) ipc.Response {
		return c.done(r, c.UpdateAccount(r.acc.ID, r.Name, r.Settings, r.Secrets))
	}},
	ipc.OpRemove: {true, func(c *Core, r *request) ipc.Response {
		a, err := c.RemoveAccount(r.ctx, r.acc.ID)
		return reply([]model.Account{a}, err)
	}},
}

func (c *Core) answerList(*request) ipc.Response {
	return ipc.Response{Accounts: c.Accounts(), Problem: c.ConfigProblem()}
}

func (c *Core) answerPrefs(*request) ipc.Response {
	p := c.Preferences()
	return ipc.Response{Prefs: &p}
}

func (c *Core) answerSetPrefs(r *request) ipc.Response {
	if r.Prefs == nil {
		return ipc.Response{Error: "set-prefs needs prefs", Code: ipc.ExitUsage}
	}
	return reply(nil, c.SetPreferences(*r.Prefs))
}

func (c *Core) answerAdd(r *request) ipc.Response {
	a, err := c.AddAccount(r.Name, r.Provider, r.Settings, r.Secrets)
	return reply([]model.Account{a}, err)
}

func (c *Core) answerAudit(r *request) ipc.Response {
	h, err := c.Audit(r.Account, r.Limit)
	if err != nil {
		return reply(nil, err)
	}
	return ipc.Response{HandOuts: h}
}

// face answers show and quit: what only the running app's faces do.
func face(f func()) ipc.Response {
	if f == nil {
		return ipc.Response{Error: "Tokentray is not running", Code: ipc.ExitFailure}
	}
	f()
	return ipc.Response{}
}

func (c *Core) answerToken(r *request) ipc.Response {
	v, err := validity(r.MinValid)
	if err != nil {
		return ipc.Response{Error: err.Error(), Code: ipc.ExitUsage}
	}
	cred, err := c.Credential(r.ctx, r.acc.ID, v)
	if err != nil {
		return c.credentialError(r.acc, err)
	}
	return ipc.Response{Token: &cred}
}

func (c *Core) answerStatus(r *request) ipc.Response { return c.done(r, nil) }

func (c *Core) answerLogin(r *request) ipc.Response {
	return c.done(r, c.SignInWith(r.ctx, r.acc.ID, SignInOptions{NoBrowser: r.NoBrowser, Device: r.Device,
		OnURL:    func(u string) { _ = r.send(ipc.Response{Progress: u}) },
		OnDevice: func(d model.DeviceCode) { _ = r.send(ipc.Response{Device: &d}) }}))
}

// answerSignIn starts a sign-in for the window: it goes on after the window's connection is gone.
func (c *Core) answerSignIn(r *request) ipc.Response {
	go func() { _ = c.SignInWith(context.WithoutCancel(r.ctx), r.acc.ID, SignInOptions{Device: r.Device}) }()
	return c.done(r, nil)
}

func (c *Core) answerActAs(r *request) ipc.Response {
	if r.User == "" {
		return c.done(r, nil)
	}
	return c.done(r, c.ChooseUser(r.ctx, r.acc.ID, r.User))
}

func (c *Core) answerAPI(r *request) ipc.Response {
	if r.API == nil {
		return ipc.Response{Error: "api needs the request", Code: ipc.ExitUsage}
	}
	ans, err := c.API(r.ctx, r.acc.ID, *r.API)
	if err != nil {
		return c.credentialError(r.acc, err)
	}
	return ipc.Response{API: &ans}
}

func (c *Core) answerInspect(r *request) ipc.Response {
	in, err := c.Inspect(r.ctx, r.acc.ID)
	if err != nil {
		return c.credentialError(r.acc, err)
	}
	return ipc.Response{Inspection: &in}
}

func (c *Core) answerCheck(r *request) ipc.Response {
	who, err := c.Check(r.ctx, r.acc.ID)
	return ipc.Response{Text: who, Error: errText(err), Code: exitCode(err)}
}

// done answers an operation about one account that did err: the error, or the account as it is now.
func (c *Core) done(r *request, err error) ipc.Response {
	if err != nil {
		return reply(nil, err)
	}
	a, err := c.Account(r.acc.ID)
	return reply([]model.Account{a}, err)
}

// stream sends a snapshot of everything the window shows now and after every change, until the
// listener goes or ctx ends.
func (c *Core) stream(r *request) ipc.Response {
	ctx, faces, send := r.ctx, r.faces, r.send
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

func (c *Core) credentialError(acc config.Account, err error) ipc.Response {
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
		var inv *config.InvalidAccount
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
	var le *config.LookupError
	var inv *config.InvalidAccount
	switch {
	case err == nil:
		return ipc.ExitOK
	case errors.As(err, &le), errors.Is(err, ErrNoAccount):
		return ipc.ExitNoAccount
	case errors.Is(err, auth.ErrSignInRequired):
		return ipc.ExitSignInRequired
	case errors.As(err, &inv):
		return ipc.ExitUsage
	}
	return ipc.ExitFailure
}
