package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// OnSIP: the credential is an admin API SessionId. The user signs in to Slack or Google in the
// browser and OnSIP turns the code into a session (OAuth2SessionCreate), or signs in with a
// password (SessionCreate). The session is kept alive without the browser: probed at an interval
// and, when no longer established, created again from the stored third-party token (the second
// form of OAuth2SessionCreate) or the stored password. See PROVIDERS.md.
type onsip struct {
	c        Config
	method   string // slack, google, password
	service  string // SlackLogin, GoogleLogin
	api      string
	probe    string
	interval time.Duration
	flow     oauthFlow
}

var onsipServices = map[string]struct{ service, authURL, scopes string }{
	"slack":  {"SlackLogin", "https://slack.com/oauth/authorize", "identity.basic identity.email"},
	"google": {"GoogleLogin", "https://accounts.google.com/o/oauth2/v2/auth", "openid email profile"},
}

func newOnSIP(c Config) *onsip {
	method := c.setting("method")
	svc := onsipServices[method]
	interval, err := time.ParseDuration(c.setting("probe_interval"))
	if err != nil || interval <= 0 {
		interval = 5 * time.Minute
	}
	return &onsip{c: c, method: method, service: svc.service, api: c.setting("api_url"), probe: c.setting("probe_action"), interval: interval,
		flow: oauthFlow{
			cfg: oauth2.Config{ClientID: c.setting("client_id"), Scopes: strings.Fields(firstNonEmpty(c.setting("scopes"), svc.scopes)),
				Endpoint: oauth2.Endpoint{AuthURL: firstNonEmpty(c.setting("authorize_url"), svc.authURL), AuthStyle: oauth2.AuthStyleInParams}},
			// OnSIP redeems the code, not Tokentray: a PKCE-bound code could not be redeemed there.
			pkce: "off", redirect: c.redirect(), http: c.HTTP, now: c.Now,
		}}
}

// call POSTs an admin API action and reads the answer. A documented error is *OnSIPError;
// anything else that goes wrong (network, HTTP 5xx, HTML, truncated XML) is transient.
func (p *onsip) call(ctx context.Context, form url.Values) (*OnSIPReply, error) {
	form.Set("Output", "xml")
	action := form.Get("Action")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.api, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.c.HTTP.Do(req)
	if err != nil {
		return nil, &TransientError{fmt.Errorf("could not reach OnSIP (%s): %w", action, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &TransientError{fmt.Errorf("could not read OnSIP's answer to %s: %w", action, err)}
	}
	if resp.StatusCode/100 != 2 {
		return nil, &TransientError{fmt.Errorf("OnSIP answered %s to %s", resp.Status, action)}
	}
	r, err := ParseOnSIP(body)
	if errors.Is(err, errNotOnSIP) {
		return nil, &TransientError{fmt.Errorf("OnSIP's answer to %s: %w", action, err)}
	}
	return r, err
}

func (p *onsip) SignIn(ctx context.Context, ui SignInUI) (*Token, error) {
	if p.method == "password" {
		return p.passwordSession(ctx, "sign in")
	}
	if p.flow.cfg.ClientID == "" {
		return nil, fmt.Errorf("set the client id (client_id) of the %s app OnSIP accepts, to sign in with %s", p.service, p.method)
	}
	az, err := p.flow.authorize(ctx, ui)
	if err != nil {
		return nil, err
	}
	r, err := p.call(ctx, url.Values{"Action": {"OAuth2SessionCreate"}, "Service": {p.service}, "ServiceName": {p.service},
		"AuthorizationCode": {az.code}, "RedirectUri": {az.redirectURI}})
	if err != nil {
		return nil, fmt.Errorf("OnSIP did not accept the %s sign-in: %w", p.service, err)
	}
	if r.ThirdParty == nil || r.SessionID == "" {
		return nil, errors.New("OnSIP's answer to OAuth2SessionCreate has no session or third-party token")
	}
	slog.Info("onsip session created", "service", p.service, "users", len(r.Users))
	return p.token(r, &OnSIPState{Service: p.service, ServiceUserID: r.ThirdParty.ServiceUserID, ThirdParty: r.ThirdParty.Token}), nil
}

// token makes the stored credential from a reply that established a session.
func (p *onsip) token(r *OnSIPReply, st *OnSIPState) *Token {
	now := p.c.Now().Round(0)
	st.UserID = r.UserID
	if len(r.Users) > 0 {
		st.Users = r.Users
	}
	if len(r.Roles) > 0 {
		st.Roles = r.Roles
	}
	t := &Token{AccessToken: Secret(r.SessionID), TokenType: "SessionId", Session: true, Checked: now, Expiry: now.Add(p.interval), OnSIP: st}
	t.Identity = st.identity()
	return t
}

func (st *OnSIPState) identity() Identity {
	for _, u := range st.Users {
		if u.UserID == st.UserID {
			return Identity{Name: u.Name, Username: firstNonEmpty(u.Email, u.Address), Subject: u.UserID}
		}
	}
	return Identity{Subject: st.UserID}
}

func (p *onsip) passwordSession(ctx context.Context, what string) (*Token, error) {
	user, pw := p.c.setting("username"), p.c.Secrets["password"]
	if user == "" || pw == "" {
		return nil, fmt.Errorf("could not %s: %w: password sign-in needs the username setting and the password in the keyring", what, ErrSignInRequired)
	}
	r, err := p.call(ctx, url.Values{"Action": {"SessionCreate"}, "Username": {user}, "Password": {pw.Reveal()}})
	if err != nil {
		return nil, p.refused(what, err)
	}
	return p.token(r, &OnSIPState{}), nil
}

// refused turns a documented refusal into "sign-in required" with OnSIP's own message; transient
// faults stay transient.
func (p *onsip) refused(what string, err error) error {
	var oe *OnSIPError
	if errors.As(err, &oe) {
		return fmt.Errorf("could not %s: %w: OnSIP says: %w", what, ErrSignInRequired, oe)
	}
	return err
}

// Refresh probes the session and, if OnSIP no longer has it established, creates a new one
// without the browser. Only a refusal of the stored credentials makes it "sign-in required".
func (p *onsip) Refresh(ctx context.Context, t *Token) (*Token, error) {
	if t == nil || t.OnSIP == nil {
		return nil, fmt.Errorf("could not renew the OnSIP session: %w", ErrSignInRequired)
	}
	r, err := p.call(ctx, url.Values{"Action": {p.probe}, "SessionId": {t.AccessToken.Reveal()}})
	if IsTransient(err) {
		return nil, err
	}
	if err == nil && r.IsEstablished {
		fresh := *t
		fresh.Checked = p.c.Now().Round(0)
		fresh.Expiry = fresh.Checked.Add(p.interval)
		return &fresh, nil
	}
	slog.Info("onsip session ended; creating a new one")
	if t.OnSIP.Service == "" {
		return p.passwordSession(ctx, "create a new OnSIP session")
	}
	st := *t.OnSIP
	r, err = p.call(ctx, url.Values{"Action": {"OAuth2SessionCreate"}, "Service": {st.Service}, "ServiceName": {st.Service},
		"ServiceUserId": {st.ServiceUserID}, "UserId": {st.UserID}, "OAuthToken": {st.ThirdParty.Reveal()}})
	if err != nil {
		return nil, p.refused("create a new OnSIP session", err)
	}
	if r.ThirdParty != nil && r.ThirdParty.Token != "" {
		st.ThirdParty = r.ThirdParty.Token
	}
	return p.token(r, &st), nil
}

// ChooseUser switches the session to another OnSIP user of the same e-mail
// (OAuth2SessionReplaceUser); the choice is kept in the returned token.
func (p *onsip) ChooseUser(ctx context.Context, t *Token, userID string) (*Token, error) {
	if t == nil || t.OnSIP == nil || t.OnSIP.Service == "" {
		return nil, errors.New("only a Slack or Google sign-in can act as another OnSIP user")
	}
	st := *t.OnSIP
	if !slices.ContainsFunc(st.Users, func(u OnSIPUser) bool { return u.UserID == userID }) {
		return nil, fmt.Errorf("OnSIP user %s is not one of this sign-in's users", userID)
	}
	r, err := p.call(ctx, url.Values{"Action": {"OAuth2SessionReplaceUser"}, "SessionId": {t.AccessToken.Reveal()}, "UserId": {userID},
		"Service": {st.Service}, "ServiceUserId": {st.ServiceUserID}, "OAuthToken": {st.ThirdParty.Reveal()}})
	if err != nil {
		return nil, fmt.Errorf("could not switch the OnSIP user: %w", err)
	}
	if r.ThirdParty != nil && r.ThirdParty.Token != "" {
		st.ThirdParty = r.ThirdParty.Token
	}
	users := st.Users
	fresh := p.token(r, &st)
	fresh.OnSIP.Users = users // the reply names only the new user; keep the whole list
	fresh.Identity = fresh.OnSIP.identity()
	return fresh, nil
}

// Revoke ends the session at OnSIP (SessionDestroy).
func (p *onsip) Revoke(ctx context.Context, t *Token) error {
	if t == nil || t.AccessToken == "" {
		return nil
	}
	_, err := p.call(ctx, url.Values{"Action": {"SessionDestroy"}, "SessionId": {t.AccessToken.Reveal()}})
	return err
}

// WhoAmI is the OnSIP user the session acts as, from the sign-in's user summaries.
func (p *onsip) WhoAmI(_ context.Context, t *Token) (Identity, error) {
	if t == nil || t.OnSIP == nil {
		return Identity{}, errors.New("not signed in")
	}
	return t.OnSIP.identity(), nil
}

// UserChooser is implemented by providers whose sign-in can act as one of several users (OnSIP).
type UserChooser interface {
	ChooseUser(ctx context.Context, t *Token, userID string) (*Token, error)
}
