package app

import (
	"time"

	"tokentray/auth"
)

// State is where an account is in its life.
type State int

const (
	SignedOut      State = iota // no credential; the user has not signed in (or signed out)
	SigningIn                   // a sign-in is waiting for the browser
	Valid                       // the credential is good until Status.Expiry
	Refreshing                  // renewing; the current credential, if any, is still served
	Retrying                    // a transient failure; the current credential is still valid
	Expired                     // transient failures outlasted the credential; still retrying
	SignInRequired              // the grant is gone (invalid_grant, revoked, too old): only the user can fix it
)

var stateNames = [...]string{"signed out", "signing in", "valid", "refreshing", "retrying", "expired", "sign-in required"}

func (s State) String() string { return stateNames[s] }

// NeedsUser reports whether the user must act for the account to work again.
func (s State) NeedsUser() bool { return s == SignInRequired || s == Expired }

// Status is a snapshot of one account for the tray, the socket and tests.
type Status struct {
	ID, Name, Provider string
	State              State
	Expiry             time.Time // of the current credential; zero when there is none
	RefreshExpiry      time.Time // when the refresh token ends, where known
	Identity           auth.Identity
	Err                string // the last failure, in words for the user; "" when none
	// Session is true for a credential without a lifetime (an OnSIP SessionId); Checked is when
	// the service last confirmed it, and Expiry when it will be checked next.
	Session bool
	Checked time.Time
}

// Credential is what the manager hands out: a value valid until Expiry.
type Credential struct {
	Value    auth.Secret
	Type     string // "Bearer"
	Expiry   time.Time
	Scope    string
	Identity auth.Identity
}
