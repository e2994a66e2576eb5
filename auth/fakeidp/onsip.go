package fakeidp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// OnSIPUser is an OnSIP user of the fake.
type OnSIPUser struct {
	UserID, Name, Email, AuthUsername string
}

// OnSIP is a fake of OnSIP's admin API (https://api.onsip.com/api) with Slack-like and Google-like
// authorization pages, several OnSIP users per e-mail, and sessions that end after an idle time.
// Every answer is one of the samples in seed/ (OnSIP's own, or recorded from the live service)
// with its values changed, in XML or, with Output=json, JSON. It refuses what OnSIP documents
// as refused: an unknown action, a missing required parameter, a Service value other than the
// documented ones, a request that needs a session without one; and every answer's
// Context/Session says whether the request's SessionId is established, whatever else it says.
type OnSIP struct {
	URL         string
	ClientID    string        // the Slack and Google apps' client id
	IdleTimeout time.Duration // a session unused this long is no longer established; 0: never
	Email       string        // the Slack/Google user who signs in
	Users       []OnSIPUser   // the OnSIP users with that e-mail, first is the default
	Username    string        // for password sign-in
	Password    string
	Locked      bool // password sign-in answers Accessor.LoginLocked

	srv      *httptest.Server
	mu       sync.Mutex
	pending  map[string]authRequest
	codes    map[string]authRequest // code → the request (its scope field holds the service)
	tokens   map[string]bool        // third-party tokens OnSIP holds; false once revoked
	sessions map[string]*onsipSession
	requests []Request
	issued   []string
	next     http.Handler // what answers an API request once it is recorded (see Use)
}

type onsipSession struct {
	userID   string
	lastUsed time.Time
}

// StartOnSIP serves a fake OnSIP on a loopback port until Close.
func StartOnSIP() *OnSIP {
	s := &OnSIP{ClientID: "onsip-slack-app", Email: "fake@onsip.com",
		Users:    []OnSIPUser{{"555555", "Fake Name", "fake@onsip.com", "fake_auth"}, {"666666", "Fake Admin", "fake@onsip.com", "fake_admin"}},
		Username: "alice@example.onsip.com", Password: "correct horse",
		pending: map[string]authRequest{}, codes: map[string]authRequest{}, tokens: map[string]bool{}, sessions: map[string]*onsipSession{}}
	s.next = http.HandlerFunc(s.api)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *OnSIP) Close() { s.srv.Close() }

// Settings points an onsip account with method (slack, google, password) at the fake.
func (s *OnSIP) Settings(method string) map[string]string {
	set := map[string]string{"method": method, "api_url": s.URL + "/api"}
	switch method {
	case "slack", "google":
		set["client_id"] = s.ClientID
		set["authorize_url"] = s.URL + "/" + method + "/authorize"
	case "password":
		set["username"] = s.Username
	}
	return set
}

// Use puts mw around the API's answers, after each request is recorded: the tests' fault
// injection (package faults) goes there.
func (s *OnSIP) Use(mw func(http.Handler) http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = mw(s.next)
}

// ExpireSessions ends every session, as OnSIP's idle timeout does.
func (s *OnSIP) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions = map[string]*onsipSession{}
}

// RevokeThirdParty revokes every Slack/Google token OnSIP holds, as a user removing the app does.
func (s *OnSIP) RevokeThirdParty() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.tokens[t] = false
	}
}

// Live reports whether sid is an established session, and its user.
func (s *OnSIP) Live(sid string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.alive(sid)
	if se == nil {
		return "", false
	}
	return se.userID, true
}

// Count returns how many API requests had the action.
func (s *OnSIP) Count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Grant == action {
			n++
		}
	}
	return n
}

// CountCreate counts OAuth2SessionCreate requests of the second form (from a stored token).
func (s *OnSIP) CountCreate(fromToken bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Grant == "OAuth2SessionCreate" && (r.Path == "token") == fromToken {
			n++
		}
	}
	return n
}

// Issued returns every SessionId and third-party token the fake issued, for log checks.
func (s *OnSIP) Issued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

func (s *OnSIP) alive(sid string) *onsipSession {
	se := s.sessions[sid]
	if se == nil || (s.IdleTimeout > 0 && time.Since(se.lastUsed) > s.IdleTimeout) {
		delete(s.sessions, sid)
		return nil
	}
	return se
}

func (s *OnSIP) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	switch r.URL.Path {
	case "/slack/authorize", "/google/authorize":
		s.consent(w, r, strings.Split(r.URL.Path, "/")[1])
	case "/consent":
		s.decide(w, r)
	case "/api":
		form := "code"
		if r.Form.Get("OAuthToken") != "" {
			form = "token"
		}
		s.mu.Lock()
		s.requests = append(s.requests, Request{Time: time.Now(), Path: form, Grant: r.Form.Get("Action")})
		next := s.next
		s.mu.Unlock()
		next.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *OnSIP) consent(w http.ResponseWriter, r *http.Request, service string) {
	q := r.URL.Query()
	if q.Get("client_id") != s.ClientID || q.Get("redirect_uri") == "" {
		http.Error(w, "unknown client or no redirect_uri", http.StatusBadRequest)
		return
	}
	id := random()
	s.mu.Lock()
	s.pending[id] = authRequest{redirectURI: q.Get("redirect_uri"), state: q.Get("state"), scope: service, issued: time.Now()}
	s.mu.Unlock()
	title := map[string]string{"slack": "Slack", "google": "Google"}[service]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = consentTmpl.Execute(w, map[string]string{"Title": "Fake " + title, "User": s.Email, "Scope": q.Get("scope"), "ID": id})
}

func (s *OnSIP) decide(w http.ResponseWriter, r *http.Request) {
	if req, code, ok := decide(w, r, &s.mu, s.pending, ""); ok {
		s.mu.Lock()
		s.codes[code] = req
		s.mu.Unlock()
	}
}
