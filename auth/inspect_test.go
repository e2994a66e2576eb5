package auth_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"tokentray/auth"
	"tokentray/auth/fakeidp"
)

// An OpenID issuer's tokens: the opaque access token said to be opaque, the id token decoded and
// its signature checked against the issuer's published keys; one changed by a byte fails.
func TestInspectDecodesAndVerifies(t *testing.T) {
	p, _ := provider(t, fakeidp.OIDC, nil)
	tok, err := p.SignIn(context.Background(), auth.SignInUI{OpenURL: fakeidp.Browser(true)})
	if err != nil {
		t.Fatal(err)
	}
	in := auth.Inspect(context.Background(), p, tok)
	if in.Format != "opaque" || in.IDToken == nil || in.IDToken.Format != "jwt" || in.IDToken.Claims["sub"] != "user-1" ||
		in.IDToken.Header["alg"] != "RS256" || in.IDToken.Signature != "verified with the issuer's published keys" {
		t.Fatalf("inspection: %+v, id token %+v", in, in.IDToken)
	}
	if in.IntrospectionNote != "the issuer advertises no introspection endpoint" {
		t.Errorf("introspection: %q", in.IntrospectionNote)
	}
	parts := strings.Split(tok.IDToken.Reveal(), ".")
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(claims), "user-1", "admin-1", 1)
	tok.IDToken = auth.Secret(parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2])
	in = auth.Inspect(context.Background(), p, tok)
	if in.IDToken.Claims["sub"] != "admin-1" || !strings.HasPrefix(in.IDToken.Signature, "INVALID") {
		t.Fatalf("a forged id token: %+v", in.IDToken)
	}
	// A provider with no published keys decodes a JWT and says it could not check it.
	n2p, _ := provider(t, fakeidp.Net2Phone, nil)
	in = auth.Inspect(context.Background(), n2p, &auth.Token{AccessToken: tok.IDToken})
	if in.Format != "jwt" || !strings.HasPrefix(in.Signature, "not checked") {
		t.Fatalf("a JWT from a provider without keys: %+v", in)
	}
	if in := auth.Inspect(context.Background(), n2p, &auth.Token{AccessToken: "a.b"}); in.Format != "opaque" {
		t.Fatalf("two dots are no JWT: %+v", in)
	}
}
