package fakeidp

import (
	"cmp"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

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
		s.mu.Lock()
		iss = cmp.Or(s.ISS, s.URL) // RFC 9207: the issuer names itself in its answers
		s.mu.Unlock()
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
