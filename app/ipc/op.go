package ipc

import "time"

// Op names what a request asks of the app: one core call each. The app answers each with one
// handler (app.Core.Answer's table), the socket's client has one method for each (app/client), and
// the commands that send one name it in their row (app/cli/commands): TestEveryOpIsAnswered,
// TestEveryOpHasAClientMethod and TestEveryCommandSendsAKnownOp hold them to Ops.
type Op string

// The operations, as they go over the wire.
const (
	OpToken     Op = "token"
	OpList      Op = "list"
	OpStatus    Op = "status"
	OpLogin     Op = "login"
	OpSignIn    Op = "sign-in"
	OpLogout    Op = "logout"
	OpRenew     Op = "renew"
	OpActAs     Op = "act-as"
	OpAdd       Op = "add"
	OpUpdate    Op = "update"
	OpRemove    Op = "remove"
	OpCheck     Op = "check"
	OpPaste     Op = "paste"
	OpCancel    Op = "cancel"
	OpPrefs     Op = "prefs"
	OpSetPrefs  Op = "set-prefs"
	OpReload    Op = "reload"
	OpShow      Op = "show"
	OpQuit      Op = "quit"
	OpSubscribe Op = "subscribe"
	OpAudit     Op = "audit"
	OpInspect   Op = "inspect"
	OpAPI       Op = "api"
)

// OpSpec is what the wire says of an operation.
type OpSpec struct {
	Op      Op
	Summary string        // what it asks, and which Request fields it reads
	Timeout time.Duration // how long the app lets it run, and its asker waits; 0: while the asker stays
}

// Ops is every operation. Commands wait 90 s (a renewal behind a slow provider), a sign-in six
// minutes (the browser has five), a subscription while its asker stays, the window's own actions a
// minute.
var Ops = []OpSpec{
	{OpToken, "a credential of Account, valid MinValid (default: the app's); Via and Command say who takes it", 90 * time.Second},
	{OpList, "every account", 90 * time.Second},
	{OpStatus, "the Account", 90 * time.Second},
	{OpLogin, "sign the Account in (NoBrowser, Device) and wait; progress lines carry the address or the code", 6 * time.Minute},
	{OpSignIn, "start the Account's sign-in, which goes on without the asker (Device)", time.Minute},
	{OpLogout, "sign the Account out: revoke where possible, forget its tokens", 90 * time.Second},
	{OpRenew, "renew the Account's credential now", time.Minute},
	{OpActAs, "the OnSIP users the Account can act as; with User, act as that one", 90 * time.Second},
	{OpAdd, "add an account: Name, Provider, Settings, Secrets (to the keyring)", 90 * time.Second},
	{OpUpdate, "change the Account's Name, Settings and the Secrets given", time.Minute},
	{OpRemove, "remove the Account and every secret of it", 90 * time.Second},
	{OpCheck, "ask the provider who the Account's credential belongs to", time.Minute},
	{OpPaste, "hand Text (the address the browser ended on, or the code) to the Account's sign-in", time.Minute},
	{OpCancel, "end the Account's sign-in that waits for the browser", time.Minute},
	{OpPrefs, "the preferences", time.Minute},
	{OpSetPrefs, "save Prefs", time.Minute},
	{OpReload, "read the accounts file again", time.Minute},
	{OpShow, "bring the accounts window forward", time.Minute},
	{OpQuit, "end the app", time.Minute},
	{OpSubscribe, "a snapshot now (accounts, preferences, the app) and after every change, while the asker stays", 0},
	{OpAudit, "the record of hand-outs, of the Account or all, the newest Limit", 90 * time.Second},
	{OpInspect, "what the Account's credential says, without it", 90 * time.Second},
	{OpAPI, "send API to the Account's provider API with a fresh credential", 90 * time.Second},
}

// Timeout is how long the app lets a request of this operation run, and its asker waits for the
// answer (see Ops); a minute for an operation it does not know.
func (o Op) Timeout() time.Duration {
	for _, s := range Ops {
		if s.Op == o {
			return s.Timeout
		}
	}
	return time.Minute
}
