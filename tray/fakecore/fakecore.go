// Package fakecore is the app as its faces see it, for their tests: one fake of the core that
// both the tray (tray.Core) and the accounts window (window.Core) take. It records every call, in
// words ("credential a default", "sign-in b"), and its accounts can change under the face.
package fakecore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"tokentray/app/model"
)

// Core is the fake. Set its exported fields before handing it to the face; change the accounts
// with Set. Safe for concurrent use.
type Core struct {
	Accts    []model.Account
	Prefs    model.Preferences
	AppInfo  model.AppInfo
	HandOuts []model.HandOut // newest first; each Credential adds one
	FailCopy error           // what Credential answers, when set
	PasteErr error           // what Paste answers

	mu    sync.Mutex
	calls []string
	subs  []func()
}

func (f *Core) record(s string) { f.mu.Lock(); f.calls = append(f.calls, s); f.mu.Unlock() }

// Calls is every call so far, in words, in order.
func (f *Core) Calls() []string { f.mu.Lock(); defer f.mu.Unlock(); return slices.Clone(f.calls) }

// Set replaces the accounts and tells the subscribers, as the app does after a change.
func (f *Core) Set(accs ...model.Account) {
	f.mu.Lock()
	f.Accts = accs
	subs := slices.Clone(f.subs)
	f.mu.Unlock()
	for _, s := range subs {
		s()
	}
}

func (f *Core) Accounts() []model.Account {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.Accts)
}
func (f *Core) ConfigProblem() string          { return "" }
func (f *Core) Preferences() model.Preferences { f.mu.Lock(); defer f.mu.Unlock(); return f.Prefs }
func (f *Core) Info() model.AppInfo            { f.mu.Lock(); defer f.mu.Unlock(); return f.AppInfo }
func (f *Core) Subscribe(changed func()) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs = append(f.subs, changed)
	return func() {}
}
func (f *Core) SetPreferences(p model.Preferences) error {
	f.record(fmt.Sprint("prefs ", p.ClipboardClear, " ", p.MinValid, " start-at-login ", p.StartAtLogin))
	f.mu.Lock()
	f.Prefs = p
	f.mu.Unlock()
	return nil
}

// Credential hands out "tok-ID", valid 54½ minutes, and records the hand-out as the app would.
func (f *Core) Credential(_ context.Context, id model.AccountID, v model.Validity) (model.Credential, error) {
	f.record("credential " + string(id) + " " + v.String())
	if f.FailCopy != nil {
		return model.Credential{}, f.FailCopy
	}
	f.mu.Lock()
	f.HandOuts = append([]model.HandOut{{Time: time.Now(), AccountID: id, Via: "window", PID: 4242, Program: "/usr/bin/tokentray-window"}}, f.HandOuts...)
	f.mu.Unlock()
	return model.Credential{Value: "tok-" + string(id), Type: "Bearer", Expiry: time.Now().Add(54*time.Minute + 10*time.Second)}, nil // off a rounding edge: a coarse clock (Windows) reads no time passed
}
func (f *Core) SignIn(_ context.Context, id model.AccountID) error {
	f.record("sign-in " + string(id))
	return nil
}
func (f *Core) SignInOnDevice(_ context.Context, id model.AccountID) error {
	f.record("sign-in-device " + string(id))
	return nil
}
func (f *Core) CancelSignIn(id model.AccountID) error { f.record("cancel " + string(id)); return nil }
func (f *Core) Paste(id model.AccountID, text string) error {
	f.record("paste " + string(id) + " " + text)
	return f.PasteErr
}
func (f *Core) SignOut(_ context.Context, id model.AccountID) error {
	f.record("sign-out " + string(id))
	return nil
}
func (f *Core) RenewNow(_ context.Context, id model.AccountID) error {
	f.record("renew " + string(id))
	return nil
}
func (f *Core) ChooseUser(_ context.Context, id model.AccountID, u string) error {
	f.record("act-as " + string(id) + " " + u)
	return nil
}
func (f *Core) Check(_ context.Context, id model.AccountID) (string, error) {
	f.record("check " + string(id))
	return "Test User <test@avaya.com>", nil
}
func (f *Core) AddAccount(name, kind string, settings, secrets map[string]string) error {
	f.record(fmt.Sprintf("add %s %s %v %v", name, kind, settings, secrets))
	return nil
}
func (f *Core) UpdateAccount(id model.AccountID, name string, settings, secrets map[string]string) error {
	f.record("update " + string(id) + " " + name)
	return nil
}
func (f *Core) RemoveAccount(_ context.Context, id model.AccountID) error {
	f.record("remove " + string(id))
	return nil
}
func (f *Core) Quit() error { f.record("quit"); return nil }
func (f *Core) Inspect(_ context.Context, id model.AccountID) (model.Inspection, error) {
	f.record("inspect " + string(id))
	return model.Inspection{Account: "Work 0", Format: "jwt", Claims: map[string]any{"iss": "https://sso.example.com", "sub": "u-1"},
		Header: map[string]any{"alg": "RS256"}, Signature: "verified with the issuer's published keys"}, nil
}

// Audit returns the account's newest n hand-outs.
func (f *Core) Audit(id model.AccountID, n int) ([]model.HandOut, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []model.HandOut
	for _, h := range f.HandOuts {
		if h.AccountID == id && len(out) < n {
			out = append(out, h)
		}
	}
	return out, nil
}
