package fakeidp

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
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
	if req, code, ok := decide(w, r, &s.mu, s.pending, ""); ok {
		s.mu.Lock()
		s.codes[code] = req
		s.mu.Unlock()
	}
}

// The samples answers are made from, parsed once.
var (
	onsipCreate      = parseXML(Seed("onsip-oauth2-session-create.xml"))
	onsipReplace     = parseXML(Seed("onsip-oauth2-session-replace-user.xml"))
	onsipCreated     = parseJSON(Seed("onsip-session-create.json"))
	onsipDestroy     = parseJSON(Seed("onsip-session-destroy.json"))
	onsipLocked      = parseJSON(Seed("onsip-session-create-login-locked.json"))
	onsipUserRead    = parseJSON(Seed("onsip-user-read.json"))
	onsipNotComplete = parseJSON(Seed("onsip-action-not-completed.json"))
	onsipInvalid     = parseJSON(Seed("onsip-request-invalid.json"))
)

// onsipServices are the Service values OnSIP documents for signing in, and for switching the user
// of a session (the seed's table for OAuth2SessionReplaceUser).
var (
	onsipLoginServices   = map[string]string{"SlackLogin": "slack", "GoogleLogin": "google"}
	onsipReplaceServices = map[string]string{"SlackLoginDummy": "SlackLogin", "GoogleLoginDummy": "GoogleLogin"}
)

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
	if fault != nil && (len(fault.Actions) == 0 || slices.Contains(fault.Actions, action)) && s.answerFault(w, r, fault) {
		return
	}
	s.mu.Lock()
	doc := s.answer(r)
	s.mu.Unlock()
	render(w, f.Get("Output"), doc)
}

// answer makes the answer to one API request. Called with s.mu held.
func (s *OnSIP) answer(r *http.Request) *node {
	f := r.Form
	sid := f.Get("SessionId")
	sess := s.alive(sid)
	if sess != nil {
		sess.lastUsed = time.Now()
	}
	a := &reply{s: s, r: r, sid: sid, sess: sess}
	if missing := a.require("Action"); missing != nil {
		return missing
	}
	switch action := f.Get("Action"); action {
	case "OAuth2SessionCreate":
		service := cmp.Or(f.Get("Service"), f.Get("ServiceName")) // the seed's sample spells it ServiceName
		if _, ok := onsipLoginServices[service]; !ok {
			return a.invalid("Service", "Fake.ValueInvalid", `Service must be "SlackLogin" or "GoogleLogin".`)
		}
		if f.Get("AuthorizationCode") != "" {
			return s.createFromCode(a, service)
		}
		if missing := a.require("ServiceUserId", "UserId", "OAuthToken"); missing != nil {
			return missing
		}
		if !s.tokens[f.Get("OAuthToken")] {
			return a.notCompleted("Fake.TokenRevoked", "The "+service+" authorization is no longer valid; sign in again.")
		}
		if !s.isUser(f.Get("UserId")) {
			return a.notCompleted("Fake.UnknownUser", "That OnSIP user is not associated with this e-mail address.")
		}
		a.newSession(f.Get("UserId"))
		return a.oauth2(onsipCreate, "OAuth2SessionCreate", f.Get("OAuthToken"), f.Get("ServiceUserId"), service)
	case "OAuth2SessionReplaceUser":
		login, ok := onsipReplaceServices[f.Get("Service")]
		switch {
		case !ok:
			return a.invalid("Service", "Fake.ValueInvalid", `Service must be "SlackLoginDummy" or "GoogleLoginDummy".`)
		case sess == nil:
			return a.notCompleted("Fake.SessionNotEstablished", "This action requires an established session.")
		}
		if missing := a.require("ServiceUserId", "UserId", "OAuthToken"); missing != nil {
			return missing
		}
		switch {
		case !s.tokens[f.Get("OAuthToken")]:
			return a.notCompleted("Fake.TokenRevoked", "The authorization is no longer valid; sign in again.")
		case !s.isUser(f.Get("UserId")):
			return a.notCompleted("Fake.UnknownUser", "That OnSIP user is not associated with this e-mail address.")
		}
		delete(s.sessions, sid)
		a.newSession(f.Get("UserId"))
		return a.oauth2(onsipReplace, "OAuth2SessionReplaceUser", f.Get("OAuthToken"), f.Get("ServiceUserId"), login)
	case "SessionCreate":
		if missing := a.require("Username", "Password"); missing != nil {
			return missing
		}
		switch {
		case s.Locked:
			return a.fill(onsipLocked.clone()) // as recorded: IsCompleted false, the error under Request/Errors
		case f.Get("Username") != s.Username || f.Get("Password") != s.Password:
			doc := a.fill(onsipLocked.clone())
			doc.set("Context/Request/Errors/Error/Code", "Fake.AuthenticationFailed")
			return doc.set("Context/Request/Errors/Error/Message", "The username or password is incorrect.")
		}
		a.newSession(s.Users[0].UserID)
		return a.fill(onsipCreated.clone())
	case "SessionDestroy":
		if missing := a.require("SessionId"); missing != nil {
			return missing
		}
		delete(s.sessions, sid)
		a.sess = nil
		return a.fill(onsipDestroy.clone())
	case "UserRead":
		if missing := a.require("SessionId"); missing != nil {
			return missing
		}
		if n := countSet(f, "UserId", "UserAddress", "AuthUsername"); n != 1 {
			return a.invalid("UserId", "Fake.ParameterRequired", "One and only one of UserId, UserAddress or AuthUsername is required.")
		}
		if sess == nil {
			return a.notCompleted("Fake.SessionNotEstablished", "This action requires an established session.")
		}
		u, ok := s.user(f.Get("UserId"))
		if !ok {
			return a.notCompleted("Fake.UnknownUser", "No such user.")
		}
		doc := a.fill(onsipUserRead.clone())
		doc.set("Result/UserRead/User/UserId", u.UserID).set("Result/UserRead/User/AuthUsername", u.AuthUsername)
		doc.set("Result/UserRead/User/Contact/Name", u.Name).set("Result/UserRead/User/Contact/Email", u.Email)
		return doc
	default:
		return a.invalid("Action", "Fake.UnknownAction", "Action "+strconv.Quote(action)+" is not an action of this API.")
	}
}

// createFromCode is the first form of OAuth2SessionCreate: a code the third party just gave.
func (s *OnSIP) createFromCode(a *reply, service string) *node {
	f := a.r.Form
	if missing := a.require("RedirectUri"); missing != nil {
		return missing
	}
	code := f.Get("AuthorizationCode")
	req, ok := s.codes[code]
	delete(s.codes, code)
	if !ok || req.redirectURI != f.Get("RedirectUri") || onsipLoginServices[service] != req.scope {
		return a.notCompleted("Fake.InvalidCode", "The authorization code is not valid for this service and redirect URI.")
	}
	tp, suid := "xoxp-"+random(), "U"+random()[:8]
	s.tokens[tp] = true
	s.issued = append(s.issued, tp)
	a.newSession(s.Users[0].UserID)
	return a.oauth2(onsipCreate, "OAuth2SessionCreate", tp, suid, service)
}

// reply builds one answer from a sample.
type reply struct {
	s    *OnSIP
	r    *http.Request
	sid  string
	sess *onsipSession
}

func (a *reply) newSession(userID string) {
	a.sid, a.sess = a.s.newSession(userID)
}

// fill sets what every answer echoes: the request's time and parameters (secrets masked, as the
// service does) and the session, established or not.
func (a *reply) fill(doc *node) *node {
	doc.set("Context/Request/DateTime", time.Now().UTC().Format("2006-01-02T15:04:05+00:00"))
	doc.set("Context/Request/Duration", "12")
	echoParameters(doc.find("Context/Request/Parameters"), a.r.Form)
	session := doc.find("Context/Session")
	if a.sess == nil {
		session.kids = []*node{{name: "IsEstablished", text: "false", str: true}}
		return doc
	}
	if session.find("SessionId") == nil { // the sample had none: take the recorded SessionCreate's shape
		*session = *onsipCreated.find("Context/Session").clone()
	}
	doc.set("Context/Session/IsEstablished", "true").set("Context/Session/SessionId", a.sid).set("Context/Session/UserId", a.sess.userID)
	return doc
}

// echoParameters rewrites a sample's Parameters with the request's, in the sample's own shape
// (Parameter elements, or OAuth2SessionReplaceUser's Parameter/element), sorted by name.
func echoParameters(params *node, form url.Values) {
	container := params
	if len(params.kids) > 0 && params.kids[0].find("Name") == nil { // <Parameter><element>…
		container = params.kids[0]
	}
	item := container.kids[0]
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range form {
			if !yield(k) {
				return
			}
		}
	})
	container.kids = nil
	for _, name := range names {
		v := form.Get(name)
		if name == "OAuthToken" || name == "Password" {
			v = "******"
		}
		container.kids = append(container.kids, item.clone().set("Name", name).set("Value", v))
	}
}

// oauth2 answers OAuth2SessionCreate or OAuth2SessionReplaceUser from the seed's sample: the
// session, the third-party token, and the user summaries (all of the e-mail's users on create,
// the session's user on replace).
func (a *reply) oauth2(sample *node, action, token, serviceUserID, service string) *node {
	doc := a.fill(sample.clone())
	result := "Result/" + action
	doc.set(result+"/UserOAuth2AccessToken/Service", service).set(result+"/UserOAuth2AccessToken/ServiceUserId", serviceUserID)
	doc.set(result+"/UserOAuth2AccessToken/Token", token).set(result+"/UserOAuth2AccessToken/UserId", a.sess.userID)
	if list := doc.find(result + "/UserSummaries"); list != nil {
		tmpl := list.kids[0]
		list.kids = nil
		for _, u := range a.s.Users {
			list.kids = append(list.kids, summary(tmpl.clone(), u))
		}
	} else if u, ok := a.s.user(a.sess.userID); ok {
		summary(doc.find(result+"/UserSummary"), u)
	}
	return doc
}

func summary(n *node, u OnSIPUser) *node {
	n.set("Addresses/Address/Address", u.AuthUsername+"@example.onsip.com").set("AuthUsername", u.AuthUsername)
	return n.set("ContactEmail", u.Email).set("ContactName", u.Name).set("UserId", u.UserID)
}

// require answers "invalid request" for the first parameter of names the request lacks, or nil.
func (a *reply) require(names ...string) *node {
	for _, n := range names {
		if a.r.Form.Get(n) == "" {
			return a.invalid(n, "Fake.ParameterRequired", n+" is required.")
		}
	}
	return nil
}

// invalid is a request OnSIP did not accept (Request/IsValid false), in the recorded shape.
func (a *reply) invalid(param, code, msg string) *node {
	doc := a.fill(onsipInvalid.clone())
	return doc.set("Context/Request/Errors/Error/Parameter", param).set("Context/Request/Errors/Error/Code", code).
		set("Context/Request/Errors/Error/Message", msg)
}

// notCompleted is an action OnSIP did not complete (Action/IsCompleted false), in the recorded shape.
func (a *reply) notCompleted(code, msg string) *node {
	doc := a.fill(onsipNotComplete.clone())
	return doc.set("Context/Action/Errors/Error/Code", code).set("Context/Action/Errors/Error/Message", msg)
}

func countSet(f url.Values, names ...string) int {
	n := 0
	for _, k := range names {
		if f.Get(k) != "" {
			n++
		}
	}
	return n
}

func (s *OnSIP) newSession(userID string) (string, *onsipSession) {
	sid := random()[:26]
	se := &onsipSession{userID: userID, lastUsed: time.Now()}
	s.sessions[sid] = se
	s.issued = append(s.issued, sid)
	return sid, se
}

func (s *OnSIP) user(id string) (OnSIPUser, bool) {
	for _, u := range s.Users {
		if u.UserID == id {
			return u, true
		}
	}
	return OnSIPUser{}, false
}

func (s *OnSIP) isUser(id string) bool { _, ok := s.user(id); return ok }

// answerFault answers as the fault says; it reports whether it did.
func (s *OnSIP) answerFault(w http.ResponseWriter, r *http.Request, f *OnSIPFault) bool {
	switch f.Kind {
	case "5xx":
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	case "html":
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"))
	case "truncated":
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<Response xmlns="http://www.jnctn.net/ns/rest/2006-01"><Context><Action><IsCompleted>tr`))
	case "exception": // the documented Exception document, its text changed
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write([]byte(strings.Replace(string(Seed("onsip-exception.xml")), "Textual description of the exception.", cmp.Or(f.Message, "An internal error occurred."), 1)))
	case "request", "action":
		s.mu.Lock()
		a := &reply{s: s, r: r, sid: r.Form.Get("SessionId"), sess: s.alive(r.Form.Get("SessionId"))}
		doc := a.notCompleted(f.Code, f.Message)
		if f.Kind == "request" {
			doc = a.invalid("Action", f.Code, f.Message)
		}
		s.mu.Unlock()
		render(w, r.Form.Get("Output"), doc)
	default:
		return false
	}
	return true
}

func render(w http.ResponseWriter, output string, doc *node) {
	if output == "json" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(renderJSON(doc)))
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write([]byte(renderXML(doc)))
}
