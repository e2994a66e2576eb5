// Package text makes text that came from outside safe to show: a leaf that every part of
// Tokentray may use, the accounts file and the faces as much as the providers.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text that came from outside (a provider's identity or error message, an account
// name from a hand-edited file) safe to put on a terminal, in a notification or in a window: every
// control character (escape sequences, newlines, tabs), line and paragraph separator (U+2028,
// U+2029) and bidirectional control (which can make text read backwards) becomes U+FFFD, invalid UTF-8 too, and the text is cut to max runes.
func Printable(s string, max int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if n == max {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError || unicode.IsControl(r) || isBidiControl(r) || r == '\u2028' || r == '\u2029' {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// IsPrintable reports whether Printable would leave s as it is.
func IsPrintable(s string, max int) bool { return Printable(s, max) == s }

func isBidiControl(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
