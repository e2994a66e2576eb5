package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
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

// classify sorts an error from a token request into sign-in required, transient or as is.
// x/oauth2 reports an error response as *oauth2.RetrieveError with the status and error code.
func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		pe := &ProviderError{Status: status, Code: re.ErrorCode, Description: re.ErrorDescription}
		switch {
		case status == http.StatusTooManyRequests || status >= 500:
			return &TransientError{fmt.Errorf("could not %s: %w", what, pe)}
		case status == http.StatusBadRequest || status == http.StatusUnauthorized || status == http.StatusForbidden:
			// invalid_grant, invalid_client, unauthorized_client…, and providers (Avaya, Net2Phone)
			// that document no error body: a 4xx on a token request means the grant is gone.
			return fmt.Errorf("could not %s: %w (%w)", what, ErrSignInRequired, pe)
		case status >= 200 && status < 300:
			return &TransientError{fmt.Errorf("could not %s: the response did not parse: %w", what, pe)}
		}
		return fmt.Errorf("could not %s: %w", what, pe)
	}
	// Network errors, timeouts, resets, malformed bodies.
	return &TransientError{fmt.Errorf("could not %s: %w", what, err)}
}
