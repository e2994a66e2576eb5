package ipc

import (
	"time"
	"unicode/utf8"

	"tokentray/app/model"
)

// JSON written by hand, for the lines the command and the app exchange all day: the same bytes
// as encoding/json writes (FuzzDecodeResponse, FuzzAppendString), without its reflection.

// appendCredential appends t as json.Marshal writes a model.Credential whose expiry is a plain
// time (plainTime).
func appendCredential(b []byte, t model.Credential) []byte {
	b = appendString(append(b, `{"account":`...), t.Account)
	b = appendField(appendField(appendField(b, "kind", t.Kind), "token", t.Value), "type", t.Type)
	b = append(t.Expiry.AppendFormat(append(b, `,"expiry":"`...), time.RFC3339Nano), '"')
	if t.Scope != "" {
		b = appendField(b, "scope", t.Scope)
	}
	if t.Identity != "" {
		b = appendField(b, "identity", t.Identity)
	}
	return append(b, '}')
}

// plainTime reports whether t is written as time.Time.MarshalJSON writes it by RFC3339Nano alone:
// a year of four digits, a zone of whole minutes.
func plainTime(t time.Time) bool {
	_, off := t.Zone()
	return t.Year() >= 0 && t.Year() <= 9999 && off%60 == 0
}

// appendField appends ,"key":"v", v quoted as JSON (appendString).
func appendField(b []byte, key, v string) []byte {
	return appendString(append(append(append(b, ',', '"'), key...), '"', ':'), v)
}

// appendString appends v quoted as json.Marshal quotes a string: \" \\ \b \f \n \r \t, other
// control characters and (as HTML-safe JSON) < > & as \u00XX, invalid UTF-8 as \ufffd, and U+2028
// and U+2029 as escapes, which JavaScript would read as line ends.
func appendString(b []byte, v string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	from := 0
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, v[from:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			from = i
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, v[from:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, v[from:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		from = i
	}
	return append(append(b, v[from:]...), '"')
}
