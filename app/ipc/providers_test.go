//go:build !cli

package ipc

import (
	"strings"
	"testing"
	"time"

	"tokentray/app/model"
	"tokentray/auth/kinds"
)

func TestProvidersListsEveryKindAndEverySetting(t *testing.T) {
	all, err := Providers("")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range kinds.Names() {
		k, _ := kinds.Lookup(n)
		if !strings.Contains(all, n) || !strings.Contains(all, k.Title) {
			t.Errorf("the list lacks %s (%s):\n%s", n, k.Title, all)
		}
		one, err := Providers(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range k.Fields {
			if !strings.Contains(one, "\n  "+f.Key+" ") && !strings.Contains(one, "\n  "+f.Key+"\n") {
				t.Errorf("%s: no %s in\n%s", n, f.Key, one)
			}
			if f.Secret && !strings.Contains(one, "--secret "+f.Key+" --secret-stdin") {
				t.Errorf("%s: the secret %s does not say how to give it", n, f.Key)
			}
		}
	}
	oidc, _ := Providers("oidc")
	if !strings.Contains(oidc, "issuer (required)") || !strings.Contains(oidc, "scopes (default openid profile email offline_access") {
		t.Errorf("oidc's required setting and defaults:\n%s", oidc)
	}
	if _, err := Providers("gitlab"); err == nil || !strings.Contains(err.Error(), "the kinds are net2phone, avaya, onsip, oidc") {
		t.Errorf("an unknown kind: %v", err)
	}
}

// What a provider or a token's claims hold reaches a terminal without its escape sequences.
func TestTerminalSafe(t *testing.T) {
	if got := terminalSafe("a\x1b]0;pwned\x07b\u202ec\n\td"); got != "a\ufffd]0;pwned\ufffdb\ufffdc\n\td" {
		t.Fatalf("%q", got)
	}
	text := InspectionText(model.Inspection{Account: "x", Format: "jwt", Claims: map[string]any{"iss": "evil\x1b[2J"}}, time.Now())
	if strings.Contains(text, "\x1b") {
		t.Fatalf("an escape sequence in the inspection:\n%q", text)
	}
}
