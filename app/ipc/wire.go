// Package ipc is the protocol between the running app and its other faces (the `tokentray`
// commands, the accounts window): one JSON request line and JSON response lines over a Unix socket
// in the user's runtime dir, and the command table. It imports nothing heavy, so the `tokentray
// token` fast path starts as quickly as a small Go program.
package ipc

import "tokentray/app/model"

// Version is the protocol version; a request of another version gets an error, never a guess.
// 2: typed accounts (model.Account), progress lines, and the subscription stream.
const Version = 2

// MaxRequest is the largest request line the app reads, in bytes: room for a secret of 64 KiB.
const MaxRequest = 160 << 10

// Request is what a command, or the accounts window, asks of the app. Op names a core call (op.go).
type Request struct {
	V        int                `json:"v"`
	Op       Op                 `json:"op"`
	Account  string             `json:"account,omitempty"`   // a name (any case, a unique beginning of it or of a word in it) or an id
	MinValid string             `json:"min_valid,omitempty"` // a Go duration; "" for the default
	User     string             `json:"user,omitempty"`      // act-as
	Name     string             `json:"name,omitempty"`      // add, update: the account's (new) name
	Provider string             `json:"provider,omitempty"`  // add
	Settings map[string]string  `json:"settings,omitempty"`  // add, update
	Secrets  map[string]string  `json:"secrets,omitempty"`   // add, update: they go straight to the keyring
	Text     string             `json:"text,omitempty"`      // paste
	Prefs    *model.Preferences `json:"prefs,omitempty"`     // set-prefs
	// NoBrowser: login prints the address and leaves opening it to the person.
	NoBrowser bool `json:"no_browser,omitempty"`
	// Device: login (or the window's sign-in) on another device, RFC 8628.
	Device bool `json:"device,omitempty"`
	// Via is how a credential asked for leaves Tokentray (token, exec, api, window), for the record
	// of hand-outs.
	Via     string            `json:"via,omitempty"`
	Command string            `json:"command,omitempty"` // exec's command, for the record
	Limit   int               `json:"limit,omitempty"`   // audit: the newest this many; 0 for all
	API     *model.APIRequest `json:"api,omitempty"`
}

// Response is the app's answer. A long request (login) may be preceded by progress lines, which
// carry Progress and nothing final; a subscription is a stream of responses, one per change.
type Response struct {
	V          int                `json:"v"`
	Error      string             `json:"error,omitempty"`
	Code       int                `json:"code,omitempty"` // the exit code for Error
	Progress   string             `json:"progress,omitempty"`
	Token      *model.Credential  `json:"token,omitempty"`
	Accounts   []model.Account    `json:"accounts,omitempty"`
	Problem    string             `json:"problem,omitempty"` // the accounts file's, when it does not load
	Prefs      *model.Preferences `json:"prefs,omitempty"`
	HandOuts   []model.HandOut    `json:"hand_outs,omitempty"` // audit
	Inspection *model.Inspection  `json:"inspection,omitempty"`
	API        *model.APIResponse `json:"api,omitempty"`
	Device     *model.DeviceCode  `json:"device,omitempty"` // progress of a sign-in on another device
	Text       string             `json:"text,omitempty"`   // check: who the provider says; login: the address
	Field      string             `json:"field,omitempty"`  // add, update: the setting at fault
	Info       *model.AppInfo     `json:"info,omitempty"`   // subscribe: about the app
}

// The wire's JSON keys, as the struct tags above spell them: the hand codec (encode.go,
// decode.go) writes and reads them, and TestKeysAreTheTags holds the two together. The
// credential's are model.Credential's tags.
const (
	keyV         = "v"
	keyOp        = "op"
	keyAccount   = "account"
	keyMinValid  = "min_valid"
	keyUser      = "user"
	keyName      = "name"
	keyProvider  = "provider"
	keyText      = "text"
	keyNoBrowser = "no_browser"
	keyDevice    = "device"
	keyVia       = "via"
	keyCommand   = "command"
	keyLimit     = "limit"

	keyError    = "error"
	keyCode     = "code"
	keyProgress = "progress"
	keyToken    = "token"
	keyProblem  = "problem"
	keyField    = "field"

	keyCredAccount  = "account"
	keyCredKind     = "kind"
	keyCredValue    = "token"
	keyCredType     = "type"
	keyCredExpiry   = "expiry"
	keyCredScope    = "scope"
	keyCredIdentity = "identity"
)

// Exit codes a script can branch on; responses carry them so every path exits the same way.
const (
	ExitOK             = 0
	ExitFailure        = 1
	ExitUsage          = 2
	ExitSignInRequired = 3
	ExitNoAccount      = 4
)
