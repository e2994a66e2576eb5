// Package fakeidp serves fake identity providers on loopback for tests and demo mode: Net2Phone
// Canada, Avaya Spaces and an OpenID Connect issuer, each speaking its documented wire format
// (shared/PROVIDERS.md), with a consent page (Allow / Deny), fault injection and a record of every
// request so tests can count them.
package fakeidp

import (
	"cmp"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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

// Fault makes the token endpoint misbehave for the grants it names (all grants when empty) until
// Until (forever when zero).
type Fault struct {
	Grants    []string      // e.g. "refresh_token"
	Status    int           // answer with this HTTP status (e.g. 503, 429)
	Delay     time.Duration // answer late
	Reset     bool          // close the connection without an answer
	Malformed bool          // answer 200 with a body that is not JSON
	// Hold answers a refresh late, after the grant was made (rotated): a client killed meanwhile
	// never learns the new refresh token.
	Hold  time.Duration
	Until time.Time
}

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

// Server is a fake provider. Fields may be changed between requests; methods are safe for concurrent use.
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
	fault    *Fault
	requests []Request
	issued   []string // every access and refresh token issued, for log checks
	// OnRefresh, when set before Start's first request, runs after a refresh grant rotated its
	// token and before the answer is sent.
	OnRefresh func(newRefresh string)
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
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	if kind == Net2Phone { // its registered redirect URI, on a port that was free
		if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
			s.RedirectURI = fmt.Sprintf("http://127.0.0.1:%d/callback", ln.Addr().(*net.TCPAddr).Port)
			ln.Close()
		}
	}
	return s
}

func (s *Server) now() time.Time {
	if s.Clock != nil {
		return s.Clock()
	}
	return time.Now()
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// SetFault makes the token endpoint misbehave; nil clears it.
func (s *Server) SetFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// RevokeAll forgets every refresh and access token, as a user revoking the app at the provider.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = map[string]string{}
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
	s.mu.Unlock()
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

var consentTmpl = template.Must(template.New("c").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}} — authorize Tokentray</title></head>
<body><h1>{{.Title}}</h1><p>Tokentray wants to act as {{.User}}{{if .Scope}} with {{.Scope}}{{end}}.</p>
<form method="post" action="/consent"><input type="hidden" name="id" value="{{.ID}}">
<button id="allow" name="decision" value="allow">Allow</button>
<button id="deny" name="decision" value="deny">Deny</button></form></body></html>`))

func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.ClientID || q.Get("response_type") != "code" || q.Get("redirect_uri") == "" {
		http.Error(w, "bad authorization request: unknown client, response_type or redirect_uri", http.StatusBadRequest)
		return
	}
	if s.RedirectURI != "" && q.Get("redirect_uri") != s.RedirectURI {
		http.Error(w, "bad authorization request: the redirect_uri is not the one registered with the client", http.StatusBadRequest)
		return
	}
	if m := q.Get("code_challenge_method"); q.Get("code_challenge") != "" && m != "S256" && m != "plain" {
		http.Error(w, "unsupported code_challenge_method", http.StatusBadRequest)
		return
	}
	id := random()
	s.mu.Lock()
	s.pending[id] = authRequest{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"), state: q.Get("state"),
		challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"), nonce: q.Get("nonce"), scope: q.Get("scope"), issued: time.Now()}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = consentTmpl.Execute(w, map[string]string{"Title": "Fake " + string(s.Kind), "User": s.User.Username, "Scope": q.Get("scope"), "ID": id})
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	iss := ""
	if s.Kind == OIDC {
		iss = cmp.Or(s.ISS, s.URL) // RFC 9207: the issuer names itself in its answers
	}
	if req, code, ok := decide(w, r, &s.mu, s.pending, iss); ok {
		s.mu.Lock()
		s.codes[code] = req
		s.mu.Unlock()
	}
}

// decide answers the consent form (shared by every fake): it takes the pending request out of
// pending and redirects to its redirect URI with a new code (returned, with ok) or access_denied,
// and iss when not empty.
func decide(w http.ResponseWriter, r *http.Request, mu *sync.Mutex, pending map[string]authRequest, iss string) (authRequest, string, bool) {
	mu.Lock()
	req, ok := pending[r.PostForm.Get("id")]
	delete(pending, r.PostForm.Get("id"))
	mu.Unlock()
	if !ok {
		http.Error(w, "no such authorization request", http.StatusBadRequest)
		return authRequest{}, "", false
	}
	sep := "?"
	if strings.Contains(req.redirectURI, "?") {
		sep = "&"
	}
	state := "&state=" + url.QueryEscape(req.state)
	if iss != "" {
		state += "&iss=" + url.QueryEscape(iss)
	}
	if r.PostForm.Get("decision") != "allow" {
		http.Redirect(w, r, req.redirectURI+sep+"error=access_denied"+state, http.StatusFound)
		return authRequest{}, "", false
	}
	code := random()
	req.issued = time.Now()
	http.Redirect(w, r, req.redirectURI+sep+"code="+code+state, http.StatusFound)
	return req, code, true
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	grant := f.Get("grant_type")
	if s.applyFault(w, grant) {
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = f.Get("client_id"), f.Get("client_secret")
	}
	// Net2Phone's refresh, as its public library sends it, carries no secret.
	secretOptional := s.Kind == Net2Phone && grant == "refresh_token" && secret == ""
	if id != s.ClientID || (s.ClientSecret != "" && secret != s.ClientSecret && !secretOptional) {
		s.refuse(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	switch grant {
	case "authorization_code":
		if f.Get("code") == "" || f.Get("redirect_uri") == "" {
			s.refuse(w, http.StatusBadRequest, "invalid_request")
			return
		}
		s.mu.Lock()
		req, ok := s.codes[f.Get("code")]
		delete(s.codes, f.Get("code")) // single use
		s.mu.Unlock()
		switch {
		case !ok || time.Since(req.issued) > 60*time.Second: // Net2Phone's codes live 60 s
			s.refuse(w, http.StatusBadRequest, "invalid_grant")
		case req.redirectURI != f.Get("redirect_uri"):
			s.refuse(w, http.StatusBadRequest, "invalid_grant")
		case req.challenge != "" && !pkceMatches(req.challenge, req.method, f.Get("code_verifier")):
			s.refuse(w, http.StatusBadRequest, "invalid_grant")
		default:
			s.answer(w, s.grant(true, req.nonce, req.redirectURI))
		}
	case "refresh_token":
		rt := f.Get("refresh_token")
		s.mu.Lock()
		redirect, ok := s.refresh[rt]
		// Avaya's refresh sends the grant's redirect_uri (seed 002, step 5): a refresh without it is refused.
		if ok && s.Kind == Avaya && f.Get("redirect_uri") != redirect {
			s.mu.Unlock()
			s.refuse(w, http.StatusBadRequest, "invalid_request")
			return
		}
		if ok && s.Rotate {
			delete(s.refresh, rt)
		}
		s.mu.Unlock()
		if !ok {
			s.refuse(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		body := s.grant(s.Rotate, "", redirect)
		if s.OnRefresh != nil && s.Rotate {
			s.OnRefresh(body.refresh)
		}
		s.mu.Lock()
		f := s.fault
		s.mu.Unlock()
		if f != nil && f.Hold > 0 {
			time.Sleep(f.Hold)
		}
		s.answer(w, body)
	case "client_credentials":
		if s.Kind != Net2Phone {
			s.refuse(w, http.StatusBadRequest, "unsupported_grant_type")
			return
		}
		s.answer(w, s.grant(false, "", ""))
	default:
		s.refuse(w, http.StatusBadRequest, "unsupported_grant_type")
	}
}

// tokenAnswer is a token response before it is written in the kind's shape.
type tokenAnswer struct {
	access, refresh, idToken, scope string
	expiresIn                       int
	expires                         time.Time // on the provider's clock
}

// grant issues a new access token (and a refresh token when withRefresh, bound to redirect) and
// returns the answer to a token request.
func (s *Server) grant(withRefresh bool, nonce, redirect string) tokenAnswer {
	a := tokenAnswer{access: random(), expiresIn: int(s.AccessTTL / time.Second), expires: s.now().Add(s.AccessTTL)}
	s.mu.Lock()
	if s.NextAccessToken != "" {
		a.access, s.NextAccessToken = s.NextAccessToken, ""
	}
	s.access[a.access] = time.Now().Add(s.AccessTTL)
	s.issued = append(s.issued, a.access)
	if withRefresh {
		a.refresh = random()
		s.refresh[a.refresh] = redirect
		s.issued = append(s.issued, a.refresh)
	}
	s.mu.Unlock()
	switch s.Kind {
	case Net2Phone:
		a.scope = "Office Manager"
	case Avaya:
		a.scope, a.idToken = "email profile spaces", s.idToken(nonce)
	case OIDC:
		a.scope, a.idToken = "openid profile email offline_access", s.idToken(nonce)
	}
	return a
}

// answer writes a token response. Net2Phone's is its seed's sample with the values changed (and
// the refresh token the code and refresh grants add, which the sample omits); the others are the
// standard JSON of RFC 6749 §5.1 with what PROVIDERS.md lists.
func (s *Server) answer(w http.ResponseWriter, a tokenAnswer) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if s.Kind == Net2Phone {
		body := strings.NewReplacer(`"7332170a208e270bc922d8ca54a5091f"`, jsonString(a.access), `"expires_in": 3599`, fmt.Sprintf(`"expires_in": %d`, a.expiresIn),
			"2016-11-11T16:05:10.301803", a.expires.UTC().Format("2006-01-02T15:04:05.000000")).Replace(string(Seed("net2phone-token.json")))
		if a.refresh != "" {
			body = strings.Replace(body, "\n}", ",\n\"refresh_token\": "+jsonString(a.refresh)+"\n}", 1)
		}
		_, _ = w.Write([]byte(body))
		return
	}
	body := map[string]any{"access_token": a.access, "token_type": "Bearer", "expires_in": a.expiresIn, "scope": a.scope}
	if a.refresh != "" {
		body["refresh_token"] = a.refresh
	}
	if a.idToken != "" {
		body["id_token"] = a.idToken
	}
	_ = json.NewEncoder(w).Encode(body)
}

// refuse answers a token request with an error. Net2Phone documents only the HTTP status, so its
// fake says nothing else; the others send RFC 6749 §5.2's JSON.
func (s *Server) refuse(w http.ResponseWriter, status int, code string) {
	if s.Kind == Net2Phone {
		http.Error(w, http.StatusText(status), status)
		return
	}
	oauthError(w, status, code)
}

// applyFault misbehaves as the current fault says; it reports whether it answered.
func (s *Server) applyFault(w http.ResponseWriter, grant string) bool {
	s.mu.Lock()
	f := s.fault
	s.mu.Unlock()
	if f == nil || (!f.Until.IsZero() && time.Now().After(f.Until)) {
		return false
	}
	if len(f.Grants) > 0 && !contains(f.Grants, grant) {
		return false
	}
	if f.Delay > 0 {
		time.Sleep(f.Delay)
	}
	switch {
	case f.Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST, not FIN
				}
				c.Close()
				return true
			}
		}
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token": "trunc`))
		return true
	case f.Status != 0:
		http.Error(w, http.StatusText(f.Status), f.Status)
		return true
	}
	return false
}

func (s *Server) userinfo(w http.ResponseWriter, r *http.Request) {
	at := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !s.AccessValid(at) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch s.Kind {
	case Net2Phone:
		if !strings.HasPrefix(r.Header.Get("Accept"), "application/vnd.integrate.v") {
			http.Error(w, "missing the versioned Accept header", http.StatusNotAcceptable)
			return
		}
		// Net2Phone documents no body for these; Tokentray reads any of name, username, email, user.
		_ = json.NewEncoder(w).Encode(map[string]any{"name": s.User.Name, "username": s.User.Username, "user": s.User.Sub})
	case Avaya: // the seed's /api/users/me sample, as it is
		_, _ = w.Write(Seed("avaya-users-me.json"))
	default:
		_ = json.NewEncoder(w).Encode(map[string]any{"sub": s.User.Sub, "name": s.User.Name, "email": s.User.Username, "email_verified": true})
	}
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	tok := r.PostForm.Get("token")
	if s.Kind == Avaya {
		tok = r.PostForm.Get("refresh_token")
	} else { // RFC 7009 §2.1: the client authenticates as at the token endpoint
		id, secret, basic := r.BasicAuth()
		if !basic {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != s.ClientID || secret != s.ClientSecret {
			oauthError(w, http.StatusUnauthorized, "invalid_client")
			return
		}
	}
	s.mu.Lock()
	delete(s.refresh, tok)
	delete(s.access, tok)
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func (s *Server) discovery(w http.ResponseWriter) {
	if s.Kind != OIDC {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer": s.URL, "authorization_endpoint": s.URL + "/authorize", "token_endpoint": s.URL + "/token",
		"userinfo_endpoint": s.URL + "/userinfo", "revocation_endpoint": s.URL + "/revoke", "jwks_uri": s.URL + "/jwks",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256", "plain"},
		"scopes_supported":                               []string{"openid", "profile", "email", "offline_access"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic", "client_secret_post", "none"},
		"authorization_response_iss_parameter_supported": true,
	})
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func pkceMatches(challenge, method, verifier string) bool {
	if verifier == "" {
		return false
	}
	if method == "plain" {
		return challenge == verifier
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:]) == challenge
}

func random() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func urlEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "#", "%23", " ", "%20").Replace(s)
}
