// Package fakeidp serves fake identity providers on loopback for tests and demo mode: Net2Phone
// Canada, Avaya Spaces and an OpenID Connect issuer, each speaking its documented wire format
// (shared/PROVIDERS.md), with a consent page (Allow / Deny) and a record of every request so
// tests can count them. Faults are the tests' business (package faults, through Use).
package fakeidp

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"
)

// Kind selects which provider a Server imitates.
type Kind string

const (
	Net2Phone Kind = "net2phone"
	Avaya     Kind = "avaya"
	OIDC      Kind = "oidc"
)

// Request is one request the server saw.
type Request struct {
	Time   time.Time
	Path   string
	Grant  string     // grant_type of token requests
	Form   url.Values // the form, as sent (secrets included: tests only)
	Accept string     // the Accept header
}

// User is who signs in at the fake.
type User struct {
	Sub, Name, Username string
}

// Server is a fake provider. Its fields are set by Start; change them with Tune while it serves.
// Methods are safe for concurrent use.
type Server struct {
	Kind         Kind
	URL          string // base URL, e.g. http://127.0.0.1:41234
	ClientID     string
	ClientSecret string        // required on token requests when non-empty
	AccessTTL    time.Duration // default an hour (3599 s, as the vendors answer)
	Rotate       bool          // issue a new refresh token on every refresh and invalidate the old (Avaya)
	// BadIDToken makes the fake sign id_tokens with a key its JWKS does not publish, or (with
	// WrongNonce) put another nonce in them: what a forged or replayed id_token looks like.
	BadIDToken, WrongNonce bool
	User                   User
	// RedirectURI is the redirect URI registered with the client (Net2Phone matches it exactly);
	// empty accepts any loopback redirect.
	RedirectURI string
	// ISS, when set, is the iss the authorization answer carries instead of the issuer's own.
	ISS string
	// NoRefreshToken answers the code grant as Net2Phone's seed sample does: without a refresh_token.
	NoRefreshToken bool
	// NextAccessToken, when set, is the value of the next access token issued (a hostile one).
	NextAccessToken string
	// Clock is the provider's clock, for the absolute expiry it states (Net2Phone's "expires");
	// default time.Now. Tests set it hours off to play a provider whose clock disagrees.
	Clock func() time.Time

	srv *httptest.Server
	key *rsa.PrivateKey

	mu       sync.Mutex
	pending  map[string]authRequest // consent pages waiting for Allow/Deny, by id
	codes    map[string]authRequest // issued codes
	refresh  map[string]string      // valid refresh tokens, and the redirect URI of their grant
	access   map[string]time.Time   // access tokens and their expiry
	requests []Request
	issued   []string     // every access and refresh token issued, for log checks
	next     http.Handler // what answers a request once it is recorded (see Use)
}

type authRequest struct {
	clientID, redirectURI, state, challenge, method, nonce, scope string
	issued                                                        time.Time
}

// Start serves a fake of kind on a loopback port until Close.
func Start(kind Kind) *Server {
	s := &Server{Kind: kind, ClientID: "tokentray-test-client", AccessTTL: 3599 * time.Second,
		User:    User{Sub: "user-1", Name: "Test User", Username: "test@example.com"},
		pending: map[string]authRequest{}, codes: map[string]authRequest{}, refresh: map[string]string{}, access: map[string]time.Time{}}
	switch kind {
	case Net2Phone:
		s.ClientSecret = "n2p-client-secret"
	case Avaya:
		s.ClientSecret = "avaya-client-secret"
		s.Rotate = true
		// who the seed's users/me sample and id_token sample describe
		s.User = User{Sub: "agxzfm9uZXNuYTIwMTRyEQsSBFVzZXIYgIDQuZ_s1QsH", Name: "Test User", Username: "test@avaya.com"}
	case OIDC:
		s.Rotate = true
	}
	s.key, _ = rsa.GenerateKey(rand.Reader, 2048)
	s.next = http.HandlerFunc(s.route)
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.URL = "http://" + s.srv.Listener.Addr().String()
	if kind == Net2Phone { // its registered redirect URI, on a port that was free
		if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
			s.RedirectURI = fmt.Sprintf("http://127.0.0.1:%d/callback", ln.Addr().(*net.TCPAddr).Port)
			ln.Close()
		}
	}
	s.srv.Start() // after every field is set: the handlers see them
	return s
}

// Tune changes the server's fields (AccessTTL, Clock, NextAccessToken…) while it serves: under
// its lock, as every request reads them after taking it.
func (s *Server) Tune(f func(*Server)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// nowLocked is the provider's clock. Called with s.mu held.
func (s *Server) nowLocked() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Use puts mw around the fake's answers, after each request is recorded: the tests' fault
// injection (package faults) goes there, so the fake itself only answers as the vendor does.
func (s *Server) Use(mw func(http.Handler) http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = mw(s.next)
}

// RevokeAll forgets every refresh and access token, as a user revoking the app at the provider.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = map[string]string{}
	s.access = map[string]time.Time{}
}

// ExpireAccessTokens ends every access token while the refresh tokens stay good, as a provider
// that revokes access tokens early (a password change, a key rotation) does.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = map[string]time.Time{}
}

// RefreshValid reports whether rt is a refresh token the server still honours.
func (s *Server) RefreshValid(rt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.refresh[rt]
	return ok
}

// AccessValid reports whether at is an access token the server issued and that has not expired.
func (s *Server) AccessValid(at string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.access[at]
	return ok && time.Now().Before(exp)
}

// Requests returns the requests that went to path, oldest first.
func (s *Server) Requests(path string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many requests went to path (and, if grant is not empty, with that grant_type).
func (s *Server) Count(path, grant string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == path && (grant == "" || r.Grant == grant) {
			n++
		}
	}
	return n
}

// Issued returns every access and refresh token the server issued.
func (s *Server) Issued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// Endpoint paths, per kind, as the vendors document them.
func (s *Server) paths() (authorize, token, userinfo, revoke string) {
	switch s.Kind {
	case Net2Phone:
		return "/api/oauth/authorize/", "/api/oauth/token/", "/api/users/current/", ""
	case Avaya:
		return "/oauth2/authorize", "/oauth2/access_token", "/api/users/me", "/oauth2/revoke_token"
	}
	return "/authorize", "/token", "/userinfo", "/revoke"
}

// TokenPath is the token endpoint's path.
func (s *Server) TokenPath() string { _, t, _, _ := s.paths(); return t }

// Settings returns account settings that point an account of this kind at the fake.
func (s *Server) Settings() map[string]string {
	switch s.Kind {
	case Net2Phone:
		set := map[string]string{"client_id": s.ClientID, "base_url": s.URL + "/api"}
		if u, err := url.Parse(s.RedirectURI); err == nil && u.Port() != "" {
			set["redirect_port"] = u.Port()
		}
		return set
	case Avaya:
		return map[string]string{"client_id": s.ClientID, "accounts_url": s.URL, "spaces_url": s.URL}
	}
	return map[string]string{"client_id": s.ClientID, "issuer": s.URL}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	s.requests = append(s.requests, Request{Time: time.Now(), Path: r.URL.Path, Grant: r.PostForm.Get("grant_type"),
		Form: r.PostForm, Accept: r.Header.Get("Accept")})
	next := s.next
	s.mu.Unlock()
	next.ServeHTTP(w, r)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	authorize, token, userinfo, revoke := s.paths()
	switch r.URL.Path {
	case authorize:
		s.consentPage(w, r)
	case "/consent":
		s.decide(w, r)
	case token:
		s.token(w, r)
	case userinfo:
		s.userinfo(w, r)
	case revoke:
		if revoke == "" {
			http.NotFound(w, r)
			return
		}
		s.revoke(w, r)
	case "/api/accounts/current/": // Net2Phone's who-am-I for a client-credentials token
		if s.Kind != Net2Phone {
			http.NotFound(w, r)
			return
		}
		s.userinfo(w, r)
	case "/.well-known/openid-configuration":
		s.discovery(w)
	case "/jwks":
		s.jwks(w)
	default:
		http.NotFound(w, r)
	}
}
