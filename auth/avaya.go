package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"
)

// Avaya Spaces (Avaya Cloud Identity): authorization code with PKCE, offline access, a refresh
// token rotated on every refresh, identity from the id_token and /api/users/me, and sign-out by
// POST /oauth2/revoke_token. See PROVIDERS.md.
type avaya struct {
	oauthFlow
	accounts, spaces string
}

// avayaEnvironments are the documented identity (ACCOUNTS) and API (SPACES) hosts.
var avayaEnvironments = map[string][2]string{
	"production": {"https://accounts.avayacloud.com", "https://spacesapis.avayacloud.com"},
	"staging":    {"https://onesnastaging.esna.com", "https://loganstagingapis.esna.com"},
}

func newAvaya(c Config) *avaya {
	env := avayaEnvironments[c.setting("environment")]
	accounts := strings.TrimRight(firstNonEmpty(c.setting("accounts_url"), env[0]), "/")
	spaces := strings.TrimRight(firstNonEmpty(c.setting("spaces_url"), env[1]), "/")
	return &avaya{accounts: accounts, spaces: spaces, oauthFlow: oauthFlow{
		cfg: oauth2.Config{ClientID: c.setting("client_id"), Scopes: strings.Fields(c.setting("scopes")),
			Endpoint: oauth2.Endpoint{AuthURL: accounts + "/oauth2/authorize"}},
		// client_id and client_secret in the form, as the seed's requests send them
		token: tokenEndpoint{url: accounts + "/oauth2/access_token", clientID: c.setting("client_id"),
			clientSecret: c.ClientSecret.Reveal(), http: c.HTTP, now: c.Now, skewed: new(sync.Once)},
		pkce:            c.setting("pkce"),
		authParams:      url.Values{"access_type": {"offline"}},
		refreshRedirect: true, // the seed's refresh sends redirect_uri
		redirect:        c.redirect(), http: c.HTTP, now: c.Now,
	}}
}

func (p *avaya) SignIn(ctx context.Context, ui SignInUI) (*Token, error) {
	return p.signIn(ctx, ui, finishing{revoke: p.Revoke, complete: func(t *Token) error {
		t.Identity = idTokenIdentity(t.IDToken) // who signed in, even before users/me answers
		return nil
	}})
}

// Refresh returns a token carrying the NEW refresh token; the caller stores it before anything else.
func (p *avaya) Refresh(ctx context.Context, t *Token) (*Token, error) { return p.refresh(ctx, t) }

func (p *avaya) Revoke(ctx context.Context, t *Token) error {
	if t == nil || t.RefreshToken == "" {
		return nil
	}
	return postForm(ctx, p.http, p.accounts+"/oauth2/revoke_token", url.Values{
		"client_id": {p.token.clientID}, "refresh_token": {t.RefreshToken.Reveal()}, "grant_type": {"revoke_token"},
	})
}

func (p *avaya) WhoAmI(ctx context.Context, t *Token) (Identity, error) {
	var raw json.RawMessage
	if err := getJSON(ctx, p.http, p.spaces+"/api/users/me", t, "application/json", &raw); err != nil {
		return Identity{}, err
	}
	return decodeIdentity("avaya", raw)
}

// idTokenIdentity reads the claims of an id_token that came straight from the token endpoint over
// TLS, for display only (OIDC accounts verify theirs; see oidc.go).
func idTokenIdentity(idToken Secret) Identity {
	parts := strings.Split(idToken.Reveal(), ".")
	if len(parts) != 3 {
		return Identity{}
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return Identity{}
	}
	var c struct {
		Sub               string `json:"sub"`
		Name              string `json:"name"`
		Email             string `json:"email"`
		PreferredUsername string `json:"preferred_username"`
	}
	if json.Unmarshal(b, &c) != nil {
		return Identity{}
	}
	return Identity{Name: c.Name, Username: firstNonEmpty(c.PreferredUsername, c.Email), Subject: c.Sub}
}
