package auth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"tokentray/auth/text"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// SignInOnDevice signs in through the issuer's device authorization endpoint (RFC 8628), for a
// machine whose browser cannot reach a loopback port (over SSH, say): the person opens the
// address on any device and enters the code, while Tokentray polls at the interval the issuer
// asks, slowing down when it says slow_down (x/oauth2 does both).
func (p *oidcProvider) SignInOnDevice(ctx context.Context, ui SignInUI) (*Token, error) {
	flow, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	if p.disc.Device == "" {
		return nil, errors.New("this issuer offers no device sign-in (its discovery document has no device_authorization_endpoint)")
	}
	style := oauth2.AuthStyleInParams
	if flow.token.basic {
		style = oauth2.AuthStyleInHeader
	}
	cfg := oauth2.Config{ClientID: flow.token.clientID, ClientSecret: flow.token.clientSecret, Scopes: flow.cfg.Scopes,
		Endpoint: oauth2.Endpoint{DeviceAuthURL: p.disc.Device, TokenURL: p.disc.Token, AuthStyle: style}}
	if ui.Timeout <= 0 {
		ui.Timeout = DefaultSignInTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, ui.Timeout)
	defer cancel()
	if p.c.HTTP != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, p.c.HTTP)
	}
	da, err := p.deviceAuth(ctx, flow, p.disc.Device)
	if err != nil {
		return nil, err
	}
	if ui.Device != nil {
		ui.Device(DeviceCode{UserCode: da.UserCode, VerificationURI: da.VerificationURI, Complete: da.VerificationURIComplete, Expiry: da.Expiry})
	}
	ot, err := cfg.DeviceAccessToken(ctx, da)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("%w (%s)", ErrSignInTimeout, ui.Timeout)
	case errors.Is(err, context.DeadlineExceeded): // the code's own lifetime (expires_in) ran out
		return nil, fmt.Errorf("%w: the device sign-in's code expired before it was entered", ErrSignInTimeout)
	case err != nil:
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) {
			return nil, &TransientError{fmt.Errorf("the device sign-in could not reach the issuer: %w", err)}
		}
		if re.ErrorCode == "access_denied" || re.ErrorCode == "expired_token" {
			return nil, fmt.Errorf("%w: the device sign-in ended with %s", ErrDenied, re.ErrorCode)
		}
		// the error code and description only: x/oauth2's text carries the whole body
		return nil, fmt.Errorf("the device sign-in failed: the issuer answered %s %s", text.Printable(cmp.Or(re.ErrorCode, re.Response.Status), 100),
			text.Printable(re.ErrorDescription, 300))
	}
	now := time.Now
	if p.c.Now != nil {
		now = p.c.Now
	}
	// the answer is a token answer like any other (RFC 8628 §3.5): read and checked as one, its
	// expiry from expires_in and held to what Tokentray believes
	r := tokenJSON{AccessToken: ot.AccessToken, TokenType: ot.TokenType, RefreshToken: ot.RefreshToken, ExpiresIn: flexInt(ot.ExpiresIn)}
	sc, _ := ot.Extra("scope").(string)
	r.Scope = scope(sc)
	r.IDToken, _ = ot.Extra("id_token").(string)
	t, err := r.token("finish the device sign-in", now(), time.Time{}, nil)
	if err != nil {
		return nil, err
	}
	t.Scope = text.Printable(t.Scope, 1000)
	if !tokenTypeWord.MatchString(t.TokenType) {
		return nil, fmt.Errorf("the issuer's token_type %q is not a word; refused", text.Printable(t.TokenType, 40))
	}
	if t.AccessToken == "" {
		return nil, errors.New("the issuer's device sign-in answer has no access token")
	}
	if t.IDToken != "" {
		if _, err := p.verifier.Verify(oidc.ClientContext(ctx, p.c.HTTP), t.IDToken.Reveal()); err != nil {
			return nil, fmt.Errorf("the issuer's id_token did not verify: %w", err)
		}
		t.Identity = idTokenIdentity(t.IDToken)
	}
	return t, nil
}

// tokenTypeWord is what a token_type may be: it goes into an Authorization header.
var tokenTypeWord = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,30}$`)

// deviceAuth asks the device authorization endpoint for a code (RFC 8628 §3.1), the client
// authenticated as at the token endpoint (x/oauth2's DeviceAuth sends only its id).
func (p *oidcProvider) deviceAuth(ctx context.Context, flow *oauthFlow, endpoint string) (*oauth2.DeviceAuthResponse, error) {
	resp, err := flow.token.post(ctx, endpoint, url.Values{"scope": {strings.Join(flow.cfg.Scopes, " ")}})
	if err != nil {
		return nil, &TransientError{fmt.Errorf("the issuer did not start a device sign-in: %w", err)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(body, &e)
		return nil, fmt.Errorf("the issuer refused a device sign-in: %s %s", text.Printable(cmp.Or(e.Error, resp.Status), 100), text.Printable(e.Description, 300))
	}
	da, err := decodeDeviceAuth(body, p.c.Now())
	if err != nil {
		return nil, &TransientError{err}
	}
	return da, nil
}
