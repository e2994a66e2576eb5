package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
)

// Secret is a credential held in memory: an access or refresh token, a client secret, a password,
// an authorization code, a PKCE verifier or an OnSIP SessionId. It never prints: String, GoString and
// LogValue all give "[redacted]", so a Secret passed to fmt or slog by mistake leaks nothing.
// Use Reveal where the value really must leave the process (an HTTP request, the keyring, stdout).
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String returns "[redacted]" (or "" for an empty secret, so that emptiness stays visible in logs).
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// LogValue makes slog print "[redacted]" for a Secret.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Fingerprint names a credential in the record without revealing it: the first 8 bytes of its
// SHA-256, which tell two hand-outs of the same credential apart from two of different ones.
func Fingerprint(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:8])
}
