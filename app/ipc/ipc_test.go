package ipc

import (
	"encoding/json"
	"testing"

	"tokentray/app/model"
)

// The hand-written encoding of the everyday requests says what encoding/json says.
func TestRequestEncoding(t *testing.T) {
	for _, r := range []Request{
		{V: Version, Op: "token", Account: "work-avaya", Via: "token"},
		{V: Version, Op: "token", Account: "Demo OnSIP", MinValid: "10m0s", Via: "exec", Command: "curl"},
		{V: Version, Op: "login", Account: "wörk \"quoted\" <tag> & \x01\n", NoBrowser: true},
		{V: Version, Op: "audit", Limit: 3},
		{V: Version, Op: "paste", Account: "x", Text: "http://127.0.0.1/cb?code=1&state=2"},
		{V: Version, Op: "add", Name: "n", Provider: "oidc", Settings: map[string]string{"issuer": "https://x"}},
		{V: Version, Op: "api", Account: "a", API: &model.APIRequest{Method: "GET", Path: "/me"}},
	} {
		want, _ := json.Marshal(r)
		if got := r.encode(); string(got) != string(want) {
			t.Errorf("encode:\n got %s\nwant %s", got, want)
		}
		var back Request
		if err := json.Unmarshal(r.encode(), &back); err != nil || back.Account != r.Account || back.Op != r.Op {
			t.Errorf("%+v does not read back: %v", r, err)
		}
	}
}
