package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tokentray/auth/fakeidp"
)

func TestParseOnSIPGoldenSamples(t *testing.T) {
	r, err := ParseOnSIP(fakeidp.Seed("onsip-oauth2-session-create.xml"))
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

	r, err = ParseOnSIP(fakeidp.Seed("onsip-oauth2-session-replace-user.xml"))
	if err != nil {
		t.Fatalf("the documented OAuth2SessionReplaceUser sample: %v", err)
	}
	if r.SessionID != "rRrp5555555wPXRj5UX" || r.UserID != "155555" || len(r.Roles) != 1 || r.Roles[0] != "Account Admin" ||
		r.ThirdParty == nil || r.ThirdParty.ServiceUserID != "U05555555" || len(r.Users) != 1 || r.Users[0].UserID != "55555" {
		t.Errorf("OAuth2SessionReplaceUser: %+v", r)
	}
}

// The live service's answers, as public clients recorded them (JSON), and OnSIP's documented
// Exception: each is read as OnSIP means it, and every one still says whether the session lives.
func TestParseOnSIPRecordedAnswers(t *testing.T) {
	for _, tc := range []struct {
		file        string
		established bool
		err         *OnSIPError // nil: a success
	}{
		{"onsip-session-create.json", true, nil},
		{"onsip-session-destroy.json", false, nil},
		{"onsip-user-read.json", true, nil},
		// IsCompleted false, IsValid true, no Action/Errors: the error is under Request/Errors.
		{"onsip-session-create-login-locked.json", false, &OnSIPError{Kind: "action", Code: "Accessor.LoginLocked", Parameter: "Action",
			Message: "You have failed to log in too many times. Please wait 10 minutes then try again."}},
		{"onsip-action-not-completed.json", true, &OnSIPError{Kind: "action", Code: "AccountAuthorization.Required",
			Message: "Permission to perform the requested action has not been granted."}},
		{"onsip-request-invalid.json", true, &OnSIPError{Kind: "request", Code: "Address.Unavailable", Parameter: "Username",
			Message: "This address is already in use, is reserved, or is otherwise unavailable for use."}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r, err := ParseOnSIP(fakeidp.Seed(tc.file))
			var oe *OnSIPError
			switch {
			case tc.err == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tc.err != nil && !errors.As(err, &oe):
				t.Fatalf("err = %v, want %+v", err, tc.err)
			case tc.err != nil:
				if d := cmp.Diff(tc.err, oe); d != "" {
					t.Errorf("error (-want +got):\n%s", d)
				}
			}
			if r == nil || r.IsEstablished != tc.established {
				t.Fatalf("reply %+v, want IsEstablished %v", r, tc.established)
			}
		})
	}
	if r, _ := ParseOnSIP(fakeidp.Seed("onsip-session-create.json")); r.SessionID != "i2set8m7bns4t9p50dufkge307" || r.UserID != "235393" ||
		len(r.Roles) != 1 || r.Roles[0] != "Account Admin" {
		t.Errorf("SessionCreate: %+v", r)
	}
	// The Exception document carries its text directly, in CDATA: a fault of the service's own.
	_, err := ParseOnSIP(fakeidp.Seed("onsip-exception.xml"))
	var oe *OnSIPError
	if !errors.As(err, &oe) || oe.Kind != "exception" || oe.Message != "Textual description of the exception." {
		t.Fatalf("Exception: %#v", err)
	}
}

func TestParseOnSIPRefusesWhatIsNotAnOnSIPDocument(t *testing.T) {
	for name, body := range map[string]string{
		"html":      "<!doctype html><html><body>502 Bad Gateway</body></html>",
		"truncated": string(fakeidp.Seed("onsip-oauth2-session-create.xml"))[:300],
		"empty":     "",
		"json":      `{"Response":{}}`,
		"xml":       `<Other/>`,
	} {
		if r, err := ParseOnSIP([]byte(body)); !errors.Is(err, errNotOnSIP) || r != nil {
			t.Errorf("%s: %v, %v; want errNotOnSIP and no reply", name, r, err)
		}
	}
}

// A hostile answer cannot put escape sequences or bidi controls on a terminal through a name.
func TestParseOnSIPSanitisesNames(t *testing.T) {
	body := strings.Replace(string(fakeidp.Seed("onsip-oauth2-session-create.xml")), "Fake Name", "Evil&#xA;Root:\u202eName", 1)
	r, err := ParseOnSIP([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if r.Users[0].Name != "Evil\ufffdRoot:\ufffdName" {
		t.Fatalf("name %q", r.Users[0].Name)
	}
}

// FuzzParseOnSIP feeds random bytes and mutations of the samples to the parser: it must never
// panic, and whatever it accepts must be a Response with a Context.
func FuzzParseOnSIP(f *testing.F) {
	for _, name := range []string{"onsip-oauth2-session-create.xml", "onsip-oauth2-session-replace-user.xml", "onsip-exception.xml",
		"onsip-session-create.json", "onsip-session-create-login-locked.json", "onsip-request-invalid.json"} {
		b := fakeidp.Seed(name)
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
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
