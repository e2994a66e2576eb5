package accounts

import (
	"errors"
	"net"
	"net/url"
	"time"

	"tokentray/auth/text"

	"tokentray/app/model"
	"tokentray/auth"
)

// The states and problem classes are model's, so that every face (tray, window, command line)
// compares the same typed values.
type (
	State        = model.State
	ProblemClass = model.ProblemClass
	Problem      = model.Problem
)

const (
	SignedOut      = model.SignedOut
	Valid          = model.Valid
	Refreshing     = model.Refreshing
	Retrying       = model.Retrying
	Expired        = model.Expired
	Paused         = model.Paused
	SignInRequired = model.SignInRequired

	NoProblem        = model.NoProblem
	SignInNeeded     = model.SignInNeeded
	ProviderFault    = model.ProviderFault
	Network          = model.Network
	KeyringTrouble   = model.KeyringTrouble
	Configuration    = model.Configuration
	RenewingTooOften = model.RenewingTooOften
)

// problemOf classifies err.
func problemOf(err error, retryAt time.Time) Problem {
	p := Problem{Detail: text.Printable(err.Error(), 500), RetryAt: retryAt}
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
	if errors.As(err, &ue) { // the host a person can check: "Can't reach accounts.avayacloud.com"
		if u, perr := url.Parse(ue.URL); perr == nil {
			p.Host = u.Hostname()
		}
	}
	return p
}

// ConfigurationError is an account whose settings cannot work until the user edits them.
type ConfigurationError struct{ Err error }

func (e *ConfigurationError) Error() string { return e.Err.Error() }
func (e *ConfigurationError) Unwrap() error { return e.Err }

// Status is a snapshot of one account for the tray, the socket and tests.
type Status struct {
	ID             model.AccountID
	Name, Provider string
	State          State
	SigningIn      bool      // a sign-in waits for the browser; the current credential is still renewed and served
	Expiry         time.Time // of the current credential; zero when there is none
	RefreshExpiry  time.Time // when the refresh token ends, where known
	Identity       auth.Identity
	Problem        Problem
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
