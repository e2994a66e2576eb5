package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tokentray/auth/text"
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
	// Issued is when the token arrived, on this computer's clock; with Expiry it gives the
	// provider's lifetime for its tokens. Zero in tokens stored before it was kept.
	Issued time.Time `json:"issued,omitzero"`
	// RedirectURI is the redirect URI of the sign-in, which some providers want again on a refresh.
	RedirectURI string `json:"redirect_uri,omitempty"`
	// RenewedForLonger marks a token that a renewal asked for a longer validity than the provider's
	// lifetime gave: asked for that again, no process renews it once more.
	RenewedForLonger bool `json:"renewed_for_longer,omitempty"`
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
	// Recreated counts the sessions made again without the browser since OnSIP last confirmed one.
	Recreated int `json:"recreated,omitempty"`
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

// Printable returns the identity with every field made safe to show (see Printable).
func (i Identity) Printable() Identity {
	return Identity{Name: text.Printable(i.Name, 100), Username: text.Printable(i.Username, 200), Subject: text.Printable(i.Subject, 200)}
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

// Lifetime is how long the provider made the token valid for; 0 when unknown.
func (t *Token) Lifetime() time.Duration {
	if t == nil || t.Issued.IsZero() || t.Session {
		return 0
	}
	return max(t.Expiry.Sub(t.Issued), 0)
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
