package auth

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOnSIPGoldenSamples(t *testing.T) {
	create, err := os.ReadFile("testdata/onsip/oauth2-session-create.xml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseOnSIP(create)
	if err != nil {
		t.Fatalf("the documented OAuth2SessionCreate sample: %v", err)
	}
	want := &OnSIPReply{
		SessionID: "usHVsKXDzI555555555gE9SrrrZ", UserID: "555555", IsEstablished: true,
		Roles: []string{"User", "Organization Viewer"},
		ThirdParty: &OnSIPThirdParty{Token: "xoxp-5555555-5555555-309389273104-21fef0dbdaa62668bee2208d946386de", Service: "SlackLogin",
			ServiceUserID: "U55555555", UserID: "151764", Scope: "55555555555555", TokenID: "555555"},
		Users: []OnSIPUser{{UserID: "555555", Name: "Fake Name", Email: "fake@onsip.com", AuthUsername: "fake_auth", AccountID: "5555",
			OrganizationID: "5555", Status: "enabled", Address: "fake@junctionnetworks.com"}},
	}
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("OAuth2SessionCreate (-want +got):\n%s", d)
	}

	replace, err := os.ReadFile("testdata/onsip/oauth2-session-replace-user.xml")
	if err != nil {
		t.Fatal(err)
	}
	r, err = ParseOnSIP(replace)
	if err != nil {
		t.Fatalf("the documented OAuth2SessionReplaceUser sample: %v", err)
	}
	if r.SessionID != "rRrp5555555wPXRj5UX" || r.UserID != "155555" || len(r.Roles) != 1 || r.Roles[0] != "Account Admin" ||
		r.ThirdParty == nil || r.ThirdParty.ServiceUserID != "U05555555" || len(r.Users) != 1 || r.Users[0].UserID != "55555" {
		t.Errorf("OAuth2SessionReplaceUser: %+v", r)
	}
}

func TestParseOnSIPErrorsInTheDocumentedOrder(t *testing.T) {
	ctx := func(action, request string) string {
		return `<Response xmlns="http://www.jnctn.net/ns/rest/2006-01"><Context>` + action + request +
			`<Session><IsEstablished>false</IsEstablished></Session></Context></Response>`
	}
	actionErr := `<Action><IsCompleted>false</IsCompleted><Errors><Error><Code>Accessor.LoginLocked</Code><Message>Too many attempts; wait 10 minutes.</Message></Error></Errors></Action>`
	requestErr := `<Request><IsValid>false</IsValid><Errors><Error><Parameter>Password</Parameter><Code>Parameter.Missing</Code><Message>Password is required.</Message></Error></Errors></Request>`
	for _, tc := range []struct {
		name, body, kind, msg string
	}{
		{"exception", `<Exception><Message>Internal trouble</Message></Exception>`, "exception", "Internal trouble"},
		{"invalid request wins over an incomplete action", ctx(actionErr, requestErr), "request", "Password is required."},
		{"incomplete action", ctx(actionErr, `<Request><IsValid>true</IsValid></Request>`), "action", "Too many attempts; wait 10 minutes."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOnSIP([]byte(tc.body))
			var oe *OnSIPError
			if !errors.As(err, &oe) || oe.Kind != tc.kind || oe.Message != tc.msg {
				t.Fatalf("err = %#v, want %s %q", err, tc.kind, tc.msg)
			}
		})
	}
	for name, body := range map[string]string{
		"html":      "<!doctype html><html><body>502 Bad Gateway</body></html>",
		"truncated": ctx("", "")[:60],
		"empty":     "",
		"json":      `{"Response":{}}`,
	} {
		if _, err := ParseOnSIP([]byte(body)); !errors.Is(err, errNotOnSIP) {
			t.Errorf("%s: err = %v, want errNotOnSIP", name, err)
		}
	}
}

// FuzzParseOnSIP feeds random bytes and mutations of the documented samples to the parser: it must
// never panic, and whatever it accepts must be a Response with a Context.
func FuzzParseOnSIP(f *testing.F) {
	for _, name := range []string{"oauth2-session-create.xml", "oauth2-session-replace-user.xml"} {
		b, err := os.ReadFile("testdata/onsip/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte(`<Exception><Message>x</Message></Exception>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseOnSIP(body)
		if err == nil && r == nil {
			t.Fatal("no reply and no error")
		}
		if err == nil && !strings.Contains(string(body), "Context") {
			t.Fatalf("accepted a document without a Context: %q", body)
		}
	})
}
