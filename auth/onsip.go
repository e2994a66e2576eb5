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
	"sync"
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
	replace  string // the Service of OAuth2SessionReplaceUser: SlackLoginDummy, GoogleLoginDummy
	api      string
	probe    string
	interval time.Duration
	flow     oauthFlow

	probeRefused sync.Once // OnSIP refused the configured probe: said once in the log
}

// onsipServices are the values the seed documents: Service for OAuth2SessionCreate, and the one
// its table gives for OAuth2SessionReplaceUser ("SlackLoginDummy" or "GoogleLoginDummy"; the
// seed's own cURL sample spells "SlackDummyLogin", which is why it is a setting).
var onsipServices = map[string]struct{ service, replace, authURL, scopes string }{
	"slack":  {"SlackLogin", "SlackLoginDummy", "https://slack.com/oauth/authorize", "identity.basic identity.email"},
	"google": {"GoogleLogin", "GoogleLoginDummy", "https://accounts.google.com/o/oauth2/v2/auth", "openid email profile"},
}

func newOnSIP(c Config) *onsip {
	method := c.setting("method")
	svc := onsipServices[method]
	interval, err := time.ParseDuration(c.setting("probe_interval"))
	if err != nil || interval <= 0 {
		interval = 5 * time.Minute
	}
	return &onsip{c: c, method: method, service: svc.service, replace: firstNonEmpty(c.setting("replace_user_service"), svc.replace),
		api: c.setting("api_url"), probe: c.setting("probe_action"), interval: interval,
		flow: oauthFlow{
			cfg: oauth2.Config{ClientID: c.setting("client_id"), Scopes: strings.Fields(firstNonEmpty(c.setting("scopes"), svc.scopes)),
				Endpoint: oauth2.Endpoint{AuthURL: firstNonEmpty(c.setting("authorize_url"), svc.authURL), AuthStyle: oauth2.AuthStyleInParams}},
			// OnSIP redeems the code, not Tokentray: a PKCE-bound code could not be redeemed there.
			pkce: "off", redirect: c.redirect(), http: c.HTTP, now: c.Now,
		}}
}

// call POSTs an admin API action and reads the answer. A refusal is *OnSIPError, returned with
// the reply, whose Session block still says whether the session lives. Anything else that goes
// wrong (network, HTTP 5xx, HTML, truncated XML, an Exception: the service's own trouble) is
// transient, with no reply.
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
	var oe *OnSIPError
	switch {
	case errors.Is(err, errNotOnSIP):
		return nil, &TransientError{fmt.Errorf("OnSIP's answer to %s: %w", action, err)}
	case errors.As(err, &oe) && oe.Kind == "exception":
		return nil, &TransientError{fmt.Errorf("OnSIP had a problem with %s: %w", action, err)}
	}
	return r, err
}

func (p *onsip) SignIn(ctx context.Context, ui SignInUI) (*Token, error) {
	if p.method == "password" {
		return p.passwordSession(ctx, "sign in", nil)
	}
	if p.flow.cfg.ClientID == "" {
		return nil, fmt.Errorf("set the client id (client_id) of the %s app OnSIP accepts, to sign in with %s", p.service, p.method)
	}
	az, err := p.flow.authorize(ctx, ui)
	if err != nil {
		return nil, err
	}
	defer func() { az.finish(err) }()
	r, err := p.call(ctx, url.Values{"Action": {"OAuth2SessionCreate"}, "Service": {p.service}, "ServiceName": {p.service},
		"AuthorizationCode": {az.code}, "RedirectUri": {az.redirectURI}})
	if err != nil {
		err = fmt.Errorf("OnSIP did not accept the %s sign-in: %w", p.service, err)
		return nil, err
	}
	if r.ThirdParty == nil {
		err = errors.New("OnSIP's answer to OAuth2SessionCreate has no third-party token")
		return nil, err
	}
	slog.Info("onsip session created", "service", p.service, "users", len(r.Users))
	var t *Token
	if t, err = p.token(r, &OnSIPState{Service: p.service, ServiceUserID: r.ThirdParty.ServiceUserID, ThirdParty: r.ThirdParty.Token}); err != nil {
		return nil, err
	}
	if err = ui.finish(ctx, t, finishing{revoke: p.Revoke}); err != nil {
		return nil, err
	}
	return t, nil
}

// token makes the stored credential from a reply that established a session, once every
// credential in it passes CheckCredential.
func (p *onsip) token(r *OnSIPReply, st *OnSIPState) (*Token, error) {
	if !r.IsEstablished || r.SessionID == "" {
		return nil, &TransientError{errors.New("OnSIP answered without an established session")}
	}
	if err := CheckCredential("SessionId", r.SessionID); err != nil {
		return nil, &TransientError{err}
	}
	if err := CheckCredential("third-party token", st.ThirdParty.Reveal()); err != nil {
		return nil, &TransientError{err}
	}
	now := p.c.Now().Round(0)
	// The user asked for stays: a reply may lack Session/UserId (seen on the wire for
	// OAuth2SessionReplaceUser). A first sign-in takes OnSIP's, or the e-mail's first user.
	if st.UserID == "" {
		st.UserID = r.UserID
	}
	if st.UserID == "" && len(r.Users) > 0 {
		st.UserID = r.Users[0].UserID
	}
	if st.UserID == "" {
		return nil, errors.New("OnSIP's answer names no user for the session")
	}
	if len(r.Users) > 0 {
		st.Users = r.Users
	}
	if len(r.Roles) > 0 {
		st.Roles = r.Roles
	}
	t := &Token{AccessToken: Secret(r.SessionID), TokenType: "SessionId", Session: true, Checked: now, Expiry: now.Add(p.interval), OnSIP: st}
	t.Identity = st.identity()
	return t, nil
}

func (st *OnSIPState) identity() Identity {
	for _, u := range st.Users {
		if u.UserID == st.UserID {
			return Identity{Name: u.Name, Username: firstNonEmpty(u.Email, u.Address), Subject: u.UserID}
		}
	}
	return Identity{Subject: st.UserID}
}

func (p *onsip) passwordSession(ctx context.Context, what string, prev *OnSIPState) (*Token, error) {
	user, pw := p.c.setting("username"), p.c.Secrets["password"]
	if user == "" || pw == "" {
		return nil, fmt.Errorf("could not %s: %w: password sign-in needs the username setting and the password in the keyring", what, ErrSignInRequired)
	}
	r, err := p.call(ctx, url.Values{"Action": {"SessionCreate"}, "Username": {user}, "Password": {pw.Reveal()}})
	if err != nil {
		return nil, p.refused(what, err)
	}
	st := &OnSIPState{}
	if prev != nil {
		st.UserID, st.Recreated = prev.UserID, prev.Recreated
	}
	return p.token(r, st)
}

// refused turns a documented refusal into "sign-in required" with OnSIP's own message; transient
// faults stay transient.
func (p *onsip) refused(what string, err error) error {
	if IsTransient(err) {
		return err
	}
	var oe *OnSIPError
	if errors.As(err, &oe) {
		return fmt.Errorf("could not %s: %w: OnSIP says: %w", what, ErrSignInRequired, oe)
	}
	return err
}

// Refresh probes the session and, if OnSIP no longer has it established, creates a new one
// without the browser. Only Context/Session/IsEstablished decides: a probe OnSIP refuses (an
// unknown action, a bad parameter) says nothing about the session. Only a refusal of the stored
// credentials makes the account "sign-in required".
func (p *onsip) Refresh(ctx context.Context, t *Token) (*Token, error) {
	if t == nil || t.OnSIP == nil {
		return nil, fmt.Errorf("could not renew the OnSIP session: %w", ErrSignInRequired)
	}
	form := url.Values{"Action": {p.probe}, "SessionId": {t.AccessToken.Reveal()}}
	if p.probe == "UserRead" { // UserRead takes one of UserId, UserAddress, AuthUsername
		form.Set("UserId", t.OnSIP.UserID)
	}
	r, err := p.call(ctx, form)
	if IsTransient(err) {
		return nil, err
	}
	if err != nil && r.IsEstablished { // refused although the session lives: the probe itself is wrong
		p.probeRefused.Do(func() {
			slog.Warn("OnSIP refused the keep-alive check; the session is judged by OnSIP's IsEstablished alone. "+
				"Set probe_action to an action OnSIP accepts (UserRead is the documented default)", "action", p.probe, "onsip_says", err.Error())
		})
	}
	if r.IsEstablished && (r.SessionID == "" || r.SessionID == t.AccessToken.Reveal()) {
		fresh, st := *t, *t.OnSIP
		fresh.Checked = p.c.Now().Round(0)
		fresh.Expiry = fresh.Checked.Add(p.interval)
		st.Recreated = 0 // the session held
		fresh.OnSIP = &st
		return &fresh, nil
	}
	if t.OnSIP.Recreated >= maxRecreates {
		return nil, fmt.Errorf("could not keep the OnSIP session: %w: OnSIP ended each of the last %d sessions made in a row before it was used",
			ErrSignInRequired, maxRecreates)
	}
	slog.Info("onsip session ended; creating a new one")
	fresh, err := p.recreate(ctx, *t.OnSIP)
	if err != nil {
		return nil, fmt.Errorf("%w, and a new one could not be made: %w", ErrSessionEnded, err)
	}
	return fresh, nil
}

// ErrSessionEnded says that the service ended the session credential (OnSIP answered
// IsEstablished false): whatever else went wrong, the old SessionId is no longer any good.
var ErrSessionEnded = errors.New("OnSIP ended the session")

// recreate makes a new session without the browser, from the stored third-party token or password.
func (p *onsip) recreate(ctx context.Context, st OnSIPState) (*Token, error) {
	st.Recreated++
	if st.Service == "" {
		return p.passwordSession(ctx, "create a new OnSIP session", &st)
	}
	r, err := p.call(ctx, url.Values{"Action": {"OAuth2SessionCreate"}, "Service": {st.Service}, "ServiceName": {st.Service},
		"ServiceUserId": {st.ServiceUserID}, "UserId": {st.UserID}, "OAuthToken": {st.ThirdParty.Reveal()}})
	if err != nil {
		return nil, p.refused("create a new OnSIP session", err)
	}
	if r.ThirdParty != nil && r.ThirdParty.Token != "" {
		st.ThirdParty = r.ThirdParty.Token
	}
	return p.token(r, &st)
}

// maxRecreates is how many sessions in a row Tokentray makes without the browser that OnSIP ends
// before they are confirmed once: past it, something the user must fix is wrong.
const maxRecreates = 3

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
		"Service": {p.replace}, "ServiceUserId": {st.ServiceUserID}, "OAuthToken": {st.ThirdParty.Reveal()}})
	if err != nil {
		return nil, fmt.Errorf("could not switch the OnSIP user: %w", err)
	}
	if r.ThirdParty != nil && r.ThirdParty.Token != "" {
		st.ThirdParty = r.ThirdParty.Token
	}
	users := st.Users
	st.UserID = userID // the user asked for, whatever the reply says
	fresh, err := p.token(r, &st)
	if err != nil {
		return nil, fmt.Errorf("could not switch the OnSIP user: %w", err)
	}
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
