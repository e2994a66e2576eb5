//go:build !cli

package ipc

import (
	"encoding/json"
	"strconv"
)

// What needs encoding/json: the app's side of the wire, and the answers and requests the lean
// command (-tags cli) leaves to the whole program, which is how the lean command links none of
// it (TestLeanCommandLinksNoJSON).

// encodeOther is a request that carries more than strings and numbers, as JSON.
func encodeOther(req Request) ([]byte, error) { return json.Marshal(req) }

// decodeOther reads an answer line the hand-reader does not (quickResponse).
func decodeOther(line []byte) (*Response, error) {
	var r Response
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Encode is r as JSON, for the wire. The everyday answers (a credential, an error, a progress
// line, a text) are written here directly, as requests are (encode): in the app, encoding/json's
// reflection came to a fifth of the time `tokentray token` waits for its answer (make bench).
// Any other answer goes through encoding/json; FuzzDecodeResponse checks the two agree.
func (r Response) Encode() []byte {
	if r.Accounts != nil || r.Problem != "" || r.Prefs != nil || r.HandOuts != nil || r.Inspection != nil || r.API != nil ||
		r.Device != nil || r.Field != "" || r.Info != nil || (r.Token != nil && !plainTime(r.Token.Expiry)) {
		b, _ := json.Marshal(r)
		return b
	}
	b := append(make([]byte, 0, 256), `{"v":`...)
	b = strconv.AppendInt(b, int64(r.V), 10)
	if r.Error != "" {
		b = appendField(b, "error", r.Error)
	}
	if r.Code != 0 {
		b = strconv.AppendInt(append(b, `,"code":`...), int64(r.Code), 10)
	}
	if r.Progress != "" {
		b = appendField(b, "progress", r.Progress)
	}
	if r.Token != nil {
		b = appendCredential(append(b, `,"token":`...), *r.Token)
	}
	if r.Text != "" {
		b = appendField(b, "text", r.Text)
	}
	return append(b, '}')
}

// DecodeRequest is json.Unmarshal of one request line, read by hand when it holds only the
// plain keys of the requests scripts send all day (token, list, status), as the app's answer is
// (decodeResponse): the app reads each request cold, after idling.
func DecodeRequest(line []byte) (Request, error) {
	if r, ok := quickRequest(line); ok {
		return r, nil
	}
	var r Request
	err := json.Unmarshal(line, &r)
	return r, err
}

func quickRequest(line []byte) (r Request, ok bool) {
	s := scanner{b: line}
	strs := map[string]*string{"op": &r.Op, "account": &r.Account, "min_valid": &r.MinValid, "user": &r.User, "name": &r.Name,
		"provider": &r.Provider, "text": &r.Text, "via": &r.Via, "command": &r.Command}
	ok = s.object(func(key string) bool {
		if v := strs[key]; v != nil {
			return s.str(v)
		}
		switch key {
		case "v":
			return s.int(&r.V)
		case "limit":
			return s.int(&r.Limit)
		case "no_browser":
			return s.boolean(&r.NoBrowser)
		case "device":
			return s.boolean(&r.Device)
		}
		return false
	})
	s.space()
	return r, ok && s.i == len(s.b)
}
