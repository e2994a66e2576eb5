package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tokenEndpoint is a provider's token endpoint as its vendor documents it: a form POST (RFC 6749
// §4.1.3, §6, §4.4) with Accept: application/json (Avaya's seed sends it), the client
// authenticated in the form or with HTTP Basic, as set — never guessed: x/oauth2's auto-detection
// retries a failed request the other way, which redeems a code twice. It is written here rather
// than taken from x/oauth2 because x/oauth2 cannot send what the vendors ask on a refresh
// (Avaya's redirect_uri), never says whether a refresh token rotated, and drops id_token and
// Net2Phone's expires unless read back from Extra.
type tokenEndpoint struct {
	url          string
	clientID     string
	clientSecret string
	basic        bool // HTTP Basic (RFC 6749 §2.3.1); else client_id and client_secret in the form
	http         *http.Client
	now          func() time.Time
	skewed       *sync.Once // the provider's clock is off: said once in the log
}

// authenticate adds the client's credentials to an endpoint request (the token endpoint's, or the
// revocation endpoint's, which RFC 7009 §2.1 authenticates the same way).
func (e tokenEndpoint) authenticate(req *http.Request, form url.Values) {
	if e.basic && e.clientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(e.clientID), url.QueryEscape(e.clientSecret))
		return
	}
	form.Set("client_id", e.clientID)
	if e.clientSecret != "" {
		form.Set("client_secret", e.clientSecret)
	}
}

// post sends form to endpoint with the client authenticated.
func (e tokenEndpoint) post(ctx context.Context, endpoint string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return nil, err
	}
	e.authenticate(req, form)
	body := form.Encode()
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return e.http.Do(req)
}

// grant asks for a token with form (grant_type and its parameters) and reads the answer. what says
// what was being done, for errors. prev, when renewing, supplies what the answer may leave out:
// the refresh token (not rotated), the id_token, the scope and who it belongs to.
func (e tokenEndpoint) grant(ctx context.Context, what string, form url.Values, prev *Token) (*Token, error) {
	resp, err := e.post(ctx, e.url, form)
	if err != nil {
		if ctx.Err() == context.Canceled {
			return nil, ctx.Err()
		}
		return nil, &TransientError{fmt.Errorf("could not %s: %w", what, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &TransientError{fmt.Errorf("could not %s: the answer broke off: %w", what, err)}
	}
	t, skew, err := readTokenAnswer(what, resp.StatusCode, resp.Header.Get("Date"), body, e.now(), prev)
	if skew.Abs() > skewTolerance && e.skewed != nil {
		e.skewed.Do(func() {
			slog.Warn("the provider's clock and this computer's disagree; expiries are measured from the provider's answers",
				"by", skew.Round(time.Second).String())
		})
	}
	return t, err
}

// readTokenAnswer reads a token endpoint's answer (its HTTP status, Date header and body), received
// at now. skew is how far the provider's clock (its Date) is ahead of this computer's; 0 when it
// does not say.
func readTokenAnswer(what string, status int, date string, body []byte, now time.Time, prev *Token) (t *Token, skew time.Duration, err error) {
	var r tokenJSON
	jerr := json.Unmarshal(body, &r)
	if status/100 != 2 || r.Error != "" {
		return nil, 0, classify(what, &ProviderError{Status: status, Code: r.Error, Description: r.ErrorDescription})
	}
	if jerr != nil || r.AccessToken == "" {
		return nil, 0, &TransientError{fmt.Errorf("could not %s: the provider's answer is not a token response", what)}
	}
	var theirs time.Time
	if d, err := http.ParseTime(date); err == nil {
		theirs, skew = d, d.Sub(now.Round(0).Truncate(time.Second))
	}
	t, err = r.token(what, now, theirs, prev)
	return t, skew, err
}

// tokenJSON is a token response (RFC 6749 §5.1, §5.2), with Net2Phone's absolute "expires".
type tokenJSON struct {
	AccessToken      string  `json:"access_token"`
	TokenType        string  `json:"token_type"`
	RefreshToken     string  `json:"refresh_token"`
	IDToken          string  `json:"id_token"`
	Scope            scope   `json:"scope"`
	ExpiresIn        flexInt `json:"expires_in"`
	Expires          string  `json:"expires"` // Net2Phone: UTC, ISO 8601 without a zone
	Error            string  `json:"error"`
	ErrorDescription string  `json:"error_description"`
}

// token checks every credential in the answer before anything keeps it, and builds the Token.
// theirs is the provider's clock when it answered (its Date header), zero when unknown.
func (r tokenJSON) token(what string, now, theirs time.Time, prev *Token) (*Token, error) {
	for _, c := range []struct{ name, value string }{{"access token", r.AccessToken}, {"refresh token", r.RefreshToken}, {"id_token", r.IDToken}} {
		if err := CheckCredential(c.name, c.value); err != nil {
			return nil, &TransientError{fmt.Errorf("could not %s: %w", what, err)}
		}
	}
	if len(r.TokenType) > 64 || strings.ContainsFunc(r.TokenType, func(c rune) bool { return c <= ' ' || c > '~' }) {
		return nil, &TransientError{fmt.Errorf("could not %s: the provider's token_type is not a word", what)}
	}
	now = now.Round(0) // the wall clock only: it survives suspend and restarts
	t := &Token{
		AccessToken: Secret(r.AccessToken), TokenType: r.TokenType, RefreshToken: Secret(r.RefreshToken),
		IDToken: Secret(r.IDToken), Scope: string(r.Scope), Issued: now,
		Expiry: expiryFrom(now, theirs, int64(r.ExpiresIn), r.Expires),
	}
	if prev != nil {
		if t.RefreshToken == "" {
			t.RefreshToken = prev.RefreshToken
		}
		if t.IDToken == "" {
			t.IDToken = prev.IDToken
		}
		if t.Scope == "" {
			t.Scope = prev.Scope
		}
		t.RefreshExpiry, t.Identity = prev.RefreshExpiry, prev.Identity
	}
	return t, nil
}

// Lifetimes Tokentray believes. A provider that says nothing gets the common hour; one that claims
// more than a day is held to a day, so a hostile or mistaken answer cannot park a dead token for years.
const (
	defaultLifetime = time.Hour
	maxLifetime     = 24 * time.Hour
	// skewTolerance is how far the provider's clock may be from this computer's before the log
	// says so, once.
	skewTolerance = 2 * time.Minute
)

// expiryFrom computes when a token expires on this computer's clock. expires_in, a duration, is
// measured from now and so is right whatever the provider's clock says. An absolute expiry
// (Net2Phone's "expires") is on the provider's clock: what counts is its distance from the
// provider's own time of answering (theirs, the answer's Date header; this computer's clock when
// the answer has none), measured from now. Where both are given the earlier wins. A clock hours
// off either way then neither makes a fresh token look expired nor a 60-second one live for hours.
func expiryFrom(now, theirs time.Time, expiresIn int64, expires string) time.Time {
	var exp time.Time
	if expiresIn > 0 {
		exp = now.Add(min(time.Duration(expiresIn)*time.Second, maxLifetime))
	}
	if abs, err := time.ParseInLocation("2006-01-02T15:04:05.999999", expires, time.UTC); expires != "" && err == nil {
		if theirs.IsZero() {
			theirs = now
		}
		switch life := abs.Sub(theirs); {
		case life <= 0 || life > maxLifetime:
			slog.Warn("the provider's expiry is not within a day of its own clock; ignored", "expires", expires)
		case exp.IsZero() || now.Add(life).Before(exp):
			exp = now.Add(life)
		}
	}
	if exp.IsZero() {
		exp = now.Add(defaultLifetime)
	}
	return exp.Round(0)
}

// scope reads "scope" as RFC 6749 has it (a space-separated string) or as a JSON array of strings.
type scope string

func (s *scope) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = scope(str)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*s = scope(strings.Join(list, " "))
	return nil
}

// flexInt reads a JSON number, or a string holding one (some servers quote expires_in).
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("expires_in is not a number: %w", err)
	}
	if f > 0 && f < 1<<40 {
		*n = flexInt(f)
	}
	return nil
}

// MaxCredentialLength bounds a credential a provider hands out (an access, refresh or id token, a
// SessionId): large JWTs run to a few KiB.
const MaxCredentialLength = 16 << 10

// CheckCredential refuses a credential that is not printable ASCII without spaces, or that is
// longer than MaxCredentialLength: such a value cannot be a token, and printed into a shell, a
// header or a terminal it could do harm. An empty value passes (it is absent).
func CheckCredential(name, v string) error {
	if len(v) > MaxCredentialLength {
		return fmt.Errorf("the provider's %s is %d bytes long, more than any credential (%d); refused", name, len(v), MaxCredentialLength)
	}
	if i := strings.IndexFunc(v, func(c rune) bool { return c <= ' ' || c > '~' }); i >= 0 {
		return fmt.Errorf("the provider's %s holds a space or a character that is not printable ASCII (at byte %d); refused", name, i)
	}
	return nil
}
