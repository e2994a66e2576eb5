// The OnSIP API's answers: each one of the seed's samples with its values changed.

package fakeidp

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

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
	s.mu.Lock()
	doc := s.answer(r)
	s.mu.Unlock()
	render(w, r.Form.Get("Output"), doc)
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

// Refuse answers r as OnSIP answers a request it judged invalid (Request/Errors, when request)
// or an action that did not complete (Action/Errors), with code and message.
func (s *OnSIP) Refuse(w http.ResponseWriter, r *http.Request, request bool, code, message string) {
	s.mu.Lock()
	a := &reply{s: s, r: r, sid: r.Form.Get("SessionId"), sess: s.alive(r.Form.Get("SessionId"))}
	doc := a.notCompleted(code, message)
	if request {
		doc = a.invalid("Action", code, message)
	}
	s.mu.Unlock()
	render(w, r.Form.Get("Output"), doc)
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
