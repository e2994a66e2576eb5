package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"tokentray/auth/text"
)

// Redirect is where the provider sends the browser back: http://HOST:PORT/PATH on loopback (RFC 8252 §7.3).
type Redirect struct {
	Host string // "127.0.0.1" (default), "localhost" or "[::1]"
	Port int    // 0 picks any free port; a fixed port for providers that match the redirect URI exactly
	Path string // default "/callback"
	// URL, when set, is a registered web address used instead of the loopback, for providers that
	// accept nothing else; the user then pastes the address the browser ends on.
	URL string
}

// ErrPortBusy is returned when a fixed redirect port is taken by another program.
var ErrPortBusy = errors.New("the redirect port is in use")

// callback is what the browser brought back: a code, or the provider's error.
type callback struct {
	code  string
	state string
	iss   string // the issuer that answered (RFC 9207), when it says
	err   error
	// outcome, for a callback from the browser, takes how the sign-in ended, so that the page the
	// browser waits for says so; nil for a pasted one.
	outcome chan error
}

// loopback is the redirect listener of one sign-in. It listens on loopback only, on every address
// the redirect host names (both families for "localhost"), accepts one result whose state
// matches, refuses requests for other hosts (DNS rebinding) and closes when done.
type loopback struct {
	srv         *http.Server
	lns         []net.Listener
	redirectURI string
	hosts       map[string]bool // Host headers accepted
	path        string
	state       string
	once        sync.Once
	result      chan callback
}

func (lb *loopback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !lb.hosts[r.Host] {
		// A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
		slog.Warn("sign-in redirect refused: wrong Host header", "host", r.Host)
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path != lb.path {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(lb.state)) != 1 {
		// Not this sign-in's answer (a stale tab, or a forged request): ignore it and keep waiting.
		slog.Warn("sign-in redirect ignored: state does not match")
		page(w, http.StatusBadRequest, "This sign-in link is not the current one",
			"Tokentray did not start this sign-in, or it has been replaced by a newer one. Start the sign-in again from Tokentray.")
		return
	}
	cb := callback{code: q.Get("code"), state: q.Get("state"), iss: q.Get("iss"), outcome: make(chan error, 1)}
	if e := q.Get("error"); e != "" {
		cb.err = callbackError(e, q.Get("error_description"))
	} else if cb.code == "" {
		cb.err = errors.New("the provider sent the browser back without a code")
	}
	accepted := false
	lb.once.Do(func() { lb.result <- cb; accepted = true })
	if !accepted {
		page(w, http.StatusOK, "This sign-in has already finished", "You can close this tab and return to Tokentray.")
		return
	}
	var outcome error
	select { // the code is exchanged meanwhile: say "Signed in" only if that worked
	case outcome = <-cb.outcome:
	case <-time.After(time.Minute):
		page(w, http.StatusOK, "Tokentray is still finishing the sign-in", "Tokentray tells you when it has finished. You can close this tab.")
		return
	case <-r.Context().Done():
		return
	}
	switch {
	case errors.Is(outcome, ErrDenied):
		page(w, http.StatusOK, "You declined access", "Tokentray was not given access. You can close this tab; sign in again from Tokentray whenever you like.")
	case outcome != nil:
		page(w, http.StatusOK, "Sign-in failed", text.Printable(outcome.Error(), 500)+". You can close this tab and return to Tokentray.")
	default:
		page(w, http.StatusOK, "Signed in", "Tokentray has your sign-in. You can close this tab and return to Tokentray.")
	}
}

// callbackError turns an RFC 6749 §4.1.2.1 error into the error shown to the user.
func callbackError(code, desc string) error {
	if code == "access_denied" {
		return ErrDenied
	}
	return fmt.Errorf("the provider refused the sign-in: %w", &ProviderError{Code: code, Description: desc})
}

// wait returns the one accepted callback, a pasted redirect, or the context's error. A paste
// that is not this sign-in's answer is refused to the paster and the wait goes on: a typo does
// not end the sign-in.
func (lb *loopback) wait(ctx context.Context, pasted <-chan Paste) (callback, error) {
	for {
		select {
		case cb := <-lb.result:
			return cb, nil
		case p, ok := <-pasted:
			if !ok {
				pasted = nil
				continue
			}
			cb, err := parsePasted(p.Text, lb.state)
			p.answer(err)
			if err != nil {
				continue
			}
			accepted := false
			lb.once.Do(func() { accepted = true })
			if accepted {
				return cb, nil // pasted: no page waits for the outcome
			}
			return <-lb.result, nil // the browser's answer came first
		case <-ctx.Done():
			return callback{}, ctx.Err()
		}
	}
}

// close stops the listener, giving the browser's last page a moment to be sent.
func (lb *loopback) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = lb.srv.Shutdown(ctx)
}

// parsePasted reads what a user pasted after a sign-in whose redirect cannot reach Tokentray: the
// final URL (state checked like the loopback's) or, for providers that show it, the bare code.
func parsePasted(s, state string) (callback, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.RawQuery == "" && u.Scheme == "") {
		if s == "" || len(s) > 4096 || strings.ContainsAny(s, " \t\n") {
			return callback{}, errors.New("nothing usable was pasted: paste the whole address the browser ended on, or the code")
		}
		return callback{code: s, state: state}, nil // a bare code: nothing to check it against
	}
	q := u.Query()
	if q.Get("state") != state {
		return callback{}, errors.New("the pasted address is not from this sign-in (its state does not match); start the sign-in again")
	}
	if e := q.Get("error"); e != "" {
		return callback{state: state, err: callbackError(e, q.Get("error_description"))}, nil
	}
	if q.Get("code") == "" {
		return callback{}, errors.New("the pasted address holds no code")
	}
	return callback{code: q.Get("code"), state: state, iss: q.Get("iss")}, nil
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tokentray — {{.Title}}</title>
<style>body{font:16px system-ui,sans-serif;max-width:34em;margin:4em auto;padding:0 1em;color:#1f2937}
h1{font-size:1.4em;color:#1d4ed8}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>`))

func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, struct{ Title, Text string }{title, text})
}
