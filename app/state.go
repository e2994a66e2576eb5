package app

import (
	"errors"
	"net"
	"net/url"
	"time"

	"tokentray/auth"
)

// State is where an account's credential is in its life.
type State int

const (
	SignedOut      State = iota // no credential; the user has not signed in (or signed out)
	Valid                       // the credential is good until Status.Expiry
	Refreshing                  // renewing; the current credential, if any, is still served
	Retrying                    // a transient failure; the current credential is still valid
	Expired                     // transient failures outlasted the credential; still retrying
	Paused                      // renewing too often for any good to come of it; resumes by itself
	SignInRequired              // the grant is gone (invalid_grant, revoked, too old): only the user can fix it
)

var stateNames = [...]string{"signed out", "valid", "refreshing", "retrying", "expired", "paused", "sign-in required"}

func (s State) String() string { return stateNames[s] }

// NeedsUser reports whether the user must act for the account to work again.
func (s State) NeedsUser() bool { return s == SignInRequired || s == Expired }

// HasCredential reports whether the account holds a credential it renews without the user.
func (s State) HasCredential() bool { return s != SignedOut && s != SignInRequired }

// ProblemClass sorts what went wrong by what the user can do about it. The words shown for each
// class are chosen by the UI, not here.
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

func (c ProblemClass) String() string { return problemNames[c] }

// Problem is the last thing that went wrong with an account, and when it will be tried again.
type Problem struct {
	Class   ProblemClass
	Detail  string    // what happened, in words, safe to show (auth.Printable)
	RetryAt time.Time // when Tokentray tries again by itself; zero when it does not
}

// problemOf classifies err.
func problemOf(err error, retryAt time.Time) Problem {
	p := Problem{Detail: auth.Printable(err.Error(), 500), RetryAt: retryAt}
	var ne net.Error
	var ue *url.Error
	var ce *ConfigurationError
	switch {
	case errors.Is(err, auth.ErrSignInRequired):
		p.Class, p.RetryAt = SignInNeeded, time.Time{}
	case errors.Is(err, auth.ErrTimeout), errors.Is(err, auth.ErrUnavailable), errors.Is(err, auth.ErrCorrupt):
		p.Class = KeyringTrouble
	case errors.As(err, &ce):
		p.Class, p.RetryAt = Configuration, time.Time{}
	case errors.As(err, &ne), errors.As(err, &ue):
		p.Class = Network
	default:
		p.Class = ProviderFault
	}
	return p
}

// ConfigurationError is an account whose settings cannot work until the user edits them.
type ConfigurationError struct{ Err error }

func (e *ConfigurationError) Error() string { return e.Err.Error() }
func (e *ConfigurationError) Unwrap() error { return e.Err }

// Status is a snapshot of one account for the tray, the socket and tests.
type Status struct {
	ID, Name, Provider string
	State              State
	SigningIn          bool      // a sign-in waits for the browser; the current credential is still renewed and served
	Expiry             time.Time // of the current credential; zero when there is none
	RefreshExpiry      time.Time // when the refresh token ends, where known
	Identity           auth.Identity
	Problem            Problem
	// Unsaved is true while the credential in use is newer than the keyring's copy: the keyring
	// refused it (locked?), and storing it is retried.
	Unsaved bool
	// Session is true for a credential without a lifetime (an OnSIP SessionId); Checked is when
	// the service last confirmed it, and Expiry when it will be checked next.
	Session bool
	Checked time.Time
}

// Err is the problem in words, "" when there is none.
func (s Status) Err() string { return s.Problem.Detail }

// Credential is what the manager hands out: a value valid until Expiry.
type Credential struct {
	Value    auth.Secret
	Type     string // "Bearer"
	Expiry   time.Time
	Scope    string
	Identity auth.Identity
}
