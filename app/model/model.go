// Package model is the plain data the core hands to its faces: the tray menu, the accounts window
// (in its own process, over the socket) and the command line. It holds no behaviour and imports
// nothing heavy, so every face can depend on it without linking OAuth or the keyring.
package model

import (
	"fmt"
	"time"
)

// State is where an account's credential is in its life.
type State int

const (
	SignedOut      State = iota // no credential; the user has not signed in (or signed out)
	Valid                       // the credential is good until Account.Expiry
	Refreshing                  // renewing; the current credential, if any, is still served
	Retrying                    // a transient failure; the current credential is still valid
	Expired                     // transient failures outlasted the credential; still retrying
	Paused                      // renewing too often for any good to come of it; resumes by itself
	SignInRequired              // the grant is gone (invalid_grant, revoked, too old): only the user can fix it
)

var stateNames = [...]string{"signed out", "valid", "refreshing", "retrying", "expired", "paused", "sign-in required"}

func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("state %d", int(s))
	}
	return stateNames[s]
}

// MarshalText writes the state by name ("sign-in required"), as `tokentray list --json` shows it.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state name.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if n == string(b) {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("unknown state %q", b)
}

// NeedsUser reports whether the user must act for the account to work again.
func (s State) NeedsUser() bool { return s == SignInRequired || s == Expired }

// HasCredential reports whether the account holds a credential it renews without the user.
func (s State) HasCredential() bool { return s != SignedOut && s != SignInRequired }

// ProblemClass sorts what went wrong by what the user can do about it. The words shown for each
// class are chosen by each face, not by the core.
type ProblemClass int

const (
	NoProblem        ProblemClass = iota
	SignInNeeded                  // the grant is gone; sign in again
	ProviderFault                 // the provider answered with an error, garbage or too slowly; retrying
	Network                       // the provider could not be reached; retrying
	KeyringTrouble                // the system keyring is locked, gone or refused; unlock it
	Configuration                 // the account's settings cannot work (client id, redirect, …); edit it
	RenewingTooOften              // renewals are paused: each fresh credential was due again at once
)

var problemNames = [...]string{"", "sign-in needed", "provider fault", "network", "keyring", "configuration", "renewing too often"}

func (c ProblemClass) String() string {
	if c < 0 || int(c) >= len(problemNames) {
		return fmt.Sprintf("problem %d", int(c))
	}
	return problemNames[c]
}

func (c ProblemClass) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

func (c *ProblemClass) UnmarshalText(b []byte) error {
	for i, n := range problemNames {
		if n == string(b) {
			*c = ProblemClass(i)
			return nil
		}
	}
	return fmt.Errorf("unknown problem class %q", b)
}

// Problem is the last thing that went wrong with an account, and when it will be tried again.
type Problem struct {
	Class   ProblemClass `json:"class,omitempty"`
	Detail  string       `json:"detail,omitempty"`  // what happened, technically, safe to show
	Host    string       `json:"host,omitempty"`    // the host that could not be reached or answered badly
	RetryAt time.Time    `json:"retry_at,omitzero"` // when Tokentray tries again by itself; zero when it does not
}

// AccountID is an account's id: a UUID, fixed when the account is added, which no rename changes.
// Names are for people (any case, a unique beginning); ids are what the faces and the core pass.
type AccountID string

// Account is one account's state as every face shows it.
type Account struct {
	ID            AccountID         `json:"id"`
	Name          string            `json:"name"`
	Provider      string            `json:"provider"` // a kind name: net2phone, avaya, onsip, oidc
	State         State             `json:"state"`
	SigningIn     bool              `json:"signing_in,omitempty"`     // a sign-in waits for the browser; the current credential stays in use
	SignInURL     string            `json:"sign_in_url,omitempty"`    // the page the sign-in waits on, to open again or copy
	SignInDevice  *DeviceCode       `json:"sign_in_device,omitempty"` // a sign-in on another device: the code and where to enter it
	Expiry        time.Time         `json:"expiry,omitzero"`
	RefreshExpiry time.Time         `json:"refresh_expiry,omitzero"`
	Session       bool              `json:"session,omitempty"` // a session id (OnSIP's SessionId): no lifetime, checked at intervals
	Checked       time.Time         `json:"checked,omitzero"`
	Identity      string            `json:"identity,omitempty"`
	Problem       Problem           `json:"problem,omitzero"`
	Unsaved       bool              `json:"unsaved,omitempty"` // renewed, but the keyring has not taken it yet
	Users         []User            `json:"users,omitempty"`   // OnSIP users it can act as
	CurrentUser   string            `json:"current_user,omitempty"`
	Settings      map[string]string `json:"settings,omitempty"` // as in the accounts file, for the edit form
	// What the account can do, from its kind and settings, so that no face compares kind names.
	// Unattended: it gets its credential with no user (a client-credentials grant) and is never
	// signed in to. DeviceSignIn: it can sign in on another device (RFC 8628). (Session, above:
	// its credential is a session id, with no lifetime and no Authorization header.)
	Unattended   bool `json:"unattended,omitempty"`
	DeviceSignIn bool `json:"device_sign_in,omitempty"`
}

// EndsWithToken reports a sign-in that cannot be renewed (its provider gave no refresh token): it
// ends when its credential expires.
func (a Account) EndsWithToken() bool {
	return !a.Session && !a.Expiry.IsZero() && !a.RefreshExpiry.IsZero() && !a.RefreshExpiry.After(a.Expiry)
}

// User is an OnSIP user an account can act as.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Credential is a credential handed out.
type Credential struct {
	Account  string    `json:"account"`
	Kind     string    `json:"kind"`  // BearerKind or SessionKind
	Value    string    `json:"token"` // the credential itself
	Type     string    `json:"type"`  // "Bearer"
	Expiry   time.Time `json:"expiry"`
	Scope    string    `json:"scope,omitempty"`
	Identity string    `json:"identity,omitempty"`
}

// The kinds of credential handed out (Credential.Kind).
const (
	BearerKind  = "bearer"        // a bearer token: Authorization: Bearer …
	SessionKind = "onsip-session" // an OnSIP SessionId, a form parameter
)

// Preferences are the user's settings, with their defaults filled in.
type Preferences struct {
	ClipboardClear time.Duration `json:"clipboard_clear"` // 0: never cleared
	MinValid       time.Duration `json:"min_valid"`
	RefreshMargin  time.Duration `json:"refresh_margin"`
	Notifications  bool          `json:"notifications"`
	StartAtLogin   bool          `json:"start_at_login"`
}

// Validity is how long a credential handed out must stay valid: Default, or AtLeast a duration.
type Validity struct {
	Min      time.Duration `json:"min,omitempty"`
	Explicit bool          `json:"explicit,omitempty"`
}

// Default asks for a credential valid for the configured minimum (the min_valid setting),
// capped to the renewal margin of the credential's lifetime: a credential the schedule keeps
// fresh always satisfies it, however short-lived the provider's credentials are.
var Default = Validity{}

// AtLeast asks for a credential valid for at least d. When the provider's credentials do not live
// that long, the core renews at most once per credential (the provider may have lengthened them)
// and otherwise fails at once, saying so.
func AtLeast(d time.Duration) Validity { return Validity{Min: d, Explicit: true} }

func (v Validity) String() string {
	if !v.Explicit {
		return "default"
	}
	return v.Min.String()
}

// AppInfo is what the accounts window shows about the app it belongs to.
type AppInfo struct {
	Version        string `json:"version"`
	ConfigPath     string `json:"config_path"`
	LogPath        string `json:"log_path"`
	KeyringService string `json:"keyring_service"`
	// TrayAvailable is false when the desktop has no tray host: the window then says so, and
	// closing it quits, since there is no icon to come back to.
	TrayAvailable bool   `json:"tray_available"`
	Demo          bool   `json:"demo,omitempty"`    // the accounts are demo ones, on fake providers
	Command       string `json:"command,omitempty"` // how a terminal reaches this app, e.g. `tokentray token "Demo Avaya"`
	// Shown counts the times the window was asked to come forward (Accounts…, a second launch,
	// a notification): a window that sees it grow raises itself.
	Shown int `json:"shown"`
	PID   int `json:"pid,omitempty"` // the app's process: quit waits for it to end
}

// HandOut is one time a credential left Tokentray: when, which account, how (tray, window, token,
// exec, api), which process asked, and a fingerprint of the credential (never the credential).
type HandOut struct {
	Time        time.Time `json:"time"`
	AccountID   AccountID `json:"account_id"`
	Account     string    `json:"account"`
	Via         string    `json:"via"`
	Command     string    `json:"command,omitempty"` // exec's command
	PID         int       `json:"pid,omitempty"`
	Program     string    `json:"program,omitempty"` // the asking process's executable, where the system says
	Parent      string    `json:"parent,omitempty"`  // the executable of the process that ran it (a script's shell)
	Fingerprint string    `json:"fingerprint"`
}

// Inspection is what Tokentray can tell of an account's credential without showing it: a JWT's
// header and claims and whether its signature holds, the id token that came with it, and the
// provider's introspection answer (RFC 7662) where it has an endpoint. Never the refresh token.
type Inspection struct {
	Account           string         `json:"account"`
	Format            string         `json:"format"` // "jwt", "opaque" or "session"
	Header            map[string]any `json:"header,omitempty"`
	Claims            map[string]any `json:"claims,omitempty"`
	Signature         string         `json:"signature,omitempty"`
	IDToken           *Inspection    `json:"id_token,omitempty"`
	Introspection     map[string]any `json:"introspection,omitempty"`
	IntrospectionNote string         `json:"introspection_note,omitempty"`
	// What Tokentray knows of it whatever its format.
	Scope  string    `json:"scope,omitempty"`
	Issued time.Time `json:"issued,omitzero"`
	Expiry time.Time `json:"expiry,omitzero"`
}

// APIRequest is a call to an account's own API (tokentray api): path under the provider's API
// base (for OnSIP, the Action), headers as "Key: value", and a body.
type APIRequest struct {
	Method  string   `json:"method"`
	Path    string   `json:"path"`
	Headers []string `json:"headers,omitempty"`
	Body    []byte   `json:"body,omitempty"`
}

// APIResponse is the provider's answer, as it came.
type APIResponse struct {
	Status      int    `json:"status"`
	StatusText  string `json:"status_text"`
	ContentType string `json:"content_type,omitempty"`
	Body        []byte `json:"body,omitempty"`
	Renewed     bool   `json:"renewed,omitempty"` // the first answer was 401: the credential was renewed and the call made again
}

// DeviceCode is what a person needs to sign in on another device (RFC 8628).
type DeviceCode struct {
	UserCode        string    `json:"user_code"`
	VerificationURI string    `json:"verification_uri"`
	Complete        string    `json:"verification_uri_complete,omitempty"` // with the code in it: a QR code's
	Expiry          time.Time `json:"expiry,omitzero"`
}
