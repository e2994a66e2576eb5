// Package kinds describes each provider kind Tokentray knows as data: what it is called and which
// settings it takes, with their defaults, help and checks. The accounts file, the account form
// and the command line all validate through it. It imports nothing of OAuth, so the window can
// use it without linking the providers.
package kinds

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FieldType says how a setting's value is checked.
type FieldType int

const (
	Text     FieldType = iota // any non-empty text
	URL                       // an absolute http or https URL
	Port                      // a TCP port, 0–65535; 0 means any free port
	Choice                    // one of Field.Choices
	Duration                  // a Go duration such as "90s" or "5m"
)

// Field describes one setting of a provider kind. The accounts config, the account form and the
// command line all validate through it, so they accept and reject the same values.
type Field struct {
	Key      string    // the key in the config file, e.g. "client_id"
	Label    string    // short label for a form
	Help     string    // one sentence a user can act on
	Type     FieldType // how the value is checked
	Default  string    // used when the setting is absent; "" means none
	Required bool      // must be present and non-empty
	Choices  []string  // allowed values when Type is Choice
	// Secret fields (client secrets, passwords) live in the keyring and are refused in the config file.
	Secret bool
	// Advanced fields are rarely changed: a form keeps them folded away.
	Advanced bool
	// When, if set, is the setting (and its values) for which the field applies, e.g. the
	// redirect settings only for the authorization_code grant. A field that does not apply is
	// left out of a form and not required.
	When *Cond
}

// Cond is a setting having one of some values.
type Cond struct {
	Key    string
	Values []string
}

func when(key string, values ...string) *Cond { return &Cond{Key: key, Values: values} }

// Check reports whether v is an acceptable value for f, with a message a user can act on.
func (f Field) Check(v string) error {
	switch f.Type {
	case URL:
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%s must be an https URL, such as https://example.com, not %q", f.Key, v)
		}
		if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
			// Anyone on the way could read and change what an http provider sends: tokens included.
			return fmt.Errorf("%s must be an https URL (http only for this computer: 127.0.0.1, localhost, [::1]), not %q", f.Key, v)
		}
	case Port:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 65535 {
			return fmt.Errorf("%s must be a port number from 0 to 65535 (0 picks any free port), not %q", f.Key, v)
		}
	case Choice:
		if !slices.Contains(f.Choices, v) {
			return fmt.Errorf("%s must be one of %s, not %q", f.Key, strings.Join(f.Choices, ", "), v)
		}
	case Duration:
		if d, err := time.ParseDuration(v); err != nil || d < 0 {
			return fmt.Errorf("%s must be a duration such as 90s or 5m, not %q", f.Key, v)
		}
	}
	return nil
}

// IsLoopback reports whether host names this computer.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	// netip rather than net, whose start-up `tokentray token` would pay for (make bench)
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// Kind describes a provider kind: what it is called and which settings it takes.
type Kind struct {
	Name   string  // the value of "provider" in the config file, e.g. "avaya"
	Title  string  // what a person calls it, e.g. "Avaya Spaces"
	Fields []Field // every setting it takes, in the order a form shows them
	// Check, when set, checks the settings together (a rule no one field can say); it returns the
	// key at fault. New and edited accounts are checked with it.
	Check func(get func(key string) string) (key string, err error)
	// Unattended, when set, says whether an account with these settings gets its credential with
	// no user at all (a client-credentials grant): it is never signed in to.
	Unattended func(get func(key string) string) bool
	// Session: the credential is a session id (OnSIP's SessionId), not a bearer token: it has no
	// lifetime and goes in no Authorization header.
	Session bool
	// DeviceSignIn: the kind can sign in on another device (RFC 8628), where its issuer offers it.
	DeviceSignIn bool
}

// Applies reports whether f applies to an account with settings (see Field.When).
func (k Kind) Applies(f Field, settings map[string]string) bool {
	return f.When == nil || slices.Contains(f.When.Values, k.Setting(settings, f.When.Key))
}

// IsUnattended reports whether an account of this kind with settings needs no sign-in (see
// Kind.Unattended).
func (k Kind) IsUnattended(settings map[string]string) bool {
	return k.Unattended != nil && k.Unattended(func(key string) string { return k.Setting(settings, key) })
}

// Field returns the field named key.
func (k Kind) Field(key string) (Field, bool) {
	i := slices.IndexFunc(k.Fields, func(f Field) bool { return f.Key == key })
	if i < 0 {
		return Field{}, false
	}
	return k.Fields[i], true
}

// Setting returns the value of key in settings, or the field's default when it is absent.
func (k Kind) Setting(settings map[string]string, key string) string {
	if v, ok := settings[key]; ok && v != "" {
		return v
	}
	f, _ := k.Field(key)
	return f.Default
}

// redirectFields are the loopback redirect settings of a kind that signs in through the browser,
// applying when cond does (nil: always).
func redirectFields(cond *Cond) []Field {
	return []Field{
		{Key: "redirect_port", Label: "Redirect port", Type: Port, Default: "0", Advanced: true, When: cond,
			Help: "0 picks any free port; set the registered port when the provider matches the redirect URI exactly."},
		{Key: "redirect_host", Label: "Redirect host", Type: Choice, Default: "127.0.0.1", Advanced: true, When: cond,
			Choices: []string{"127.0.0.1", "localhost", "[::1]"},
			Help:    "Loopback host in the redirect URI; use the one registered with the provider."},
		{Key: "redirect_path", Label: "Redirect path", Type: Text, Default: "/callback", Advanced: true, When: cond,
			Help: "Path in the redirect URI, e.g. /callback."},
		{Key: "redirect_url", Label: "Registered web redirect", Type: URL, Advanced: true, When: cond,
			Help: "Only for providers that accept no loopback address: their registered redirect URL; you then paste the address the browser ends on."},
	}
}

func pkceField(def string, cond *Cond, choices ...string) Field {
	return Field{Key: "pkce", Label: "PKCE", Type: Choice, Default: def, Choices: choices, Advanced: true, When: cond,
		Help: "Proof Key for Code Exchange method sent with the sign-in; S256 unless the provider refuses it."}
}

// net2phoneRedirect: Net2Phone matches the redirect URI exactly, so an authorization-code
// account needs the registered port; any free port cannot match.
func net2phoneRedirect(get func(string) string) (string, error) {
	if get("grant") == "authorization_code" && get("redirect_url") == "" && (get("redirect_port") == "" || get("redirect_port") == "0") {
		return "settings.redirect_port", fmt.Errorf("Net2Phone Canada matches the redirect URI exactly: set redirect_port to the port " +
			"of the redirect URI registered with the client id (any free port cannot match)")
	}
	return "", nil
}

// all is every provider kind Tokentray knows, in the order a menu lists them; built on first use,
// so that `tokentray token`, which never asks, does not pay for it at every start.
var all = sync.OnceValue(func() []Kind {
	return []Kind{
		{Name: "net2phone", Title: "Net2Phone Canada", Check: net2phoneRedirect,
			Unattended: func(get func(string) string) bool { return get("grant") == "client_credentials" }, Fields: append([]Field{
				{Key: "grant", Label: "Grant", Type: Choice, Default: "authorization_code",
					Choices: []string{"authorization_code", "client_credentials"},
					Help:    "authorization_code signs a user in through the browser; client_credentials acts for the company."},
				{Key: "client_id", Label: "Client ID", Type: Text, Required: true,
					Help: "From the Net2Phone Canada developer portal."},
				{Key: "client_secret", Label: "Client secret", Type: Text, Secret: true, Required: true,
					Help: "From the developer portal; kept in the system keyring."},
				{Key: "base_url", Label: "API base URL", Type: URL, Default: "https://integrate.versature.com/api", Advanced: true,
					Help: "The Net2Phone Canada API; change it only for a test server."},
				{Key: "api_version", Label: "API version", Type: Text, Default: "1.10.0", Advanced: true,
					Help: "Sent as Accept: application/vnd.integrate.v<version>+json."},
				pkceField("off", when("grant", "authorization_code"), "off", "S256", "plain"),
			}, redirectFields(when("grant", "authorization_code"))...)},
		{Name: "avaya", Title: "Avaya Spaces", Fields: append([]Field{
			{Key: "environment", Label: "Environment", Type: Choice, Default: "production",
				Choices: []string{"production", "staging"},
				Help:    "production is accounts.avayacloud.com; staging is onesnastaging.esna.com."},
			{Key: "client_id", Label: "Client ID", Type: Text, Required: true,
				Help: "The OAuth client registered with Avaya Cloud Identity."},
			{Key: "client_secret", Label: "Client secret", Type: Text, Secret: true,
				Help: "The client's secret; kept in the system keyring."},
			{Key: "scopes", Label: "Scopes", Type: Text, Default: "email profile spaces", Advanced: true,
				Help: "Space-separated scopes to ask for."},
			pkceField("S256", nil, "S256", "plain", "off"),
			{Key: "accounts_url", Label: "Identity URL", Type: URL, Advanced: true,
				Help: "Overrides the environment's identity server; leave empty normally."},
			{Key: "spaces_url", Label: "Spaces API URL", Type: URL, Advanced: true,
				Help: "Overrides the environment's Spaces API; leave empty normally."},
		}, redirectFields(nil)...)},
		{Name: "onsip", Title: "OnSIP", Session: true, Fields: append([]Field{
			{Key: "method", Label: "Sign in with", Type: Choice, Default: "slack",
				Choices: []string{"slack", "google", "password"},
				Help:    "Slack or Google sign-in through the browser, or an OnSIP username and password."},
			{Key: "username", Label: "Username", Type: Text, Required: true, When: when("method", "password"),
				Help: "Your OnSIP username."},
			{Key: "password", Label: "Password", Type: Text, Secret: true, Required: true, When: when("method", "password"),
				Help: "Your OnSIP password; kept in the system keyring."},
			{Key: "client_id", Label: "Client ID", Type: Text, Required: true, When: when("method", "slack", "google"),
				Help: "The Slack or Google client id OnSIP accepts (OnSIP does not publish it)."},
			{Key: "authorize_url", Label: "Authorize URL", Type: URL, Advanced: true, When: when("method", "slack", "google"),
				Help: "Slack's or Google's authorization page; empty uses slack.com/oauth/authorize or accounts.google.com."},
			{Key: "scopes", Label: "Scopes", Type: Text, Advanced: true, When: when("method", "slack", "google"),
				Help: "Space-separated; empty asks Slack for identity.basic identity.email, Google for openid email profile."},
			{Key: "api_url", Label: "API URL", Type: URL, Default: "https://api.onsip.com/api", Advanced: true,
				Help: "OnSIP's admin API; change it for the sandbox or a test server."},
			{Key: "probe_action", Label: "Check with action", Type: Text, Default: "UserRead", Advanced: true,
				Help: "A read-only admin API action that needs a session, sent every interval to keep the SessionId alive; OnSIP's answer says whether the session lives."},
			{Key: "probe_interval", Label: "Check session every", Type: Duration, Default: "5m", Advanced: true,
				Help: "How often Tokentray checks that the SessionId is still alive."},
			{Key: "replace_user_service", Label: "Act-as service", Type: Text, Advanced: true, When: when("method", "slack", "google"),
				Help: "Service sent with OAuth2SessionReplaceUser; empty sends SlackLoginDummy or GoogleLoginDummy, as OnSIP documents."},
		}, redirectFields(when("method", "slack", "google"))...)},
		{Name: "oidc", DeviceSignIn: true, Title: "OpenID Connect", Fields: append([]Field{
			{Key: "issuer", Label: "Issuer URL", Type: URL, Required: true,
				Help: "The issuer, e.g. https://accounts.google.com; its /.well-known/openid-configuration is read."},
			{Key: "client_id", Label: "Client ID", Type: Text, Required: true,
				Help: "The client registered with the issuer, as a native or desktop app."},
			{Key: "client_secret", Label: "Client secret", Type: Text, Secret: true,
				Help: "Only if the issuer gave the client one; kept in the system keyring."},
			{Key: "scopes", Label: "Scopes", Type: Text, Default: "openid profile email offline_access", Advanced: true,
				Help: "Space-separated scopes; offline_access asks for a refresh token."},
			pkceField("auto", nil, "auto", "S256", "plain", "off"),
		}, redirectFields(nil)...)},
	}
})

// Lookup returns the provider kind called name.
func Lookup(name string) (Kind, bool) {
	kinds := all()
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.Name == name })
	if i < 0 {
		return Kind{}, false
	}
	return kinds[i], true
}

// Names lists the names of every provider kind.
func Names() []string {
	kinds := all()
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}
