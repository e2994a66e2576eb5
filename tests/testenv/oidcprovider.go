package testenv

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The clients registered at the independent OpenID provider (tests/oidcprovider/provider.mjs).
const (
	OIDCPublicClient       = "tokentray-public"       // a native app without a secret: PKCE, id in the form
	OIDCConfidentialClient = "tokentray-confidential" // with a secret, authenticated with HTTP Basic
	OIDCConfidentialSecret = "confidential-secret"
)

// OIDCProvider is panva's oidc-provider, an OpenID Certified implementation nobody on this
// project wrote, on loopback under Node.js: its own login and consent pages, PKCE, rotating
// refresh tokens (reusing an old one revokes the whole grant), userinfo, revocation and
// introspection. Its id_token carries only the subject, as OIDC Core says when an access token
// is issued too.
type OIDCProvider struct {
	Issuer string
}

// StartOIDCProvider starts the provider with access tokens living accessTTL; it stops with the test.
func StartOIDCProvider(t testing.TB, accessTTL time.Duration) *OIDCProvider {
	t.Helper()
	node := Command(t, "node")
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "oidcprovider")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider")); err != nil {
		missing(t, "tests/oidcprovider has no node_modules: run `npm ci` there (make test does)")
	}
	cmd := exec.Command(node, "provider.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORT=0", "ACCESS_TTL="+strconv.Itoa(int(accessTTL/time.Second)))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("oidc-provider's log:\n%s", stderr.String())
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	issuer, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	if err != nil || !ok {
		t.Fatalf("oidc-provider did not start (%q, %v):\n%s", line, err, stderr.String())
	}
	return &OIDCProvider{Issuer: issuer}
}

// OIDCCounts is what the provider counted (GET /_test/counts).
type OIDCCounts struct {
	Token struct {
		Success map[string]int `json:"success"`
		Error   map[string]int `json:"error"`
	} `json:"token"`
	TokenErrors       map[string]int `json:"token_errors"`
	RefreshTokenReuse int            `json:"refresh_token_reuse"`
	GrantRevoked      int            `json:"grant_revoked"`
	Userinfo          struct {
		Success int `json:"success"`
	} `json:"userinfo"`
	Revocation struct {
		Requests int `json:"requests"`
	} `json:"revocation"`
}

// Counts returns the provider's counters.
func (p *OIDCProvider) Counts(t testing.TB) OIDCCounts {
	t.Helper()
	resp, err := http.Get(p.Issuer + "/_test/counts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c OIDCCounts
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c
}

// Active asks the provider's introspection endpoint (RFC 7662) whether token is still good, as
// client (with secret for the confidential one).
func (p *OIDCProvider) Active(t testing.TB, token, client, secret string) bool {
	t.Helper()
	form := url.Values{"token": {token}}
	if secret == "" {
		form.Set("client_id", client)
	}
	req, _ := http.NewRequest(http.MethodPost, p.Issuer+"/token/introspection", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if secret != "" {
		req.SetBasicAuth(client, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Active bool `json:"active"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("introspection: %v", err)
	}
	return r.Active
}
