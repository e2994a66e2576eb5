package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// Token is what a provider issued for an account: the credential and what keeps it fresh. It is
// stored in the keyring as one JSON item, so a rotated refresh token and its access token are
// always written together, in one write.
type Token struct {
	AccessToken  Secret    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken Secret    `json:"refresh_token,omitempty"`
	IDToken      Secret    `json:"id_token,omitempty"`
	Scope        string    `json:"scope,omitempty"`
	Expiry       time.Time `json:"expiry"`
	// RefreshExpiry is when the refresh token stops working, where the provider documents it
	// (Net2Phone: 90 days from sign-in); zero when unknown.
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
	Identity      Identity  `json:"identity,omitzero"`

	// Session marks a credential without a stated lifetime (an OnSIP SessionId): it is good while
	// the service says so. Checked is when it last did; Expiry is when it must be asked again.
	Session bool        `json:"session,omitempty"`
	Checked time.Time   `json:"checked,omitzero"`
	OnSIP   *OnSIPState `json:"onsip,omitempty"`
}

// SessionFreshness is how recently a session credential must have been checked to be handed out
// without asking the service first.
const SessionFreshness = time.Minute

// OnSIPState is what keeps an OnSIP session alive without the browser: stored in the keyring with
// the SessionId, never in the accounts file.
type OnSIPState struct {
	Service       string      `json:"service,omitempty"` // SlackLogin or GoogleLogin; "" for password sign-in
	ServiceUserID string      `json:"service_user_id,omitempty"`
	UserID        string      `json:"user_id"`                     // the OnSIP user the session acts as: the user's choice
	ThirdParty    Secret      `json:"third_party_token,omitempty"` // the Slack or Google token OnSIP stored
	Users         []OnSIPUser `json:"users,omitempty"`             // every OnSIP user of the sign-in's e-mail
	Roles         []string    `json:"roles,omitempty"`
}

// Identity is who a token belongs to, for display.
type Identity struct {
	Name     string `json:"name,omitempty"`     // a display name
	Username string `json:"username,omitempty"` // a login or e-mail
	Subject  string `json:"subject,omitempty"`  // the provider's stable id
}

// String is the identity as one line, e.g. "Test User <test@avaya.com>".
func (i Identity) String() string {
	switch {
	case i.Name != "" && i.Username != "":
		return i.Name + " <" + i.Username + ">"
	case i.Username != "":
		return i.Username
	case i.Name != "":
		return i.Name
	}
	return i.Subject
}

// ValidFor reports whether the access token is still good for at least d from now. A session
// credential has no lifetime to compare with d: it is good if the service confirmed it within
// SessionFreshness.
func (t *Token) ValidFor(now time.Time, d time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	if t.Session {
		return now.Sub(t.Checked) <= SessionFreshness
	}
	return !t.Expiry.IsZero() && t.Expiry.Sub(now) >= d
}

// MarshalToken encodes t for the keyring.
func MarshalToken(t *Token) (string, error) {
	b, err := json.Marshal(t)
	return string(b), err
}

// UnmarshalToken decodes a token stored by MarshalToken.
func UnmarshalToken(s string) (*Token, error) {
	var t Token
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, fmt.Errorf("could not decode the stored token: %w", err)
	}
	if t.AccessToken == "" && t.RefreshToken == "" {
		return nil, errors.New("could not decode the stored token: it holds no token")
	}
	return &t, nil
}

// fromOAuth2 converts x/oauth2's token, keeping what x/oauth2 keeps only in Extra (id_token, scope,
// Net2Phone's absolute "expires"). prev supplies a refresh token the response did not repeat.
func fromOAuth2(o *oauth2.Token, prev *Token, now time.Time) *Token {
	t := &Token{
		AccessToken:  Secret(o.AccessToken),
		TokenType:    o.TokenType,
		RefreshToken: Secret(o.RefreshToken),
		Expiry:       o.Expiry.Round(0), // wall clock only: survives suspend and restarts
	}
	if o.ExpiresIn > 0 { // measured from our clock, not x/oauth2's, so it agrees with every later check
		t.Expiry = now.Add(time.Duration(o.ExpiresIn) * time.Second).Round(0)
	}
	if s, ok := o.Extra("id_token").(string); ok {
		t.IDToken = Secret(s)
	}
	if s, ok := o.Extra("scope").(string); ok {
		t.Scope = s
	}
	// Net2Phone also sends "expires": UTC, ISO-8601 without a zone. Keep the earlier of the two.
	if s, ok := o.Extra("expires").(string); ok {
		if e, err := time.ParseInLocation("2006-01-02T15:04:05.999999", s, time.UTC); err == nil {
			if t.Expiry.IsZero() || e.Before(t.Expiry) {
				t.Expiry = e
			}
		}
	}
	if t.Expiry.IsZero() {
		t.Expiry = now.Add(time.Hour) // no lifetime given: assume the common hour, refresh early
	}
	if prev != nil {
		if t.RefreshToken == "" {
			t.RefreshToken = prev.RefreshToken
		}
		if t.IDToken == "" {
			t.IDToken = prev.IDToken
		}
		t.RefreshExpiry = prev.RefreshExpiry
		t.Identity = prev.Identity
		if t.Scope == "" {
			t.Scope = prev.Scope
		}
	}
	return t
}
