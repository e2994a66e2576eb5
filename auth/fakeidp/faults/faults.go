// Package faults makes a fake provider misbehave, for tests: a token endpoint that answers 503,
// late, garbage or not at all, and an OnSIP API that fails in each documented way. It wraps the
// fake's answers (fakeidp's Use), so the fakes the demo ships answer only as the vendors do.
package faults

import (
	"cmp"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"tokentray/auth/fakeidp"
)

// Fault makes the token endpoint misbehave for the grants it names (all grants when empty) until
// Until (forever when zero).
type Fault struct {
	Grants    []string      // e.g. "refresh_token"
	Status    int           // answer with this HTTP status (e.g. 503, 429)
	Delay     time.Duration // answer late
	Reset     bool          // close the connection without an answer
	Malformed bool          // answer 200 with a body that is not JSON
	// Hold answers late, after the grant was made (a refresh token rotated): a client killed
	// meanwhile never learns the new refresh token.
	Hold  time.Duration
	Until time.Time
}

func (f *Fault) applies(grant string) bool {
	return f != nil && (f.Until.IsZero() || time.Now().Before(f.Until)) && (len(f.Grants) == 0 || slices.Contains(f.Grants, grant))
}

// OnSIPFault makes the OnSIP API answer one documented error kind, or a transient fault, for the
// actions it names (all when empty). Kind is one of "exception", "request", "action", "html",
// "truncated", "5xx".
type OnSIPFault struct {
	Kind, Code, Message string
	Actions             []string
}

// a switch holds the current fault of one fake, installed around it once.
type switchOf[F any] struct {
	mu sync.Mutex
	f  *F
}

func (s *switchOf[F]) get() *F  { s.mu.Lock(); defer s.mu.Unlock(); return s.f }
func (s *switchOf[F]) set(f *F) { s.mu.Lock(); defer s.mu.Unlock(); s.f = f }

var (
	mu      sync.Mutex
	servers = map[*fakeidp.Server]*switchOf[Fault]{}
	onsips  = map[*fakeidp.OnSIP]*switchOf[OnSIPFault]{}
)

// Set makes s's token endpoint misbehave as f says; nil clears it.
func Set(s *fakeidp.Server, f *Fault) {
	mu.Lock()
	sw := servers[s]
	if sw == nil {
		sw = &switchOf[Fault]{}
		servers[s] = sw
		s.Use(func(next http.Handler) http.Handler { return tokenFaults(s.TokenPath(), sw, next) })
	}
	mu.Unlock()
	sw.set(f)
}

// SetOnSIP makes s's API misbehave as f says; nil clears it.
func SetOnSIP(s *fakeidp.OnSIP, f *OnSIPFault) {
	mu.Lock()
	sw := onsips[s]
	if sw == nil {
		sw = &switchOf[OnSIPFault]{}
		onsips[s] = sw
		s.Use(func(next http.Handler) http.Handler { return onsipFaults(s, sw, next) })
	}
	mu.Unlock()
	sw.set(f)
}

// OnRefresh calls f with the refresh token of every refresh answer, before the answer is sent.
func OnRefresh(s *fakeidp.Server, f func(refresh string)) {
	s.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != s.TokenPath() || r.PostForm.Get("grant_type") != "refresh_token" {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body struct {
				RefreshToken string `json:"refresh_token"`
			}
			if json.Unmarshal(rec.Body.Bytes(), &body) == nil && body.RefreshToken != "" {
				f(body.RefreshToken)
			}
			replay(w, rec)
		})
	})
}

func tokenFaults(path string, sw *switchOf[Fault], next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := sw.get()
		if r.URL.Path != path || !f.applies(r.PostForm.Get("grant_type")) {
			next.ServeHTTP(w, r)
			return
		}
		time.Sleep(f.Delay)
		switch {
		case f.Reset:
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST, not FIN
				}
				c.Close()
				return
			}
		case f.Malformed:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token": "trunc`))
			return
		case f.Status != 0:
			http.Error(w, http.StatusText(f.Status), f.Status)
			return
		case f.Hold > 0:
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			time.Sleep(f.Hold)
			replay(w, rec)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func onsipFaults(s *fakeidp.OnSIP, sw *switchOf[OnSIPFault], next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := sw.get()
		if f == nil || (len(f.Actions) > 0 && !slices.Contains(f.Actions, r.Form.Get("Action"))) {
			next.ServeHTTP(w, r)
			return
		}
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
			_, _ = w.Write([]byte(strings.Replace(string(fakeidp.Seed("onsip-exception.xml")),
				"Textual description of the exception.", cmp.Or(f.Message, "An internal error occurred."), 1)))
		case "request", "action":
			s.Refuse(w, r, f.Kind == "request", f.Code, f.Message)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func replay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// Rewrite passes every answer s gives to a request match picks through f before it is sent, as a
// proxy between Tokentray and the provider could: the provider's own answer, changed (a discovery
// document listing hostile endpoints, an OnSIP reply with a part left out). s is a fakeidp.Server
// or a fakeidp.OnSIP.
func Rewrite(s interface {
	Use(func(http.Handler) http.Handler)
}, match func(*http.Request) bool, f func(body []byte) []byte) {
	s.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := f(rec.Body.Bytes())
			rec.Body.Reset()
			rec.Body.Write(body)
			rec.Header().Del("Content-Length")
			replay(w, rec)
		})
	})
}

// Path matches the requests for path.
func Path(path string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.URL.Path == path }
}

// Action matches OnSIP's requests for action.
func Action(action string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Form.Get("Action") == action }
}
