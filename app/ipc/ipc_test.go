package ipc

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"tokentray/app/ipc/jsoncodec"
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
		got, err := r.encode(jsoncodec.Codec{})
		if err != nil || string(got) != string(want) {
			t.Errorf("encode:\n got %s, %v\nwant %s", got, err, want)
		}
		var back Request
		if err := json.Unmarshal(got, &back); err != nil || back.Account != r.Account || back.Op != r.Op {
			t.Errorf("%+v does not read back: %v", r, err)
		}
	}
}

// The hand-readers of answers and requests give what encoding/json gives, or leave the line to
// it; and the hand-writer of answers writes what encoding/json writes.
func FuzzDecodeResponse(f *testing.F) {
	exp := time.Date(2026, 12, 1, 21, 0, 0, 123456789, time.UTC)
	for _, r := range []Response{
		{V: Version, Token: &model.Credential{Account: "Work", Kind: "bearer", Value: "eyJ.a-b_c~", Type: "Bearer", Expiry: exp, Scope: "openid email", Identity: "ann@example.com"}},
		{V: Version, Error: "Work: not signed in; run `tokentray login Work`", Code: ExitSignInRequired},
		{V: Version, Error: `no account "x" — the accounts are in tokentray list`, Code: ExitNoAccount},
		{V: Version, Progress: "http://127.0.0.1:1234/?state=x&code_challenge=y"},
		{V: Version, Accounts: []model.Account{{Name: "Work"}}},
		{V: Version, Text: "ann <ann@example.com>"},
	} {
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"v":2,"token":{"token":"a"},"token":{"kind":"b"}}`))
	f.Add([]byte(` {"v" : 02 , "Code":1} `))
	f.Add([]byte(`{"v":2,"token":null}`))
	f.Add([]byte(`{"v":2,"error":"a \"b\" \\ \/ \b\f\n\r\t \u00e9 \u2014 \ud83d\ude00 \u003c"}`))
	f.Add([]byte(`{"v":2,"token":{"expiry":"2026-12-01T22:25:26.800469231+01:00","identity":"Test User \u003ctest@avaya.com\u003e"}}`))
	for _, r := range []Request{
		{V: Version, Op: "token", Account: "Work \"Avaya\" — <x>", MinValid: "10m0s", Via: "exec", Command: "curl", NoBrowser: true, Limit: -3},
		{V: Version, Op: "add", Settings: map[string]string{"a": "b"}},
	} {
		b, _ := json.Marshal(r)
		f.Add(b)
	}
	f.Add([]byte(`{"v":2,"device":true,"no_browser":false,"limit":0}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		var any Response
		if json.Unmarshal(line, &any) == nil {
			if want, _ := json.Marshal(any); string(any.Encode(jsoncodec.Codec{})) != string(want) {
				t.Fatalf("%+v:\nencoded by hand %s\njson            %s", any, any.Encode(jsoncodec.Codec{}), want)
			}
		}
		if quick, ok := quickResponse(line); ok {
			var want Response
			if err := json.Unmarshal(line, &want); err != nil {
				t.Fatalf("read %q by hand, which encoding/json refuses: %v", line, err)
			}
			if !reflect.DeepEqual(*quick, want) {
				t.Fatalf("%q:\nby hand %+v\njson    %+v", line, *quick, want)
			}
		}
		if quick, ok := quickRequest(line); ok {
			var want Request
			if err := json.Unmarshal(line, &want); err != nil {
				t.Fatalf("read request %q by hand, which encoding/json refuses: %v", line, err)
			}
			if !reflect.DeepEqual(quick, want) {
				t.Fatalf("request %q:\nby hand %+v\njson    %+v", line, quick, want)
			}
		}
	})
}

// appendString quotes as json.Marshal does, and AppendCredential writes what json.Marshal does, whatever
// the strings hold.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\"b\\c", "\b\f\n\r\t\x00\x1f\x7f", "<a href='x'>&amp;</a>", "é — 😀", "\u2028\u2029",
		"\xff\xfe bad \xc3", "\xed\xa0\x80", "Test User <test@avaya.com>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: by hand %s, json %s", s, got, want)
		}
		c := model.Credential{Account: s, Kind: "bearer", Value: s, Type: "Bearer", Scope: s, Identity: s,
			Expiry: time.Date(2026, 12, 1, 21, 0, 0, len(s), time.FixedZone("", 3600*len(s)%50400))}
		if want, _ := json.Marshal(c); string(AppendCredential(nil, c)) != string(want) {
			t.Fatalf("%+v: AppendCredential %s, json %s", c, AppendCredential(nil, c), want)
		}
	})
}

// The everyday answers are read by hand, and as encoding/json reads them.
func TestEverydayAnswersAreReadByHand(t *testing.T) {
	exp := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	for _, r := range []Response{
		{V: Version, Token: &model.Credential{Account: "Work", Kind: "bearer", Value: "eyJ.a-b_c~", Type: "Bearer", Expiry: exp}},
		{V: Version, Error: "Work: not signed in; run `tokentray login Work`", Code: ExitSignInRequired},
		{V: Version, Progress: "http://127.0.0.1:1234/?state=x&code=<y>"},
		{V: Version, Error: "Work — \"quoted\"\n", Token: &model.Credential{Identity: "Test User <test@avaya.com>"}},
	} {
		b, _ := json.Marshal(r)
		got, ok := quickResponse(b)
		if !ok {
			t.Fatalf("%s left to encoding/json", b)
		}
		var want Response
		_ = json.Unmarshal(b, &want)
		if !reflect.DeepEqual(*got, want) || got.Error != r.Error || (r.Token != nil && got.Token.Identity != r.Token.Identity) {
			t.Fatalf("%s read as %+v", b, *got)
		}
	}
	if _, ok := quickResponse([]byte(`{"v":2,"accounts":[]}`)); ok {
		t.Fatal("an answer with accounts was read by hand")
	}
	for _, r := range []Request{{V: Version, Op: "token", Account: "Work — <x>", Via: "token"}, {V: Version, Op: "login", Account: "w", NoBrowser: true, Device: true}} {
		b, _ := r.encode(jsoncodec.Codec{})
		if got, ok := quickRequest(b); !ok || !reflect.DeepEqual(got, r) {
			t.Fatalf("request %s read by hand as %+v (%v)", b, got, ok)
		}
	}
}
