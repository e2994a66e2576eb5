package auth

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"tokentray/auth/text"

	"golang.org/x/oauth2"

	"tokentray/auth/kinds"
)

// discovery is what Tokentray uses of an issuer's discovery document (OpenID Connect Discovery
// §3, RFC 8414), every endpoint in it checked by checkEndpoint.
type discovery struct {
	Authorization string `json:"authorization_endpoint"`
	Token         string `json:"token_endpoint"`
	UserInfo      string `json:"userinfo_endpoint"`
	JWKS          string `json:"jwks_uri"`
	Introspection string `json:"introspection_endpoint"`
	Revocation    string `json:"revocation_endpoint"`
	Device        string `json:"device_authorization_endpoint"`

	PKCE        []string // code_challenge_methods_supported
	AuthMethods []string // token_endpoint_auth_methods_supported
	ISSParam    bool     // authorization_response_iss_parameter_supported (RFC 9207)
}

// decodeDiscovery reads a discovery document. An endpoint that is not a string, or that
// checkEndpoint refuses, refuses the whole document: the issuer's own address is held to https
// (http on loopback only), and an endpoint elsewhere in clear would receive the sign-in's code and
// PKCE verifier, the tokens and the client secret. The lists and flags it only reads hints from
// are taken when they are what they should be, and ignored otherwise.
func decodeDiscovery(raw []byte) (discovery, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return discovery{}, fmt.Errorf("the issuer's discovery document is not a JSON object: %w", err)
	}
	var d discovery
	for key, into := range map[string]*string{
		"authorization_endpoint": &d.Authorization, "token_endpoint": &d.Token, "userinfo_endpoint": &d.UserInfo,
		"jwks_uri": &d.JWKS, "introspection_endpoint": &d.Introspection, "revocation_endpoint": &d.Revocation,
		"device_authorization_endpoint": &d.Device,
	} {
		v, ok := doc[key]
		if !ok || string(v) == "null" {
			continue
		}
		if err := json.Unmarshal(v, into); err != nil {
			return discovery{}, fmt.Errorf("the issuer's discovery document gives %s as something other than an address", key)
		}
		if err := checkEndpoint(key, *into); err != nil {
			return discovery{}, fmt.Errorf("the issuer's discovery document: %w", err)
		}
	}
	if d.Authorization == "" || d.Token == "" {
		return discovery{}, errors.New("the issuer's discovery document names no authorization_endpoint or no token_endpoint")
	}
	_ = json.Unmarshal(doc["code_challenge_methods_supported"], &d.PKCE)
	_ = json.Unmarshal(doc["token_endpoint_auth_methods_supported"], &d.AuthMethods)
	_ = json.Unmarshal(doc["authorization_response_iss_parameter_supported"], &d.ISSParam)
	return d, nil
}

// maxEndpointLength bounds an address a provider gives.
const maxEndpointLength = 2048

// checkEndpoint holds an address a provider gave (an endpoint its discovery document lists, the page
// of a device sign-in) to the rule the issuer itself is held to: https, or http on this computer's
// loopback only. It must be printable ASCII (it is printed, and opened in the browser), carry no
// user name or password, and no fragment (RFC 6749 §3.1). Empty passes: the endpoint is absent.
func checkEndpoint(what, v string) error {
	if v == "" {
		return nil
	}
	if len(v) > maxEndpointLength {
		return fmt.Errorf("%s is %d bytes long; refused", what, len(v))
	}
	if i := strings.IndexFunc(v, func(c rune) bool { return c <= ' ' || c > '~' }); i >= 0 {
		return fmt.Errorf("%s holds a character that is not printable ASCII (at byte %d); refused", what, i)
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("%s %q is not a web address; refused", what, v)
	case u.Scheme != "https" && (u.Scheme != "http" || !kinds.IsLoopback(u.Hostname())):
		return fmt.Errorf("%s %q is not https (http only on this computer: 127.0.0.1, localhost, [::1]); refused", what, v)
	case u.User != nil:
		return fmt.Errorf("%s %q carries a user name or password; refused", what, v)
	case u.Fragment != "" || strings.Contains(v, "#"):
		return fmt.Errorf("%s %q has a fragment (#…); refused", what, v)
	}
	return nil
}

// RFC 8628 §3.2, §3.5: an issuer that gives no polling interval gets 5 seconds; one outside
// these bounds is not believed (a negative one panics in x/oauth2, a huge one overflows).
const (
	deviceInterval    = 5
	maxDeviceInterval = 60
	maxDeviceLifetime = 30 * time.Minute
)

// decodeDeviceAuth reads a device authorization answer (RFC 8628 §3.2) received at now: the codes
// and the page checked, the interval and lifetime bounded.
func decodeDeviceAuth(body []byte, now time.Time) (*oauth2.DeviceAuthResponse, error) {
	var da struct {
		DeviceCode              string          `json:"device_code"`
		UserCode                string          `json:"user_code"`
		VerificationURI         string          `json:"verification_uri"`
		VerificationURL         string          `json:"verification_url"` // Google's spelling
		VerificationURIComplete string          `json:"verification_uri_complete"`
		ExpiresIn               json.RawMessage `json:"expires_in"`
		Interval                json.RawMessage `json:"interval"`
	}
	if err := json.Unmarshal(body, &da); err != nil {
		return nil, fmt.Errorf("the issuer's device sign-in answer is not one: %w", err)
	}
	uri := cmp.Or(da.VerificationURI, da.VerificationURL)
	if da.DeviceCode == "" || da.UserCode == "" || uri == "" {
		return nil, errors.New("the issuer's device sign-in answer lacks device_code, user_code or verification_uri")
	}
	if err := CheckCredential("device_code", da.DeviceCode); err != nil {
		return nil, err
	}
	if !text.IsPrintable(da.UserCode, 64) {
		return nil, errors.New("the issuer's device sign-in code holds characters that cannot be shown, or is too long")
	}
	for what, v := range map[string]string{"verification_uri": uri, "verification_uri_complete": da.VerificationURIComplete} {
		if err := checkEndpoint(what, v); err != nil {
			return nil, fmt.Errorf("the issuer's device sign-in answer: %w", err)
		}
	}
	interval := boundedSeconds(da.Interval, deviceInterval, 1, maxDeviceInterval)
	life := boundedSeconds(da.ExpiresIn, int64(maxDeviceLifetime/time.Second), 1, int64(maxDeviceLifetime/time.Second))
	return &oauth2.DeviceAuthResponse{DeviceCode: da.DeviceCode, UserCode: da.UserCode, VerificationURI: uri,
		VerificationURIComplete: da.VerificationURIComplete, Interval: interval,
		Expiry: now.Add(time.Duration(life) * time.Second)}, nil
}

// boundedSeconds reads a JSON number of seconds: def when absent, not a number or not positive,
// else held within [lo, hi].
func boundedSeconds(raw json.RawMessage, def, lo, hi int64) int64 {
	var f float64
	if len(raw) == 0 || json.Unmarshal(raw, &f) != nil || f <= 0 {
		return def
	}
	return int64(min(max(f, float64(lo)), float64(hi)))
}

// decodeIdentity reads who a provider says is signed in, from the answer of its who-am-I: an OpenID
// issuer's userinfo (OIDC Core §5.3.2), Net2Phone's users/current or accounts/current, Avaya's
// users/me (its seed's sample). Values of the wrong type are left out, never a failure: the
// identity is for display only.
func decodeIdentity(kind string, body []byte) (Identity, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return Identity{}, &TransientError{fmt.Errorf("could not read who is signed in: %w", err)}
	}
	str := func(key string) string {
		var s string
		_ = json.Unmarshal(doc[key], &s)
		return s
	}
	switch kind {
	case "avaya":
		var profile struct {
			DisplayName string `json:"displayname"`
		}
		_ = json.Unmarshal(doc["profile"], &profile)
		return Identity{Name: cmp.Or(profile.DisplayName, str("displayname")), Username: str("username"), Subject: str("_id")}, nil
	case "net2phone":
		return Identity{Name: str("name"), Username: cmp.Or(str("username"), str("email"), str("user"))}, nil
	}
	return Identity{Name: str("name"), Username: cmp.Or(str("preferred_username"), str("email")), Subject: str("sub")}, nil
}
