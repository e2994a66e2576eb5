package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// API is a provider whose own API Tokentray can call with the account's credential, as `gh api`
// does for GitHub: path is relative to the API's base, and the request is authorised as the
// provider wants (a bearer token and a versioned Accept header, or OnSIP's SessionId).
type API interface {
	APIRequest(ctx context.Context, method, path string, body []byte, t *Token) (*http.Request, error)
}

// apiPath joins base and path, refusing a path that would leave the API (another host).
func apiPath(base, path string) (string, error) {
	if strings.Contains(path, "://") || strings.HasPrefix(path, "//") {
		return "", fmt.Errorf("the path %q names another server; give the path under the provider's API, e.g. /api/users/me", path)
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/"), nil
}

func bearerRequest(ctx context.Context, method, endpoint string, body []byte, t *Token, accept string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+t.AccessToken.Reveal())
	req.Header.Set("Accept", accept)
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// APIRequest calls the Spaces API (SPACES/api/…), e.g. /api/users/me.
func (p *avaya) APIRequest(ctx context.Context, method, path string, body []byte, t *Token) (*http.Request, error) {
	u, err := apiPath(p.spaces, path)
	if err != nil {
		return nil, err
	}
	return bearerRequest(ctx, method, u, body, t, "application/json")
}

// APIRequest calls Net2Phone Canada's API (base_url/…, e.g. /users/current/) with its versioned
// Accept header.
func (p *net2phone) APIRequest(ctx context.Context, method, path string, body []byte, t *Token) (*http.Request, error) {
	if strings.HasPrefix(path, "/api/") { // the documented paths start with the base's /api
		path = path[len("/api"):]
	}
	u, err := apiPath(p.base, path)
	if err != nil {
		return nil, err
	}
	return bearerRequest(ctx, method, u, body, t, "application/vnd.integrate.v"+p.c.setting("api_version")+"+json")
}

// APIRequest calls the issuer: "userinfo" is its userinfo endpoint, anything else a path under it.
func (p *oidcProvider) APIRequest(ctx context.Context, method, path string, body []byte, t *Token) (*http.Request, error) {
	if _, err := p.discover(ctx); err != nil {
		return nil, err
	}
	if strings.Trim(path, "/") == "userinfo" {
		var claims struct {
			UserInfo string `json:"userinfo_endpoint"`
		}
		_ = p.provider.Claims(&claims)
		if claims.UserInfo == "" {
			return nil, errors.New("the issuer advertises no userinfo endpoint")
		}
		return bearerRequest(ctx, method, claims.UserInfo, body, t, "application/json")
	}
	u, err := apiPath(p.issuer, path)
	if err != nil {
		return nil, err
	}
	return bearerRequest(ctx, method, u, body, t, "application/json")
}

// APIRequest calls OnSIP's admin API: path is the Action (e.g. UserRead), body its other
// parameters as a form (k=v&k2=v2); the SessionId and Output=json are added.
func (p *onsip) APIRequest(ctx context.Context, method, path string, body []byte, t *Token) (*http.Request, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("OnSIP's parameters are a form (Key=value&Other=value): %w", err)
	}
	action := strings.Trim(path, "/")
	if action == "" || strings.ContainsAny(action, "/?&=") {
		return nil, fmt.Errorf("for OnSIP the path is an Action of its admin API, such as UserRead, not %q", path)
	}
	form.Set("Action", action)
	form.Set("SessionId", t.AccessToken.Reveal())
	if form.Get("Output") == "" {
		form.Set("Output", "json")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.api, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}
