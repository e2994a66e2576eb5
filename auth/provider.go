package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"tokentray/auth/kinds"
)

// Provider signs an account in and keeps its credential fresh. Implementations are safe for
// concurrent use; the account manager still calls Refresh once at a time per account.
type Provider interface {
	// SignIn runs the interactive sign-in (or, for a client-credentials account, the grant).
	SignIn(ctx context.Context, ui SignInUI) (*Token, error)
	// Refresh renews t without the user. Errors wrap ErrSignInRequired or are *TransientError.
	Refresh(ctx context.Context, t *Token) (*Token, error)
	// Revoke tells the provider to forget t, where it supports that; nil where it does not.
	Revoke(ctx context.Context, t *Token) error
	// WhoAmI asks the provider who t belongs to.
	WhoAmI(ctx context.Context, t *Token) (Identity, error)
}

// SignInUI is how a sign-in reaches the user. Every field is optional.
type SignInUI struct {
	// OpenURL opens the authorization page in the system browser; default OpenBrowser.
	OpenURL func(url string) error
	// ShowURL is given the authorization URL when the browser could not be opened, so the user can
	// open it by hand; sign-in goes on meanwhile.
	ShowURL func(url string)
	// Pasted delivers what the user pasted: the final redirect URL or the bare code. Each paste
	// is answered on its Result: nil when taken, else why not (the sign-in goes on waiting).
	Pasted <-chan Paste
	// Timeout abandons the sign-in; default 5 minutes.
	Timeout time.Duration
}

// Paste is one paste into a sign-in in progress.
type Paste struct {
	Text   string
	Result chan<- error // may be nil; buffered by the sender
}

func (p Paste) answer(err error) {
	if p.Result != nil {
		p.Result <- err
	}
}

// DefaultSignInTimeout is how long a sign-in waits for the browser.
const DefaultSignInTimeout = 5 * time.Minute

// Config is what NewProvider needs to build an account's provider.
type Config struct {
	Kind         string            // a kind name, e.g. "avaya"
	Settings     map[string]string // the account's settings; absent keys take the kind's defaults
	ClientSecret Secret            // from the keyring; empty for public clients
	Secrets      map[string]Secret // every secret setting from the keyring (client_secret, password), by key
	HTTP         *http.Client      // default http.DefaultClient; tests and the fakes may replace it
	Now          func() time.Time  // default time.Now
}

func (c Config) setting(key string) string {
	k, _ := kinds.Lookup(c.Kind)
	return k.Setting(c.Settings, key)
}

func (c Config) redirect() Redirect {
	port, _ := strconv.Atoi(c.setting("redirect_port"))
	return Redirect{Host: c.setting("redirect_host"), Port: port, Path: c.setting("redirect_path"), URL: c.setting("redirect_url")}
}

// NewProvider builds the provider for an account. OIDC discovery happens lazily, on first use.
func NewProvider(c Config) (Provider, error) {
	if c.HTTP == nil {
		c.HTTP = http.DefaultClient
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ClientSecret == "" {
		c.ClientSecret = c.Secrets["client_secret"]
	}
	switch c.Kind {
	case "net2phone":
		return newNet2Phone(c), nil
	case "avaya":
		return newAvaya(c), nil
	case "oidc":
		return newOIDC(c), nil
	case "onsip":
		return newOnSIP(c), nil
	}
	return nil, fmt.Errorf("no provider of kind %q", c.Kind)
}

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

// signIn authorizes in the browser and exchanges the code for a token at once (Net2Phone's codes
// live 60 s). check, when set, vets the authorization response before the code is spent.
func (f *oauthFlow) signIn(ctx context.Context, ui SignInUI, check func(authorization) error, extra ...oauth2.AuthCodeOption) (*Token, error) {
	az, err := f.authorize(ctx, ui, extra...)
	if err != nil {
		return nil, err
	}
	defer func() { az.finish(err) }()
	if check != nil {
		if err = check(az); err != nil {
			return nil, err
		}
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {az.code}, "redirect_uri": {az.redirectURI}}
	if az.verifier != "" {
		form.Set("code_verifier", az.verifier)
	}
	var t *Token
	if t, err = f.token.grant(ctx, "exchange the code for a token", form, nil); err != nil {
		return nil, exchangeFailed(err)
	}
	t.RedirectURI = az.redirectURI
	slog.Info("sign-in code exchanged")
	return t, nil
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
		return nil, fmt.Errorf("could not refresh: %w: there is no refresh token", ErrSignInRequired)
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

// postForm sends an RFC 7009-style form and treats any 2xx as done.
func postForm(ctx context.Context, c *http.Client, endpoint string, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return revokeAnswer(c.Do(req))
}

// RevokeError says the provider did not confirm that it forgot a grant: the user should know
// the grant may still be alive there, although Tokentray has forgotten its tokens.
type RevokeError struct{ Err error }

func (e *RevokeError) Error() string {
	return "the provider did not confirm the revocation: " + e.Err.Error()
}
func (e *RevokeError) Unwrap() error { return e.Err }

func revokeAnswer(resp *http.Response, err error) error {
	if err != nil {
		return &RevokeError{err}
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &RevokeError{fmt.Errorf("it answered %s", resp.Status)}
	}
	return nil
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// getJSON GETs endpoint with the bearer token and decodes the JSON body into v.
func getJSON(ctx context.Context, c *http.Client, endpoint string, t *Token, accept string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+t.AccessToken.Reveal())
	req.Header.Set("Accept", accept)
	resp, err := c.Do(req)
	if err != nil {
		return &TransientError{fmt.Errorf("could not ask who is signed in: %w", err)}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("could not ask who is signed in: %w (the provider answered %s)", ErrSignInRequired, resp.Status)
	case resp.StatusCode/100 != 2:
		return &TransientError{fmt.Errorf("could not ask who is signed in: the provider answered %s", resp.Status)}
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return &TransientError{fmt.Errorf("could not read who is signed in: %w", err)}
	}
	return nil
}
