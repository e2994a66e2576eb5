package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"tokentray/auth/text"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Inspection is what can be told of a credential without showing it: a JWT's header and claims
// and whether its signature holds, what the provider said of it, and, where the provider has an
// introspection endpoint (RFC 7662), its answer. Never the refresh token.
type Inspection struct {
	Format    string         `json:"format"` // "jwt", "opaque" or "session"
	Header    map[string]any `json:"header,omitempty"`
	Claims    map[string]any `json:"claims,omitempty"`
	Signature string         `json:"signature,omitempty"` // how its signature fared, in words
	// IDToken is the id_token that came with it, decoded the same way.
	IDToken *Inspection `json:"id_token,omitempty"`
	// Introspection is the provider's answer about the token; IntrospectionNote says why there
	// is none, or what went wrong.
	Introspection     map[string]any `json:"introspection,omitempty"`
	IntrospectionNote string         `json:"introspection_note,omitempty"`
}

// Inspector is a provider that can say more of its tokens than their text: check a JWT's
// signature with its published keys, introspect an opaque token.
type Inspector interface {
	Inspect(ctx context.Context, t *Token, in *Inspection)
}

// Inspect tells what it can of t's access token (and id token) without revealing either.
func Inspect(ctx context.Context, p Provider, t *Token) Inspection {
	in := decodeJWT(t.AccessToken.Reveal())
	if t.Session {
		in.Format = "session"
	}
	if t.IDToken != "" {
		id := decodeJWT(t.IDToken.Reveal())
		in.IDToken = &id
	}
	if ip, ok := p.(Inspector); ok {
		ip.Inspect(ctx, t, &in)
	} else if in.Format == "jwt" {
		in.Signature = "not checked: this provider publishes no keys to check it with"
	}
	return in
}

// decodeJWT reads a compact JWS's header and claims, without checking anything; a token that is
// not one is opaque.
func decodeJWT(raw string) Inspection {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return Inspection{Format: "opaque"}
	}
	var in Inspection
	for i, v := range []*map[string]any{&in.Header, &in.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[i], "="))
		if err != nil || json.Unmarshal(b, v) != nil {
			return Inspection{Format: "opaque"}
		}
	}
	in.Format = "jwt"
	return in
}

// Inspect checks JWT signatures with the issuer's published keys (jwks_uri) and asks the
// issuer's introspection endpoint, when it advertises one, about the access token.
func (p *oidcProvider) Inspect(ctx context.Context, t *Token, in *Inspection) {
	if _, err := p.discover(ctx); err != nil {
		in.IntrospectionNote = err.Error()
		return
	}
	keys := oidc.NewRemoteKeySet(oidc.ClientContext(ctx, p.c.HTTP), p.disc.JWKS)
	verify := func(raw string, into *Inspection) {
		if into == nil || into.Format != "jwt" {
			return
		}
		if _, err := keys.VerifySignature(ctx, raw); err != nil {
			into.Signature = "INVALID: " + text.Printable(err.Error(), 200)
			return
		}
		into.Signature = "verified with the issuer's published keys"
	}
	verify(t.AccessToken.Reveal(), in)
	verify(t.IDToken.Reveal(), in.IDToken)
	if p.disc.Introspection == "" {
		in.IntrospectionNote = "the issuer advertises no introspection endpoint"
		return
	}
	ans, err := p.flow.token.introspect(ctx, p.disc.Introspection, t)
	if err != nil {
		in.IntrospectionNote = err.Error()
		return
	}
	in.Introspection = ans
}

// introspect asks an RFC 7662 endpoint about t's access token, authenticating as at the token
// endpoint.
func (e tokenEndpoint) introspect(ctx context.Context, endpoint string, t *Token) (map[string]any, error) {
	resp, err := e.post(ctx, endpoint, url.Values{"token": {t.AccessToken.Reveal()}, "token_type_hint": {"access_token"}})
	if err != nil {
		return nil, fmt.Errorf("could not reach the introspection endpoint: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("the introspection endpoint answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("could not read the introspection endpoint's answer: %w", err)
	}
	return decodeIntrospection(body, t)
}

// decodeIntrospection reads an introspection answer about t. Whatever in it holds one of t's
// credentials (an endpoint may echo the token it was asked about) is replaced by a note: the answer
// is printed, and a credential is only ever handed out on purpose.
func decodeIntrospection(body []byte, t *Token) (map[string]any, error) {
	var ans map[string]any
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("the introspection endpoint's answer is not a JSON object: %w", err)
	}
	var secrets []string
	for _, s := range []Secret{t.AccessToken, t.RefreshToken, t.IDToken} {
		if len(s) >= 8 { // shorter would hide ordinary words; no credential is that short
			secrets = append(secrets, s.Reveal())
		}
	}
	hideSecrets(ans, secrets)
	return ans, nil
}

// CredentialHidden stands where an answer printed for a person held a credential.
const CredentialHidden = "(a credential of this account: not shown)"

// hideSecrets replaces, in place, every string in v (keys included) that holds one of secrets.
func hideSecrets(v any, secrets []string) any {
	holds := func(s string) bool {
		return slices.ContainsFunc(secrets, func(sec string) bool { return strings.Contains(s, sec) })
	}
	switch v := v.(type) {
	case string:
		if holds(v) {
			return CredentialHidden
		}
	case []any:
		for i := range v {
			v[i] = hideSecrets(v[i], secrets)
		}
	case map[string]any:
		for k, e := range v {
			if holds(k) {
				delete(v, k)
				k = CredentialHidden
			}
			v[k] = hideSecrets(e, secrets)
		}
	}
	return v
}
