package words

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"tokentray/app/model"
)

// InspectionText is an inspection as a person reads it: the claims that matter first, times
// with how far from now they are, then every claim, then the provider's own word.
func InspectionText(in model.Inspection, now time.Time) string {
	var b strings.Builder
	switch in.Format {
	case "jwt":
		fmt.Fprintf(&b, "%s: a JWT access token\n", in.Account)
	case "session":
		fmt.Fprintf(&b, "%s: an OnSIP SessionId (a session: it lives while OnSIP confirms it)\n", in.Account)
	default:
		fmt.Fprintf(&b, "%s: an opaque access token (only the provider can read it)\n", in.Account)
	}
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %-13s %s\n", k, v)
		}
	}
	line("scope", in.Scope)
	line("issued", relative(in.Issued, now))
	line("expires", relative(in.Expiry, now))
	claims(&b, in, now)
	if in.IDToken != nil && in.IDToken.Format == "jwt" {
		b.WriteString("The id token that came with it:\n")
		claims(&b, *in.IDToken, now)
	}
	switch {
	case in.Introspection != nil:
		fmt.Fprintf(&b, "The provider's introspection says:\n%s\n", indentJSON(in.Introspection))
	case in.IntrospectionNote != "":
		fmt.Fprintf(&b, "No introspection: %s.\n", in.IntrospectionNote)
	}
	return TerminalSafe(b.String()) // claims are anyone's text, a forged token's too
}

// claims writes a JWT's chief claims, its signature's fate, then its header and every claim.
func claims(b *strings.Builder, in model.Inspection, now time.Time) {
	if in.Format != "jwt" {
		return
	}
	str := func(k string) string {
		switch v := in.Claims[k].(type) {
		case string:
			return v
		case []any:
			var s []string
			for _, x := range v {
				s = append(s, fmt.Sprint(x))
			}
			return strings.Join(s, " ")
		case nil:
			return ""
		default:
			return fmt.Sprint(v)
		}
	}
	unix := func(k string) time.Time {
		if f, ok := in.Claims[k].(float64); ok {
			return time.Unix(int64(f), 0)
		}
		return time.Time{}
	}
	for _, kv := range [][2]string{{"issuer", str("iss")}, {"subject", str("sub")}, {"audience", str("aud")},
		{"scopes", cmp.Or(str("scope"), str("scp"))}, {"client", cmp.Or(str("client_id"), str("azp"))},
		{"issued at", relative(unix("iat"), now)}, {"expires at", relative(unix("exp"), now)}, {"signature", in.Signature}} {
		if kv[1] != "" {
			fmt.Fprintf(b, "  %-13s %s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(b, "  header        %s\n", compactJSON(in.Header))
	keys := slices.Sorted(maps.Keys(in.Claims))
	b.WriteString("  claims\n")
	for _, k := range keys {
		v, _ := json.Marshal(in.Claims[k])
		fmt.Fprintf(b, "    %-11s %s\n", k, v)
	}
}

// relative is a time with how far it is from now: "19:31:02, 1 Dec (in 4m58s)".
func relative(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(now).Round(time.Second)
	rel := "in " + d.String()
	if d < 0 {
		rel = (-d).String() + " ago"
	}
	return t.Local().Format("15:04:05, 2 Jan 2006") + " (" + rel + ")"
}

func compactJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func indentJSON(v any) string { b, _ := json.MarshalIndent(v, "  ", "  "); return "  " + string(b) }

// TerminalSafe makes text from outside (a provider's answer, a token's claims) safe on a terminal:
// control characters other than newline and tab, and bidirectional controls, become U+FFFD.
func TerminalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e' || r == '\u200f' || r == '\u061c':
			return '\ufffd'
		}
		return r
	}, s)
}
