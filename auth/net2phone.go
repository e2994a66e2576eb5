package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"tokentray/auth/kinds"
)

// Net2Phone Canada (formerly Versature): authorization code with a client secret, or client
// credentials. See PROVIDERS.md. Tokens live an hour; the refresh token 90 days from sign-in and
// is not rotated.
type net2phone struct {
	oauthFlow
	c        Config
	base     string
	clientCC bool
}

// net2phoneRefreshLife is how long a Net2Phone refresh token lives from sign-in.
const net2phoneRefreshLife = 90 * 24 * time.Hour

func newNet2Phone(c Config) *net2phone {
	base := strings.TrimRight(c.setting("base_url"), "/")
	k, _ := kinds.Lookup(c.Kind)
	return &net2phone{c: c, base: base, clientCC: k.IsUnattended(c.Settings),
		oauthFlow: oauthFlow{
			cfg: oauth2.Config{ClientID: c.setting("client_id"), Endpoint: oauth2.Endpoint{AuthURL: base + "/oauth/authorize/"}},
			// the trailing slash is part of the path; the client in the form, as the seed shows
			token: tokenEndpoint{url: base + "/oauth/token/", clientID: c.setting("client_id"),
				clientSecret: c.ClientSecret.Reveal(), http: c.HTTP, now: c.Now, skewed: new(sync.Once)},
			pkce: c.setting("pkce"), redirect: c.redirect(), http: c.HTTP, now: c.Now,
		}}
}

func (p *net2phone) SignIn(ctx context.Context, ui SignInUI) (*Token, error) {
	if p.clientCC {
		return p.clientCredentials(ctx, nil)
	}
	if p.redirect.Port == 0 && p.redirect.URL == "" {
		return nil, errors.New("Net2Phone Canada matches the redirect URI exactly: set redirect_port to the port of the redirect URI registered with the client id")
	}
	return p.signIn(ctx, ui, finishing{complete: func(t *Token) error {
		t.RefreshExpiry = p.now().Add(net2phoneRefreshLife).Round(0)
		if t.RefreshToken == "" { // as the seed's own sample answers: the sign-in ends with its token
			t.RefreshExpiry = t.Expiry
		}
		return nil
	}})
}

// Refresh uses the refresh grant, or repeats the client-credentials grant (which issues no refresh token).
func (p *net2phone) Refresh(ctx context.Context, t *Token) (*Token, error) {
	if p.clientCC {
		return p.clientCredentials(ctx, t)
	}
	if t.RefreshToken != "" && !t.RefreshExpiry.IsZero() && !p.now().Before(t.RefreshExpiry) {
		return nil, &refreshTooOld{t.RefreshExpiry}
	}
	return p.refresh(ctx, t)
}

// clientCredentials repeats the client-credentials grant, which needs no user; prev (the token it
// replaces, if any) keeps who the account is.
func (p *net2phone) clientCredentials(ctx context.Context, prev *Token) (*Token, error) {
	return p.token.grant(ctx, "get a client-credentials token", url.Values{"grant_type": {"client_credentials"}}, prev)
}

// Unattended reports that a client-credentials account never needs the user: its grant is made
// on demand and on schedule.
func (p *net2phone) Unattended() bool { return p.clientCC }

// Revoke: Net2Phone documents no revocation; signing out forgets the tokens locally.
func (p *net2phone) Revoke(context.Context, *Token) error { return nil }

// WhoAmI reads GET /api/users/current/ (user tokens) or /api/accounts/current/ (client credentials)
// with the versioned Accept header.
func (p *net2phone) WhoAmI(ctx context.Context, t *Token) (Identity, error) {
	accept := "application/vnd.integrate.v" + p.c.setting("api_version") + "+json"
	path := "/users/current/"
	if p.clientCC {
		path = "/accounts/current/"
	}
	var raw json.RawMessage
	if err := getJSON(ctx, p.http, p.base+path, t, accept, &raw); err != nil {
		return Identity{}, err
	}
	return decodeIdentity("net2phone", raw)
}

// refreshTooOld says the refresh token passed its documented life; the user must sign in again.
type refreshTooOld struct{ at time.Time }

func (e *refreshTooOld) Error() string {
	return "the refresh token expired on " + e.at.Format("2 Jan 2006") + " (90 days after sign-in); sign in again"
}
func (e *refreshTooOld) Unwrap() error { return ErrSignInRequired }

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
