package fakeidp

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
)

var consentID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// Browser returns an OpenURL func that does what a person does on the consent page: load it, click
// Allow (or Deny when allow is false) and follow the redirect back to Tokentray's loopback. Fast
// tests use it; end-to-end tests drive real Chromium instead.
func Browser(allow bool) func(string) error {
	return func(authURL string) error {
		go func() { _ = Click(authURL, allow) }() // a browser returns at once; the page loads meanwhile
		return nil
	}
}

// Click loads the consent page at authURL, clicks Allow (or Deny) and follows the redirect.
func Click(authURL string, allow bool) error {
	resp, err := http.Get(authURL)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := consentID.FindSubmatch(body)
	if m == nil {
		return errors.New("no consent form on the page")
	}
	decision := "deny"
	if allow {
		decision = "allow"
	}
	u, _ := url.Parse(authURL)
	resp, err = http.PostForm(u.Scheme+"://"+u.Host+"/consent", url.Values{"id": {string(m[1])}, "decision": {decision}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the redirect ended with %s", resp.Status)
	}
	return nil
}
