package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tokentray/app/accounts"
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

// Call is what answering a request may use beyond it: who asks (for the record of hand-outs), the
// faces of the running app, and how to send a line before the answer.
type Call struct {
	Asker Asker
	Faces Faces
	// Send carries progress lines and, for a subscription, one snapshot per change; it returns an
	// error once nobody listens. nil sends nothing.
	Send func(ipc.Response) error
}

// Answer answers one request, from the socket or from a command doing the job itself: the one
// place where wire requests become core calls (handlers), so both give the same answers, messages
// and exit codes. It returns the answer, and what is left for after the answer is sent (the rest of
// the record of a hand-out), which the caller runs then.
func (c *Core) Answer(ctx context.Context, req ipc.Request, call Call) (ipc.Response, func()) {
	h, ok := handlers[req.Op]
	if !ok {
		return ipc.Response{Error: fmt.Sprintf("unknown request %q", req.Op), Code: ipc.ExitUsage}, func() {}
	}
	if call.Send == nil {
		call.Send = func(ipc.Response) error { return nil }
	}
	r := &request{Request: req, ctx: ctx, call: call}
	if h.account {
		acc, err := c.resolve(req.Account)
		if err != nil {
			return reply(nil, err), func() {}
		}
		r.acc = acc
	}
	resp := h.answer(c, r)
	return resp, r.afterAnswer
}

// AnswerNow answers on the spot what can be answered without waiting for anything (a renewal, the
// keyring, the network): a credential in hand, asked by who. ok is false for anything else, and
// nothing was changed: the socket then answers it on a goroutine of its own with Answer. after is
// what is left for after the answer is sent.
func (c *Core) AnswerNow(req ipc.Request, who Asker) (resp ipc.Response, after func(), ok bool) {
	if req.Op != ipc.OpToken {
		return ipc.Response{}, nil, false
	}
	acc, err := c.resolve(req.Account)
	v, verr := validity(req.MinValid)
	if err != nil || verr != nil {
		return ipc.Response{}, nil, false // said by Answer
	}
	cred, ok := c.m.CredentialNow(acc.ID, v)
	if !ok {
		return ipc.Response{}, nil, false
	}
	out := c.credentialOf(acc, cred)
	return ipc.Response{Token: &out}, c.handOut(who, acc, out), true
}

// request is one request being answered: the wire's, and what answering it may use.
type request struct {
	ipc.Request
	ctx   context.Context
	call  Call
	acc   config.Account // the account it names, for an operation about one (handler.account)
	later []func()       // for after the answer is sent
}

func (r *request) afterAnswer() {
	for _, f := range r.later {
		f()
	}
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
	ipc.OpShow:      {false, func(_ *Core, r *request) ipc.Response { return face(r.call.Faces.Show) }},
	ipc.OpQuit:      {false, answerQuit},
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

// stream sends a snapshot of everything the window shows now and after every change, until the
// listener goes or ctx ends.
func (c *Core) stream(r *request) ipc.Response {
	ctx, faces, send := r.ctx, r.call.Faces, r.call.Send
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
	case errors.Is(err, auth.ErrSignInRequired) && st.State == accounts.SignedOut: // with the app or without: the same answer
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
	case errors.As(err, &le), errors.Is(err, accounts.ErrNoAccount):
		return ipc.ExitNoAccount
	case errors.Is(err, auth.ErrSignInRequired):
		return ipc.ExitSignInRequired
	case errors.As(err, &inv):
		return ipc.ExitUsage
	}
	return ipc.ExitFailure
}
