package commands

import (
	"strings"
	"testing"

	"tokentray/app/cli"
	"tokentray/app/ipc"
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

// Every command that talks to the app sends an operation the wire knows, and says how its
// answer is printed; the lean command's rows are the table's own.
func TestEveryCommandSendsAKnownOp(t *testing.T) {
	known := map[ipc.Op]bool{}
	for _, s := range ipc.Ops {
		known[s.Op] = true
	}
	for _, c := range Commands {
		switch {
		case c.Op != "" && !known[c.Op]:
			t.Errorf("%s sends %q, which ipc.Ops does not name", c.Name, c.Op)
		case c.Op != "" && c.Print == nil && c.Name != "exec": // exec runs the command instead
			t.Errorf("%s prints nothing of its answer", c.Name)
		case c.Summary == "":
			t.Errorf("%s has no help line", c.Name)
		}
	}
	for _, lean := range []cli.Spec{cli.Token, cli.Exec, cli.Version} {
		if s, ok := Lookup(lean.Name); !ok || s.Op != lean.Op || s.Summary != lean.Summary {
			t.Errorf("the lean command's %s is not the table's", lean.Name)
		}
	}
}
