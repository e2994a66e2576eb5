package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"tokentray/app/model"
	"tokentray/auth"
)

// maxAPIBody bounds what api reads of an answer.
const maxAPIBody = 8 << 20

// API calls the account's own API with a fresh credential, as `gh api` does: on a 401 the
// credential is renewed once and the call made again. The answer comes back as the provider gave
// it, whatever its status; an error is only for a call that could not be made.
func (c *Core) API(ctx context.Context, id model.AccountID, r model.APIRequest, who Asker) (model.APIResponse, error) {
	a, err := c.account(id)
	if err != nil {
		return model.APIResponse{}, err
	}
	for try := 0; ; try++ {
		_, tok, prov, err := c.m.CredentialFor(ctx, a.ID)
		if err != nil {
			return model.APIResponse{}, err
		}
		api, ok := prov.(auth.API)
		if !ok {
			return model.APIResponse{}, fmt.Errorf("%s: Tokentray cannot call this provider's API", a.Name)
		}
		req, err := api.APIRequest(ctx, strings.ToUpper(r.Method), r.Path, r.Body, tok)
		if err != nil {
			return model.APIResponse{}, err
		}
		for _, h := range r.Headers {
			k, v, ok := strings.Cut(h, ":")
			if !ok || strings.TrimSpace(k) == "" {
				return model.APIResponse{}, fmt.Errorf("a header is Key: value, not %q", h)
			}
			if strings.EqualFold(strings.TrimSpace(k), "Authorization") {
				return model.APIResponse{}, errors.New("the Authorization header is Tokentray's to set")
			}
			req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		c.handOut(who, a, model.Credential{Value: tok.AccessToken.Reveal()})() // what is sent
		resp, err := noRedirects(c.d.HTTP).Do(req)
		if err != nil {
			return model.APIResponse{}, fmt.Errorf("could not reach the provider's API: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody+1))
		resp.Body.Close()
		if err != nil {
			return model.APIResponse{}, fmt.Errorf("the provider's answer broke off: %w", err)
		}
		if len(body) > maxAPIBody {
			return model.APIResponse{}, fmt.Errorf("the provider's answer is larger than %d MB", maxAPIBody>>20)
		}
		if resp.StatusCode == http.StatusUnauthorized && try == 0 {
			if err := c.m.RenewNow(ctx, a.ID); err != nil {
				return model.APIResponse{}, err
			}
			continue
		}
		return model.APIResponse{Status: resp.StatusCode, StatusText: http.StatusText(resp.StatusCode),
			ContentType: resp.Header.Get("Content-Type"), Body: body, Renewed: try > 0}, nil
	}
}

// noRedirects is client without following redirects, as gh api does: a redirect is answered to the
// person, and the credential never travels to wherever a provider (or someone between) points.
func noRedirects(client *http.Client) *http.Client {
	c := *cmp.Or(client, http.DefaultClient)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}
