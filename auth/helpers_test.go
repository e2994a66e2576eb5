package auth_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// consentRedirect clicks Allow on the fake's page and returns where the fake redirects, without following it.
func consentRedirect(t *testing.T, authURL string) string {
	t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 4096)
	n, _ := resp.Body.Read(buf)
	m := regexp.MustCompile(`name="id" value="([^"]+)"`).FindSubmatch(buf[:n])
	if m == nil {
		t.Fatal("no consent form")
	}
	u, _ := url.Parse(authURL)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := c.PostForm(u.Scheme+"://"+u.Host+"/consent", url.Values{"id": {string(m[1])}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	return r.Header.Get("Location")
}
