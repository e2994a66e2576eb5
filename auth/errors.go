package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Errors that decide what happens next; test them with errors.Is.
var (
	// ErrSignInRequired means the grant is gone (invalid_grant, revoked, expired refresh token, a
	// rejected client): retrying cannot help, the user must sign in again.
	ErrSignInRequired = errors.New("sign-in required")
	// ErrDenied means the user declined access on the provider's page.
	ErrDenied = errors.New("you declined access")
	// ErrSignInTimeout means nobody finished the sign-in in the browser in time.
	ErrSignInTimeout = errors.New("the sign-in was not finished in time")
)

// TransientError is a failure worth retrying: the network, a timeout, HTTP 429 or 5xx, a body that
// does not parse. The current token, if still valid, stays in use meanwhile.
type TransientError struct{ Err error }

func (e *TransientError) Error() string { return e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// IsTransient reports whether err is worth retrying.
func IsTransient(err error) bool {
	var te *TransientError
	return errors.As(err, &te)
}

// ProviderError is an OAuth error the provider returned, kept for the message shown to the user.
type ProviderError struct {
	Status      int
	Code        string // e.g. invalid_grant
	Description string
}

func (e *ProviderError) Error() string {
	msg := e.Code
	if e.Status != 0 {
		msg = strings.TrimSpace(fmt.Sprintf("the provider answered %d %s", e.Status, e.Code))
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// classify sorts a token endpoint's error answer into sign-in required, transient or as is.
func classify(what string, pe *ProviderError) error {
	switch status := pe.Status; {
	case status == http.StatusTooManyRequests || status >= 500:
		return &TransientError{fmt.Errorf("could not %s: %w", what, pe)}
	case status == http.StatusBadRequest || status == http.StatusUnauthorized || status == http.StatusForbidden:
		// invalid_grant, invalid_client, unauthorized_client…, and providers (Avaya, Net2Phone)
		// that document no error body: a 4xx on a token request means the grant is gone.
		return fmt.Errorf("could not %s: %w (%w)", what, ErrSignInRequired, pe)
	case status >= 200 && status < 300: // an "error" in a 200 answer
		return fmt.Errorf("could not %s: %w (%w)", what, ErrSignInRequired, pe)
	}
	return fmt.Errorf("could not %s: %w", what, pe)
}
