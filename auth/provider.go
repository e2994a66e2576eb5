package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	// Keep, when set, is given the signed-in token before the sign-in ends and keeps it (stores
	// it): the browser's page waits for it, and says "Signed in" only when it returns nil. A token
	// it refuses is revoked at the provider and its error is the sign-in's. Providers whose
	// sign-in has no page to wait (a grant, a password, another device) leave it to the caller.
	Keep func(*Token) error
	// Device, when set, signs in on another device (RFC 8628) instead of this computer's browser:
	// it is told the code and the address to show the person. Only providers that are a
	// DeviceSigner can.
	Device func(DeviceCode)
}

// DeviceCode is what a person needs to sign in on another device: the address and the code.
type DeviceCode struct {
	UserCode        string    `json:"user_code"`
	VerificationURI string    `json:"verification_uri"`
	Complete        string    `json:"verification_uri_complete,omitempty"` // with the code in it (a QR code's)
	Expiry          time.Time `json:"expiry"`
}

// DeviceSigner is a provider that can sign in on another device (RFC 8628).
type DeviceSigner interface {
	SignInOnDevice(ctx context.Context, ui SignInUI) (*Token, error)
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
