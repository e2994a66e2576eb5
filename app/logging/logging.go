package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"tokentray/app/config"
)

// OpenLog sets up logging: slog text lines to the log file (mode 0600; the previous file is
// kept as .1 once it passes 5 MB) and, with debug, also to stderr at debug level. Every record passes
// through a RedactingHandler. The returned closer closes the file. A log file that is a symbolic
// link is not written through.
func OpenLog(path string, debug bool, stderr io.Writer) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("could not create the log folder: %w", err)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Size() > 5<<20 {
		_ = os.Rename(path, path+".1")
	}
	f, err := config.OpenPrivate(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY)
	if err != nil {
		return nil, nil, fmt.Errorf("could not open the log file: %w", err)
	}
	var w io.Writer = f
	level := slog.LevelInfo
	if debug {
		w, level = io.MultiWriter(f, stderr), slog.LevelDebug
	}
	h := slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
	return slog.New(NewRedactingHandler(h)), f, nil
}

// RedactingHandler wraps a slog.Handler so that no secret reaches it. Three layers:
//   - auth.Secret values print as "[redacted]" by their own LogValue;
//   - attributes whose key names a secret (token, code, verifier, secret, password, session id,
//     callback URL, authorization, cookie…) are replaced whatever their value;
//   - URLs in any string, error or message have the values of secret query parameters replaced, and
//     bearer credentials in text are cut.
type RedactingHandler struct{ inner slog.Handler }

// NewRedactingHandler returns a handler that redacts and passes records on to inner.
func NewRedactingHandler(inner slog.Handler) *RedactingHandler { return &RedactingHandler{inner} }

func (h *RedactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *RedactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, RedactText(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool { out.AddAttrs(redactAttr(a)); return true })
	return h.inner.Handle(ctx, out)
}

func (h *RedactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = redactAttr(a)
	}
	return &RedactingHandler{h.inner.WithAttrs(red)}
}

func (h *RedactingHandler) WithGroup(name string) slog.Handler {
	return &RedactingHandler{h.inner.WithGroup(name)}
}

const redactedText = "[redacted]"

// secretKey matches attribute keys that name a secret, after lower-casing and dropping '_', '-' and '.'.
var secretKey = regexp.MustCompile(`token|secret|password|passwd|verifier|sessionid|callback|authorization|cookie|credential|^code$|authcode|authorizationcode|oauthcode|assertion`)

func isSecretKey(k string) bool {
	k = strings.NewReplacer("_", "", "-", "", ".", "").Replace(strings.ToLower(k))
	return secretKey.MatchString(k)
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if isSecretKey(a.Key) {
		return slog.String(a.Key, redactedText)
	}
	switch v.Kind() {
	case slog.KindGroup:
		as := v.Group()
		red := make([]any, len(as))
		for i, g := range as {
			red[i] = redactAttr(g)
		}
		return slog.Group(a.Key, red...)
	case slog.KindString:
		return slog.String(a.Key, RedactText(v.String()))
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, RedactText(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, RedactText(x.String()))
		case []byte:
			return slog.String(a.Key, RedactText(string(x)))
		default:
			return slog.String(a.Key, RedactText(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

const (
	secretPairs = `access_token|refresh_token|id_token|client_secret|code_verifier|password|sessionid|oauthtoken|token|code`
	// the keys no sentence uses as a word before a colon, as "the token: sign-in required" does
	secretKeys = `access_token|refresh_token|id_token|client_secret|code_verifier|password|sessionid|oauthtoken`
)

var (
	urlInText    = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)
	bearerInText = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)
	// A JSON "key": "value", a key=value or key:value pair (also inside a longer name, such as
	// my_refresh_token=…), or key: value for the keys no sentence uses — not prose such as "the
	// token: sign-in required".
	pairInText = regexp.MustCompile(`(?i)("(?:` + secretPairs + `)"\s*:\s*"?|(?:` + secretPairs + `)\s*=\s*"?|(?:` + secretPairs + `):|(?:` +
		secretKeys + `)\s*:\s*"?)([^"&,\s}]+)`)
)

// RedactText removes credentials from free text: secret query parameters in URLs, bearer and basic
// credentials, and key=value or "key": "value" pairs whose key names a secret.
func RedactText(s string) string {
	s = urlInText.ReplaceAllStringFunc(s, redactURL)
	s = bearerInText.ReplaceAllString(s, "$1 "+redactedText)
	return pairInText.ReplaceAllString(s, "${1}"+redactedText)
}

// redactURL replaces the values of every query parameter of a URL except a few harmless ones,
// and drops any user info. A callback URL thus keeps its shape but loses its code and state.
func redactURL(raw string) string {
	prefix, query, found := strings.Cut(raw, "?")
	if u, err := url.Parse(prefix); err == nil && u.User != nil {
		u.User = url.User(redactedText)
		prefix = u.String()
	}
	if !found {
		return prefix
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return prefix + "?" + redactedText
	}
	for k := range q {
		switch strings.ToLower(k) {
		case "error", "error_description", "response_type", "grant_type", "scope", "action", "output":
		default:
			q.Set(k, redactedText)
		}
	}
	return prefix + "?" + strings.ReplaceAll(q.Encode(), url.QueryEscape(redactedText), redactedText)
}
