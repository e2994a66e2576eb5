package ipc

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"tokentray/app/model"
)

// DecodeRequest is codec.Unmarshal of one request line, read by hand when it holds only the
// plain keys of the requests scripts send all day (token, list, status), as the app's answer is
// (decodeResponse): the app reads each request cold, after idling.
func DecodeRequest(line []byte, codec Codec) (Request, error) {
	if r, ok := quickRequest(line); ok {
		return r, nil
	}
	var r Request
	err := codec.Unmarshal(line, &r)
	return r, err
}

func quickRequest(line []byte) (r Request, ok bool) {
	s := scanner{b: line}
	var op string
	strs := map[string]*string{keyOp: &op, keyAccount: &r.Account, keyMinValid: &r.MinValid, keyUser: &r.User, keyName: &r.Name,
		keyProvider: &r.Provider, keyText: &r.Text, keyVia: &r.Via, keyCommand: &r.Command}
	ok = s.object(func(key string) bool {
		if v := strs[key]; v != nil {
			return s.str(v)
		}
		switch key {
		case keyV:
			return s.int(&r.V)
		case keyLimit:
			return s.int(&r.Limit)
		case keyNoBrowser:
			return s.boolean(&r.NoBrowser)
		case keyDevice:
			return s.boolean(&r.Device)
		}
		return false
	})
	s.space()
	r.Op = Op(op)
	return r, ok && s.i == len(s.b)
}

// decodeResponse is json.Unmarshal of one answer line. The answers scripts ask for all day (a
// credential, an error, a progress line) are read here by hand: encoding/json's first decode
// of a type builds its decoder by reflection, which costs a `tokentray token` more than the
// whole round trip to the app (make bench). Anything else, or anything the hand-reader is not
// sure of (a surrogate escape, an unknown key, a null), goes to codec (encoding/json) in the whole
// program, so the result is always what json.Unmarshal gives; FuzzDecodeResponse checks that. The
// lean command has no codec: it reads only what the app writes by hand.
func decodeResponse(line []byte, codec Codec) (*Response, error) {
	if r, ok := quickResponse(line); ok {
		return r, nil
	}
	if codec == nil {
		return nil, errNoCodec
	}
	var r Response
	if err := codec.Unmarshal(line, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// quickResponse reads line when it is an object of Response's plain keys only, spelt exactly as
// the app writes them. ok is false for anything else.
func quickResponse(line []byte) (r *Response, ok bool) {
	s := scanner{b: line}
	r = &Response{}
	ok = s.object(func(key string) bool {
		switch key {
		case keyV:
			return s.int(&r.V)
		case keyCode:
			return s.int(&r.Code)
		case keyError:
			return s.str(&r.Error)
		case keyProgress:
			return s.str(&r.Progress)
		case keyText:
			return s.str(&r.Text)
		case keyField:
			return s.str(&r.Field)
		case keyProblem:
			return s.str(&r.Problem)
		case keyToken:
			if r.Token == nil {
				r.Token = &model.Credential{}
			}
			return s.credential(r.Token)
		}
		return false
	})
	s.space()
	return r, ok && s.i == len(s.b)
}

// credential reads a model.Credential's object into c (over what c holds, as encoding/json does).
func (s *scanner) credential(c *model.Credential) bool {
	return s.object(func(key string) bool {
		switch key {
		case keyCredAccount:
			return s.str(&c.Account)
		case keyCredKind:
			return s.str(&c.Kind)
		case keyCredValue:
			return s.str(&c.Value)
		case keyCredType:
			return s.str(&c.Type)
		case keyCredScope:
			return s.str(&c.Scope)
		case keyCredIdentity:
			return s.str(&c.Identity)
		case keyCredExpiry:
			// encoding/json hands a time its string as written: one with an escape is left to it
			var v string
			s.space()
			from := s.i
			return s.str(&v) && bytes.IndexByte(s.b[from:s.i], '\\') < 0 && c.Expiry.UnmarshalJSON(s.b[from:s.i]) == nil
		}
		return false
	})
}

// scanner reads the plain subset of JSON that quickResponse accepts.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// take consumes c, after any space, if it is next.
func (s *scanner) take(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// object reads {"key": value, …}, handing each key to value, which reads its value.
func (s *scanner) object(value func(key string) bool) bool {
	if !s.take('{') {
		return false
	}
	if s.take('}') {
		return true
	}
	for {
		var key string
		if !s.str(&key) || !s.take(':') || !value(key) {
			return false
		}
		if !s.take(',') {
			return s.take('}')
		}
	}
}

// str reads a string in valid UTF-8 without control characters. Of the escapes it takes those
// of one character and \uXXXX outside the surrogates: what the app's encoding/json writes
// (\u003c for <, \u0026 for &).
func (s *scanner) str(v *string) bool {
	if !s.take('"') {
		return false
	}
	var out []byte // nil while there was no escape: v is then the bytes as they are
	from := s.i
	for j := s.i; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			if !utf8.Valid(s.b[from:j]) {
				return false
			}
			if out == nil {
				*v = string(s.b[from:j])
			} else {
				*v = string(append(out, s.b[from:j]...))
			}
			s.i = j + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if j+1 >= len(s.b) || !utf8.Valid(s.b[from:j]) {
				return false
			}
			out = append(out, s.b[from:j]...)
			if k := strings.IndexByte(`"\/bfnrt`, s.b[j+1]); k >= 0 {
				out, j = append(out, "\"\\/\b\f\n\r\t"[k]), j+1
			} else if s.b[j+1] != 'u' || j+6 > len(s.b) {
				return false
			} else if n, err := strconv.ParseUint(string(s.b[j+2:j+6]), 16, 16); err != nil || (n >= 0xd800 && n < 0xe000) {
				return false
			} else {
				out, j = utf8.AppendRune(out, rune(n)), j+5
			}
			from = j + 1
		}
	}
	return false
}

// boolean reads true or false.
func (s *scanner) boolean(v *bool) bool {
	s.space()
	for _, w := range []string{"true", "false"} {
		if bytes.HasPrefix(s.b[s.i:], []byte(w)) {
			*v, s.i = w == "true", s.i+len(w)
			return true
		}
	}
	return false
}

// int reads an integer as JSON writes one: an optional minus, no leading zero, no fraction.
func (s *scanner) int(v *int) bool {
	s.space()
	start, j := s.i, s.i
	if j < len(s.b) && s.b[j] == '-' {
		j++
	}
	digits := j
	for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
		j++
	}
	if j == digits || (s.b[digits] == '0' && j-digits > 1) {
		return false
	}
	n, err := strconv.Atoi(string(s.b[start:j]))
	if err != nil {
		return false
	}
	*v, s.i = n, j
	return true
}
