package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"tokentray/auth/text"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// oidcProvider is any OpenID Connect issuer: endpoints from discovery, PKCE as the issuer
// advertises, offline_access for a refresh token, the id_token verified (signature against the
// JWKS, issuer, audience, expiry, nonce) with go-oidc, identity from userinfo, RFC 7009 revocation.
type oidcProvider struct {
	c Config

	mu       sync.Mutex // guards the lazily discovered fields below
	flow     *oauthFlow
	verifier *oidc.IDTokenVerifier
	provider *oidc.Provider
	disc     discovery // the endpoints and hints of the issuer's discovery document
	issuer   string
}

func newOIDC(c Config) *oidcProvider { return &oidcProvider{c: c} }

// discover reads ISSUER/.well-known/openid-configuration once, on first use.
func (p *oidcProvider) discover(ctx context.Context) (*oauthFlow, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.flow != nil {
		return p.flow, nil
	}
	issuer := strings.TrimRight(p.c.setting("issuer"), "/")
	ctx = oidc.ClientContext(ctx, p.c.HTTP)
	prov, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, &TransientError{fmt.Errorf("could not read the issuer's discovery document: %w", err)}
	}
	var raw json.RawMessage
	if err := prov.Claims(&raw); err != nil {
		return nil, fmt.Errorf("could not read the issuer's discovery document: %w", err)
	}
	d, err := decodeDiscovery(raw)
	if err != nil {
		return nil, err
	}
	pkce := p.c.setting("pkce")
	if pkce == "auto" {
		switch {
		case slices.Contains(d.PKCE, "S256"):
			pkce = "S256"
		case slices.Contains(d.PKCE, "plain"):
			pkce = "plain"
		case len(d.PKCE) == 0:
			pkce = "S256" // not advertised: S256 is harmless to servers that ignore it (RFC 7636 §4.5)
		default:
			pkce = "off"
		}
	}
	// Basic is the method every server must support (RFC 6749 §2.3.1) and is chosen when the
	// client has a secret; a public client sends its id in the form. Never both, never guessed.
	basic := p.c.ClientSecret != "" && (len(d.AuthMethods) == 0 || slices.Contains(d.AuthMethods, "client_secret_basic"))
	scopes := strings.Fields(p.c.setting("scopes"))
	var params url.Values
	if slices.Contains(scopes, "offline_access") {
		params = url.Values{"prompt": {"consent"}} // OIDC Core §11: offline_access is granted only with prompt=consent
	}
	p.flow = &oauthFlow{
		cfg:        oauth2.Config{ClientID: p.c.setting("client_id"), Endpoint: oauth2.Endpoint{AuthURL: d.Authorization}, Scopes: scopes},
		authParams: params,
		token: tokenEndpoint{url: d.Token, clientID: p.c.setting("client_id"), clientSecret: p.c.ClientSecret.Reveal(),
			basic: basic, http: p.c.HTTP, now: p.c.Now, skewed: new(sync.Once)},
		pkce: pkce, redirect: p.c.redirect(), http: p.c.HTTP, now: p.c.Now,
	}
	p.provider = prov
	p.verifier = prov.Verifier(&oidc.Config{ClientID: p.c.setting("client_id"), Now: p.c.Now})
	p.disc = d
	p.issuer = issuer
	return p.flow, nil
}

func (p *oidcProvider) SignIn(ctx context.Context, ui SignInUI) (*Token, error) {
	flow, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	nonce := randomString(24)
	return flow.signIn(ctx, ui, finishing{check: p.checkIssuer, revoke: p.Revoke, complete: func(t *Token) error {
		if t.IDToken == "" {
			return errors.New("the issuer returned no id_token; is \"openid\" among the scopes?")
		}
		idt, err := p.verifier.Verify(oidc.ClientContext(ctx, p.c.HTTP), t.IDToken.Reveal())
		if err != nil {
			return fmt.Errorf("the issuer's id_token did not verify: %w", err)
		}
		if idt.Nonce != nonce {
			return errors.New("the issuer's id_token did not verify: its nonce is not this sign-in's")
		}
		t.Identity = idTokenIdentity(t.IDToken) // verified above
		return nil
	}}, oidc.Nonce(nonce))
}

// checkIssuer refuses an authorization response that another issuer sent (a mix-up attack, RFC 9207
// §2.4): where the issuer says it sends iss, the response must carry its own.
func (p *oidcProvider) checkIssuer(az authorization) error {
	if !p.disc.ISSParam && az.iss == "" {
		return nil
	}
	if strings.TrimRight(az.iss, "/") != p.issuer {
		return fmt.Errorf("the sign-in answer came from issuer %q, not %s (RFC 9207); the code was not used", text.Printable(az.iss, 200), p.issuer)
	}
	return nil
}

func (p *oidcProvider) Refresh(ctx context.Context, t *Token) (*Token, error) {
	flow, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	return flow.refresh(ctx, t)
}

// Revoke revokes the refresh token (which also ends its access tokens) where the issuer advertises
// a revocation endpoint (RFC 7009); elsewhere signing out only forgets the tokens.
func (p *oidcProvider) Revoke(ctx context.Context, t *Token) error {
	flow, err := p.discover(ctx)
	if err != nil || p.disc.Revocation == "" || t == nil {
		return err
	}
	tok, hint := t.RefreshToken, "refresh_token"
	if tok == "" {
		tok, hint = t.AccessToken, "access_token"
	}
	// RFC 7009 §2.1: the client authenticates as it does at the token endpoint.
	resp, err := flow.token.post(ctx, p.disc.Revocation, url.Values{"token": {tok.Reveal()}, "token_type_hint": {hint}})
	return revokeAnswer(resp, err)
}

func (p *oidcProvider) WhoAmI(ctx context.Context, t *Token) (Identity, error) {
	if _, err := p.discover(ctx); err != nil {
		return Identity{}, err
	}
	ui, err := p.provider.UserInfo(oidc.ClientContext(ctx, p.c.HTTP), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: t.AccessToken.Reveal()}))
	if err != nil {
		return Identity{}, &TransientError{fmt.Errorf("could not ask who is signed in: %w", err)}
	}
	var raw json.RawMessage
	if err := ui.Claims(&raw); err != nil {
		return Identity{}, &TransientError{fmt.Errorf("could not read who is signed in: %w", err)}
	}
	return decodeIdentity("oidc", raw)
}
