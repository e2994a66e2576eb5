package ipc

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"tokentray/app/model"
)

// Codec writes and reads the lines the hand codec leaves alone (accounts, preferences, the
// record, an inspection…): encoding/json, in the programs that talk to the app about more than
// credentials (jsoncodec.JSON). The lean command has none: it sends and reads only the everyday
// lines, and links no encoding/json (TestLeanCommandLinksNoJSON).
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// errNoCodec is what a line beyond the everyday ones gets where there is no Codec.
var errNoCodec = errors.New("the lean command reads only credentials; run tokentray-tray")

// Encode is r as JSON, for the wire. The everyday answers (a credential, an error, a progress
// line, a text) are written here directly, as requests are (encode): in the app, encoding/json's
// reflection came to a fifth of the time `tokentray token` waits for its answer (make bench).
// Any other answer goes through codec (encoding/json); FuzzDecodeResponse and
// TestEveryFieldRoundTrips check the two agree.
func (r Response) Encode(codec Codec) []byte {
	if r.Accounts != nil || r.Problem != "" || r.Prefs != nil || r.HandOuts != nil || r.Inspection != nil || r.API != nil ||
		r.Device != nil || r.Field != "" || r.Info != nil || (r.Token != nil && !plainTime(r.Token.Expiry)) {
		b, _ := codec.Marshal(r)
		return b
	}
	b := strconv.AppendInt(appendKey(append(make([]byte, 0, 256), '{'), keyV), int64(r.V), 10)
	if r.Error != "" {
		b = appendField(b, keyError, r.Error)
	}
	if r.Code != 0 {
		b = strconv.AppendInt(appendKey(append(b, ','), keyCode), int64(r.Code), 10)
	}
	if r.Progress != "" {
		b = appendField(b, keyProgress, r.Progress)
	}
	if r.Token != nil {
		b = AppendCredential(appendKey(append(b, ','), keyToken), *r.Token)
	}
	if r.Text != "" {
		b = appendField(b, keyText, r.Text)
	}
	return append(b, '}')
}

// encode is req as JSON. The requests scripts send all day (token, list, status) carry only
// strings and numbers, and are written here directly: encoding/json's first use of a type
// builds its encoder by reflection, a quarter of what `tokentray token` costs (make bench). Any
// other request goes through codec (encoding/json); TestRequestEncoding checks the two agree.
func (req Request) encode(codec Codec) ([]byte, error) {
	if req.Settings != nil || req.Secrets != nil || req.Prefs != nil || req.API != nil {
		if codec == nil {
			return nil, errNoCodec
		}
		return codec.Marshal(req)
	}
	b := strconv.AppendInt(appendKey(append(make([]byte, 0, 128), '{'), keyV), int64(req.V), 10)
	b = appendField(b, keyOp, string(req.Op))
	for _, f := range []struct{ key, v string }{{keyAccount, req.Account}, {keyMinValid, req.MinValid}, {keyUser, req.User},
		{keyName, req.Name}, {keyProvider, req.Provider}, {keyText, req.Text}} {
		if f.v != "" {
			b = appendField(b, f.key, f.v)
		}
	}
	if req.NoBrowser {
		b = append(appendKey(append(b, ','), keyNoBrowser), "true"...)
	}
	if req.Device {
		b = append(appendKey(append(b, ','), keyDevice), "true"...)
	}
	for _, f := range []struct{ key, v string }{{keyVia, req.Via}, {keyCommand, req.Command}} {
		if f.v != "" {
			b = appendField(b, f.key, f.v)
		}
	}
	if req.Limit != 0 {
		b = strconv.AppendInt(appendKey(append(b, ','), keyLimit), int64(req.Limit), 10)
	}
	return append(b, '}'), nil
}

// JSON written by hand, for the lines the command and the app exchange all day: the same bytes
// as encoding/json writes (FuzzDecodeResponse, FuzzAppendString), without its reflection.

// AppendCredential appends t as json.Marshal writes a model.Credential whose expiry is a plain
// time (plainTime).
func AppendCredential(b []byte, t model.Credential) []byte {
	b = appendString(appendKey(append(b, '{'), keyCredAccount), t.Account)
	b = appendField(appendField(appendField(b, keyCredKind, t.Kind), keyCredValue, t.Value), keyCredType, t.Type)
	b = append(t.Expiry.AppendFormat(append(appendKey(append(b, ','), keyCredExpiry), '"'), time.RFC3339Nano), '"')
	if t.Scope != "" {
		b = appendField(b, keyCredScope, t.Scope)
	}
	if t.Identity != "" {
		b = appendField(b, keyCredIdentity, t.Identity)
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
	return appendString(appendKey(append(b, ','), key), v)
}

// appendKey appends "key": (the keys need no quoting).
func appendKey(b []byte, key string) []byte {
	return append(append(append(b, '"'), key...), '"', ':')
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
