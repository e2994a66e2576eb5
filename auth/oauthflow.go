package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"
)

// oauthFlow is the provider-neutral authorization-code flow: loopback redirect, state, PKCE, code
// exchange, refresh. x/oauth2 builds the authorization URL and the PKCE values; the token endpoint
// is spoken by tokenEndpoint. The providers configure it and add what differs.
type oauthFlow struct {
	cfg        oauth2.Config // ClientID, Scopes and Endpoint.AuthURL, for the authorization URL
	token      tokenEndpoint
	pkce       string     // "S256", "plain" or "off"
	authParams url.Values // extra authorization parameters, e.g. access_type=offline
	// refreshRedirect sends the sign-in's redirect_uri with every refresh, as Avaya's seed does.
	refreshRedirect bool
	redirect        Redirect
	http            *http.Client
	now             func() time.Time
}

// authorization is what the browser brought back from the provider's page.
type authorization struct {
	code, redirectURI string
	verifier          string // the PKCE verifier, when a challenge was sent
	iss               string // the iss parameter of the response (RFC 9207), when present
	// finish reports how the sign-in ended to the browser still waiting for its page (so it says
	// "Signed in" only once the code was exchanged), then closes the listener. Call it once.
	finish func(error)
}

// authorize sends the user to the provider's page in the system browser and waits for the code:
// at the loopback redirect (state checked, one result, listener closed afterwards), or pasted by
// the user when the account uses a registered web redirect_url. It gives up after ui.Timeout.
func (f *oauthFlow) authorize(ctx context.Context, ui SignInUI, extra ...oauth2.AuthCodeOption) (authorization, error) {
	if ui.Timeout <= 0 {
		ui.Timeout = DefaultSignInTimeout
	}
	if ui.OpenURL == nil {
		ui.OpenURL = OpenBrowser
	}
	ctx, cancel := context.WithTimeout(ctx, ui.Timeout)
	defer cancel()

	state := randomString(32)
	var lb *loopback
	redirectURI := f.redirect.URL
	if redirectURI == "" {
		var err error
		if lb, err = listen(f.redirect, state); err != nil {
			return authorization{}, err
		}
		redirectURI = lb.redirectURI
	} else if ui.Pasted == nil {
		return authorization{}, errors.New("this account redirects to a web address: paste the address the browser ends on, which needs the Accounts window")
	}
	cfg := f.cfg
	cfg.RedirectURL = redirectURI

	verifier := oauth2.GenerateVerifier()
	opts := append([]oauth2.AuthCodeOption(nil), extra...)
	for k, vs := range f.authParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, vs[0]))
	}
	switch f.pkce {
	case "S256":
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	case "plain":
		opts = append(opts, oauth2.SetAuthURLParam("code_challenge", verifier), oauth2.SetAuthURLParam("code_challenge_method", "plain"))
	default:
		verifier = ""
	}
	authURL := cfg.AuthCodeURL(state, opts...)
	slog.Info("sign-in started", "redirect", redirectURI, "pkce", f.pkce)
	if err := ui.OpenURL(authURL); err != nil {
		slog.Warn("could not open the browser; showing the address instead", "err", err)
		if ui.ShowURL != nil {
			ui.ShowURL(authURL)
		}
	}

	var cb callback
	var err error
	if lb != nil {
		cb, err = lb.wait(ctx, ui.Pasted)
	} else {
		cb, err = waitPasted(ctx, ui.Pasted, state)
	}
	finish := func(outcome error) {
		if cb.outcome != nil {
			cb.outcome <- outcome
		}
		if lb != nil {
			lb.close()
		}
	}
	switch {
	case err != nil && ctx.Err() == context.DeadlineExceeded:
		err = fmt.Errorf("%w (%s)", ErrSignInTimeout, ui.Timeout)
	case err == nil:
		err = cb.err
	}
	if err != nil {
		finish(err)
		return authorization{}, err
	}
	return authorization{code: cb.code, redirectURI: redirectURI, verifier: verifier, iss: cb.iss, finish: finish}, nil
}

func waitPasted(ctx context.Context, pasted <-chan Paste, state string) (callback, error) {
	for {
		select {
		case p := <-pasted:
			cb, err := parsePasted(p.Text, state)
			p.answer(err)
			if err == nil {
				return cb, nil
			}
		case <-ctx.Done():
			return callback{}, ctx.Err()
		}
	}
}

// finishing is how a provider ends a sign-in once its code is exchanged. Every field is optional.
type finishing struct {
	// check vets the authorization response before the code is spent.
	check func(authorization) error
	// complete fills in and vets the issued token (the id_token verified, say) before it is kept.
	complete func(*Token) error
	// revoke takes back a grant issued to a sign-in that then failed, so that it does not live on
	// at the provider unknown to anyone.
	revoke func(context.Context, *Token) error
}

// signIn authorizes in the browser, exchanges the code for a token at once (Net2Phone's codes
// live 60 s), completes it and has it kept (SignInUI.Keep): the browser's page says "Signed in"
// only then, and says what failed otherwise.
func (f *oauthFlow) signIn(ctx context.Context, ui SignInUI, fin finishing, extra ...oauth2.AuthCodeOption) (t *Token, err error) {
	az, err := f.authorize(ctx, ui, extra...)
	if err != nil {
		return nil, err
	}
	defer func() { az.finish(err) }()
	if fin.check != nil {
		if err = fin.check(az); err != nil {
			return nil, err
		}
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {az.code}, "redirect_uri": {az.redirectURI}}
	if az.verifier != "" {
		form.Set("code_verifier", az.verifier)
	}
	if t, err = f.token.grant(ctx, "exchange the code for a token", form, nil); err != nil {
		return nil, exchangeFailed(err)
	}
	t.RedirectURI = az.redirectURI
	slog.Info("sign-in code exchanged")
	if err = ui.finish(ctx, t, fin); err != nil {
		return nil, err
	}
	return t, nil
}

// finish completes an issued token and has it kept; if either fails, the grant is revoked at the
// provider (best effort) and the error returned.
func (ui SignInUI) finish(ctx context.Context, t *Token, fin finishing) error {
	err := error(nil)
	if fin.complete != nil {
		err = fin.complete(t)
	}
	if err == nil && ui.Keep != nil {
		err = ui.Keep(t)
	}
	if err != nil && fin.revoke != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if rerr := fin.revoke(rctx, t); rerr != nil {
			slog.Warn("the sign-in failed, and the grant the provider issued to it could not be revoked", "err", rerr)
		} else {
			slog.Info("the sign-in failed; the grant the provider issued to it was revoked")
		}
	}
	return err
}

// exchangeFailed says a refused code exchange is what it is: the sign-in failed at the last step
// (a code already used or expired, a client the provider refuses), not a grant that needs signing
// in again.
func exchangeFailed(err error) error {
	var pe *ProviderError
	if !errors.Is(err, ErrSignInRequired) || !errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("the provider refused to exchange the sign-in's code for a token: %w", pe)
}

// refresh runs the refresh_token grant. The returned Token always carries the refresh token to
// store: the new one when the provider rotated it, else the old one kept.
func (f *oauthFlow) refresh(ctx context.Context, t *Token) (*Token, error) {
	if t == nil || t.RefreshToken == "" {
		return nil, fmt.Errorf("could not renew: %w: the provider gave this sign-in no refresh token, so it ended with its token", ErrSignInRequired)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.RefreshToken.Reveal()}}
	if f.refreshRedirect && t.RedirectURI != "" {
		form.Set("redirect_uri", t.RedirectURI)
	}
	fresh, err := f.token.grant(ctx, "refresh the token", form, t)
	if err != nil {
		return nil, err
	}
	fresh.RedirectURI = t.RedirectURI
	return fresh, nil
}
