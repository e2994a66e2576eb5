package fakeidp

import (
	"encoding/json"
	"encoding/xml"
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

// OnSIPFault makes the admin API answer one documented error kind, or a transient fault, for the
// actions it names (all when empty): "exception", "request", "action", "html", "truncated", "5xx".
type OnSIPFault struct {
	Kind    string
	Code    string
	Message string
	Actions []string
}

// OnSIP is a fake of OnSIP's admin API (https://api.onsip.com/api) with Slack-like and Google-like
// authorization pages, several OnSIP users per e-mail, sessions that end after an idle time, and
// the documented error kinds. Answers are XML, or JSON with Output=json, in the shapes of the
// documented samples.
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
	fault    *OnSIPFault
	requests []Request
	issued   []string
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

// SetFault makes the API misbehave; nil clears it.
func (s *OnSIP) SetFault(f *OnSIPFault) { s.mu.Lock(); defer s.mu.Unlock(); s.fault = f }

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
		s.api(w, r)
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
	if req, code, ok := decide(w, r, &s.mu, s.pending); ok {
		s.mu.Lock()
		s.codes[code] = req
		s.mu.Unlock()
	}
}

// node is an element of an answer, rendered as XML or JSON.
type node struct {
	name string
	text string
	kids []node
}

func leaf(name, text string) node         { return node{name: name, text: text} }
func elem(name string, kids ...node) node { return node{name: name, kids: kids} }

func (s *OnSIP) api(w http.ResponseWriter, r *http.Request) {
	f := r.Form
	action := f.Get("Action")
	form := "code"
	if f.Get("OAuthToken") != "" {
		form = "token"
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Time: time.Now(), Path: form, Grant: action})
	fault := s.fault
	s.mu.Unlock()
	if fault != nil && (len(fault.Actions) == 0 || contains(fault.Actions, action)) {
		if s.answerFault(w, r, action, fault) {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var sess *onsipSession
	var sid string
	var result []node
	fail := func(code, msg string) {
		s.write(w, r, action, nil, "", nil, &OnSIPFault{Kind: "action", Code: code, Message: msg})
	}
	switch action {
	case "OAuth2SessionCreate":
		service := firstOf(f.Get("Service"), f.Get("ServiceName"))
		var tp, suid string
		if code := f.Get("AuthorizationCode"); code != "" {
			req, ok := s.codes[code]
			delete(s.codes, code)
			if !ok || req.redirectURI != f.Get("RedirectUri") || service != map[string]string{"slack": "SlackLogin", "google": "GoogleLogin"}[req.scope] {
				fail("OAuth2.InvalidCode", "The authorization code is not valid for this service and redirect URI.")
				return
			}
			tp, suid = "xoxp-"+random(), "U"+random()[:8]
			s.tokens[tp] = true
			s.issued = append(s.issued, tp)
			sid, sess = s.newSession(s.Users[0].UserID)
		} else {
			tp, suid = f.Get("OAuthToken"), f.Get("ServiceUserId")
			if !s.tokens[tp] {
				fail("OAuth2.TokenRevoked", "The "+service+" authorization is no longer valid; sign in again.")
				return
			}
			if !s.isUser(f.Get("UserId")) {
				fail("OAuth2.UnknownUser", "That OnSIP user is not associated with this e-mail address.")
				return
			}
			sid, sess = s.newSession(f.Get("UserId"))
		}
		result = []node{elem("OAuth2SessionCreate", s.accessToken(tp, suid, service, sess.userID), elem("UserSummaries", s.summaries()...))}
	case "OAuth2SessionReplaceUser":
		old := s.alive(f.Get("SessionId"))
		switch {
		case old == nil:
			fail("Session.NotEstablished", "The session is not established.")
			return
		case !s.tokens[f.Get("OAuthToken")]:
			fail("OAuth2.TokenRevoked", "The authorization is no longer valid; sign in again.")
			return
		case !s.isUser(f.Get("UserId")):
			fail("OAuth2.UnknownUser", "That OnSIP user is not associated with this e-mail address.")
			return
		}
		delete(s.sessions, f.Get("SessionId"))
		sid, sess = s.newSession(f.Get("UserId"))
		result = []node{elem("OAuth2SessionReplaceUser", s.accessToken(f.Get("OAuthToken"), f.Get("ServiceUserId"), f.Get("Service"), sess.userID), s.summary(sess.userID))}
	case "SessionCreate":
		switch {
		case s.Locked:
			fail("Accessor.LoginLocked", "Too many failed attempts: this login is locked; wait 10 minutes and try again.")
			return
		case f.Get("Username") != s.Username || f.Get("Password") != s.Password:
			fail("Accessor.AuthenticationFailed", "The username or password is incorrect.")
			return
		}
		sid, sess = s.newSession(s.Users[0].UserID)
	case "SessionDestroy":
		delete(s.sessions, f.Get("SessionId"))
	default: // any read-only action that takes a SessionId: the probe
		if f.Get("SessionId") == "" {
			s.write(w, r, action, nil, "", nil, &OnSIPFault{Kind: "request", Code: "Parameter.Missing", Message: "SessionId is required."})
			return
		}
		if sess = s.alive(f.Get("SessionId")); sess != nil {
			sess.lastUsed = time.Now()
			sid = f.Get("SessionId")
		}
	}
	s.write(w, r, action, sess, sid, result, nil)
}

func (s *OnSIP) newSession(userID string) (string, *onsipSession) {
	sid := random()[:26]
	se := &onsipSession{userID: userID, lastUsed: time.Now()}
	s.sessions[sid] = se
	s.issued = append(s.issued, sid)
	return sid, se
}

func (s *OnSIP) isUser(id string) bool {
	for _, u := range s.Users {
		if u.UserID == id {
			return true
		}
	}
	return false
}

func (s *OnSIP) accessToken(tp, suid, service, userID string) node {
	return elem("UserOAuth2AccessToken", leaf("Scope", "identity.basic"), leaf("Service", service), leaf("ServiceUserId", suid),
		leaf("Token", tp), leaf("UserId", userID), leaf("UserOAuth2AccessTokenId", "1"))
}

func (s *OnSIP) summary(userID string) node {
	for _, u := range s.Users {
		if u.UserID == userID {
			return elem("UserSummary", leaf("AccountId", "5555"),
				elem("Addresses", elem("Address", leaf("Address", u.AuthUsername+"@example.onsip.com"), node{name: "Statuses"})),
				leaf("AuthUsername", u.AuthUsername), leaf("ContactEmail", u.Email), leaf("ContactName", u.Name),
				leaf("OrganizationId", "5555"), leaf("Status", "enabled"), leaf("UserId", u.UserID))
		}
	}
	return node{}
}

func (s *OnSIP) summaries() []node {
	var out []node
	for _, u := range s.Users {
		out = append(out, s.summary(u.UserID))
	}
	return out
}

// write answers in the documented shape: Context (Action, Request with the parameters echoed and
// secrets masked, Session) and Result; with fe, the error in its documented place.
func (s *OnSIP) write(w http.ResponseWriter, r *http.Request, action string, sess *onsipSession, sid string, result []node, fe *OnSIPFault) {
	var params []node
	for k, vs := range r.Form {
		v := vs[0]
		if k == "OAuthToken" || k == "Password" {
			v = "******" // as the service does
		}
		params = append(params, elem("Parameter", leaf("Name", k), leaf("Value", v)))
	}
	errs := func() node {
		e := elem("Error", leaf("Code", fe.Code), leaf("Message", fe.Message))
		if fe.Kind == "request" {
			e.kids = append([]node{leaf("Parameter", "SessionId")}, e.kids...)
		}
		return elem("Errors", e)
	}
	actionNode := elem("Action", leaf("IsCompleted", "true"))
	request := elem("Request", leaf("DateTime", time.Now().UTC().Format(time.RFC3339)), leaf("Duration", "12"), leaf("IsValid", "true"), elem("Parameters", params...))
	if fe != nil && fe.Kind == "action" {
		actionNode = elem("Action", leaf("IsCompleted", "false"), errs())
	}
	if fe != nil && fe.Kind == "request" {
		request.kids[2] = leaf("IsValid", "false")
		request.kids = append(request.kids, errs())
		actionNode = elem("Action", leaf("IsCompleted", "false"))
	}
	session := elem("Session", leaf("IsEstablished", "false"))
	if sess != nil {
		session = elem("Session", leaf("IsEstablished", "true"), elem("Roles", elem("Role", leaf("Name", "User"))),
			leaf("SessionId", sid), leaf("UserId", sess.userID))
	}
	doc := elem("Response", elem("Context", actionNode, request, session))
	if len(result) > 0 {
		doc.kids = append(doc.kids, elem("Result", result...))
	}
	render(w, r.Form.Get("Output"), doc)
}

func (s *OnSIP) answerFault(w http.ResponseWriter, r *http.Request, action string, f *OnSIPFault) bool {
	switch f.Kind {
	case "5xx":
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	case "html":
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"))
	case "truncated":
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<Response xmlns="http://www.jnctn.net/ns/rest/2006-01"><Context><Action><IsCompleted>tr`))
	case "exception":
		render(w, "xml", elem("Exception", leaf("Message", firstOf(f.Message, "An internal error occurred."))))
	case "request", "action":
		s.write(w, r, action, nil, "", nil, f)
	default:
		return false
	}
	return true
}

func render(w http.ResponseWriter, output string, doc node) {
	if output == "json" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{doc.name: jsonOf(doc)})
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	var b strings.Builder
	writeXML(&b, doc, doc.name == "Response")
	_, _ = w.Write([]byte(b.String()))
}

func writeXML(b *strings.Builder, n node, ns bool) {
	if n.name == "" {
		return
	}
	b.WriteString("<" + n.name)
	if ns {
		b.WriteString(` xmlns="http://www.jnctn.net/ns/rest/2006-01"`)
	}
	if n.text == "" && len(n.kids) == 0 {
		b.WriteString(" />")
		return
	}
	b.WriteString(">")
	_ = xml.EscapeText(stringWriter{b}, []byte(n.text))
	for _, k := range n.kids {
		writeXML(b, k, false)
	}
	b.WriteString("</" + n.name + ">")
}

type stringWriter struct{ b *strings.Builder }

func (w stringWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

// jsonOf renders as OnSIP's JSON does: every value a string, a repeated element an array and a
// single one an object.
func jsonOf(n node) any {
	if len(n.kids) == 0 {
		return n.text
	}
	obj := map[string]any{}
	for _, k := range n.kids {
		v := jsonOf(k)
		switch prev := obj[k.name].(type) {
		case nil:
			obj[k.name] = v
		case []any:
			obj[k.name] = append(prev, v)
		default:
			obj[k.name] = []any{prev, v}
		}
	}
	return obj
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
