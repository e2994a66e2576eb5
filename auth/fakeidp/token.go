package fakeidp

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	grant := f.Get("grant_type")
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
		s.answer(w, s.grant(s.Rotate, "", redirect))
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
	date                            string    // the Date header, when the provider's clock is not this computer's
}

// grant issues a new access token (and a refresh token when withRefresh, bound to redirect) and
// returns the answer to a token request.
func (s *Server) grant(withRefresh bool, nonce, redirect string) tokenAnswer {
	s.mu.Lock()
	a := tokenAnswer{access: random(), expiresIn: int(s.AccessTTL / time.Second), expires: s.nowLocked().Add(s.AccessTTL)}
	if s.Clock != nil { // a server's Date header is its own clock's (RFC 9110 §6.6.1)
		a.date = s.nowLocked().UTC().Format(http.TimeFormat)
	}
	if s.NextAccessToken != "" {
		a.access, s.NextAccessToken = s.NextAccessToken, ""
	}
	s.access[a.access] = time.Now().Add(s.AccessTTL)
	s.issued = append(s.issued, a.access)
	if withRefresh && !s.NoRefreshToken {
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
	if a.date != "" {
		w.Header().Set("Date", a.date)
	}
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
