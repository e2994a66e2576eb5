package app

import (
	"context"

	"tokentray/app/ipc"
	"tokentray/app/model"
)

// The handlers of the operations (answer.go's table), one a method.

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

// answerQuit ends the app, and says which process it is, for the asker to wait for its end.
func answerQuit(_ *Core, r *request) ipc.Response {
	resp := face(r.call.Faces.Quit)
	if resp.Error == "" && r.call.Faces.Info != nil {
		info := r.call.Faces.Info()
		resp.Info = &info
	}
	return resp
}

func (c *Core) answerToken(r *request) ipc.Response {
	v, err := validity(r.MinValid)
	if err != nil {
		return ipc.Response{Error: err.Error(), Code: ipc.ExitUsage}
	}
	cred, err := c.m.Credential(r.ctx, r.acc.ID, v)
	if err != nil {
		return c.credentialError(r.acc, err)
	}
	out := c.credentialOf(r.acc, cred)
	r.later = append(r.later, c.handOut(r.call.Asker, r.acc, out))
	return ipc.Response{Token: &out}
}

func (c *Core) answerStatus(r *request) ipc.Response { return c.done(r, nil) }

func (c *Core) answerLogin(r *request) ipc.Response {
	return c.done(r, c.SignInWith(r.ctx, r.acc.ID, SignInOptions{NoBrowser: r.NoBrowser, Device: r.Device,
		OnURL:    func(u string) { _ = r.call.Send(ipc.Response{Progress: u}) },
		OnDevice: func(d model.DeviceCode) { _ = r.call.Send(ipc.Response{Device: &d}) }}))
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
	who := r.call.Asker
	who.Via = "api" // Tokentray sends it, for the asker
	ans, err := c.API(r.ctx, r.acc.ID, *r.API, who)
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
